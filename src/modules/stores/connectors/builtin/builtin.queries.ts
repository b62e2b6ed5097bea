/**
 * SQL for the built-in store: its catalogue, customer accounts, orders and everything that
 * happens to them. An order is read in one round trip, its parts aggregated as JSON.
 */
import { sql, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../../../../db/database.ts';
import type {
  DB, ShopAddress, ShopDiscountType, ShopFulfillmentKind, ShopFulfillmentStatus, ShopPaymentStatus, ShopReturnStatus,
} from '../../../../db/schema.ts';
import type { KeysetPosition } from '../../../../shared/cursor.ts';

/** Orders of a store with all their parts. */
export function selectFullOrders(db: Executor, storeId: string) {
  return db
    .selectFrom('shop_orders as o')
    .leftJoin('shop_customers as c', 'c.id', 'o.customer_id')
    .where('o.store_id', '=', storeId)
    .select([
      'o.id', 'o.number', 'o.customer_id', 'o.email', 'o.currency', 'o.taxes_included', 'o.subtotal_minor', 'o.discount_minor',
      'o.shipping_minor', 'o.shipping_tax_minor', 'o.tax_minor', 'o.total_minor', 'o.discount_codes', 'o.shipping_method',
      'o.shipping_address', 'o.placed_at', 'o.expected_delivery_at', 'o.cancelled_at', 'o.cancel_reason',
      'c.name as customer_name', 'c.email as customer_email',
      sql<string>`to_json(o.placed_at)#>>'{}'`.as('cursor_t'),
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb.selectFrom('shop_order_lines as l')
          .leftJoin('shop_variants as v', 'v.id', 'l.variant_id')
          .select(['l.id', 'l.variant_id', 'v.product_id', 'l.product_title', 'l.variant_title', 'l.sku', 'l.quantity', 'l.unit_price_minor', 'l.discount_minor', 'l.tax_minor', 'l.total_minor'])
          .whereRef('l.order_id', '=', 'o.id')
          .orderBy('l.position'),
      ).as('lines'),
      jsonArrayFrom(
        eb.selectFrom('shop_payments as p')
          .select(['p.id', 'p.method', 'p.method_detail', 'p.amount_minor', 'p.status', 'p.created_at'])
          .whereRef('p.order_id', '=', 'o.id')
          .orderBy('p.created_at'),
      ).as('payments'),
      jsonArrayFrom(
        eb.selectFrom('shop_refunds as r')
          .select(['r.id', 'r.amount_minor', 'r.shipping_minor', 'r.destination', 'r.reason', 'r.created_at'])
          .select((e2) => [
            jsonArrayFrom(e2.selectFrom('shop_refund_lines as rl').select(['rl.line_id', 'rl.quantity', 'rl.amount_minor']).whereRef('rl.refund_id', '=', 'r.id')).as('lines'),
          ])
          .whereRef('r.order_id', '=', 'o.id')
          .orderBy('r.created_at')
          .orderBy('r.id'),
      ).as('refunds'),
      jsonArrayFrom(
        eb.selectFrom('shop_fulfillments as f')
          .select(['f.id', 'f.kind', 'f.status', 'f.carrier', 'f.service', 'f.tracking_number', 'f.tracking_url', 'f.shipped_at', 'f.estimated_delivery_at', 'f.delivered_at'])
          .select((e2) => [
            jsonArrayFrom(e2.selectFrom('shop_fulfillment_lines as fl').select(['fl.line_id', 'fl.sku', 'fl.title', 'fl.quantity']).whereRef('fl.fulfillment_id', '=', 'f.id')).as('lines'),
          ])
          .whereRef('f.order_id', '=', 'o.id')
          .orderBy('f.created_at')
          .orderBy('f.id'),
      ).as('fulfillments'),
      jsonArrayFrom(
        eb.selectFrom('shop_returns as rt')
          .select(['rt.id', 'rt.rma_number', 'rt.kind', 'rt.status', 'rt.reason', 'rt.created_at', 'rt.received_at'])
          .select((e2) => [
            jsonArrayFrom(e2.selectFrom('shop_return_lines as rtl').select(['rtl.line_id', 'rtl.quantity', 'rtl.reason', 'rtl.replacement_sku']).whereRef('rtl.return_id', '=', 'rt.id')).as('lines'),
          ])
          .whereRef('rt.order_id', '=', 'o.id')
          .orderBy('rt.created_at'),
      ).as('returns'),
      jsonArrayFrom(
        eb.selectFrom('shop_order_notes as n').select(['n.body', 'n.author', 'n.created_at']).whereRef('n.order_id', '=', 'o.id').orderBy('n.created_at'),
      ).as('notes'),
    ]);
}

/** One order row with its parts, as the database returns it. */
export type FullOrderRow = Awaited<ReturnType<ReturnType<typeof selectFullOrders>['executeTakeFirstOrThrow']>>;

/** One order by number, with its parts. */
export function findFullOrder(db: Executor, storeId: string, number: string) {
  return selectFullOrders(db, storeId).where('o.number', '=', number).executeTakeFirst();
}

/** A page of a customer's orders, newest first, after a keyset position. */
export function listFullOrdersOfCustomer(db: Executor, storeId: string, customerId: string, page: { after?: KeysetPosition | undefined; limit: number }) {
  let query = selectFullOrders(db, storeId).where('o.customer_id', '=', customerId);
  if (page.after) {
    const after = page.after;
    query = query.where(sql<boolean>`(o.placed_at, o.id) < (${after.t}::timestamptz, ${after.id}::uuid)`);
  }
  return query.orderBy('o.placed_at', 'desc').orderBy('o.id', 'desc').limit(page.limit + 1).execute();
}

/** Locks an order for a change; demands a transaction by its type. */
export function lockOrder(trx: Transaction<DB>, storeId: string, number: string) {
  return trx.selectFrom('shop_orders').select(['id', 'customer_id', 'currency']).where('store_id', '=', storeId).where('number', '=', number).forUpdate().executeTakeFirst();
}

/** A customer account by email, phone or id. */
export function findShopCustomer(db: Executor, storeId: string, by: { email: string } | { phone: string } | { id: string }) {
  let query = db.selectFrom('shop_customers').select(['id', 'email', 'phone', 'name', 'created_at']).where('store_id', '=', storeId);
  if ('email' in by) query = query.where('email', '=', by.email);
  else if ('phone' in by) query = query.where('phone', '=', by.phone);
  else query = query.where('id', '=', by.id);
  return query.executeTakeFirst();
}

/** Orders, money and dates of one customer account. */
export async function customerOrderStats(db: Executor, customerId: string) {
  const row = await db
    .selectFrom('shop_orders as o')
    .where('o.customer_id', '=', customerId)
    .select((eb) => [
      eb.fn.countAll<number>().as('order_count'),
      eb.fn.min('o.placed_at').as('first_order_at'),
      eb.fn.max('o.placed_at').as('last_order_at'),
      sql<number>`coalesce((select sum(p.amount_minor) from shop_payments p join shop_orders po on po.id = p.order_id where po.customer_id = ${customerId} and p.status = 'captured'), 0)::bigint`.as('paid'),
      sql<number>`coalesce((select sum(r.amount_minor) from shop_refunds r join shop_orders ro on ro.id = r.order_id where ro.customer_id = ${customerId}), 0)::bigint`.as('refunded'),
      sql<number>`coalesce((select sum(sc.amount_minor) from shop_store_credits sc where sc.customer_id = ${customerId} and (sc.expires_at is null or sc.expires_at > now())), 0)::bigint`.as('credit'),
    ])
    .executeTakeFirstOrThrow();
  return { ...row, order_count: Number(row.order_count), paid: Number(row.paid), refunded: Number(row.refunded), credit: Number(row.credit) };
}

/** Orders shipped with any of these tracking numbers. */
export function findOrdersByTracking(db: Executor, storeId: string, trackingNumbers: readonly string[]) {
  if (trackingNumbers.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('shop_fulfillments as f')
    .innerJoin('shop_orders as o', 'o.id', 'f.order_id')
    .select(['f.tracking_number', 'f.carrier', 'o.number'])
    .where('o.store_id', '=', storeId)
    .where('f.tracking_number', 'in', [...trackingNumbers])
    .execute();
}

/** Variants with their product's title, by SKU. */
export function findVariantsBySku(db: Executor, storeId: string, skus: readonly string[]) {
  if (skus.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('shop_variants as v')
    .innerJoin('shop_products as p', 'p.id', 'v.product_id')
    .select(['v.id', 'v.sku', 'v.title', 'v.price_minor', 'v.inventory_quantity', 'p.title as product_title', 'p.id as product_id'])
    .where('v.store_id', '=', storeId)
    .where('v.sku', 'in', [...skus])
    .execute();
}

/** The recorded answer to an idempotency key, if the store has seen it. */
export function findIdempotencyRecord(db: Executor, storeId: string, key: string) {
  return db.selectFrom('shop_idempotency_keys').select(['action', 'result']).where('store_id', '=', storeId).where('key', '=', key).executeTakeFirst();
}

/** Records the answer to an idempotency key. */
export async function insertIdempotencyRecord(db: Executor, r: { storeId: string; key: string; action: string; orderId: string | null; result: Record<string, unknown> }) {
  await db.insertInto('shop_idempotency_keys').values({ store_id: r.storeId, key: r.key, action: r.action, order_id: r.orderId, result: JSON.stringify(r.result) }).execute();
}

/** Inserts a refund with its lines. */
export async function insertRefund(
  db: Executor,
  r: { orderId: string; paymentId: string | null; amount: number; shipping: number; destination: 'original_payment' | 'store_credit'; reason: string | null; createdBy: string; lines: { lineId: string; quantity: number; amount: number }[]; at?: Date },
) {
  const refund = await db
    .insertInto('shop_refunds')
    .values({ order_id: r.orderId, payment_id: r.paymentId, amount_minor: r.amount, shipping_minor: r.shipping, destination: r.destination, reason: r.reason, created_by: r.createdBy, ...(r.at ? { created_at: r.at } : {}) })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  const lines = r.lines.filter((l) => l.quantity > 0);
  if (lines.length) {
    await db.insertInto('shop_refund_lines').values(lines.map((l) => ({ refund_id: refund.id, line_id: l.lineId, quantity: l.quantity, amount_minor: l.amount }))).execute();
  }
  return refund;
}

/** The first captured payment of an order (refunds go back to it). */
export function findCapturedPayment(db: Executor, orderId: string) {
  return db.selectFrom('shop_payments').select(['id', 'method', 'method_detail']).where('order_id', '=', orderId).where('status', '=', 'captured').orderBy('created_at').limit(1).executeTakeFirst();
}

/** Marks an order cancelled, voids authorizations and drops parcels that never left. */
export async function cancelOrderRow(db: Executor, orderId: string, reason: string | null, at: Date) {
  await db.updateTable('shop_orders').set({ cancelled_at: at, cancel_reason: reason, updated_at: at }).where('id', '=', orderId).execute();
  await db.updateTable('shop_payments').set({ status: 'voided' }).where('order_id', '=', orderId).where('status', 'in', ['authorized', 'pending']).execute();
  await db.deleteFrom('shop_fulfillments').where('order_id', '=', orderId).where('status', '=', 'pending').where('shipped_at', 'is', null).execute();
}

/** Changes stock of variants by a signed amount (only where stock is tracked). */
export async function adjustInventory(db: Executor, variantId: string, delta: number) {
  await db
    .updateTable('shop_variants')
    .set((eb) => ({ inventory_quantity: eb('inventory_quantity', '+', delta) }))
    .where('id', '=', variantId)
    .where('inventory_quantity', 'is not', null)
    .execute();
}

/** Locks variants to take stock from them. */
export function lockVariants(trx: Transaction<DB>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return trx.selectFrom('shop_variants').select(['id', 'sku', 'inventory_quantity']).where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/** Inserts a parcel with its lines. */
export async function insertFulfillment(
  db: Executor,
  f: {
    orderId: string; kind: ShopFulfillmentKind; status: ShopFulfillmentStatus; carrier: string | null; service?: string | null; trackingNumber: string | null;
    trackingUrl: string | null; shippedAt: Date | null; estimatedDeliveryAt: Date | null; deliveredAt: Date | null;
    lines: { lineId: string | null; variantId: string | null; sku: string | null; title: string; quantity: number }[]; at?: Date;
  },
) {
  const row = await db
    .insertInto('shop_fulfillments')
    .values({
      order_id: f.orderId, kind: f.kind, status: f.status, carrier: f.carrier, service: f.service ?? null, tracking_number: f.trackingNumber,
      tracking_url: f.trackingUrl, shipped_at: f.shippedAt, estimated_delivery_at: f.estimatedDeliveryAt, delivered_at: f.deliveredAt,
      ...(f.at ? { created_at: f.at } : {}),
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  if (f.lines.length) {
    await db.insertInto('shop_fulfillment_lines').values(f.lines.map((l) => ({ fulfillment_id: row.id, line_id: l.lineId, variant_id: l.variantId, sku: l.sku, title: l.title, quantity: l.quantity }))).execute();
  }
  return row;
}

/** How many returns an order has (for the next RMA number). */
export async function countReturns(db: Executor, orderId: string): Promise<number> {
  const row = await db.selectFrom('shop_returns').select((eb) => eb.fn.countAll<number>().as('n')).where('order_id', '=', orderId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts a return (RMA) with its lines. */
export async function insertReturn(
  db: Executor,
  r: {
    orderId: string; rmaNumber: string; kind: 'return' | 'exchange'; status?: ShopReturnStatus; reason: string | null; at?: Date; receivedAt?: Date | null;
    lines: { lineId: string; quantity: number; reason: string | null; replacementVariantId: string | null; replacementSku: string | null }[];
  },
) {
  const row = await db
    .insertInto('shop_returns')
    .values({ order_id: r.orderId, rma_number: r.rmaNumber, kind: r.kind, status: r.status ?? 'requested', reason: r.reason, received_at: r.receivedAt ?? null, ...(r.at ? { created_at: r.at } : {}) })
    .returning(['id', 'rma_number'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('shop_return_lines')
    .values(r.lines.map((l) => ({ return_id: row.id, line_id: l.lineId, quantity: l.quantity, reason: l.reason, replacement_variant_id: l.replacementVariantId, replacement_sku: l.replacementSku })))
    .execute();
  return row;
}

/** Whether a discount code exists in the store (codes are upper case). */
export async function discountCodeExists(db: Executor, storeId: string, code: string): Promise<boolean> {
  const row = await db.selectFrom('shop_discount_codes').select('id').where('store_id', '=', storeId).where('code', '=', code).executeTakeFirst();
  return row !== undefined;
}

/** Inserts a discount code. */
export function insertDiscountCode(
  db: Executor,
  d: { storeId: string; code: string; discountType: ShopDiscountType; value: number; currency: string | null; customerId: string | null; orderId: string | null; usageLimit: number | null; expiresAt: Date | null },
) {
  return db
    .insertInto('shop_discount_codes')
    .values({
      store_id: d.storeId, code: d.code, discount_type: d.discountType, value: d.value, currency: d.currency, customer_id: d.customerId,
      order_id: d.orderId, usage_limit: d.usageLimit, expires_at: d.expiresAt,
    })
    .returning(['id', 'code'])
    .executeTakeFirstOrThrow();
}

/** Adds store credit (positive) or spends it (negative). */
export function insertStoreCredit(
  db: Executor,
  c: { storeId: string; customerId: string; orderId: string | null; amount: number; currency: string; reason: string | null; expiresAt: Date | null; at?: Date },
) {
  return db
    .insertInto('shop_store_credits')
    .values({ store_id: c.storeId, customer_id: c.customerId, order_id: c.orderId, amount_minor: c.amount, currency: c.currency, reason: c.reason, expires_at: c.expiresAt, ...(c.at ? { created_at: c.at } : {}) })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

/** A customer's current store credit balance. */
export async function storeCreditBalance(db: Executor, customerId: string): Promise<number> {
  const row = await db
    .selectFrom('shop_store_credits')
    .select(sql<number>`coalesce(sum(amount_minor), 0)::bigint`.as('balance'))
    .where('customer_id', '=', customerId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .executeTakeFirstOrThrow();
  return Number(row.balance);
}

/** Adds a note to an order. */
export async function insertOrderNote(db: Executor, n: { orderId: string; body: string; author: string | null; at?: Date }) {
  await db.insertInto('shop_order_notes').values({ order_id: n.orderId, body: n.body, author: n.author, ...(n.at ? { created_at: n.at } : {}) }).execute();
}

// --- writing the catalogue and orders (push API, import, demo) ------------------------------------

/** Inserts or updates a product by handle. */
export function upsertProduct(db: Executor, p: { storeId: string; handle: string; title: string; description: string | null; category: string | null; tags: string[] }) {
  return db
    .insertInto('shop_products')
    .values({ store_id: p.storeId, handle: p.handle, title: p.title, description: p.description, category: p.category, tags: p.tags })
    .onConflict((oc) => oc.columns(['store_id', 'handle']).doUpdateSet({ title: p.title, description: p.description, category: p.category, tags: p.tags }))
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

/** Inserts or updates a variant by SKU. */
export function upsertVariant(db: Executor, v: { storeId: string; productId: string; sku: string; title: string; options: Record<string, string>; price: number; inventory: number | null }) {
  return db
    .insertInto('shop_variants')
    .values({ store_id: v.storeId, product_id: v.productId, sku: v.sku, title: v.title, options: JSON.stringify(v.options), price_minor: v.price, inventory_quantity: v.inventory })
    .onConflict((oc) => oc.columns(['store_id', 'sku']).doUpdateSet({ product_id: v.productId, title: v.title, options: JSON.stringify(v.options), price_minor: v.price, inventory_quantity: v.inventory }))
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

/** Finds or creates a customer account by email. */
export async function upsertShopCustomer(db: Executor, c: { storeId: string; email: string; name: string | null; phone: string | null }) {
  const existing = await findShopCustomer(db, c.storeId, { email: c.email });
  if (existing) {
    if ((c.name && !existing.name) || (c.phone && !existing.phone)) {
      await db.updateTable('shop_customers').set({ name: existing.name ?? c.name, phone: existing.phone ?? c.phone }).where('id', '=', existing.id).execute();
    }
    return { id: existing.id };
  }
  return db.insertInto('shop_customers').values({ store_id: c.storeId, email: c.email, name: c.name, phone: c.phone }).returning(['id']).executeTakeFirstOrThrow();
}

/** Whether an order number is taken in the store. */
export async function orderNumberExists(db: Executor, storeId: string, number: string): Promise<boolean> {
  const row = await db.selectFrom('shop_orders').select('id').where('store_id', '=', storeId).where('number', '=', number).executeTakeFirst();
  return row !== undefined;
}

/** The largest numeric part of the store's order numbers, for numbering the next one. */
export async function maxOrderSequence(db: Executor, storeId: string): Promise<number> {
  const row = await db
    .selectFrom('shop_orders')
    .select(sql<number | null>`max(nullif(regexp_replace(number, '\\D', '', 'g'), '')::bigint)`.as('n'))
    .where('store_id', '=', storeId)
    .executeTakeFirstOrThrow();
  return Number(row.n ?? 0);
}

/** Inserts an order with its lines; amounts are already computed. */
export async function insertOrder(
  db: Executor,
  o: {
    storeId: string; number: string; customerId: string | null; email: string | null; currency: string; taxesIncluded: boolean;
    subtotal: number; discount: number; shipping: number; shippingTax: number; tax: number; total: number; discountCodes: string[];
    shippingMethod: string | null; shippingAddress: ShopAddress | null; placedAt: Date; expectedDeliveryAt: Date | null;
    lines: { variantId: string | null; productTitle: string; variantTitle: string | null; sku: string | null; quantity: number; unitPrice: number; discount: number; tax: number; taxRateBp: number; total: number }[];
  },
) {
  const order = await db
    .insertInto('shop_orders')
    .values({
      store_id: o.storeId, number: o.number, customer_id: o.customerId, email: o.email, currency: o.currency, taxes_included: o.taxesIncluded,
      subtotal_minor: o.subtotal, discount_minor: o.discount, shipping_minor: o.shipping, shipping_tax_minor: o.shippingTax, tax_minor: o.tax,
      total_minor: o.total, discount_codes: o.discountCodes, shipping_method: o.shippingMethod,
      shipping_address: o.shippingAddress ? JSON.stringify(o.shippingAddress) : null, placed_at: o.placedAt, expected_delivery_at: o.expectedDeliveryAt,
      created_at: o.placedAt, updated_at: o.placedAt,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const lines = await db
    .insertInto('shop_order_lines')
    .values(o.lines.map((l, i) => ({
      order_id: order.id, position: i + 1, variant_id: l.variantId, product_title: l.productTitle, variant_title: l.variantTitle, sku: l.sku,
      quantity: l.quantity, unit_price_minor: l.unitPrice, discount_minor: l.discount, tax_minor: l.tax, tax_rate_bp: l.taxRateBp, total_minor: l.total,
    })))
    .returning(['id', 'position', 'variant_id', 'sku', 'product_title', 'variant_title', 'quantity'])
    .execute();
  return { id: order.id, lines: lines.sort((a, b) => a.position - b.position) };
}

/** Inserts a payment. */
export function insertPayment(db: Executor, p: { orderId: string; method: string; methodDetail: string | null; amount: number; status: ShopPaymentStatus; at: Date }) {
  return db
    .insertInto('shop_payments')
    .values({ order_id: p.orderId, method: p.method, method_detail: p.methodDetail, amount_minor: p.amount, status: p.status, created_at: p.at, captured_at: p.status === 'captured' ? p.at : null })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

/** Captures an order's authorized payments. */
export function captureAuthorizedPayments(db: Executor, orderId: string, at: Date) {
  return db
    .updateTable('shop_payments')
    .set({ status: 'captured', captured_at: at })
    .where('order_id', '=', orderId)
    .where('status', 'in', ['authorized', 'pending'])
    .returning(['id', 'amount_minor'])
    .execute();
}

/** One parcel of a store's order, for updating its status. */
export function findFulfillment(db: Executor, storeId: string, number: string, fulfillmentId: string) {
  return db
    .selectFrom('shop_fulfillments as f')
    .innerJoin('shop_orders as o', 'o.id', 'f.order_id')
    .select(['f.id', 'f.status', 'f.kind', 'f.carrier', 'f.tracking_number', 'f.shipped_at', 'f.delivered_at', 'o.id as order_id', 'o.number', 'o.email'])
    .where('o.store_id', '=', storeId)
    .where('o.number', '=', number)
    .where('f.id', '=', fulfillmentId)
    .executeTakeFirst();
}

/** Updates a parcel's status and dates. */
export async function updateFulfillmentRow(db: Executor, id: string, patch: { status: ShopFulfillmentStatus; shippedAt?: Date | null; deliveredAt?: Date | null; estimatedDeliveryAt?: Date | null }) {
  await db
    .updateTable('shop_fulfillments')
    .set({
      status: patch.status,
      ...(patch.shippedAt !== undefined ? { shipped_at: patch.shippedAt } : {}),
      ...(patch.deliveredAt !== undefined ? { delivered_at: patch.deliveredAt } : {}),
      ...(patch.estimatedDeliveryAt !== undefined ? { estimated_delivery_at: patch.estimatedDeliveryAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Marks a return as received (or another status). */
export function updateReturnStatus(db: Executor, storeId: string, rmaNumber: string, status: ShopReturnStatus, at: Date) {
  return db
    .updateTable('shop_returns as rt')
    .set({ status, ...(status === 'received' ? { received_at: at } : {}) })
    .from('shop_orders as o')
    .whereRef('o.id', '=', 'rt.order_id')
    .where('o.store_id', '=', storeId)
    .where('rt.rma_number', '=', rmaNumber)
    .returning(['rt.id', 'o.number', 'o.email'])
    .executeTakeFirst();
}
