/**
 * Orders beside conversations: a customer's orders with their state at a glance and what they
 * are worth, one order in full, and finding an order from a number or tracking number someone
 * typed. Reads go through the store's connector and a short cache; a store that cannot be
 * reached answers 503 naming the store.
 */
import { requireRole, type Ctx } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import { getCustomerProfile, type Identity } from '../customers/customers.service.ts';
import { callStore, connectorFor, connectorForStore } from '../stores/connectors/connector-registry.ts';
import { listStoresWithConnections } from '../stores/stores.queries.ts';
import { storeInfoFromRow } from '../stores/connectors/connector-registry.ts';
import type { CustomerOrderStats, StoreConnector, StoreCustomer, StoreInfo, StoreOrder } from '../stores/connectors/connector.ts';
import { StoreUnavailableError } from '../stores/connectors/connector.ts';
import { findTrackingCandidates } from '../stores/connectors/carriers.ts';
import { orderGlance, paidAmount, refundableSummary, refundedAmount, type OrderGlance, type RefundableSummary } from '../stores/connectors/order-math.ts';
import { storeReadCache } from '../stores/connectors/read-cache.ts';
import { normalizeOrderNumber } from '../stores/order-numbers.ts';
import * as q from './order-actions.queries.ts';

/** An order with what follows from it. */
export interface OrderView {
  order: StoreOrder;
  glance: OrderGlance;
}

/** A customer's orders in their store. */
export interface CustomerOrders {
  store: StoreInfo;
  connector: StoreConnector;
  /** The customer's account in the store, or null when the store does not know them. */
  account: StoreCustomer | null;
  stats: (CustomerOrderStats & { source: 'store' | 'orders_shown' }) | null;
  orders: OrderView[];
  nextCursor: string | null;
}

const READ_FAILED = 'Its orders cannot be shown right now; try again in a moment.';

/** The customer's account in the store: by email (primary first), then by phone. */
async function findStoreAccount(ctx: Ctx, store: StoreInfo, connector: StoreConnector, identities: Identity[]): Promise<StoreCustomer | null> {
  const lookups = [
    ...identities.filter((i) => i.kind === 'email').map((i) => ({ by: 'email' as const, email: i.value })),
    ...identities.filter((i) => i.kind === 'phone').map((i) => ({ by: 'phone' as const, phone: i.value })),
  ].filter((l) => connector.capabilities.customerLookup.includes(l.by));
  for (const lookup of lookups.slice(0, 6)) {
    const key = lookup.by === 'email' ? `customer:email:${lookup.email}` : `customer:phone:${lookup.phone}`;
    const account = await storeReadCache.get(store.id, key, () => connector.findCustomer(ctx, lookup));
    if (account) return account;
  }
  return null;
}

/** Order statistics counted from the orders at hand, for platforms that keep none. */
function statsFromOrders(store: StoreInfo, orders: StoreOrder[]): CustomerOrderStats {
  const dates = orders.map((o) => o.placedAt.getTime());
  return {
    orderCount: orders.length,
    lifetimeValue: { amount: orders.filter((o) => o.currency === store.currency).reduce((s, o) => s + paidAmount(o) - refundedAmount(o), 0), currency: store.currency },
    firstOrderAt: dates.length ? new Date(Math.min(...dates)) : null,
    lastOrderAt: dates.length ? new Date(Math.max(...dates)) : null,
  };
}

/** A customer's orders, newest first, with lifetime value, order count, first and last order. */
export async function getCustomerOrders(ctx: Ctx, customerId: string, page: { cursor?: string | undefined; limit: number }, now = new Date()): Promise<CustomerOrders> {
  requireRole(ctx, 'agent');
  const profile = await getCustomerProfile(ctx, customerId);
  const { store, connector } = await connectorForStore(ctx, profile.storeId);
  return callStore(store, READ_FAILED, async () => {
    const account = await findStoreAccount(ctx, store, connector, profile.identities);
    if (!account) return { store, connector, account: null, stats: null, orders: [], nextCursor: null };
    const result = await storeReadCache.get(store.id, `orders:${account.externalId}:${page.limit}:${page.cursor ?? ''}`, () =>
      connector.listCustomerOrders(ctx, account.externalId, page),
    );
    const orders = result.orders.map((order) => ({ order, glance: orderGlance(order, now, store.timezone) }));
    const stats = account.stats ? { ...account.stats, source: 'store' as const } : { ...statsFromOrders(store, result.orders), source: 'orders_shown' as const };
    return { store, connector, account, stats, orders, nextCursor: result.nextCursor };
  });
}

/** One order in full, with the refundable maxima, the customer in storedesk and linked tickets. */
export interface OrderDetail extends OrderView {
  store: StoreInfo;
  connector: StoreConnector;
  refundable: RefundableSummary;
  customer: { id: string; name: string | null; email: string } | null;
  tickets: Awaited<ReturnType<typeof q.findTicketsByOrderNumber>>;
}

/** The helpdesk customer behind an order's email, following merges. */
async function helpdeskCustomer(ctx: Ctx, storeId: string, email: string | null) {
  if (!email) return null;
  const rows = await q.findCustomersByEmails(ctx.db, storeId, [email.toLowerCase()]);
  const row = rows[0];
  if (!row) return null;
  return { id: row.merged_into_id ?? row.id, name: row.name, email: row.email };
}

/** One order by its number as someone typed it ("#10234", "nw-10234"). */
export async function getOrderDetail(ctx: Ctx, storeId: string, numberInput: string, options: { fresh?: boolean; now?: Date } = {}): Promise<OrderDetail> {
  requireRole(ctx, 'agent');
  const { store, connector } = await connectorForStore(ctx, storeId);
  const number = normalizeOrderNumber(store, numberInput) ?? numberInput.trim();
  const order = await callStore(store, READ_FAILED.replace('Its orders', 'The order'), () =>
    options.fresh ? connector.getOrder(ctx, number) : storeReadCache.get(store.id, `order:${number}`, () => connector.getOrder(ctx, number)),
  );
  if (!order) throw notFound(`Order ${number} in ${store.name}`);
  const [customer, tickets] = [await helpdeskCustomer(ctx, store.id, order.customer.email), await q.findTicketsByOrderNumber(ctx.db, store.id, order.number)];
  return { store, connector, order, glance: orderGlance(order, options.now ?? new Date(), store.timezone), refundable: refundableSummary(order), customer, tickets };
}

/** An order found by a lookup, and how. */
export interface OrderLookupMatch extends OrderView {
  store: StoreInfo;
  matchedBy: 'order_number' | 'tracking_number';
  customer: { id: string; name: string | null; email: string } | null;
}

/**
 * Finds orders from what an agent typed in search: an order number in any connected store's
 * format, or a tracking number. Stores that cannot be reached are listed, not fatal.
 */
export async function lookupOrders(ctx: Ctx, text: string, options: { storeId?: string | undefined; now?: Date } = {}): Promise<{ matches: OrderLookupMatch[]; unavailable: { storeId: string; storeName: string }[] }> {
  requireRole(ctx, 'agent');
  const query = text.trim();
  const stores = (await listStoresWithConnections(ctx.db)).map(storeInfoFromRow).filter((s) => !options.storeId || s.id === options.storeId);
  const matches: OrderLookupMatch[] = [];
  const unavailable: { storeId: string; storeName: string }[] = [];
  const tracking = findTrackingCandidates(query);
  const compact = query.replace(/\s+/g, '').toUpperCase();
  if (tracking.length === 0 && /^[A-Z0-9]{10,34}$/.test(compact) && /\d{6}/.test(compact)) tracking.push(compact);
  for (const store of stores.slice(0, 20)) {
    let connector: StoreConnector;
    try {
      connector = connectorFor(store);
    } catch {
      unavailable.push({ storeId: store.id, storeName: store.name });
      continue;
    }
    const now = options.now ?? new Date();
    try {
      const number = normalizeOrderNumber(store, query);
      const found = new Map<string, 'order_number' | 'tracking_number'>();
      if (number) {
        const order = await storeReadCache.get(store.id, `order:${number}`, () => connector.getOrder(ctx, number));
        if (order) found.set(order.number, 'order_number');
      }
      if (tracking.length && connector.capabilities.trackingLookup) {
        for (const t of await connector.findOrdersByTracking(ctx, tracking)) if (!found.has(t.orderNumber)) found.set(t.orderNumber, 'tracking_number');
      }
      for (const [orderNumber, matchedBy] of found) {
        const order = await storeReadCache.get(store.id, `order:${orderNumber}`, () => connector.getOrder(ctx, orderNumber));
        if (!order) continue;
        matches.push({ store, order, matchedBy, glance: orderGlance(order, now, store.timezone), customer: await helpdeskCustomer(ctx, store.id, order.customer.email) });
      }
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      unavailable.push({ storeId: store.id, storeName: store.name });
    }
  }
  return { matches: matches.slice(0, 20), unavailable };
}
