/**
 * Order numbers link themselves: an order number (in the store's format) or a tracking number
 * found in a message links the ticket to that order (tickets.order_numbers), so the order shows
 * beside the conversation without anyone asking the customer for it. Channels and the ticket
 * core call linkOrderReferences after a message is stored.
 */
import { Transaction } from 'kysely';
import { inTransaction, type Ctx } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import { lockTicket } from '../tickets/tickets.queries.ts';
import { resolveTicketId, updateTicket } from '../tickets/tickets.service.ts';
import { findTrackingCandidates } from '../stores/connectors/carriers.ts';
import { connectorFor, loadStoreInfo } from '../stores/connectors/connector-registry.ts';
import { StoreUnavailableError, type StoreConnector, type StoreInfo } from '../stores/connectors/connector.ts';
import { storeReadCache } from '../stores/connectors/read-cache.ts';
import { findOrderNumberCandidates } from '../stores/order-numbers.ts';
import { findTicketForOrders } from './order-actions.queries.ts';

/** Order references found in a text for a store. */
export interface OrderReferences {
  /** Order numbers in the store's spelling, verified with the store when it could be asked. */
  orderNumbers: string[];
  /** Tracking numbers the store knows, with their order. */
  trackingNumbers: { trackingNumber: string; orderNumber: string }[];
  /** True when the store could not be asked: only numbers in the store's own format were kept. */
  unverified: boolean;
}

/**
 * Finds order and tracking numbers in a message for a store. Numbers in the store's own format
 * (NW-10234) count even when the store cannot be asked; looser ones ("#10234", "order 10234")
 * and tracking numbers only when the store confirms them.
 */
export async function findOrderReferences(ctx: Ctx, store: StoreInfo, text: string, connector: StoreConnector = connectorFor(store)): Promise<OrderReferences> {
  const candidates = findOrderNumberCandidates(store, text);
  const tracking = findTrackingCandidates(text);
  const out: OrderReferences = { orderNumbers: [], trackingNumbers: [], unverified: false };
  try {
    for (const c of candidates) {
      const order = await storeReadCache.get(store.id, `order:${c.number}`, () => connector.getOrder(ctx, c.number));
      if (order && !out.orderNumbers.includes(order.number)) out.orderNumbers.push(order.number);
    }
    if (tracking.length && connector.capabilities.trackingLookup) {
      for (const m of await connector.findOrdersByTracking(ctx, tracking)) {
        out.trackingNumbers.push({ trackingNumber: m.trackingNumber, orderNumber: m.orderNumber });
        if (!out.orderNumbers.includes(m.orderNumber)) out.orderNumbers.push(m.orderNumber);
      }
    }
  } catch (err) {
    if (!(err instanceof StoreUnavailableError)) throw err;
    return { orderNumbers: candidates.filter((c) => c.strength === 'strong').map((c) => c.number), trackingNumbers: [], unverified: true };
  }
  return out;
}

/**
 * Links a ticket to the orders a message mentions; returns the numbers newly linked. Never
 * fails because of the store (a message must be stored even when the store is down). Asks the
 * store, so call it after the message's transaction has committed, not inside it.
 */
export async function linkOrderReferences(ctx: Ctx, ticketIdOrNumber: string, text: string): Promise<{ linked: string[]; references: OrderReferences }> {
  const ticketId = await resolveTicketId(ctx, ticketIdOrNumber);
  const ticket = await findTicketForOrders(ctx.db, ticketId);
  if (!ticket) throw notFound('The ticket');
  const store = await loadStoreInfo(ctx, ticket.store_id);
  let references: OrderReferences;
  try {
    references = await findOrderReferences(ctx, store, text);
  } catch {
    return { linked: [], references: { orderNumbers: [], trackingNumbers: [], unverified: true } };
  }
  if (references.orderNumbers.length === 0) return { linked: [], references };
  const linked = await inTransaction(ctx, async (tx) => {
    if (!(tx.db instanceof Transaction)) throw new Error('expected a transaction');
    const locked = await lockTicket(tx.db, ticketId);
    if (!locked) return [];
    const fresh = references.orderNumbers.filter((n) => !locked.order_numbers.includes(n));
    if (fresh.length) await updateTicket(tx, ticketId, { orderNumbers: [...locked.order_numbers, ...fresh] });
    return fresh;
  });
  return { linked, references };
}
