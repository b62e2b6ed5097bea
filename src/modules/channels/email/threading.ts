/**
 * Which ticket an inbound email belongs to. In order: the Message-IDs it answers (In-Reply-To,
 * References) matched against every message we stored or sent; the ticket token `[#1234]` in
 * the subject when the sender is that ticket's customer; the sender plus an order number the
 * email mentions. Otherwise it opens a new ticket.
 */
import type { Executor } from '../../../db/database.ts';
import type { TicketStatus } from '../../../db/schema.ts';
import type { ParsedEmail } from './mime.ts';
import * as q from './email.queries.ts';

/** The ticket an email joins, and how it was found. */
export interface ThreadMatch {
  ticketId: string;
  number: number;
  status: TicketStatus;
  customerId: string;
  via: 'headers' | 'token' | 'order';
}

/** The ticket token storedesk puts in subjects. */
export function ticketToken(number: number): string {
  return `[#${number}]`;
}

/** The ticket number in a subject's token, if any. */
export function tokenNumber(subject: string): number | null {
  const m = /\[#(\d{1,9})\]/.exec(subject);
  return m?.[1] ? Number(m[1]) : null;
}

/** A subject without reply prefixes and ticket token, for a new ticket's title. */
export function cleanSubject(subject: string): string {
  return subject
    .replace(/\[#\d{1,9}\]/g, '')
    .replace(/^\s*((re|fw|fwd|aw|wg|sv|vs|antw|r|tr)\s*(\[\d+\])?\s*:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const ORDER_PATTERN = /\b(?:order|bestellung|commande|pedido|ordine|bestelling|zam[óo]wienie)\s*(?:no\.?|nr\.?|number|num[ée]ro|n[°º]|#|:|id)?\s*[:#]?\s*#?\s*([A-Z]{0,4}-?\d{3,12})\b/gi;

/** Order numbers an email mentions ("order #10023", "Bestellung Nr. 5531"). */
export function extractOrderNumbers(...texts: string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const m of text.slice(0, 20_000).matchAll(ORDER_PATTERN)) {
      if (m[1]) found.add(m[1].toUpperCase());
    }
  }
  return [...found].slice(0, 10);
}

/**
 * Finds the ticket an email continues, or null for a new conversation. `senderCustomerId` is the
 * customer the sender's address belongs to (the caller has looked it up), null when unknown.
 */
export async function findThread(
  db: Executor,
  storeId: string,
  email: Pick<ParsedEmail, 'inReplyTo' | 'references' | 'subject' | 'text'>,
  senderCustomerId: string | null,
): Promise<ThreadMatch | null> {
  // Most specific first: the message it answers directly, then the newest reference.
  const ids = [...email.inReplyTo, ...[...email.references].reverse()];
  if (ids.length > 0) {
    const rows = await q.findTicketsByExternalIds(db, storeId, ids);
    for (const id of ids) {
      const row = rows.find((r) => r.external_id === id);
      if (row) return { ticketId: row.id, number: row.number, status: row.status, customerId: row.customer_id, via: 'headers' };
    }
  }
  const customerId = senderCustomerId;
  const number = tokenNumber(email.subject);
  if (number !== null && customerId) {
    const t = await q.findTicketByNumber(db, storeId, number);
    if (t && t.customer_id === customerId) return { ticketId: t.id, number: t.number, status: t.status, customerId: t.customer_id, via: 'token' };
  }
  const orders = extractOrderNumbers(email.subject, email.text);
  if (orders.length > 0 && customerId) {
    const t = await q.findTicketByOrderNumbers(db, customerId, orders);
    if (t) return { ticketId: t.id, number: t.number, status: t.status, customerId: t.customer_id, via: 'order' };
  }
  return null;
}
