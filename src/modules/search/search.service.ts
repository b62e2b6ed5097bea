/**
 * Global search for agents: tickets (by number, subject or any message), messages, customers.
 */
import { requireRole, type Ctx } from '../../shared/context.ts';
import { findTicketIdByNumber, selectTicketSummaries } from '../tickets/tickets.queries.ts';
import type { TicketSummary } from '../tickets/tickets.service.ts';
import * as q from './search.queries.ts';

/** What global search finds, best first in each group. */
export interface SearchResults {
  tickets: TicketSummary[];
  messages: Awaited<ReturnType<typeof q.searchMessages>>;
  customers: Awaited<ReturnType<typeof q.searchCustomers>>;
}

/** Searches everything an agent may see. */
export async function searchAll(ctx: Ctx, query: string, limit = 20): Promise<SearchResults> {
  requireRole(ctx, 'agent');
  const text = query.trim();
  const numberMatch = /^#?(\d{1,9})$/.exec(text);
  const exactId = numberMatch?.[1] ? await findTicketIdByNumber(ctx.db, Number(numberMatch[1])) : undefined;
  const [subjectHits, messages, customers] = [
    await q.searchTicketIdsBySubject(ctx.db, text, limit),
    await q.searchMessages(ctx.db, text, limit),
    await q.searchCustomers(ctx.db, text, 10),
  ];
  // Tickets: the exact number first, then subject matches, then tickets whose messages matched.
  const ids: string[] = [];
  for (const id of [exactId, ...subjectHits.map((h) => h.id), ...messages.map((m) => m.ticket_id)]) {
    if (id && !ids.includes(id)) ids.push(id);
  }
  const top = ids.slice(0, limit);
  const rows = top.length ? await selectTicketSummaries(ctx.db).where('tickets.id', 'in', top).execute() : [];
  const tickets = top.map((id) => rows.find((r) => r.id === id)).filter((r): r is TicketSummary => r !== undefined);
  return { tickets, messages, customers };
}
