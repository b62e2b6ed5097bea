/**
 * Tickets: one conversation about one problem, with its messages and its audit trail.
 * Every change writes its event row in the same transaction, and live updates go out after commit.
 */
import type { AttachmentMeta, Channel, MessageKind, TicketPriority, TicketStatus, TicketUpdate } from '../../db/schema.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { actorAgentId, emitLive, inTransaction, requireRole, type Actor, type Ctx } from '../../shared/context.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { sanitizeMessageHtml, textToHtml } from '../../shared/html.ts';
import { findOrCreateCustomerByEmail } from '../customers/customers.service.ts';
import { resolveStoreId } from '../stores/stores.service.ts';
import { findAgentById, teamExists } from '../agents/agents.queries.ts';
import * as q from './tickets.queries.ts';
import type { TicketFilter } from './tickets.queries.ts';
import { channelStrategy } from '../channels/channel-registry.ts';
import { enqueueJob } from '../../jobs/jobs.service.ts';
import { isUuid } from '../../shared/uuid.ts';

/** The statuses in which a ticket still needs work. */
export const UNSOLVED_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];

type SummaryRow = NonNullable<Awaited<ReturnType<typeof q.findTicketSummary>>>;
type MessageRowWithNames = Awaited<ReturnType<typeof q.listMessages>>[number];
type EventRowWithNames = Awaited<ReturnType<typeof q.listTicketEvents>>[number];

/** A ticket as lists and the ticket page show it. */
export type TicketSummary = SummaryRow;

/** Who did something, as the event log records it. */
function actorRef(actor: Actor): { actorType: 'agent' | 'customer' | 'system' | 'integration'; actorId: string | null } {
  switch (actor.type) {
    case 'agent':
    case 'integration':
      return { actorType: actor.type, actorId: actor.agentId };
    case 'customer':
      return { actorType: 'customer', actorId: actor.customerId };
    case 'system':
      return { actorType: 'system', actorId: null };
  }
}

/**
 * The job queue on which a stored customer message is read for order and tracking numbers
 * (payload `{ message_id, first }`; the text is read from the database, never carried in the
 * job). The orders module runs it: it asks the store, so it must run after this commit and
 * outside the message's transaction. The queue name and payload are the whole contract, so the
 * ticket core knows nothing of stores and does not import the orders module (which imports the
 * ticket core: the other direction would be a cycle).
 */
export const MESSAGE_ORDER_LINKS_QUEUE = 'orders.link-message';

/**
 * Queues the order linking of a customer's message in the message's transaction. History being
 * imported (the demo) brings its links with it and is not sent to the store message by message.
 * One job per message (its id is the key), so a repeated request links once.
 */
async function queueOrderLinking(tx: Ctx, messageId: string, first: boolean): Promise<void> {
  if (tx.importing) return;
  // With the handler's backoff (30 s doubling to hourly), about 17 hours of tries: a store down for hours still gets asked.
  await enqueueJob(tx, { queue: MESSAGE_ORDER_LINKS_QUEUE, payload: { message_id: messageId, first }, idempotencyKey: `${MESSAGE_ORDER_LINKS_QUEUE}:${messageId}`, maxAttempts: 24 });
}

/** Normalizes tags: trimmed, lower case, dashes for spaces, no duplicates. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const tag of tags) {
    const t = tag.trim().toLowerCase().replace(/\s+/g, '-').slice(0, 50);
    if (t) out.add(t);
  }
  return [...out];
}

/** What a caller gives as a message's content. */
interface MessageContent {
  body: string;
  /** HTML from outside (sanitized here). */
  html?: string | undefined;
  /** HTML the caller already made safe with `sanitizeMessageHtml` (a channel that rewrote inline image URLs): stored as is. */
  safeHtml?: string | undefined;
}

/** Message content before it is stored: plain text always, sanitized HTML for the workspace. */
function renderBody(content: MessageContent): { text: string; html: string } {
  if (content.safeHtml) return { text: content.body, html: content.safeHtml };
  if (content.html) return { text: content.body, html: sanitizeMessageHtml(content.html).html };
  return { text: content.body, html: textToHtml(content.body) };
}

/** Timestamps that follow from moving to a status. */
function statusTimestamps(to: TicketStatus, at: Date): TicketUpdate {
  if (to === 'solved') return { solved_at: at };
  if (to === 'closed') return { closed_at: at };
  return { solved_at: null, closed_at: null };
}

/** Input for a new ticket. */
export interface CreateTicketInput {
  subject: string;
  /** The customer by email (found or created); `id` when the caller (a channel) already found them. */
  customer: { email: string; name?: string | undefined; id?: string | undefined };
  message: MessageContent & {
    /** The message's id, when the caller needs to know it before the insert (URLs inside its HTML). */
    id?: string | undefined;
    attachments?: AttachmentMeta[];
    externalId?: string | null;
    metadata?: Record<string, unknown>;
  };
  channel?: Channel | undefined;
  priority?: TicketPriority | undefined;
  tags?: string[] | undefined;
  storeId?: string | undefined;
  /**
   * Set instead of `storeId` by a caller that read the store from the database in this
   * transaction (a channel's mailbox names its store): it is not looked up again.
   */
  knownStoreId?: string | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  orderNumbers?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
  followUpOfId?: string | null | undefined;
  /**
   * Who wrote the first message: the customer (default for channels) or the agent logging it.
   * An agent creating a ticket through the API logs what the customer said.
   */
  firstMessageFrom?: 'customer' | 'agent';
  /** When it happened (imports and the demo); defaults to now. */
  at?: Date | undefined;
}

/** Opens a ticket for a customer (found by email or created) with its first message. */
export async function createTicket(ctx: Ctx, input: CreateTicketInput): Promise<{ id: string; number: number; customerId: string; messageId: string }> {
  if (ctx.actor.type === 'customer') throw new AppError('forbidden', 'Customers open tickets through the portal or a channel.');
  const subject = input.subject.trim();
  if (!subject) throw new AppError('validation_failed', 'The subject cannot be empty.', { errors: [{ field: 'subject', message: 'is empty' }] });
  if (!input.message.body.trim() && !input.message.html && !input.message.safeHtml) {
    throw new AppError('validation_failed', 'The message cannot be empty.', { errors: [{ field: 'message.body', message: 'is empty' }] });
  }
  return inTransaction(ctx, async (tx) => {
    const at = input.at ?? new Date();
    const storeId = input.knownStoreId ?? (await resolveStoreId(tx, input.storeId));
    if (input.assigneeId && !(await findAgentById(tx.db, input.assigneeId))) throw notFound('The assignee');
    if (input.teamId && !(await teamExists(tx.db, input.teamId))) throw notFound('The team');
    const customer = input.customer.id ? { id: input.customer.id } : await findOrCreateCustomerByEmail(tx, storeId, input.customer.email, input.customer.name);
    const channel = input.channel ?? 'api';
    const body = renderBody(input.message);
    // The ticket, its first message and its event in one round trip.
    const ticket = await q.insertTicketWithMessage(
      tx.db,
      {
        storeId,
        subject: subject.slice(0, 500),
        status: input.assigneeId ? 'open' : 'new',
        priority: input.priority ?? 'normal',
        channel,
        customerId: customer.id,
        assigneeId: input.assigneeId ?? null,
        teamId: input.teamId ?? null,
        tags: normalizeTags(input.tags ?? []),
        orderNumbers: input.orderNumbers ?? [],
        customFields: input.customFields ?? {},
        followUpOfId: input.followUpOfId ?? null,
        at,
      },
      {
        id: input.message.id,
        kind: 'inbound',
        channel,
        authorAgentId: null,
        authorCustomerId: customer.id,
        bodyText: body.text,
        bodyHtml: body.html,
        attachments: input.message.attachments ?? [],
        externalId: input.message.externalId ?? null,
        deliveryStatus: channel === 'email' ? 'received' : null,
        metadata: { ...(input.message.metadata ?? {}), ...(input.firstMessageFrom === 'agent' ? { logged_by: actorAgentId(ctx.actor) } : {}) },
        at,
      },
      {
        ...actorRef(ctx.actor),
        type: 'ticket.created',
        data: { channel, subject, customer_id: customer.id, follow_up_of_id: input.followUpOfId ?? null },
        at,
      },
    );
    // The first message is the customer's words (an agent creating a ticket logs what they said).
    await queueOrderLinking(tx, ticket.messageId, true);
    emitLive(tx, { type: 'ticket.created', ticketId: ticket.id, number: ticket.number });
    return { id: ticket.id, number: ticket.number, customerId: customer.id, messageId: ticket.messageId };
  });
}


/** Turns "1042", "#1042" or a uuid into the id of an existing ticket; 404 when there is none. */
export async function resolveTicketId(ctx: Ctx, idOrNumber: string): Promise<string> {
  const num = /^#?(\d{1,9})$/.exec(idOrNumber.trim());
  if (num?.[1]) {
    const id = await q.findTicketIdByNumber(ctx.db, Number(num[1]));
    if (!id) throw notFound(`Ticket #${num[1]}`);
    return id;
  }
  if (!isUuid(idOrNumber)) throw notFound('The ticket');
  if (!(await q.ticketExists(ctx.db, idOrNumber))) throw notFound('The ticket');
  return idOrNumber;
}

/** One page of tickets, newest activity first. */
export async function listTickets(ctx: Ctx, filter: TicketFilter, page: { cursor?: string | undefined; limit: number }) {
  requireRole(ctx, 'agent');
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const rows = await q.listTicketSummaries(ctx.db, filter, { after, limit: page.limit });
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ t: last.cursor_t, id: last.id }) : null };
}

/** The largest count the inbox shows exactly; above it shows "10k+". */
export const COUNT_CAP = 10_000;

/** Counts for the inbox views of the acting agent. */
export async function inboxCounts(ctx: Ctx) {
  requireRole(ctx, 'agent');
  const me = actorAgentId(ctx.actor);
  const count = (f: TicketFilter) => q.countTickets(ctx.db, f, COUNT_CAP);
  const [mine, unassigned, open, pending, onHold, solved, all] = [
    await count({ assigneeId: me, statuses: UNSOLVED_STATUSES }),
    await count({ assigneeId: null, statuses: UNSOLVED_STATUSES }),
    await count({ statuses: ['new', 'open'] }),
    await count({ statuses: ['pending'] }),
    await count({ statuses: ['on_hold'] }),
    await count({ statuses: ['solved', 'closed'] }),
    await count({}),
  ];
  return { mine, unassigned, open, pending, on_hold: onHold, solved, all };
}

/** A message as the timeline shows it. */
export interface TimelineMessage {
  row: MessageRowWithNames;
}

/** A ticket with its conversation and its event log. */
export async function getTicketDetail(ctx: Ctx, idOrNumber: string): Promise<{ ticket: SummaryRow; messages: MessageRowWithNames[]; events: EventRowWithNames[] }> {
  requireRole(ctx, 'agent');
  const id = await resolveTicketId(ctx, idOrNumber);
  const ticket = await q.findTicketSummary(ctx.db, id);
  if (!ticket) throw notFound('The ticket');
  const [messages, events] = [await q.listMessages(ctx.db, id), await q.listTicketEvents(ctx.db, id)];
  return { ticket, messages, events };
}

/** A change an agent makes to a ticket. */
export interface TicketPatch {
  status?: TicketStatus | undefined;
  priority?: TicketPriority | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  tags?: string[] | undefined;
  subject?: string | undefined;
  orderNumbers?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
}

/** Applies a patch inside an open transaction, writing one event per changed field. */
async function applyPatch(tx: Ctx, ticketId: string, patch: TicketPatch, at: Date): Promise<string[]> {
  if (!tx.db.isTransaction) throw new Error('applyPatch needs a transaction');
  const current = await q.lockTicket(tx.db as Parameters<typeof q.lockTicket>[0], ticketId);
  if (!current) throw notFound('The ticket');
  const update: TicketUpdate = {};
  const changes: string[] = [];
  const log = async (type: string, data: Record<string, unknown>) =>
    q.insertTicketEvent(tx.db, { ...actorRef(tx.actor), ticketId, type, data, at });

  if (patch.status !== undefined && patch.status !== current.status) {
    Object.assign(update, { status: patch.status }, statusTimestamps(patch.status, at));
    await log('status.changed', { from: current.status, to: patch.status });
    changes.push('status');
  }
  if (patch.priority !== undefined && patch.priority !== current.priority) {
    update.priority = patch.priority;
    await log('priority.changed', { from: current.priority, to: patch.priority });
    changes.push('priority');
  }
  if (patch.assigneeId !== undefined && patch.assigneeId !== current.assignee_id) {
    const [from, to] = [current.assignee_id ? await findAgentById(tx.db, current.assignee_id) : undefined, patch.assigneeId ? await findAgentById(tx.db, patch.assigneeId) : undefined];
    if (patch.assigneeId && !to) throw new AppError('validation_failed', 'The assignee does not exist.', { errors: [{ field: 'assignee_id', message: 'is not an agent' }] });
    if (to && !to.is_active) throw new AppError('validation_failed', `${to.name} is deactivated and cannot take tickets.`, { errors: [{ field: 'assignee_id', message: 'is deactivated' }] });
    update.assignee_id = patch.assigneeId;
    await log('assignee.changed', { from: current.assignee_id, to: patch.assigneeId, from_name: from?.name ?? null, to_name: to?.name ?? null });
    changes.push('assignee');
    // Somebody has it now: a new ticket is open. Logged like any status change.
    if (current.status === 'new' && patch.assigneeId && update.status === undefined) {
      update.status = 'open';
      await log('status.changed', { from: 'new', to: 'open' });
      changes.push('status');
    }
  }
  if (patch.teamId !== undefined && patch.teamId !== current.team_id) {
    if (patch.teamId && !(await teamExists(tx.db, patch.teamId))) {
      throw new AppError('validation_failed', 'The team does not exist.', { errors: [{ field: 'team_id', message: 'is not a team' }] });
    }
    update.team_id = patch.teamId;
    await log('team.changed', { from: current.team_id, to: patch.teamId });
    changes.push('team');
  }
  if (patch.tags !== undefined) {
    const next = normalizeTags(patch.tags);
    const added = next.filter((t) => !current.tags.includes(t));
    const removed = current.tags.filter((t) => !next.includes(t));
    if (added.length || removed.length) {
      update.tags = next;
      await log('tags.changed', { added, removed });
      changes.push('tags');
    }
  }
  if (patch.subject !== undefined && patch.subject.trim() !== current.subject) {
    const subject = patch.subject.trim();
    if (!subject) throw new AppError('validation_failed', 'The subject cannot be empty.', { errors: [{ field: 'subject', message: 'is empty' }] });
    update.subject = subject.slice(0, 500);
    await log('subject.changed', { from: current.subject, to: update.subject });
    changes.push('subject');
  }
  if (patch.orderNumbers !== undefined) {
    const next = [...new Set(patch.orderNumbers.map((o) => o.trim()).filter(Boolean))];
    if (next.join('\n') !== current.order_numbers.join('\n')) {
      update.order_numbers = next;
      await log('orders.linked', { from: current.order_numbers, to: next });
      changes.push('order_numbers');
    }
  }
  if (patch.customFields !== undefined) {
    const merged = { ...current.custom_fields, ...patch.customFields };
    if (JSON.stringify(merged) !== JSON.stringify(current.custom_fields)) {
      update.custom_fields = JSON.stringify(merged);
      await log('custom_fields.changed', { from: current.custom_fields, to: merged });
      changes.push('custom_fields');
    }
  }
  if (changes.length > 0 && current.status === 'closed') {
    // Closed is final (reports count on it); the events written above roll back with the throw.
    throw new AppError('conflict', 'A closed ticket cannot be changed; a new message from the customer opens a follow-up ticket instead.');
  }
  if (changes.length > 0) {
    update.updated_at = at;
    await q.updateTicketRow(tx.db, ticketId, update);
    emitLive(tx, { type: 'ticket.updated', ticketId, number: current.number, changes });
  }
  return changes;
}

/** Changes status, priority, assignee, team, tags or subject; each change is logged. A closed ticket cannot change. */
export async function updateTicket(ctx: Ctx, idOrNumber: string, patch: TicketPatch): Promise<SummaryRow> {
  requireRole(ctx, 'agent');
  const id = await resolveTicketId(ctx, idOrNumber);
  await inTransaction(ctx, (tx) => applyPatch(tx, id, patch, new Date()));
  const ticket = await q.findTicketSummary(ctx.db, id);
  if (!ticket) throw notFound('The ticket');
  return ticket;
}

/** A new message on a ticket. */
export interface AddMessageInput extends MessageContent {
  /** The message's id, when the caller needs to know it before the insert (URLs inside its HTML). */
  id?: string | undefined;
  /** An internal note, never shown to the customer. */
  internal?: boolean | undefined;
  /** Status to set in the same step (e.g. reply and set pending, reply and solve). */
  status?: TicketStatus | undefined;
  attachments?: AttachmentMeta[] | undefined;
  externalId?: string | null | undefined;
  metadata?: Record<string, unknown> | undefined;
  at?: Date | undefined;
}

/**
 * Adds a reply, a note, or (for channels and customers) an inbound message.
 * An agent's first public reply sets the first-response time; replying to a new ticket opens it
 * and takes it when nobody has it. A customer's message reopens a pending or solved ticket.
 */
export async function addMessage(ctx: Ctx, idOrNumber: string, input: AddMessageInput): Promise<{ messageId: string; ticketId: string; number: number }> {
  if (!input.body.trim() && !input.html && !input.safeHtml) {
    throw new AppError('validation_failed', 'The message cannot be empty.', { errors: [{ field: 'body', message: 'is empty' }] });
  }
  // A uuid needs no look-up: locking the ticket below finds out whether it exists.
  const ticketId = isUuid(idOrNumber) ? idOrNumber : await resolveTicketId(ctx, idOrNumber);
  const fromCustomer = ctx.actor.type === 'customer';
  if (!fromCustomer && ctx.actor.type !== 'system') requireRole(ctx, 'agent');
  return inTransaction(ctx, async (tx) => {
    if (!tx.db.isTransaction) throw new Error('addMessage needs a transaction');
    const at = input.at ?? new Date();
    const ticket = await q.lockTicket(tx.db as Parameters<typeof q.lockTicket>[0], ticketId);
    if (!ticket) throw notFound('The ticket');
    if (ctx.actor.type === 'customer' && ticket.customer_id !== ctx.actor.customerId) throw notFound('The ticket');
    const kind: MessageKind = fromCustomer || ctx.actor.type === 'system' ? 'inbound' : input.internal ? 'note' : 'outbound';
    if (ticket.status === 'closed' && kind !== 'note') {
      throw new AppError('conflict', 'This ticket is closed; a new message from the customer opens a follow-up ticket.');
    }
    const body = renderBody(input);
    const agentId = actorAgentId(ctx.actor);
    // The ticket's channel sends an agent's public reply, unless this is history being imported.
    const strategy = ctx.importing ? undefined : channelStrategy(ticket.channel);
    const deliver = Boolean(strategy?.onAgentReply);
    const update: TicketUpdate = { message_count: ticket.message_count + 1, updated_at: at, last_message_at: at };
    if (kind === 'outbound' && !ticket.first_response_at) update.first_response_at = at;
    // The message, the ticket's counters and the event in one round trip.
    const message = await q.insertMessageWithEvent(
      tx.db,
      {
        id: input.id,
        ticketId,
        kind,
        channel: ticket.channel,
        authorAgentId: kind === 'inbound' ? null : agentId,
        authorCustomerId: kind === 'inbound' ? ticket.customer_id : null,
        bodyText: body.text,
        bodyHtml: body.html,
        attachments: input.attachments ?? [],
        externalId: input.externalId ?? null,
        deliveryStatus: kind === 'outbound' && deliver ? 'queued' : kind === 'inbound' && ticket.channel === 'email' ? 'received' : null,
        metadata: input.metadata ?? {},
        at,
      },
      update,
      { ...actorRef(ctx.actor), type: kind === 'note' ? 'note.added' : kind === 'outbound' ? 'reply.sent' : 'message.received', data: {}, at },
    );
    // Status that follows from the message, unless the agent chose one.
    let status = input.status;
    if (status === undefined) {
      if (kind === 'inbound' && ['pending', 'solved', 'on_hold'].includes(ticket.status)) status = 'open';
      if (kind === 'outbound' && ticket.status === 'new') status = 'open';
    }
    const patch: TicketPatch = {};
    if (status !== undefined) patch.status = status;
    if (kind === 'outbound' && !ticket.assignee_id && agentId) patch.assigneeId = agentId;
    if (Object.keys(patch).length > 0) await applyPatch(tx, ticketId, patch, at);
    if (kind === 'outbound' && deliver) {
      await strategy?.onAgentReply?.(tx, {
        ticketId, ticketNumber: ticket.number, messageId: message.id, customerId: ticket.customer_id, storeId: ticket.store_id,
      });
    }
    // Only the customer's messages link orders: an agent's reply or note may quote or compare
    // another order, and agents link orders themselves (as Gorgias links from customer messages).
    if (kind === 'inbound') await queueOrderLinking(tx, message.id, false);
    emitLive(tx, { type: 'message.created', ticketId, number: ticket.number, messageId: message.id, kind });
    return { messageId: message.id, ticketId, number: ticket.number };
  });
}

/** One message with its author's name. */
export async function getMessage(ctx: Ctx, id: string) {
  const row = await q.findMessage(ctx.db, id);
  if (!row) throw notFound('The message');
  return row;
}

/** The most recent tickets of a customer, for the customer panel. */
export async function listCustomerTickets(ctx: Ctx, customerId: string, limit = 20) {
  requireRole(ctx, 'agent');
  return (await q.listTicketSummaries(ctx.db, { customerId }, { limit })).slice(0, limit);
}
