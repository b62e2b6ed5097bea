/**
 * SQL for linking orders from messages: what the link job needs to know about one message.
 */
import type { Executor } from '../../db/database.ts';

/** A message's ticket, kind and text, with its ticket's subject; undefined when it is gone. */
export function findMessageForLinking(db: Executor, messageId: string) {
  return db
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
    .select(['messages.id', 'messages.ticket_id', 'messages.kind', 'messages.body_text', 'tickets.subject'])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
}
