/**
 * The change feed: order created, paid, shipped, delivered, cancelled, refunded and returned,
 * from any platform (the built-in store pushes them as they happen; webhooks and polling bring
 * them from remote platforms). Events are kept per store and matched to customers by email, so
 * they appear on a customer's timeline even when the customer never wrote to support before.
 */
import type { OrderEventType } from '../../db/schema.ts';
import { requireRole, type Ctx } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { findCustomerById, listIdentities } from '../customers/customers.queries.ts';
import type { OrderChangeEvent } from './connectors/connector.ts';
import { storeReadCache } from './connectors/read-cache.ts';
import * as q from './stores.queries.ts';

/**
 * Records events from a store; repeats (same source id) are ignored, so webhooks may be
 * delivered twice and polls may overlap. Runs in the caller's transaction when there is one.
 * Returns how many were new.
 */
export async function recordOrderEvents(ctx: Ctx, storeId: string, events: readonly OrderChangeEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const inserted = await q.insertOrderEvents(
    ctx.db,
    storeId,
    events.map((e) => ({ ...e, customerEmail: e.customerEmail ? e.customerEmail.trim().toLowerCase() : null })),
  );
  if (inserted.length > 0) storeReadCache.invalidateStore(storeId);
  return inserted.length;
}

/** One entry of a customer's order timeline. */
export interface OrderTimelineEntry {
  id: number;
  storeId: string;
  storeName: string;
  orderNumber: string;
  type: OrderEventType;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/** What happened to a customer's orders, newest first, across their email addresses. */
export async function listCustomerOrderTimeline(
  ctx: Ctx,
  customerId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: OrderTimelineEntry[]; nextCursor: string | null }> {
  requireRole(ctx, 'agent');
  let customer = await findCustomerById(ctx.db, customerId);
  if (customer?.merged_into_id) customer = await findCustomerById(ctx.db, customer.merged_into_id);
  if (!customer) throw notFound('The customer');
  const emails = (await listIdentities(ctx.db, [customer.id])).filter((i) => i.kind === 'email').map((i) => i.value);
  const rows = await q.listOrderEventsByEmails(ctx.db, emails, { after: page.cursor ? decodeTimelineCursor(page.cursor) : undefined, limit: page.limit });
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id, storeId: r.store_id, storeName: r.store_name, orderNumber: r.order_number, type: r.type, occurredAt: new Date(r.occurred_at), data: r.data,
  }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > page.limit && last ? Buffer.from(JSON.stringify({ t: last.occurredAt.toISOString(), id: last.id })).toString('base64url') : null,
  };
}

/** Reads a timeline cursor, refusing anything this API did not hand out. */
function decodeTimelineCursor(cursor: string): { t: string; id: number } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && 't' in parsed && 'id' in parsed && typeof parsed.t === 'string' && typeof parsed.id === 'number' && !Number.isNaN(Date.parse(parsed.t))) {
      return { t: parsed.t, id: parsed.id };
    }
  } catch {
    // fall through
  }
  throw new AppError('invalid_cursor', 'The cursor is not valid; start again from the first page.', { errors: [{ field: 'cursor', message: 'not a cursor returned by this API' }] });
}
