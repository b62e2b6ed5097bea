/**
 * Shapes of the storedesk HTTP API (`/api/v1`), as the workspace reads and sends them.
 * Field names are the API's snake_case; keep these in step with the server's schemas
 * (the OpenAPI document at /api/openapi.json is the reference).
 */

/** An agent's role, from least to most authority. */
export type AgentRole = 'agent' | 'manager' | 'admin';

/** Where a ticket is in its life. */
export type TicketStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';

/** How urgent a ticket is. */
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

/** Where a ticket or message came from. */
export type Channel = 'email' | 'chat' | 'contact_form' | 'phone' | 'social' | 'api' | 'portal';

/** Customer-visible inbound, agent reply, or internal note. */
export type MessageKind = 'inbound' | 'outbound' | 'note';

/** Delivery of a message to or from the customer. */
export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'received';

/** Who did something. */
export type ActorType = 'agent' | 'customer' | 'system' | 'integration';

/** A staff member who works tickets. */
export interface Agent {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  is_active: boolean;
  team_ids?: string[];
}

/** A group of agents tickets can be routed to. */
export interface Team {
  id: string;
  name: string;
  member_count: number;
}

/** A list page with an opaque cursor for the next page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A plain list. */
export interface ItemList<T> {
  items: T[];
}

/** A ticket as lists show it. */
export interface TicketSummary {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  channel: Channel;
  tags: string[];
  /** Store order numbers mentioned on or linked to the ticket. */
  order_numbers: string[];
  customer: { id: string; name: string | null; email: string | null };
  assignee: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  message_count: number;
  /** Excerpt of the last message. */
  preview: string | null;
  created_at: string;
  updated_at: string;
  last_message_at: string | null;
  first_response_at: string | null;
  solved_at: string | null;
}

/** A ticket with everything the ticket page shows besides the timeline. */
export interface TicketDetail extends TicketSummary {
  custom_fields: Record<string, unknown>;
  /** The closed ticket this one continues, when a customer wrote after it closed. */
  follow_up_of_id: string | null;
  closed_at: string | null;
}

/** Who wrote a message or caused an event. */
export interface ActorRef {
  type: ActorType;
  id: string | null;
  name: string | null;
}

/** A file attached to a message. */
export interface Attachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
}

/** One message in a ticket's conversation. */
export interface Message {
  id: string;
  ticket_id: string;
  kind: MessageKind;
  channel: Channel;
  author: ActorRef | null;
  body_text: string;
  /** Sanitized by the server; still purified again before it is rendered. */
  body_html: string | null;
  attachments: Attachment[];
  delivery_status: DeliveryStatus | null;
  delivery_error: string | null;
  created_at: string;
}

/** Something that happened to a ticket (status change, assignment, …). */
export interface TicketEvent {
  id: number | string;
  type: string;
  actor: ActorRef | null;
  data: Record<string, unknown>;
  created_at: string;
}

/** `GET /tickets/{id}`. */
export interface TicketPage {
  ticket: TicketDetail;
  messages: Message[];
  events: TicketEvent[];
  customer: Customer;
}

/** `GET /tickets/counts`: open-work counters, capped at 10000. */
export interface TicketCounts {
  mine: number;
  unassigned: number;
  open: number;
  pending: number;
  on_hold: number;
  solved: number;
  all: number;
}

/** Filters the ticket list understands; every value is the query-string form. */
export interface TicketFilters {
  /** Comma list of statuses. */
  status?: string;
  /** `me`, `none` or an agent id. */
  assignee?: string;
  team?: string;
  tag?: string;
  channel?: string;
  priority?: string;
  customer_id?: string;
  q?: string;
}

/** A list filter an agent saved under a name. */
export interface SavedView {
  id: string;
  name: string;
  filters: Omit<TicketFilters, 'customer_id'>;
  shared: boolean;
}

/** `PATCH /tickets/{id}`. */
export interface TicketPatch {
  status?: TicketStatus;
  priority?: TicketPriority;
  assignee_id?: string | null;
  team_id?: string | null;
  tags?: string[];
  subject?: string;
}

/** `POST /tickets/{id}/messages`. */
export interface NewMessage {
  body: string;
  internal?: boolean;
  /** Status to set in the same action, e.g. `pending` after a reply. */
  status?: TicketStatus;
}

/** `POST /tickets`. */
export interface NewTicket {
  subject: string;
  customer: { email: string; name?: string };
  message: { body: string };
  channel?: Channel;
  priority?: TicketPriority;
  tags?: string[];
}

/** `POST /tickets` answer. */
export interface CreatedTicket {
  id: string;
  number: number;
  customer_id: string;
  message_id: string;
}

/** A way to reach a customer. */
export interface Identity {
  id: string;
  kind: 'email' | 'phone' | 'social';
  provider: string | null;
  value: string;
  is_primary: boolean;
  /** Set when mail to this address bounced for good. */
  undeliverable_at: string | null;
}

/** A customer with identities and recent tickets. */
export interface Customer {
  id: string;
  name: string | null;
  note: string | null;
  created_at: string;
  identities: Identity[];
  ticket_count: number;
  tickets: TicketSummary[];
}

/** A customer as lists show it. */
export interface CustomerSummary {
  id: string;
  name: string | null;
  email: string | null;
  created_at: string;
  ticket_count: number;
}

/** `GET /search`. */
export interface SearchResults {
  tickets: Array<TicketSummary & { highlight?: string }>;
  messages: Array<{
    id: string;
    ticket_id: string;
    ticket_number: number;
    ticket_subject: string;
    kind: MessageKind;
    snippet: string;
    created_at: string;
  }>;
  customers: Array<{ id: string; name: string | null; email: string | null }>;
}

/** `GET /meta`: what the sign-in page may show before anyone signs in. */
export interface Meta {
  name: string;
  demo: boolean;
  demo_logins: Array<{ email: string; role: string; name?: string }>;
  demo_password: string | null;
}

/** An agent on a ticket page right now. */
export interface PresenceViewer {
  agent_id: string;
  name: string;
  state: 'viewing' | 'replying';
}

/** One Server-Sent Event from `GET /stream`. */
export type LiveEvent =
  | { type: 'ticket.created'; ticket_id: string; number: number }
  | { type: 'ticket.updated'; ticket_id: string; number: number; changes: string[] }
  | { type: 'message.created'; ticket_id: string; number: number; message_id: string; kind: MessageKind }
  | { type: 'presence'; ticket_id: string; viewers: PresenceViewer[] };

/** RFC 9457 problem document the API answers errors with. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
  request_id?: string;
}
