/**
 * SQL for tickets, messages and the ticket event log.
 */
import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { planPerCall } from '../../db/named-statements.ts';
import type { ActorType, AttachmentMeta, Channel, DB, DeliveryStatus, MessageKind, TicketPriority, TicketStatus, TicketUpdate } from '../../db/schema.ts';
import type { KeysetPosition } from '../../shared/cursor.ts';

/** What a ticket list can be filtered by. */
export interface TicketFilter {
  statuses?: TicketStatus[] | undefined;
  /** An agent id, or null for unassigned tickets. */
  assigneeId?: string | null | undefined;
  teamId?: string | undefined;
  tag?: string | undefined;
  channel?: Channel | undefined;
  priority?: TicketPriority | undefined;
  customerId?: string | undefined;
  /** Words to find in the subject or any message. */
  q?: string | undefined;
  /** An exact ticket number. */
  number?: number | undefined;
  orderNumber?: string | undefined;
}

/** Full-text query from what a person typed (quotes, OR and -minus work as on the web). */
export function webQuery(q: string) {
  return sql`websearch_to_tsquery('english', ${q})`;
}

type TicketQuery = SelectQueryBuilder<DB, 'tickets', object>;

/** Applies a filter; one place decides what each filter means. */
export function applyTicketFilter<Q extends TicketQuery>(query: Q, f: TicketFilter): Q {
  let qb = query as TicketQuery;
  if (f.statuses && f.statuses.length > 0) qb = qb.where('tickets.status', 'in', f.statuses);
  if (f.assigneeId === null) qb = qb.where('tickets.assignee_id', 'is', null);
  else if (f.assigneeId !== undefined) qb = qb.where('tickets.assignee_id', '=', f.assigneeId);
  if (f.teamId) qb = qb.where('tickets.team_id', '=', f.teamId);
  if (f.tag) qb = qb.where(sql<boolean>`tickets.tags @> array[${f.tag}]::text[]`);
  if (f.channel) qb = qb.where('tickets.channel', '=', f.channel);
  if (f.priority) qb = qb.where('tickets.priority', '=', f.priority);
  if (f.customerId) qb = qb.where('tickets.customer_id', '=', f.customerId);
  if (f.number !== undefined) qb = qb.where('tickets.number', '=', f.number);
  if (f.orderNumber) qb = qb.where(sql<boolean>`tickets.order_numbers @> array[${f.orderNumber}]::text[]`);
  if (f.q) {
    const query = webQuery(f.q);
    qb = qb.where((eb: ExpressionBuilder<DB, 'tickets'>) =>
      eb.or([
        eb(sql`tickets.search_vector`, '@@', query),
        eb.exists(
          eb.selectFrom('messages as fm').select(sql`1`.as('one')).whereRef('fm.ticket_id', '=', 'tickets.id').where(sql<boolean>`fm.search_vector @@ ${query}`),
        ),
      ]),
    );
  }
  return qb as Q;
}

/** The columns of a ticket summary, with customer, assignee and team names joined in. */
export function selectTicketSummaries(db: Executor) {
  return db
    .selectFrom('tickets')
    .leftJoin('agents as assignee', 'assignee.id', 'tickets.assignee_id')
    .leftJoin('teams', 'teams.id', 'tickets.team_id')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select([
      'tickets.id', 'tickets.store_id', 'tickets.number', 'tickets.subject', 'tickets.status', 'tickets.priority', 'tickets.channel',
      'tickets.tags', 'tickets.order_numbers', 'tickets.custom_fields', 'tickets.follow_up_of_id', 'tickets.message_count',
      'tickets.customer_id', 'tickets.assignee_id', 'tickets.team_id', 'tickets.created_at', 'tickets.updated_at',
      'tickets.last_message_at', 'tickets.first_response_at', 'tickets.solved_at', 'tickets.closed_at',
      'customers.name as customer_name', 'assignee.name as assignee_name', 'teams.name as team_name',
      sql<string>`to_json(tickets.updated_at)#>>'{}'`.as('cursor_t'),
    ])
    .select((eb) => [
      eb.selectFrom('customer_identities as ci')
        .select('ci.value')
        .whereRef('ci.customer_id', '=', 'tickets.customer_id')
        .where('ci.kind', '=', 'email')
        .orderBy('ci.is_primary', 'desc')
        .orderBy('ci.created_at')
        .limit(1)
        .as('customer_email'),
      eb.selectFrom('messages as pm')
        .select(sql<string>`left(pm.body_text, 160)`.as('preview'))
        .whereRef('pm.ticket_id', '=', 'tickets.id')
        .orderBy('pm.created_at', 'desc')
        .orderBy('pm.id', 'desc')
        .limit(1)
        .as('preview'),
    ]);
}

/** One page of ticket summaries in order of last activity, after a keyset position. */
export function listTicketSummaries(db: Executor, f: TicketFilter, page: { after?: KeysetPosition | undefined; limit: number }) {
  // Its best plan depends on the filters and words given: planned each time, never kept prepared.
  let query = applyTicketFilter(selectTicketSummaries(db), f).modifyFront(planPerCall);
  if (page.after) {
    const after = page.after;
    query = query.where(sql<boolean>`(tickets.updated_at, tickets.id) < (${after.t}::timestamptz, ${after.id}::uuid)`);
  }
  return query.orderBy('tickets.updated_at', 'desc').orderBy('tickets.id', 'desc').limit(page.limit + 1).execute();
}

/** One ticket summary by id. */
export function findTicketSummary(db: Executor, id: string) {
  return selectTicketSummaries(db).where('tickets.id', '=', id).executeTakeFirst();
}

/** A ticket's id by its number. */
export async function findTicketIdByNumber(db: Executor, number: number): Promise<string | undefined> {
  const row = await db.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirst();
  return row?.id;
}

/** Whether a ticket with this id exists. */
export async function ticketExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('tickets').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Locks a ticket row for a change; demands a transaction by its type. */
export function lockTicket(trx: Executor & { isTransaction: true }, id: string) {
  return trx.selectFrom('tickets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Counts matching tickets, stopping at a cap so that counts stay cheap on huge tables. */
export async function countTickets(db: Executor, f: TicketFilter, cap: number): Promise<number> {
  const inner = applyTicketFilter(db.selectFrom('tickets').select(sql`1`.as('one')), f).limit(cap);
  const row = await db.selectFrom(inner.as('capped')).modifyFront(planPerCall).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A new ticket's fields. */
export interface NewTicketRow {
  storeId: string; subject: string; status: TicketStatus; priority: TicketPriority; channel: Channel; customerId: string;
  assigneeId: string | null; teamId: string | null; tags: string[]; orderNumbers: string[]; customFields: Record<string, unknown>;
  followUpOfId: string | null; at: Date;
}

function ticketValues(t: NewTicketRow) {
  return {
    store_id: t.storeId, subject: t.subject, status: t.status, priority: t.priority, channel: t.channel, customer_id: t.customerId,
    assignee_id: t.assigneeId, team_id: t.teamId, tags: t.tags, order_numbers: t.orderNumbers,
    custom_fields: JSON.stringify(t.customFields), follow_up_of_id: t.followUpOfId,
    created_at: t.at, updated_at: t.at, last_message_at: t.at,
  };
}

/** Applies a change to a ticket and bumps its activity time. */
export async function updateTicketRow(db: Executor, id: string, patch: TicketUpdate) {
  await db.updateTable('tickets').set(patch).where('id', '=', id).execute();
}

/** A new message's fields. */
export interface NewMessageRow {
  /** Made by the caller when something it stores with the message names the message (inline image URLs). */
  id?: string | undefined;
  ticketId: string; kind: MessageKind; channel: Channel; authorAgentId: string | null; authorCustomerId: string | null;
  bodyText: string; bodyHtml: string | null; attachments?: AttachmentMeta[]; externalId?: string | null;
  deliveryStatus?: DeliveryStatus | null; metadata?: Record<string, unknown>; at: Date;
}

function messageValues(m: NewMessageRow) {
  return {
    ticket_id: m.ticketId, kind: m.kind, channel: m.channel, author_agent_id: m.authorAgentId, author_customer_id: m.authorCustomerId,
    body_text: m.bodyText, body_html: m.bodyHtml, attachments: JSON.stringify(m.attachments ?? []), external_id: m.externalId ?? null,
    delivery_status: m.deliveryStatus ?? null, metadata: JSON.stringify(m.metadata ?? {}), created_at: m.at,
  };
}

/**
 * A new ticket with its first message and its `ticket.created` event, in one statement (one
 * round trip instead of three). The ids are made here so that the three rows can name each other.
 */
export async function insertTicketWithMessage(db: Executor, t: NewTicketRow, m: Omit<NewMessageRow, 'ticketId'>, e: Omit<NewTicketEvent, 'ticketId'>) {
  const ticketId = randomUUID();
  const messageId = m.id ?? randomUUID();
  const ticket = await db
    .with('t', (w) => w.insertInto('tickets').values({ ...ticketValues(t), id: ticketId, message_count: 1 }).returning(['id', 'number']))
    .with('m', (w) => w.insertInto('messages').values({ ...messageValues({ ...m, ticketId }), id: messageId }))
    .with('e', (w) => w.insertInto('ticket_events').values(eventValues({ ...e, ticketId })))
    .selectFrom('t')
    .select(['t.id', 't.number'])
    .executeTakeFirstOrThrow();
  return { ...ticket, messageId };
}

/**
 * A message added to a ticket with the ticket's change (counters, activity times) and the event
 * that records it, in one statement (one round trip instead of three). The caller holds the
 * ticket's lock. The event's data gets the new message's id as `message_id`.
 */
export function insertMessageWithEvent(db: Executor, m: NewMessageRow, ticketPatch: TicketUpdate, e: Omit<NewTicketEvent, 'ticketId'>) {
  const messageId = m.id ?? randomUUID();
  return db
    .with('m', (w) => w.insertInto('messages').values({ ...messageValues(m), id: messageId }).returning(['id', 'created_at']))
    .with('t', (w) => w.updateTable('tickets').set(ticketPatch).where('id', '=', m.ticketId))
    .with('e', (w) => w.insertInto('ticket_events').values(eventValues({ ...e, ticketId: m.ticketId, data: { ...e.data, message_id: messageId } })))
    .selectFrom('m')
    .select(['m.id', 'm.created_at'])
    .executeTakeFirstOrThrow();
}

/** A ticket's messages in order, with author names. */
export function listMessages(db: Executor, ticketId: string) {
  return db
    .selectFrom('messages')
    .leftJoin('agents', 'agents.id', 'messages.author_agent_id')
    .leftJoin('customers', 'customers.id', 'messages.author_customer_id')
    .select([
      'messages.id', 'messages.kind', 'messages.channel', 'messages.author_agent_id', 'messages.author_customer_id', 'messages.body_text',
      'messages.body_html', 'messages.attachments', 'messages.delivery_status', 'messages.delivery_error', 'messages.external_id',
      'messages.created_at', 'agents.name as agent_name', 'customers.name as customer_name',
    ])
    .where('messages.ticket_id', '=', ticketId)
    .orderBy('messages.created_at')
    .orderBy('messages.id')
    .execute();
}

/** One message with author names. */
export function findMessage(db: Executor, id: string) {
  return db
    .selectFrom('messages')
    .leftJoin('agents', 'agents.id', 'messages.author_agent_id')
    .leftJoin('customers', 'customers.id', 'messages.author_customer_id')
    .select([
      'messages.id', 'messages.kind', 'messages.channel', 'messages.author_agent_id', 'messages.author_customer_id', 'messages.body_text',
      'messages.body_html', 'messages.attachments', 'messages.delivery_status', 'messages.delivery_error', 'messages.external_id',
      'messages.created_at', 'agents.name as agent_name', 'customers.name as customer_name', 'messages.ticket_id',
    ])
    .where('messages.id', '=', id)
    .executeTakeFirst();
}

/** A new entry of a ticket's event log. */
export interface NewTicketEvent {
  ticketId: string; actorType: ActorType; actorId: string | null; type: string; data: Record<string, unknown>; at?: Date;
}

function eventValues(e: NewTicketEvent) {
  return { ticket_id: e.ticketId, actor_type: e.actorType, actor_id: e.actorId, type: e.type, data: JSON.stringify(e.data), ...(e.at ? { created_at: e.at } : {}) };
}

/** Appends to the ticket's event log (the audit trail). */
export async function insertTicketEvent(db: Executor, e: NewTicketEvent) {
  await db.insertInto('ticket_events').values(eventValues(e)).execute();
}

/** A ticket's event log in order, with actor names. */
export function listTicketEvents(db: Executor, ticketId: string) {
  return db
    .selectFrom('ticket_events')
    .leftJoin('agents', (join) => join.onRef('agents.id', '=', 'ticket_events.actor_id').on('ticket_events.actor_type', 'in', ['agent', 'integration']))
    .leftJoin('customers', (join) => join.onRef('customers.id', '=', 'ticket_events.actor_id').on('ticket_events.actor_type', '=', 'customer'))
    .select([
      'ticket_events.id', 'ticket_events.type', 'ticket_events.actor_type', 'ticket_events.actor_id', 'ticket_events.data',
      'ticket_events.created_at', 'agents.name as agent_name', 'customers.name as customer_name',
    ])
    .where('ticket_events.ticket_id', '=', ticketId)
    .orderBy('ticket_events.id')
    .execute();
}
