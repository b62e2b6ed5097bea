/**
 * API shapes for tickets and messages, and the presenters that map domain rows to them.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { AttachmentMeta } from '../../db/schema.ts';
import type { getTicketDetail, TicketSummary } from './tickets.service.ts';

export const StatusSchema = Type.Union([Type.Literal('new'), Type.Literal('open'), Type.Literal('pending'), Type.Literal('on_hold'), Type.Literal('solved'), Type.Literal('closed')], {
  description: 'new: nobody has looked; open: being worked; pending: waiting for the customer; on_hold: waiting on a third party; solved; closed (final).',
});
export const PrioritySchema = Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')]);
export const ChannelSchema = Type.Union([Type.Literal('email'), Type.Literal('chat'), Type.Literal('contact_form'), Type.Literal('phone'), Type.Literal('social'), Type.Literal('api'), Type.Literal('portal')]);

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

/** A ticket in lists: enough to triage without opening it. */
export const TicketSummarySchema = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  status: StatusSchema,
  priority: PrioritySchema,
  channel: ChannelSchema,
  tags: Type.Array(Type.String()),
  order_numbers: Type.Array(Type.String()),
  customer: Type.Object({ id: Uuid, name: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }),
  assignee: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
  team: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
  message_count: Type.Integer(),
  preview: Type.Union([Type.String(), Type.Null()], { description: 'Start of the latest message' }),
  created_at: DateTime,
  updated_at: DateTime,
  last_message_at: DateTime,
  first_response_at: Nullable(DateTime),
  solved_at: Nullable(DateTime),
});

/** A ticket on its own page. */
export const TicketSchema = Type.Composite([
  TicketSummarySchema,
  Type.Object({
    custom_fields: Type.Record(Type.String(), Type.Unknown()),
    follow_up_of_id: Type.Union([Uuid, Type.Null()]),
    closed_at: Nullable(DateTime),
  }),
]);

export const AuthorSchema = Type.Union([
  Type.Object({ type: Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('system')]), id: Type.Union([Uuid, Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) }),
  Type.Null(),
]);

export const AttachmentSchema = Type.Object({ id: Type.String(), filename: Type.String(), content_type: Type.String(), size: Type.Integer(), url: Type.String() });

export const MessageSchema = Type.Object({
  id: Uuid,
  ticket_id: Uuid,
  kind: Type.Union([Type.Literal('inbound'), Type.Literal('outbound'), Type.Literal('note')]),
  channel: ChannelSchema,
  author: AuthorSchema,
  body_text: Type.String(),
  body_html: Type.Union([Type.String(), Type.Null()], { description: 'Sanitized HTML, safe to display' }),
  attachments: Type.Array(AttachmentSchema),
  delivery_status: Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('received'), Type.Null()]),
  delivery_error: Type.Union([Type.String(), Type.Null()]),
  created_at: DateTime,
});

export const EventSchema = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  actor: AuthorSchema,
  data: Type.Record(Type.String(), Type.Unknown()),
  created_at: DateTime,
});

const Tag = Type.String({ minLength: 1, maxLength: 50 });

/** An assignee filter: me, none, or an agent's uuid (a malformed uuid would fail in SQL). */
export const ASSIGNEE_PATTERN = '^(me|none|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$';

export const CreateTicketBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 500 }),
    customer: Type.Object({ email: Type.String({ format: 'email', maxLength: 320 }), name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
    message: Type.Object({ body: Type.String({ minLength: 1, maxLength: 200_000 }) }, { additionalProperties: false }),
    channel: Type.Optional(ChannelSchema),
    priority: Type.Optional(PrioritySchema),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
    assignee_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
    team_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
    store_id: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const CreateTicketResponse = Type.Object({ id: Uuid, number: Type.Integer(), customer_id: Uuid, message_id: Uuid });

export const PatchTicketBody = Type.Object(
  {
    status: Type.Optional(StatusSchema),
    priority: Type.Optional(PrioritySchema),
    assignee_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
    team_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AddMessageBody = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: 200_000 }),
    internal: Type.Optional(Type.Boolean({ description: 'An internal note, never sent to the customer' })),
    status: Type.Optional(StatusSchema),
    attachment_ids: Type.Optional(Type.Array(Uuid, { maxItems: 10, description: 'Files uploaded with POST /uploads to attach' })),
  },
  { additionalProperties: false },
);

export const ListTicketsQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ pattern: '^(new|open|pending|on_hold|solved|closed)(,(new|open|pending|on_hold|solved|closed))*$', description: 'Comma-separated statuses' })),
    assignee: Type.Optional(Type.String({ pattern: ASSIGNEE_PATTERN, description: 'me, none, or an agent id' })),
    team: Type.Optional(Uuid),
    tag: Type.Optional(Tag),
    channel: Type.Optional(ChannelSchema),
    priority: Type.Optional(PrioritySchema),
    customer_id: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ListTicketsQueryT = Static<typeof ListTicketsQuery>;

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40, description: 'Ticket id or number' }) });

type Detail = Awaited<ReturnType<typeof getTicketDetail>>;

/** Presents a ticket summary row. */
export function presentTicketSummary(t: TicketSummary) {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    tags: t.tags,
    order_numbers: t.order_numbers,
    customer: { id: t.customer_id, name: t.customer_name, email: t.customer_email },
    assignee: t.assignee_id && t.assignee_name ? { id: t.assignee_id, name: t.assignee_name } : null,
    team: t.team_id && t.team_name ? { id: t.team_id, name: t.team_name } : null,
    message_count: t.message_count,
    preview: t.preview,
    created_at: t.created_at.toISOString(),
    updated_at: t.updated_at.toISOString(),
    last_message_at: t.last_message_at.toISOString(),
    first_response_at: t.first_response_at?.toISOString() ?? null,
    solved_at: t.solved_at?.toISOString() ?? null,
  };
}

/** Presents a ticket for its own page. */
export function presentTicket(t: TicketSummary) {
  return { ...presentTicketSummary(t), custom_fields: t.custom_fields, follow_up_of_id: t.follow_up_of_id, closed_at: t.closed_at?.toISOString() ?? null };
}

/** The URL an agent downloads an attachment from. */
export function attachmentUrl(messageId: string, a: AttachmentMeta): string {
  return `/api/v1/messages/${messageId}/attachments/${a.id}`;
}

/** Presents one message of the timeline. */
export function presentMessage(m: Detail['messages'][number], ticketId: string) {
  const author =
    m.author_agent_id ? { type: 'agent' as const, id: m.author_agent_id, name: m.agent_name }
    : m.author_customer_id ? { type: 'customer' as const, id: m.author_customer_id, name: m.customer_name }
    : { type: 'system' as const, id: null, name: null };
  return {
    id: m.id,
    ticket_id: ticketId,
    kind: m.kind,
    channel: m.channel,
    author,
    body_text: m.body_text,
    body_html: m.body_html,
    attachments: m.attachments.map((a) => ({ id: a.id, filename: a.filename, content_type: a.content_type, size: a.size, url: attachmentUrl(m.id, a) })),
    delivery_status: m.delivery_status,
    delivery_error: m.delivery_error,
    created_at: m.created_at.toISOString(),
  };
}

/** Presents one entry of the event log. */
export function presentEvent(e: Detail['events'][number]) {
  const actor =
    e.actor_type === 'system' ? { type: 'system' as const, id: null, name: null }
    : e.actor_type === 'customer' ? { type: 'customer' as const, id: e.actor_id, name: e.customer_name }
    : { type: 'agent' as const, id: e.actor_id, name: e.agent_name };
  return { id: e.id, type: e.type, actor, data: e.data, created_at: e.created_at.toISOString() };
}
