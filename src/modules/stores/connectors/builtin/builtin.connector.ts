/**
 * The built-in store: storedesk's own tables of products, customer accounts and orders, for
 * stores without a platform of their own and for the demo. It behaves as a remote platform
 * would: it re-checks every action against the order under a row lock, answers refusals as
 * results, honours idempotency keys itself, and pushes its order events to the change feed.
 *
 * Every call goes through a transport. The real one just runs the query; tests and benchmarks
 * use a simulated one that adds latency or fails like an unreachable store, before or after the
 * work, to prove that a failed call leaves nothing half done (its transaction rolls back).
 */
import { Transaction } from 'kysely';
import type { DB } from '../../../../db/schema.ts';
import type { Executor } from '../../../../db/database.ts';
import { decodeCursor, encodeCursor } from '../../../../shared/cursor.ts';
import { inTransaction, type Ctx } from '../../../../shared/context.ts';
import { formatMoney } from '../../money.ts';
import { recordOrderEvents } from '../../order-feed.service.ts';
import { planAction } from '../action-planner.ts';
import { trackingUrlFor } from '../carriers.ts';
import {
  StoreUnavailableError, refuse, type ActionOptions, type ActionOutcome, type ActionPlan, type ActionSuccess, type ConnectorCapabilities,
  type CustomerLookup, type FinancialStatus, type OrderChangeEvent, type OrderPage, type StoreConnector,
  type PlatformDescriptor, type StoreCustomer, type StoreInfo, type StoreOrder, type StoreVariant, type TrackingMatch,
} from '../connector.ts';
import { fulfillmentStatusOf, paymentLabel } from '../order-math.ts';
import * as q from './builtin.queries.ts';
import { generateCustomerCode } from '../remote.ts';
import { isUuid } from '../../../../shared/uuid.ts';

/** Carries each call to the built-in store; the seam where an outage can be simulated. */
export interface BuiltinTransport {
  call<T>(operation: string, fn: () => Promise<T>): Promise<T>;
}

/** Calls the store directly. */
export const directTransport: BuiltinTransport = { call: (_operation, fn) => fn() };

/** How a simulated store behaves: up, down (refuses connections), or dropping the answer after it did the work. */
export type SimulatedMode = 'up' | 'down' | 'drop_after_write';

/** A transport for tests and benchmarks whose latency and availability can be switched. */
export interface SimulatedTransport extends BuiltinTransport {
  mode: SimulatedMode;
  latencyMs: number;
  /** Calls made, by operation, for assertions. */
  readonly calls: string[];
}

/** Builds a simulated transport (up, no latency, unless told otherwise). */
export function createSimulatedTransport(options: { mode?: SimulatedMode; latencyMs?: number } = {}): SimulatedTransport {
  const t: SimulatedTransport = {
    mode: options.mode ?? 'up',
    latencyMs: options.latencyMs ?? 0,
    calls: [],
    async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
      t.calls.push(operation);
      if (t.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, t.latencyMs));
      if (t.mode === 'down') throw new StoreUnavailableError('connection refused (simulated outage)');
      const result = await fn();
      if (t.mode === 'drop_after_write') throw new StoreUnavailableError('the connection dropped before the store answered (simulated)');
      return result;
    },
  };
  return t;
}

/** What the built-in store can do: everything. */
export const BUILTIN_CAPABILITIES: ConnectorCapabilities = {
  customerLookup: ['email', 'phone', 'external_id'],
  actions: { refund: true, cancel: true, create_return: true, exchange: true, reship: true, discount_code: true, store_credit: true, add_note: true },
  refundScopes: ['order', 'lines', 'shipping', 'amount'],
  refundToStoreCredit: true,
  trackingLookup: true,
  changeFeed: 'push',
  idempotency: 'native',
};


/** Narrows an executor to the transaction the caller promised. */
function transactionOf(db: Executor): Transaction<DB> {
  if (db instanceof Transaction) return db;
  throw new Error('the built-in store writes only inside a transaction');
}

/** Maps an order row with its parts to the connector's order shape. */
export function toStoreOrder(row: q.FullOrderRow): StoreOrder {
  const d = (v: string | Date) => new Date(v);
  const dn = (v: string | Date | null) => (v === null ? null : new Date(v));
  const address = row.shipping_address;
  const lines = row.lines.map((l) => ({
    id: l.id, productId: l.product_id, variantId: l.variant_id, productTitle: l.product_title, variantTitle: l.variant_title, sku: l.sku,
    quantity: l.quantity, unitPrice: l.unit_price_minor, linePrice: l.unit_price_minor * l.quantity, discount: l.discount_minor, tax: l.tax_minor, total: l.total_minor,
  }));
  const payments = row.payments.map((p) => ({ id: p.id, method: p.method, methodDetail: p.method_detail, amount: p.amount_minor, status: p.status, createdAt: d(p.created_at) }));
  const refunds = row.refunds.map((r) => ({
    id: r.id, amount: r.amount_minor, shipping: r.shipping_minor, destination: r.destination, reason: r.reason, createdAt: d(r.created_at),
    lines: r.lines.map((rl) => ({ lineId: rl.line_id, quantity: rl.quantity, amount: rl.amount_minor })),
  }));
  const fulfillments = row.fulfillments.map((f) => ({
    id: f.id, kind: f.kind, status: f.status, carrier: f.carrier, service: f.service, trackingNumber: f.tracking_number,
    trackingUrl: f.tracking_url ?? trackingUrlFor(f.carrier, f.tracking_number, address?.postal_code ?? null, address?.country ?? null),
    shippedAt: dn(f.shipped_at), estimatedDeliveryAt: dn(f.estimated_delivery_at), deliveredAt: dn(f.delivered_at),
    lines: f.lines.map((fl) => ({ lineId: fl.line_id, sku: fl.sku, title: fl.title, quantity: fl.quantity })),
  }));
  const captured = payments.filter((p) => p.status === 'captured').reduce((s, p) => s + p.amount, 0);
  const refunded = refunds.reduce((s, r) => s + r.amount, 0);
  let financialStatus: FinancialStatus = 'pending';
  if (captured > 0) financialStatus = refunded >= captured ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'paid';
  else if (payments.some((p) => p.status === 'authorized')) financialStatus = 'authorized';
  else if (payments.length > 0 && payments.every((p) => p.status === 'voided')) financialStatus = 'voided';
  const order: StoreOrder = {
    number: row.number,
    externalId: row.id,
    customer: { externalId: row.customer_id, email: row.email ?? row.customer_email, name: row.customer_name ?? address?.name ?? null },
    currency: row.currency.trim(),
    placedAt: d(row.placed_at),
    cancelledAt: dn(row.cancelled_at),
    cancelReason: row.cancel_reason,
    financialStatus,
    fulfillmentStatus: 'unfulfilled',
    taxesIncluded: row.taxes_included,
    subtotal: row.subtotal_minor,
    discountTotal: row.discount_minor,
    shippingTotal: row.shipping_minor,
    taxTotal: row.tax_minor,
    total: row.total_minor,
    discountCodes: row.discount_codes,
    shippingMethod: row.shipping_method,
    shippingAddress: address
      ? { name: address.name, line1: address.line1, line2: address.line2 ?? null, postalCode: address.postal_code, city: address.city, region: address.region ?? null, country: address.country, phone: address.phone ?? null }
      : null,
    expectedDeliveryAt: dn(row.expected_delivery_at),
    lines,
    payments,
    refunds,
    fulfillments,
    returns: row.returns.map((r) => ({
      id: r.id, number: r.rma_number, kind: r.kind, status: r.status, reason: r.reason, createdAt: d(r.created_at), receivedAt: dn(r.received_at),
      lines: r.lines.map((rl) => ({ lineId: rl.line_id, quantity: rl.quantity, reason: rl.reason, replacementSku: rl.replacement_sku })),
    })),
    notes: row.notes.map((n) => ({ body: n.body, author: n.author, createdAt: d(n.created_at) })),
    adminUrl: null,
  };
  return { ...order, fulfillmentStatus: fulfillmentStatusOf(order) };
}

/** Reads a stored outcome back; anything else is treated as a store error. */
function storedOutcome(value: Record<string, unknown>): ActionSuccess {
  const v = value as Partial<ActionSuccess>;
  if (v.ok !== true || typeof v.summary !== 'string' || typeof v.action !== 'string') throw new StoreUnavailableError('the store returned an unreadable idempotency record');
  return { ok: true, action: v.action, summary: v.summary, storeReference: v.storeReference ?? null, amount: v.amount ?? null, details: { ...(v.details ?? {}), replayed: true } };
}

/** The built-in store needs nothing to connect: its orders live in storedesk's own tables. */
export const BUILTIN_PLATFORM: PlatformDescriptor = { platform: 'builtin', name: 'Built-in store', settings: [], credentials: [] };

/** Builds the built-in connector for a store. */
export function createBuiltinConnector(store: StoreInfo, options: { transport?: BuiltinTransport } = {}): StoreConnector {
  const transport = options.transport ?? directTransport;
  const storeId = store.id;
  const money = (amount: number, currency: string) => formatMoney(amount, currency);

  async function customerFromRow(db: Executor, row: { id: string; email: string | null; phone: string | null; name: string | null; created_at: Date }): Promise<StoreCustomer> {
    const stats = await q.customerOrderStats(db, row.id);
    return {
      externalId: row.id,
      email: row.email,
      phone: row.phone,
      name: row.name,
      createdAt: row.created_at,
      stats: {
        orderCount: stats.order_count,
        lifetimeValue: { amount: stats.paid - stats.refunded, currency: store.currency },
        firstOrderAt: stats.first_order_at ? new Date(stats.first_order_at) : null,
        lastOrderAt: stats.last_order_at ? new Date(stats.last_order_at) : null,
      },
      storeCreditBalance: { amount: stats.credit, currency: store.currency },
    };
  }

  async function loadOrder(db: Executor, number: string): Promise<StoreOrder | null> {
    const row = await q.findFullOrder(db, storeId, number);
    return row ? toStoreOrder(row) : null;
  }

  async function variantsBySku(db: Executor, skus: readonly string[]): Promise<StoreVariant[]> {
    const rows = await q.findVariantsBySku(db, storeId, skus);
    return rows.map((v) => ({
      id: v.id, sku: v.sku, productTitle: v.product_title, variantTitle: v.title, price: v.price_minor, currency: store.currency, available: v.inventory_quantity,
    }));
  }

  /** Carries out a plan that was just re-checked under the order's lock. */
  async function execute(tx: Ctx, orderId: string, order: StoreOrder, plan: ActionPlan, opts: ActionOptions): Promise<{ outcome: ActionOutcome; events: OrderChangeEvent[] }> {
    const trx = transactionOf(tx.db);
    const at = new Date();
    const events: OrderChangeEvent[] = [];
    const event = (type: OrderChangeEvent['type'], sourceId: string, data: Record<string, unknown>) =>
      events.push({ sourceId: `builtin:${sourceId}`, type, orderNumber: order.number, customerEmail: order.customer.email, occurredAt: at, data });
    const ok = (summary: string, storeReference: string | null, amount: number | null, details: Record<string, unknown> = {}): ActionOutcome => ({
      ok: true, action: plan.action, summary, storeReference, amount: amount === null ? null : { amount, currency: order.currency }, details,
    });

    switch (plan.action) {
      case 'refund': {
        const payment = await q.findCapturedPayment(trx, orderId);
        const refund = await q.insertRefund(trx, {
          orderId, paymentId: plan.destination === 'original_payment' ? payment?.id ?? null : null, amount: plan.amount, shipping: plan.shipping,
          destination: plan.destination, reason: plan.reason, createdBy: opts.actorName, lines: plan.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, amount: l.amount })),
        });
        if (plan.destination === 'store_credit' && order.customer.externalId) {
          await q.insertStoreCredit(trx, { storeId, customerId: order.customer.externalId, orderId, amount: plan.amount, currency: order.currency, reason: `Refund of ${order.number}`, expiresAt: null });
        }
        event('order.refunded', `refund:${refund.id}`, { amount: plan.amount, currency: order.currency, shipping: plan.shipping, destination: plan.destination });
        return { outcome: ok(plan.summary.replace(/^Refund /, 'Refunded '), refund.id, plan.amount, { refund_id: refund.id, destination: plan.destination, payment: paymentLabel(order) }), events };
      }
      case 'cancel': {
        await q.cancelOrderRow(trx, orderId, plan.reason, at);
        let refundId: string | null = null;
        if (plan.refundAmount > 0) {
          const payment = await q.findCapturedPayment(trx, orderId);
          // Everything left, split over lines and shipping as a whole-order refund would be.
          const everything = planAction(order, { action: 'refund', scope: 'order' }, { platform: 'builtin', capabilities: BUILTIN_CAPABILITIES });
          const split = everything.ok && everything.plan.action === 'refund' ? everything.plan : null;
          const refund = await q.insertRefund(trx, {
            orderId, paymentId: payment?.id ?? null, amount: plan.refundAmount, shipping: split?.shipping ?? 0, destination: 'original_payment',
            reason: plan.reason ?? 'Order cancelled', createdBy: opts.actorName, lines: split?.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, amount: l.amount })) ?? [],
          });
          refundId = refund.id;
          event('order.refunded', `refund:${refund.id}`, { amount: plan.refundAmount, currency: order.currency, reason: 'cancelled' });
        }
        if (plan.restock) {
          for (const line of order.lines) if (line.variantId) await q.adjustInventory(trx, line.variantId, line.quantity);
        }
        event('order.cancelled', `cancel:${orderId}`, { reason: plan.reason, refunded: plan.refundAmount, currency: order.currency });
        const summary = plan.refundAmount ? `Cancelled ${order.number} and refunded ${money(plan.refundAmount, order.currency)} to ${paymentLabel(order)}` : `Cancelled ${order.number}`;
        return { outcome: ok(summary, order.number, plan.refundAmount || null, { refund_id: refundId, voided: plan.voidAmount, restocked: plan.restock }), events };
      }
      case 'create_return':
      case 'exchange': {
        const n = (await q.countReturns(trx, orderId)) + 1;
        const rma = `${order.number}-R${n}`;
        const replacements = plan.action === 'exchange' ? plan.lines : [];
        if (plan.action === 'exchange') {
          const locked = await q.lockVariants(trx, replacements.map((l) => l.replacement.id));
          for (const l of replacements) {
            const v = locked.find((x) => x.id === l.replacement.id);
            if (v && v.inventory_quantity !== null && v.inventory_quantity < l.quantity) {
              return { outcome: refuse('out_of_stock', `${l.replacement.productTitle} (${l.replacement.variantTitle ?? l.replacement.sku}) is out of stock (${v.inventory_quantity} left).`), events: [] };
            }
          }
        }
        const ret = await q.insertReturn(trx, {
          orderId, rmaNumber: rma, kind: plan.action === 'exchange' ? 'exchange' : 'return', reason: plan.reason,
          lines: plan.lines.map((l) => {
            const replacement = replacements.find((r) => r.lineId === l.lineId)?.replacement ?? null;
            return { lineId: l.lineId, quantity: l.quantity, reason: l.reason, replacementVariantId: replacement?.id ?? null, replacementSku: replacement?.sku ?? null };
          }),
        });
        if (plan.action === 'create_return') {
          return { outcome: ok(`Return ${rma} opened for ${plan.lines.map((l) => `${l.quantity} × ${l.title}`).join(', ')}`, rma, null, { return_id: ret.id, rma_number: rma }), events };
        }
        const parcel = await q.insertFulfillment(trx, {
          orderId, kind: 'exchange', status: 'pending', carrier: null, trackingNumber: null, trackingUrl: null, shippedAt: null, estimatedDeliveryAt: null, deliveredAt: null,
          lines: replacements.map((l) => ({
            lineId: null, variantId: l.replacement.id, sku: l.replacement.sku, quantity: l.quantity,
            title: l.replacement.variantTitle ? `${l.replacement.productTitle} (${l.replacement.variantTitle})` : l.replacement.productTitle,
          })),
        });
        for (const l of replacements) await q.adjustInventory(trx, l.replacement.id, -l.quantity);
        return {
          outcome: ok(`Exchange ${rma}: ${replacements.map((l) => `${l.quantity} × ${l.title} → ${l.replacement.sku}`).join(', ')}; the replacement ships at no charge`, rma, plan.amount || null, {
            return_id: ret.id, rma_number: rma, fulfillment_id: parcel.id, price_difference: plan.priceDifference,
          }),
          events,
        };
      }
      case 'reship': {
        const variantIds = plan.lines.map((l) => order.lines.find((x) => x.id === l.lineId)?.variantId).filter((v): v is string => typeof v === 'string');
        const locked = await q.lockVariants(trx, variantIds);
        for (const l of plan.lines) {
          const variantId = order.lines.find((x) => x.id === l.lineId)?.variantId;
          const v = locked.find((x) => x.id === variantId);
          if (v && v.inventory_quantity !== null && v.inventory_quantity < l.quantity) {
            return { outcome: refuse('out_of_stock', `${l.title} is out of stock (${v.inventory_quantity} left), so it cannot be reshipped now.`), events: [] };
          }
        }
        const parcel = await q.insertFulfillment(trx, {
          orderId, kind: 'reship', status: 'pending', carrier: null, trackingNumber: null, trackingUrl: null, shippedAt: null, estimatedDeliveryAt: null, deliveredAt: null,
          lines: plan.lines.map((l) => ({ lineId: l.lineId, variantId: order.lines.find((x) => x.id === l.lineId)?.variantId ?? null, sku: l.sku, title: l.title, quantity: l.quantity })),
        });
        for (const l of plan.lines) {
          const variantId = order.lines.find((x) => x.id === l.lineId)?.variantId;
          if (variantId) await q.adjustInventory(trx, variantId, -l.quantity);
        }
        return { outcome: ok(`Reshipping ${plan.lines.map((l) => `${l.quantity} × ${l.title}`).join(', ')} at no charge`, parcel.id, plan.amount, { fulfillment_id: parcel.id }), events };
      }
      case 'discount_code': {
        let code = plan.code;
        if (code && (await q.discountCodeExists(trx, storeId, code))) return { outcome: refuse('code_taken', `The discount code ${code} exists already; choose another or let the store make one.`), events: [] };
        for (let attempt = 0; !code && attempt < 5; attempt++) {
          const candidate = generateCustomerCode('SORRY');
          if (!(await q.discountCodeExists(trx, storeId, candidate))) code = candidate;
        }
        if (!code) return { outcome: refuse('store_refused', 'The store could not make a unique code; try again.'), events: [] };
        const row = await q.insertDiscountCode(trx, {
          storeId, code, discountType: plan.discountType, value: plan.value, currency: plan.discountType === 'fixed_amount' ? order.currency : null,
          customerId: order.customer.externalId, orderId, usageLimit: 1, expiresAt: plan.expiresAt,
        });
        const what = plan.discountType === 'percentage' ? `${plan.value}% off` : plan.discountType === 'fixed_amount' ? `${money(plan.value, order.currency)} off` : 'free shipping';
        return { outcome: ok(`Discount code ${row.code} created: ${what}, single use`, row.code, plan.amount || null, { code: row.code, discount_type: plan.discountType, value: plan.value }), events };
      }
      case 'store_credit': {
        if (!order.customer.externalId) return { outcome: refuse('invalid_request', `${order.number} has no customer account to credit.`), events: [] };
        const credit = await q.insertStoreCredit(trx, { storeId, customerId: order.customer.externalId, orderId, amount: plan.amount, currency: order.currency, reason: plan.reason, expiresAt: plan.expiresAt });
        const balance = await q.storeCreditBalance(trx, order.customer.externalId);
        return {
          outcome: ok(`Gave ${money(plan.amount, order.currency)} store credit (balance now ${money(balance, order.currency)})`, credit.id, plan.amount, { credit_id: credit.id, balance: { amount: balance, currency: order.currency } }),
          events,
        };
      }
      case 'add_note': {
        await q.insertOrderNote(trx, { orderId, body: plan.note, author: opts.actorName });
        return { outcome: ok(`Note added to ${order.number}`, null, null), events };
      }
    }
  }

  return {
    platform: 'builtin',
    capabilities: BUILTIN_CAPABILITIES,

    async findCustomer(ctx: Ctx, lookup: CustomerLookup): Promise<StoreCustomer | null> {
      return transport.call('findCustomer', async () => {
        let row;
        if (lookup.by === 'email') row = await q.findShopCustomer(ctx.db, storeId, { email: lookup.email.trim().toLowerCase() });
        else if (lookup.by === 'phone') row = await q.findShopCustomer(ctx.db, storeId, { phone: lookup.phone.replace(/[^\d+]/g, '') });
        else row = isUuid(lookup.externalId) ? await q.findShopCustomer(ctx.db, storeId, { id: lookup.externalId }) : undefined;
        return row ? customerFromRow(ctx.db, row) : null;
      });
    },

    async listCustomerOrders(ctx: Ctx, customerExternalId: string, page: { cursor?: string | undefined; limit: number }): Promise<OrderPage> {
      if (!isUuid(customerExternalId)) return { orders: [], nextCursor: null };
      const after = page.cursor ? decodeCursor(page.cursor) : undefined;
      return transport.call('listCustomerOrders', async () => {
        const rows = await q.listFullOrdersOfCustomer(ctx.db, storeId, customerExternalId, { after, limit: page.limit });
        const items = rows.slice(0, page.limit);
        const last = items[items.length - 1];
        return { orders: items.map(toStoreOrder), nextCursor: rows.length > page.limit && last ? encodeCursor({ t: last.cursor_t, id: last.id }) : null };
      });
    },

    async getOrder(ctx: Ctx, orderNumber: string): Promise<StoreOrder | null> {
      return transport.call('getOrder', () => loadOrder(ctx.db, orderNumber));
    },

    async findOrdersByTracking(ctx: Ctx, trackingNumbers: readonly string[]): Promise<TrackingMatch[]> {
      return transport.call('findOrdersByTracking', async () => {
        const rows = await q.findOrdersByTracking(ctx.db, storeId, trackingNumbers.map((t) => t.toUpperCase()));
        return rows.flatMap((r) => (r.tracking_number ? [{ trackingNumber: r.tracking_number, orderNumber: r.number, carrier: r.carrier }] : []));
      });
    },

    async findVariants(ctx: Ctx, skus: readonly string[]): Promise<StoreVariant[]> {
      return transport.call('findVariants', () => variantsBySku(ctx.db, skus));
    },

    async perform(ctx: Ctx, _order: StoreOrder, plan: ActionPlan, opts: ActionOptions): Promise<ActionOutcome> {
      return inTransaction(ctx, (tx) =>
        transport.call(plan.action, async () => {
          const trx = transactionOf(tx.db);
          const locked = await q.lockOrder(trx, storeId, plan.orderNumber);
          if (!locked) return refuse('store_refused', `The store has no order ${plan.orderNumber}.`);
          const seen = await q.findIdempotencyRecord(trx, storeId, opts.idempotencyKey);
          if (seen) {
            if (seen.action !== plan.action) return refuse('invalid_request', `The idempotency key was used for a ${seen.action} already; use a new key for a new action.`);
            return storedOutcome(seen.result);
          }
          const fresh = await loadOrder(trx, plan.orderNumber);
          if (!fresh) return refuse('store_refused', `The store has no order ${plan.orderNumber}.`);
          const skus = plan.action === 'exchange' ? plan.lines.map((l) => l.replacement.sku) : [];
          if (skus.length) await q.lockVariants(trx, plan.action === 'exchange' ? plan.lines.map((l) => l.replacement.id) : []);
          const replanned = planAction(fresh, plan.request, { platform: 'builtin', capabilities: BUILTIN_CAPABILITIES, variants: await variantsBySku(trx, skus), timeZone: store.timezone });
          if (!replanned.ok) return replanned;
          if (replanned.plan.amount !== plan.amount) {
            return refuse('order_changed', `${plan.orderNumber} changed since the preview: this would now be ${money(replanned.plan.amount, fresh.currency)} instead of ${money(plan.amount, fresh.currency)}. Look at the order again and retry.`);
          }
          const { outcome, events } = await execute(tx, locked.id, fresh, replanned.plan, opts);
          if (!outcome.ok) return outcome;
          await trx.updateTable('shop_orders').set({ updated_at: new Date() }).where('id', '=', locked.id).execute();
          await q.insertIdempotencyRecord(trx, { storeId, key: opts.idempotencyKey, action: plan.action, orderId: locked.id, result: { ...outcome } });
          await recordOrderEvents(tx, storeId, events);
          return outcome;
        }),
      );
    },
  };
}
