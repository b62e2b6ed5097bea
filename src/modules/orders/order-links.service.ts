/**
 * Order numbers link themselves: an order number (in the store's format) or a tracking number
 * found in a message links the ticket to that order (tickets.order_numbers), so the order shows
 * beside the conversation without anyone asking the customer for it. The ticket core queues a
 * job for every stored customer message, on every channel (MESSAGE_ORDER_LINKS_QUEUE, run by
 * order-links.jobs.ts): it runs after the message's commit, since it asks the store, and asks
 * again later while the store cannot be reached.
 */
import { Transaction } from 'kysely';
import { inTransaction, type Ctx } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { lockTicket } from '../tickets/tickets.queries.ts';
import { resolveTicketId, updateTicket } from '../tickets/tickets.service.ts';
import { findTrackingCandidates } from '../stores/connectors/carriers.ts';
import { connectorFor, loadStoreInfo } from '../stores/connectors/connector-registry.ts';
import { StoreUnavailableError, type StoreConnector, type StoreInfo } from '../stores/connectors/connector.ts';
import { storeReadCache } from '../stores/connectors/read-cache.ts';
import { findOrderNumberCandidates } from '../stores/order-numbers.ts';
import { findTicketForOrders } from './order-actions.queries.ts';
import { findMessageForLinking } from './order-links.queries.ts';

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
export async function findOrderReferences(ctx: Ctx, store: StoreInfo, text: string, connector?: StoreConnector): Promise<OrderReferences> {
  const candidates = findOrderNumberCandidates(store, text);
  const tracking = findTrackingCandidates(text);
  const out: OrderReferences = { orderNumbers: [], trackingNumbers: [], unverified: false };
  // Most messages name no order: nothing to ask the store.
  if (candidates.length === 0 && tracking.length === 0) return out;
  try {
    const shop = connector ?? connectorFor(store);
    for (const c of candidates) {
      const order = await storeReadCache.get(store.id, `order:${c.number}`, () => shop.getOrder(ctx, c.number));
      if (order && !out.orderNumbers.includes(order.number)) out.orderNumbers.push(order.number);
    }
    if (tracking.length && shop.capabilities.trackingLookup) {
      for (const m of await shop.findOrdersByTracking(ctx, tracking)) {
        out.trackingNumbers.push({ trackingNumber: m.trackingNumber, orderNumber: m.orderNumber });
        if (!out.orderNumbers.includes(m.orderNumber)) out.orderNumbers.push(m.orderNumber);
      }
    }
  } catch (err) {
    // A store whose platform's connector is not installed cannot be asked either.
    const unreachable = err instanceof StoreUnavailableError || (err instanceof AppError && err.code === 'service_unavailable');
    if (!unreachable) throw err;
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
    // A closed ticket is final; the customer's next message opens a follow-up that links itself.
    if (!locked || locked.status === 'closed') return [];
    const fresh = references.orderNumbers.filter((n) => !locked.order_numbers.includes(n));
    if (fresh.length) await updateTicket(tx, ticketId, { orderNumbers: [...locked.order_numbers, ...fresh] });
    return fresh;
  });
  return { linked, references };
}

/** What linking one stored message did. */
export interface MessageLinkOutcome {
  /** Order numbers newly linked to the message's ticket. */
  linked: string[];
  /** True when the store could not confirm the message's numbers: ask again later. */
  retry: boolean;
}

/**
 * Links the orders a stored customer message mentions to its ticket (for a ticket's first
 * message, its subject counts too: "Where is NW-10234?"). Reads the text from the database by
 * id, so that no message body travels through the job queue. A message that is gone, or that an
 * agent wrote, links nothing. Running it again links nothing new.
 */
export async function linkMessageOrderReferences(ctx: Ctx, messageId: string, options: { withSubject?: boolean } = {}): Promise<MessageLinkOutcome> {
  const message = await findMessageForLinking(ctx.db, messageId);
  if (!message || message.kind !== 'inbound') return { linked: [], retry: false };
  const text = options.withSubject ? `${message.subject}\n${message.body_text}` : message.body_text;
  const result = await linkOrderReferences(ctx, message.ticket_id, text);
  return { linked: result.linked, retry: result.references.unverified };
}
