/**
 * Feeding the built-in store: products and orders pushed in by an integration or imported from
 * CSV/JSON, and the order's later life (payment captured, parcel shipped or delivered, return
 * received). Each change writes its change-feed events in the same transaction.
 */
import { inTransaction, type Ctx } from '../../../../shared/context.ts';
import { AppError, forbidden, notFound, type FieldError } from '../../../../shared/errors.ts';
import type { ShopAddress, ShopFulfillmentStatus, ShopPaymentStatus, ShopReturnStatus } from '../../../../db/schema.ts';
import { allocatedShare } from '../../money.ts';
import { recordOrderEvents } from '../../order-feed.service.ts';
import { normalizeOrderNumber } from '../../order-numbers.ts';
import { trackingUrlFor } from '../carriers.ts';
import { loadStoreInfo } from '../connector-registry.ts';
import type { OrderChangeEvent, StoreInfo } from '../connector.ts';
import { storeReadCache } from '../read-cache.ts';
import { lineStates } from '../order-math.ts';
import { toStoreOrder } from './builtin.connector.ts';
import { ordersFromCsv, productsFromCsv } from './builtin-import.ts';
import * as q from './builtin.queries.ts';

/** Admins, and integrations with any token, may feed a store. */
export function requireStoreWriter(ctx: Ctx): void {
  const a = ctx.actor;
  if (a.type === 'system' || a.type === 'integration') return;
  if (a.type === 'agent' && a.role === 'admin') return;
  throw forbidden('Only an admin or an integration token can change a store’s catalogue and orders.');
}

/** The store, which must be served by the built-in store. */
async function builtinStore(ctx: Ctx, storeId: string): Promise<StoreInfo> {
  const store = await loadStoreInfo(ctx, storeId);
  if (store.platform !== 'builtin') {
    throw new AppError('conflict', `The store "${store.name}" takes its orders from ${store.platform}; change them there, not in storedesk.`);
  }
  return store;
}

/** A product with its variants, as pushed or imported. Prices are minor units of the store's currency. */
export interface ProductInput {
  handle: string;
  title: string;
  description?: string | null | undefined;
  category?: string | null | undefined;
  tags?: string[] | undefined;
  variants: { sku: string; title: string; options?: Record<string, string> | undefined; price: number; inventory?: number | null | undefined }[];
}

/** Creates or updates products by handle and their variants by SKU. */
export async function upsertProducts(ctx: Ctx, storeId: string, products: readonly ProductInput[]): Promise<{ products: number; variants: number }> {
  requireStoreWriter(ctx);
  const store = await builtinStore(ctx, storeId);
  const result = await inTransaction(ctx, (tx) => writeProducts(tx, store, products));
  storeReadCache.invalidateStore(storeId);
  return result;
}

async function writeProducts(tx: Ctx, store: StoreInfo, products: readonly ProductInput[]) {
  let variants = 0;
  for (const p of products) {
    const product = await q.upsertProduct(tx.db, {
      storeId: store.id, handle: p.handle.trim().toLowerCase(), title: p.title.trim(), description: p.description ?? null, category: p.category ?? null,
      tags: [...new Set((p.tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))],
    });
    for (const v of p.variants) {
      await q.upsertVariant(tx.db, { storeId: store.id, productId: product.id, sku: v.sku.trim().toUpperCase(), title: v.title, options: v.options ?? {}, price: v.price, inventory: v.inventory ?? null });
      variants++;
    }
  }
  return { products: products.length, variants };
}

/** A parcel as pushed: which lines (by SKU or 1-based line position; all unshipped units when absent). */
export interface FulfillmentInput {
  carrier?: string | null | undefined;
  service?: string | null | undefined;
  trackingNumber?: string | null | undefined;
  trackingUrl?: string | null | undefined;
  status?: ShopFulfillmentStatus | undefined;
  shippedAt?: Date | null | undefined;
  estimatedDeliveryAt?: Date | null | undefined;
  deliveredAt?: Date | null | undefined;
  lines?: { sku?: string | undefined; line?: number | undefined; quantity: number }[] | undefined;
}

/** An order as pushed or imported. Amounts are minor units; prices include tax unless taxesIncluded is false. */
export interface OrderInput {
  /** Taken from the store's sequence when absent. */
  number?: string | undefined;
  placedAt?: Date | undefined;
  customer: { email: string; name?: string | null | undefined; phone?: string | null | undefined };
  currency?: string | undefined;
  taxesIncluded?: boolean | undefined;
  lines: { sku?: string | undefined; title?: string | undefined; variantTitle?: string | null | undefined; quantity: number; unitPrice?: number | undefined; taxRateBp?: number | undefined }[];
  /** Order-level discount, spread over the lines by their price. */
  discount?: number | undefined;
  discountCodes?: string[] | undefined;
  shipping?: { method?: string | null | undefined; amount?: number | undefined; taxRateBp?: number | undefined; address?: ShopAddress | null | undefined } | undefined;
  expectedDeliveryAt?: Date | null | undefined;
  payment?: { method: string; methodDetail?: string | null | undefined; status?: ShopPaymentStatus | undefined; amount?: number | undefined } | undefined;
  fulfillments?: FulfillmentInput[] | undefined;
}

/** The store's default tax rate in basis points (2100 = 21%), from its settings. */
function defaultTaxRate(store: StoreInfo): number {
  const rate = store.settings.tax_rate_bp;
  return typeof rate === 'number' && Number.isInteger(rate) && rate >= 0 && rate <= 10_000 ? rate : 0;
}

/** Tax contained in (or added to) an amount at a rate in basis points. */
function taxOf(amount: number, rateBp: number, included: boolean): number {
  if (rateBp === 0) return 0;
  return included ? Math.round((amount * rateBp) / (10_000 + rateBp)) : Math.round((amount * rateBp) / 10_000);
}

/** Checks an order's input against the catalogue, naming the field of each mistake. */
async function resolveOrderLines(tx: Ctx, store: StoreInfo, input: OrderInput, path: string) {
  const errors: FieldError[] = [];
  const skus = input.lines.map((l) => l.sku?.trim().toUpperCase()).filter((s): s is string => !!s);
  const variants = await q.findVariantsBySku(tx.db, store.id, skus);
  if (input.lines.length === 0) errors.push({ field: `${path}lines`, message: 'needs at least one line' });
  const lines = input.lines.map((l, i) => {
    const sku = l.sku?.trim().toUpperCase();
    const v = sku ? variants.find((x) => x.sku === sku) : undefined;
    if (sku && !v && (l.title === undefined || l.unitPrice === undefined)) errors.push({ field: `${path}lines[${i}].sku`, message: `${sku} is not in the catalogue (give title and unit_price for items outside it)` });
    if (!sku && (l.title === undefined || l.unitPrice === undefined)) errors.push({ field: `${path}lines[${i}]`, message: 'needs a sku from the catalogue, or a title and unit_price' });
    if (!Number.isInteger(l.quantity) || l.quantity < 1) errors.push({ field: `${path}lines[${i}].quantity`, message: 'must be a whole number of at least 1' });
    return {
      variantId: v?.id ?? null,
      productTitle: l.title ?? v?.product_title ?? '',
      variantTitle: l.variantTitle !== undefined ? l.variantTitle : v?.title ?? null,
      sku: sku ?? null,
      quantity: l.quantity,
      unitPrice: l.unitPrice ?? v?.price_minor ?? 0,
      taxRateBp: l.taxRateBp ?? defaultTaxRate(store),
    };
  });
  return { lines, errors };
}

/**
 * Inserts one order with its payment and parcels inside the caller's transaction; returns its
 * id, number and the change-feed events it caused (the caller records them), or the input's
 * mistakes. For the push API, imports and the demo catalogue.
 */
export async function writeOrder(tx: Ctx, store: StoreInfo, input: OrderInput, path = ''): Promise<{ id: string; number: string; events: OrderChangeEvent[] } | { errors: FieldError[] }> {
  const { lines, errors } = await resolveOrderLines(tx, store, input, path);
  const currency = (input.currency ?? store.currency).toUpperCase();
  let number: string | null;
  if (input.number !== undefined) {
    number = normalizeOrderNumber(store, input.number) ?? input.number.trim();
    if (!number) errors.push({ field: `${path}number`, message: 'is empty' });
    else if (await q.orderNumberExists(tx.db, store.id, number)) errors.push({ field: `${path}number`, message: `order ${number} exists already` });
  } else {
    const next = Math.max(10_000, await q.maxOrderSequence(tx.db, store.id)) + 1;
    number = `${store.orderNumberPrefix ?? ''}${next}`;
  }
  if (errors.length || !number) return { errors };

  const included = input.taxesIncluded ?? true;
  const subtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  const discount = Math.min(input.discount ?? 0, subtotal);
  let cumulative = 0;
  const priced = lines.map((l) => {
    const linePrice = l.unitPrice * l.quantity;
    const before = cumulative;
    cumulative += linePrice;
    const lineDiscount = subtotal === 0 ? 0 : allocatedShare(discount, subtotal, cumulative) - allocatedShare(discount, subtotal, before);
    const net = linePrice - lineDiscount;
    const tax = taxOf(net, l.taxRateBp, included);
    return { ...l, discount: lineDiscount, tax, total: included ? net : net + tax };
  });
  const shippingRate = input.shipping?.taxRateBp ?? defaultTaxRate(store);
  const shippingCharged = input.shipping?.amount ?? 0;
  const shippingTax = taxOf(shippingCharged, shippingRate, included);
  const shipping = included ? shippingCharged : shippingCharged + shippingTax;
  const total = priced.reduce((s, l) => s + l.total, 0) + shipping;
  const placedAt = input.placedAt ?? new Date();
  const email = input.customer.email.trim().toLowerCase();
  const customer = await q.upsertShopCustomer(tx.db, { storeId: store.id, email, name: input.customer.name?.trim() || null, phone: input.customer.phone?.replace(/[^\d+]/g, '') || null });
  const order = await q.insertOrder(tx.db, {
    storeId: store.id, number, customerId: customer.id, email, currency, taxesIncluded: included, subtotal, discount, shipping, shippingTax,
    tax: priced.reduce((s, l) => s + l.tax, 0) + shippingTax, total, discountCodes: (input.discountCodes ?? []).map((c) => c.toUpperCase()),
    shippingMethod: input.shipping?.method ?? null, shippingAddress: input.shipping?.address ?? null, placedAt, expectedDeliveryAt: input.expectedDeliveryAt ?? null,
    lines: priced,
  });
  const events: OrderChangeEvent[] = [];
  const ev = (type: OrderChangeEvent['type'], sourceId: string, at: Date, data: Record<string, unknown>) =>
    events.push({ sourceId: `builtin:${sourceId}`, type, orderNumber: number ?? '', customerEmail: email, occurredAt: at, data });
  ev('order.created', `created:${order.id}`, placedAt, { total, currency, items: priced.reduce((s, l) => s + l.quantity, 0) });
  if (input.payment) {
    const status = input.payment.status ?? 'captured';
    const payment = await q.insertPayment(tx.db, { orderId: order.id, method: input.payment.method, methodDetail: input.payment.methodDetail ?? null, amount: input.payment.amount ?? total, status, at: placedAt });
    if (status === 'captured') ev('order.paid', `paid:${payment.id}`, placedAt, { amount: input.payment.amount ?? total, currency, method: input.payment.methodDetail ?? input.payment.method });
  }
  for (const [i, f] of (input.fulfillments ?? []).entries()) {
    const written = await writeFulfillment(tx, store, { id: order.id, number, email, lines: order.lines }, f, `${path}fulfillments[${i}].`);
    if ('errors' in written) return written;
    events.push(...written.events);
  }
  return { id: order.id, number, events };
}

/** Inserts a parcel for an order's lines (all unshipped units when the input names none). */
async function writeFulfillment(
  tx: Ctx,
  store: StoreInfo,
  order: { id: string; number: string; email: string | null; lines: { id: string; position: number; variant_id: string | null; sku: string | null; product_title: string; variant_title: string | null; quantity: number }[] },
  f: FulfillmentInput,
  path: string,
): Promise<{ id: string; events: OrderChangeEvent[] } | { errors: FieldError[] }> {
  const full = await q.findFullOrder(tx.db, store.id, order.number);
  const states = full ? lineStates(toStoreOrder(full)) : [];
  const errors: FieldError[] = [];
  const picked: { lineId: string; variantId: string | null; sku: string | null; title: string; quantity: number }[] = [];
  const title = (l: (typeof order.lines)[number]) => (l.variant_title ? `${l.product_title} (${l.variant_title})` : l.product_title);
  if (f.lines && f.lines.length) {
    for (const [i, sel] of f.lines.entries()) {
      const line = sel.line !== undefined ? order.lines.find((l) => l.position === sel.line) : order.lines.find((l) => l.sku === sel.sku?.toUpperCase());
      if (!line) {
        errors.push({ field: `${path}lines[${i}]`, message: 'names no line of the order' });
        continue;
      }
      const shipped = states.find((s) => s.line.id === line.id)?.shipped ?? 0;
      if (sel.quantity > line.quantity - shipped) errors.push({ field: `${path}lines[${i}].quantity`, message: `only ${line.quantity - shipped} left to ship` });
      picked.push({ lineId: line.id, variantId: line.variant_id, sku: line.sku, title: title(line), quantity: sel.quantity });
    }
  } else {
    for (const line of order.lines) {
      const left = line.quantity - (states.find((s) => s.line.id === line.id)?.shipped ?? 0);
      if (left > 0) picked.push({ lineId: line.id, variantId: line.variant_id, sku: line.sku, title: title(line), quantity: left });
    }
    if (picked.length === 0) errors.push({ field: `${path}lines`, message: 'everything on the order has shipped already' });
  }
  if (errors.length) return { errors };
  const status: ShopFulfillmentStatus = f.status ?? (f.deliveredAt ? 'delivered' : 'in_transit');
  const shippedAt = f.shippedAt ?? (status === 'pending' ? null : new Date());
  const deliveredAt = f.deliveredAt ?? (status === 'delivered' ? new Date() : null);
  const tracking = f.trackingNumber ? f.trackingNumber.replace(/\s+/g, '').toUpperCase() : null;
  const address = full?.shipping_address ?? null;
  const row = await q.insertFulfillment(tx.db, {
    orderId: order.id, kind: 'shipment', status, carrier: f.carrier ?? null, service: f.service ?? null, trackingNumber: tracking,
    trackingUrl: f.trackingUrl ?? trackingUrlFor(f.carrier ?? null, tracking, address?.postal_code ?? null, address?.country ?? null),
    shippedAt, estimatedDeliveryAt: f.estimatedDeliveryAt ?? null, deliveredAt, lines: picked, ...(shippedAt ? { at: shippedAt } : {}),
  });
  const events: OrderChangeEvent[] = [];
  const data = { carrier: f.carrier ?? null, tracking_number: tracking, fulfillment_id: row.id };
  if (shippedAt) events.push({ sourceId: `builtin:shipped:${row.id}`, type: 'order.shipped', orderNumber: order.number, customerEmail: order.email, occurredAt: shippedAt, data });
  if (deliveredAt) events.push({ sourceId: `builtin:delivered:${row.id}`, type: 'order.delivered', orderNumber: order.number, customerEmail: order.email, occurredAt: deliveredAt, data });
  return { id: row.id, events };
}

/** Pushes one order into the built-in store. */
export async function pushOrder(ctx: Ctx, storeId: string, input: OrderInput): Promise<{ id: string; number: string }> {
  requireStoreWriter(ctx);
  const store = await builtinStore(ctx, storeId);
  const result = await inTransaction(ctx, async (tx) => {
    const written = await writeOrder(tx, store, input);
    if ('errors' in written) throw validation(written.errors);
    await recordOrderEvents(tx, store.id, written.events);
    return { id: written.id, number: written.number };
  });
  storeReadCache.invalidateStore(storeId);
  return result;
}

function csvProblem(name: string, errors: FieldError[]): AppError {
  const first = errors[0];
  return new AppError('validation_failed', `Nothing was imported: ${name} ${first ? `${first.field} ${first.message}` : 'is invalid'}.`, {
    errors: errors.map((e) => ({ field: `${name}.${e.field}`, message: e.message })),
  });
}

function validation(errors: FieldError[]): AppError {
  const first = errors[0];
  const exists = errors.length === 1 && first?.message.includes('exists already');
  return new AppError(exists ? 'already_exists' : 'validation_failed', first ? `${first.field} ${first.message}.` : 'The order is not valid.', { errors });
}

/** What an import brings: JSON-shaped products and orders, and/or CSV text of each. */
export interface ImportInput {
  products?: readonly ProductInput[] | undefined;
  orders?: readonly OrderInput[] | undefined;
  productsCsv?: string | undefined;
  ordersCsv?: string | undefined;
}

/** Imports products and orders together; nothing is written unless every row is valid. */
export async function importStoreData(ctx: Ctx, storeId: string, input: ImportInput): Promise<{ products: number; variants: number; orders: number }> {
  requireStoreWriter(ctx);
  const store = await builtinStore(ctx, storeId);
  const data = { products: [...(input.products ?? [])], orders: [...(input.orders ?? [])] };
  if (input.productsCsv !== undefined) {
    const parsed = productsFromCsv(input.productsCsv, store.currency);
    if (!parsed.ok) throw csvProblem('products_csv', parsed.errors);
    data.products.push(...parsed.value);
  }
  if (input.ordersCsv !== undefined) {
    const parsed = ordersFromCsv(input.ordersCsv, store.currency);
    if (!parsed.ok) throw csvProblem('orders_csv', parsed.errors);
    data.orders.push(...parsed.value);
  }
  const result = await inTransaction(ctx, async (tx) => {
    const written = await writeProducts(tx, store, data.products ?? []);
    const errors: FieldError[] = [];
    const events: OrderChangeEvent[] = [];
    for (const [i, o] of (data.orders ?? []).entries()) {
      const w = await writeOrder(tx, store, o, `orders[${i}].`);
      if ('errors' in w) errors.push(...w.errors);
      else events.push(...w.events);
      if (errors.length >= 20) break;
    }
    if (errors.length) {
      const first = errors[0];
      throw new AppError('validation_failed', `Nothing was imported: ${first ? `${first.field} ${first.message}` : 'some rows are invalid'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`, { errors });
    }
    await recordOrderEvents(tx, store.id, events);
    return { ...written, orders: (data.orders ?? []).length };
  });
  storeReadCache.invalidateStore(storeId);
  return result;
}

/** Ships (part of) an order. */
export async function addFulfillment(ctx: Ctx, storeId: string, orderNumber: string, input: FulfillmentInput): Promise<{ id: string }> {
  requireStoreWriter(ctx);
  const store = await builtinStore(ctx, storeId);
  const number = normalizeOrderNumber(store, orderNumber) ?? orderNumber;
  const result = await inTransaction(ctx, async (tx) => {
    const full = await q.findFullOrder(tx.db, store.id, number);
    if (!full) throw notFound(`Order ${number}`);
    if (full.cancelled_at) throw new AppError('conflict', `Order ${number} was cancelled; it cannot ship.`);
    const lines = full.lines.map((l, i) => ({ id: l.id, position: i + 1, variant_id: l.variant_id, sku: l.sku, product_title: l.product_title, variant_title: l.variant_title, quantity: l.quantity }));
    const written = await writeFulfillment(tx, store, { id: full.id, number, email: full.email, lines }, input, '');
    if ('errors' in written) throw validation(written.errors);
    await recordOrderEvents(tx, store.id, written.events);
    return { id: written.id };
  });
  storeReadCache.invalidateStore(storeId);
  return result;
}

/** Moves a parcel on: in transit, out for delivery, delivered, exception, returned to sender. */
export async function updateFulfillment(
  ctx: Ctx,
  storeId: string,
  orderNumber: string,
  fulfillmentId: string,
  patch: { status: ShopFulfillmentStatus; deliveredAt?: Date | undefined; estimatedDeliveryAt?: Date | null | undefined },
): Promise<void> {
  requireStoreWriter(ctx);
  const store = await builtinStore(ctx, storeId);
  const number = normalizeOrderNumber(store, orderNumber) ?? orderNumber;
  await inTransaction(ctx, async (tx) => {
    const f = /^[0-9a-f-]{36}$/i.test(fulfillmentId) ? await q.findFulfillment(tx.db, store.id, number, fulfillmentId) : undefined;
    if (!f) throw notFound('The parcel');
    const at = new Date();
    const deliveredAt = patch.status === 'delivered' ? patch.deliveredAt ?? at : null;
    await q.updateFulfillmentRow(tx.db, f.id, {
      status: patch.status,
      deliveredAt,
      ...(f.shipped_at === null && patch.status !== 'pending' ? { shippedAt: at } : {}),
      ...(patch.estimatedDeliveryAt !== undefined ? { estimatedDeliveryAt: patch.estimatedDeliveryAt } : {}),
    });
    const data = { carrier: f.carrier, tracking_number: f.tracking_number, fulfillment_id: f.id };
    const events: OrderChangeEvent[] = [];
    if (f.shipped_at === null && patch.status !== 'pending') events.push({ sourceId: `builtin:shipped:${f.id}`, type: 'order.shipped', orderNumber: number, customerEmail: f.email, occurredAt: at, data });
    if (deliveredAt) events.push({ sourceId: `builtin:delivered:${f.id}`, type: 'order.delivered', orderNumber: number, customerEmail: f.email, occurredAt: deliveredAt, data });
    await recordOrderEvents(tx, store.id, events);
  });
  storeReadCache.invalidateStore(storeId);
}

/** Captures an order's authorized payments (the order becomes paid). */
export async function capturePayments(ctx: Ctx, storeId: string, orderNumber: string): Promise<{ captured: number }> {
  requireStoreWriter(ctx);
  const store = await builtinStore(ctx, storeId);
  const number = normalizeOrderNumber(store, orderNumber) ?? orderNumber;
  const result = await inTransaction(ctx, async (tx) => {
    const full = await q.findFullOrder(tx.db, store.id, number);
    if (!full) throw notFound(`Order ${number}`);
    if (full.cancelled_at) throw new AppError('conflict', `Order ${number} was cancelled; its payment cannot be captured.`);
    const at = new Date();
    const rows = await q.captureAuthorizedPayments(tx.db, full.id, at);
    await recordOrderEvents(tx, store.id, rows.map((p) => ({
      sourceId: `builtin:paid:${p.id}`, type: 'order.paid' as const, orderNumber: number, customerEmail: full.email, occurredAt: at, data: { amount: p.amount_minor, currency: full.currency },
    })));
    return { captured: rows.reduce((s, p) => s + p.amount_minor, 0) };
  });
  storeReadCache.invalidateStore(storeId);
  return result;
}

/** Moves a return on; "received" puts order.returned on the customer's timeline. */
export async function updateReturn(ctx: Ctx, storeId: string, rmaNumber: string, status: ShopReturnStatus): Promise<void> {
  requireStoreWriter(ctx);
  const store = await builtinStore(ctx, storeId);
  await inTransaction(ctx, async (tx) => {
    const at = new Date();
    const row = await q.updateReturnStatus(tx.db, store.id, rmaNumber.trim().toUpperCase(), status, at);
    if (!row) throw notFound(`Return ${rmaNumber}`);
    if (status === 'received') {
      await recordOrderEvents(tx, store.id, [{ sourceId: `builtin:returned:${row.id}`, type: 'order.returned', orderNumber: row.number, customerEmail: row.email, occurredAt: at, data: { rma_number: rmaNumber.toUpperCase() } }]);
    }
  });
  storeReadCache.invalidateStore(storeId);
}
