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
  /** Files uploaded with POST /uploads. */
  attachment_ids?: string[];
}

/** A file uploaded to attach to a reply or note. */
export interface Upload {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  created_at: string;
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

// --- Stores and orders ----------------------------------------------------------------------

/** An amount of money: integer minor units (cents) and an ISO 4217 currency code. */
export interface Money {
  amount: number;
  currency: string;
}

/** A store (brand) an order or customer belongs to. */
export interface StoreRef {
  id: string;
  name: string;
  /** builtin, vendure, medusa or shopify. */
  platform: string;
  currency: string;
  timezone: string;
}

/** A store as `GET /stores` lists it. */
export interface Store extends StoreRef {
  order_number_prefix: string | null;
  order_number_pattern: string | null;
  tax_rate_bp: number | null;
  /** Actions the platform supports; null when its connector is not installed. */
  actions: OrderActionKind[] | null;
}

/** Everything an agent can do to an order. */
export type OrderActionKind = 'refund' | 'cancel' | 'create_return' | 'exchange' | 'reship' | 'discount_code' | 'store_credit' | 'add_note';

/** What a refund covers. */
export type RefundScope = 'order' | 'lines' | 'shipping' | 'amount';

/** What a store's platform supports; the workspace offers only these. */
export interface StoreCapabilities {
  actions: OrderActionKind[];
  refund_scopes: RefundScope[];
  refund_to_store_credit: boolean;
  tracking_lookup: boolean;
  change_feed: string;
}

/** The order at a glance; late: paid, not delivered, past the promised date. */
export type OrderState = 'placed' | 'paid' | 'shipped' | 'late' | 'delivered' | 'return_requested' | 'returned' | 'refunded' | 'cancelled';

/** Where a parcel is. */
export type ShipmentStatus = 'pending' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception' | 'returned_to_sender';

/** A postal address. */
export interface PostalAddress {
  name: string;
  line1: string;
  line2: string | null;
  postal_code: string;
  city: string;
  region: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  phone: string | null;
}

/** One line of an order. */
export interface OrderLine {
  id: string;
  product_id: string | null;
  variant_id: string | null;
  product_title: string;
  variant_title: string | null;
  sku: string | null;
  quantity: number;
  unit_price: Money;
  line_price: Money;
  discount: Money;
  tax: Money;
  /** Paid for this line, tax included. */
  total: Money;
  quantity_shipped: number;
  quantity_refunded: number;
  quantity_returned: number;
}

/** A payment on an order. */
export interface OrderPayment {
  id: string;
  method: string;
  /** For people: "Visa •••• 4242". */
  method_detail: string | null;
  amount: Money;
  status: string;
  created_at: string;
}

/** Money that went back to the customer. */
export interface OrderRefund {
  id: string;
  amount: Money;
  /** The part of `amount` that refunded shipping. */
  shipping: Money;
  destination: string;
  reason: string | null;
  created_at: string;
  lines: Array<{ line_id: string; quantity: number; amount: Money }>;
}

/** A parcel: the first shipment, a free reship or an exchange's replacement. */
export interface OrderFulfillment {
  id: string;
  kind: string;
  status: ShipmentStatus;
  carrier: string | null;
  service: string | null;
  tracking_number: string | null;
  /** The carrier's tracking page. */
  tracking_url: string | null;
  shipped_at: string | null;
  estimated_delivery_at: string | null;
  delivered_at: string | null;
  lines: Array<{ line_id: string | null; sku: string | null; title: string; quantity: number }>;
}

/** A return (RMA), possibly part of an exchange. */
export interface OrderReturn {
  id: string;
  /** RMA number. */
  number: string;
  kind: string;
  status: string;
  reason: string | null;
  created_at: string;
  received_at: string | null;
  lines: Array<{ line_id: string; quantity: number; reason: string | null; replacement_sku: string | null }>;
}

/** An order with everything an agent needs to answer about it. */
export interface Order {
  /** The number customers quote. */
  number: string;
  store_id: string;
  external_id: string;
  admin_url: string | null;
  status: OrderState;
  /** e.g. "Delivered 12 Nov", "Late — expected 8 Nov". */
  status_label: string;
  partially_refunded: boolean;
  partially_shipped: boolean;
  financial_status: string;
  fulfillment_status: string;
  placed_at: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
  expected_delivery_at: string | null;
  delivered_at: string | null;
  currency: string;
  taxes_included: boolean;
  subtotal: Money;
  discount_total: Money;
  shipping_total: Money;
  tax_total: Money;
  total: Money;
  paid: Money;
  refunded: Money;
  discount_codes: string[];
  shipping_method: string | null;
  shipping_address: PostalAddress | null;
  customer: { external_id: string | null; email: string | null; name: string | null };
  item_count: number;
  /** The parcel to follow. */
  tracking: { carrier: string | null; number: string; url: string | null; status: ShipmentStatus } | null;
  lines: OrderLine[];
  payments: OrderPayment[];
  refunds: OrderRefund[];
  fulfillments: OrderFulfillment[];
  returns: OrderReturn[];
  notes: Array<{ body: string; author: string | null; created_at: string }>;
}

/** The most that can still be refunded. */
export interface Refundable {
  total: Money;
  shipping: Money;
  paid: Money;
  refunded: Money;
  lines: Array<{ line_id: string; quantity: number; amount: Money }>;
}

/** `GET /customers/{id}/orders`: the customer's orders in their store, newest first. */
export interface CustomerOrders {
  store: StoreRef;
  capabilities: StoreCapabilities;
  /** The customer's account in the store; null when the store does not know them. */
  store_customer: {
    external_id: string;
    email: string | null;
    phone: string | null;
    name: string | null;
    created_at: string | null;
    store_credit: Money | null;
  } | null;
  stats: {
    order_count: number;
    /** Paid minus refunded, all orders. */
    lifetime_value: Money;
    first_order_at: string | null;
    last_order_at: string | null;
    /** orders_shown: counted from this page only. */
    source: 'store' | 'orders_shown';
  } | null;
  items: Order[];
  next_cursor: string | null;
}

/** A storedesk customer as order answers name them. */
export interface OrderCustomerRef {
  id: string;
  name: string | null;
  email: string;
}

/** `GET /orders/{storeId}/{number}`: one order in full. */
export interface OrderDetail {
  order: Order;
  store: StoreRef;
  capabilities: StoreCapabilities;
  refundable: Refundable;
  customer: OrderCustomerRef | null;
  tickets: Array<{ id: string; number: number; subject: string; status: TicketStatus; updated_at: string }>;
}

/** `GET /orders/lookup`. */
export interface OrderLookup {
  matches: Array<{
    store: StoreRef;
    matched_by: 'order_number' | 'tracking_number';
    order: Order;
    customer: OrderCustomerRef | null;
  }>;
  /** Stores that could not be asked. */
  unavailable: Array<{ store_id: string; store_name: string }>;
}

/** `GET /customers/{id}/order-timeline` entry. */
export interface OrderTimelineEntry {
  id: number;
  store_id: string;
  store_name: string;
  order_number: string;
  /** order.created, order.paid, order.shipped, order.delivered, order.cancelled, order.refunded, order.returned. */
  type: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

/** Some units of an order line, for refunds, returns, exchanges and reships. */
/**
 * Why the customer gets a remedy, as the store policy decides by it (`reason_code`). The free-text
 * `reason` is only the agent's note once a code is given.
 */
export type ReasonCode =
  | 'defective'
  | 'damaged'
  | 'wrong_item'
  | 'not_as_described'
  | 'changed_mind'
  | 'late_delivery'
  | 'price_drop'
  | 'other';

export interface OrderActionLine {
  line_id: string;
  quantity: number;
  reason?: string;
  /** This line's reason code, when it differs from the action's. */
  reason_code?: ReasonCode;
  /** Exchange: the SKU to send instead. */
  replacement_sku?: string;
}

/** Parameters of an order action; which apply depends on the action. */
export interface OrderActionParams {
  scope?: RefundScope;
  lines?: OrderActionLine[];
  include_shipping?: boolean;
  /** Minor units of the order's currency. */
  amount?: number;
  /** Guard: refused unless it is the order's currency. */
  currency?: string;
  destination?: 'original_payment' | 'store_credit';
  /** The agent's note, kept with the action. */
  reason?: string;
  /** refund, create_return, exchange, reship, discount_code, store_credit: the reason the policy decides by. */
  reason_code?: ReasonCode;
  refund_payment?: boolean;
  restock?: boolean;
  discount_type?: 'percentage' | 'fixed_amount' | 'free_shipping';
  percentage?: number;
  code?: string;
  expires_at?: string;
  note?: string;
}

/** `POST /tickets/{id}/order-actions` body. */
export interface OrderActionRequest {
  order_number: string;
  action: OrderActionKind;
  params?: OrderActionParams;
  /** Required unless dry_run: one per intended action; a repeat never acts twice. */
  idempotency_key?: string;
  dry_run?: boolean;
  store_id?: string;
  /** The playbook the agent acts under (from the suggestions). */
  playbook_id?: string;
  /** Required when the action is not one of the playbook's standard remedies. */
  deviation_reason?: string;
  /** Above the agent's authority: ask a manager (default) or be refused with 403. */
  request_approval?: boolean;
}

/** A refusal in words an agent can act on. */
export interface OrderRefusal {
  code: string;
  message: string;
  /** The most that is possible, for exceeds_* refusals. */
  limit?: Money;
}

/** What an action gives away as the agent's limits, approvals and budgets count it (the figure an approval request carries). */
export interface PlanValue {
  amount: Money;
  /** How it was worked out when it is not the plan's own amount ("15% of the €120.00 merchandise subtotal of NW-1001"). */
  basis: string | null;
  /** For a percentage discount code: the percentage and the order's merchandise subtotal it is a share of. */
  share: { percent: number; of: Money } | null;
}

/** What an action would do, shown before the agent confirms. */
export interface OrderActionPreview {
  dry_run: true;
  ok: boolean;
  store: StoreRef;
  order_number: string;
  plan: {
    action: string;
    summary: string;
    effects: string[];
    /** The plan's own amount (what is refunded or credited, a fixed discount's face value, replacements' value); 0 for a percentage discount code. */
    amount: Money;
    /** What this gives away as limits, approvals and budgets count it; null for actions that give nothing away. Never add it to `amount`. */
    value: PlanValue | null;
    lines: Array<{ line_id: string; title: string; sku: string | null; quantity: number; amount: Money; replacement_sku?: string }>;
    shipping: Money | null;
    refundable_max: Money | null;
    destination: string | null;
    price_difference: Money | null;
  } | null;
  refusal: OrderRefusal | null;
  /** The store policy's (and authority's) answer; `notes` are the reasons, citing the policy, shown before confirming. */
  policy: { outcome: string; message?: string; notes?: string[]; reasons?: AuthorityReason[] } | null;
  /** With playbook_id: whether this is the playbook's standard remedy. */
  playbook?: { id: string; name: string; standard: boolean } | null;
  refundable: Refundable;
}

/** A limit or budget an action goes past. */
export interface AuthorityReason {
  kind: 'limit' | 'budget';
  remedy: string;
  period: string;
  limit: Money;
  used: Money;
  requested: Money;
  /** "Your refund limit is €50.00 per action; this refund is €80.00." */
  message: string;
}

/** The approval an action waits for, or was decided by. */
export interface ActionApproval {
  id: string;
  status: 'pending' | 'approved' | 'refused';
  reasons: AuthorityReason[];
  requested_by: { id: string | null; name: string };
  decided_by: { id: string | null; name: string } | null;
  decision_reason: string | null;
  created_at: string;
  decided_at: string | null;
}

/** One action on an order as the audit log keeps it. */
export interface OrderActionRecord {
  id: string;
  ticket_id: string | null;
  store: { id: string; name: string | null };
  order_number: string;
  action: string;
  /** awaiting_approval: above the agent's authority, sent to a manager; the store was not asked. */
  status: 'pending' | 'awaiting_approval' | 'succeeded' | 'refused' | 'failed';
  amount: Money | null;
  summary: string | null;
  /** What the store created: refund id, RMA number, discount code… */
  store_reference: string | null;
  outcome: {
    ok: boolean;
    summary?: string;
    store_reference?: string | null;
    amount?: Money | null;
    details?: Record<string, unknown>;
    refusal?: OrderRefusal;
  } | null;
  effects: string[];
  error: string | null;
  actor: { type: string; id: string | null; name: string | null };
  idempotency_key: string;
  attempts: number;
  /** True when this is the stored answer to a repeated idempotency key. */
  replayed: boolean;
  created_at: string;
  completed_at: string | null;
  approval?: ActionApproval | null;
  /** The playbook it was taken under: standard remedy or a deviation and why. */
  playbook?: { id: string; problem_kind: string | null; standard: boolean; deviation_reason: string | null } | null;
}

// --- Administration -------------------------------------------------------------------------

/** A mailbox as the API shows it; secrets are never returned, only whether they are set. */
export interface Mailbox {
  id: string;
  store_id: string;
  address: string;
  display_name: string | null;
  accepted_addresses: string[];
  accepted_domains: string[];
  signature: string | null;
  is_default: boolean;
  smtp: { host: string; port: number; security: SmtpSecurity; user: string | null; password_set: boolean } | null;
  dkim: { domain: string; selector: string; private_key_set: boolean } | null;
  imap: {
    enabled: boolean;
    host: string;
    port: number;
    tls: boolean;
    user: string;
    password_set: boolean;
    folder: string;
    after_import: 'flag' | 'move';
    move_to: string | null;
    last_uid: number;
    last_poll_at: string | null;
    last_error: string | null;
    /** How the poller logs in: a password, or an OAuth 2.0 access token (XOAUTH2 / OAUTHBEARER). */
    auth: ImapAuthMethod;
    /** OAuth settings when auth is oauth2; tokens and the client secret are never returned. */
    oauth: {
      mode: 'static' | 'refresh' | null;
      client_id: string | null;
      token_url: string | null;
      scope: string | null;
      access_token_set: boolean;
      refresh_token_set: boolean;
      client_secret_set: boolean;
      access_token_expires_at: string | null;
    } | null;
  } | null;
  created_at: string;
  updated_at: string;
}

/** How a mailbox logs in to its IMAP account. */
export type ImapAuthMethod = 'password' | 'oauth2';

/** How the relay connection is secured: implicit TLS (465), STARTTLS (587) or none. */
export type SmtpSecurity = 'tls' | 'starttls' | 'none';

/** `POST /mailboxes` and `PATCH /mailboxes/{id}`. Omitted passwords and keys are kept. */
export interface MailboxInput {
  address?: string;
  display_name?: string | null;
  accepted_addresses?: string[];
  accepted_domains?: string[];
  signature?: string | null;
  is_default?: boolean;
  smtp?: { host: string; port: number; security: SmtpSecurity; user?: string | null; password?: string | null } | null;
  dkim?: { domain: string; selector: string; private_key?: string } | null;
  imap?: {
    enabled: boolean;
    host: string;
    port: number;
    tls: boolean;
    user: string;
    auth?: ImapAuthMethod;
    password?: string | null;
    /** Write-only tokens and secret: omitted ones are kept, null removes. */
    oauth?: {
      access_token?: string | null;
      refresh_token?: string | null;
      client_id?: string | null;
      client_secret?: string | null;
      token_url?: string | null;
      scope?: string | null;
    } | null;
    folder?: string;
    after_import?: 'flag' | 'move';
    move_to?: string | null;
  } | null;
}

/** One email in the local outbox (kept on this machine because no relay is configured). */
export interface OutboxEntry {
  id: string;
  message_id: string;
  ticket_id: string;
  message_id_header: string;
  from: string;
  to: string;
  subject: string;
  status: string;
  created_at: string;
  sent_at: string | null;
  /** The .eml as it would have been sent. */
  raw_url: string;
}

/** `POST /agents`. */
export interface NewAgent {
  email: string;
  name?: string;
  role: AgentRole;
  password?: string;
}

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

/** One field an admin fills in to connect a store platform. */
export interface ConnectionField {
  key: string;
  label: string;
  kind: 'url' | 'text' | 'secret';
  required: boolean;
  help: string | null;
}

/** A store platform this storedesk can connect, with the fields it needs. */
export interface StorePlatformInfo {
  platform: string;
  name: string;
  settings: ConnectionField[];
  credentials: ConnectionField[];
}

/** A store's connection as admins see it; credentials are never returned, only which are saved. */
export interface StoreConnection extends Store {
  platform_name: string;
  settings: Record<string, unknown>;
  credentials_set: string[];
  change_feed: 'push' | 'webhook' | 'poll' | 'none' | null;
  /** Where the platform sends webhooks, relative to this storedesk's address. */
  webhook_path: string | null;
  last_synced_at: string | null;
  last_sync_error: string | null;
  last_webhook_at: string | null;
}

/** What an admin sends to connect or change a store. */
export interface StoreConnectionInput {
  name?: string;
  currency?: string;
  timezone?: string;
  platform?: string;
  settings?: Record<string, string | null>;
  credentials?: Record<string, string | null>;
  order_number_prefix?: string | null;
  order_number_pattern?: string | null;
}
