/**
 * The database as TypeScript sees it: one interface per table, snake_case like the SQL.
 * Services map rows to camelCase domain objects; this file is the only place table shapes live.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamptz column: read as Date, written as Date or ISO string, defaulted by the database. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable timestamptz column. */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A jsonb column holding T. */
export type Json<T> = ColumnType<T, T | string | undefined, T | string>;
/** A tsvector maintained by the database; never written by the application. */
export type SearchVector = ColumnType<string, never, never>;

export type AgentRole = 'admin' | 'manager' | 'agent';
export type TicketStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type Channel = 'email' | 'chat' | 'contact_form' | 'phone' | 'social' | 'api' | 'portal';
export type MessageKind = 'inbound' | 'outbound' | 'note';
export type ActorType = 'agent' | 'customer' | 'system' | 'integration';
export type IdentityKind = 'email' | 'phone' | 'social';
export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'received';

/** Metadata of one attachment; the bytes live in the blob store. */
export interface AttachmentMeta {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  inline?: boolean;
  content_id?: string;
  /** Where the bytes are in the blob store (content-addressed key). */
  blob_key?: string;
}

export interface StoresTable {
  id: Generated<string>;
  name: string;
  slug: string;
  timezone: Generated<string>;
  currency: Generated<string>;
  created_at: Timestamp;
}

export interface TeamsTable {
  id: Generated<string>;
  name: string;
  created_at: Timestamp;
}

export interface AgentsTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: AgentRole;
  password_hash: string | null;
  is_active: Generated<boolean>;
  created_at: Timestamp;
  last_seen_at: NullableTimestamp;
}

export interface AgentTeamsTable {
  agent_id: string;
  team_id: string;
}

export interface SessionsTable {
  token_hash: string;
  agent_id: string;
  created_at: Timestamp;
  expires_at: Date | string;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  agent_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  /** What the token may do (see TOKEN_SCOPES); null: everything its agent's role allows. */
  scopes: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface CustomersTable {
  id: Generated<string>;
  store_id: string;
  name: string | null;
  note: string | null;
  merged_into_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  search_vector: SearchVector;
}

export interface CustomerIdentitiesTable {
  id: Generated<string>;
  store_id: string;
  customer_id: string;
  kind: IdentityKind;
  provider: Generated<string>;
  value: string;
  is_primary: Generated<boolean>;
  undeliverable_at: NullableTimestamp;
  undeliverable_reason: string | null;
  created_at: Timestamp;
}

export interface TicketsTable {
  id: Generated<string>;
  store_id: string;
  number: Generated<number>;
  subject: string;
  status: Generated<TicketStatus>;
  priority: Generated<TicketPriority>;
  channel: Generated<Channel>;
  customer_id: string;
  assignee_id: string | null;
  team_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  custom_fields: Json<Record<string, unknown>>;
  order_numbers: ColumnType<string[], string[] | undefined, string[]>;
  follow_up_of_id: string | null;
  message_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_message_at: Timestamp;
  first_response_at: NullableTimestamp;
  solved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  search_vector: SearchVector;
}

export interface MessagesTable {
  id: Generated<string>;
  ticket_id: string;
  kind: MessageKind;
  channel: Channel;
  author_agent_id: string | null;
  author_customer_id: string | null;
  body_text: string;
  body_html: string | null;
  attachments: Json<AttachmentMeta[]>;
  external_id: string | null;
  delivery_status: DeliveryStatus | null;
  delivery_error: string | null;
  metadata: Json<Record<string, unknown>>;
  created_at: Timestamp;
  search_vector: SearchVector;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: string;
  actor_type: ActorType;
  actor_id: string | null;
  type: string;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface SavedViewsTable {
  id: Generated<string>;
  agent_id: string | null;
  name: string;
  filters: Json<Record<string, unknown>>;
  position: Generated<number>;
  created_at: Timestamp;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/** One unit of durable background work; claimed with FOR UPDATE SKIP LOCKED. */
export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: Json<Record<string, unknown>>;
  idempotency_key: string | null;
  status: Generated<JobStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Timestamp;
  locked_until: NullableTimestamp;
  locked_by: string | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

export type SmtpSecurity = 'tls' | 'starttls' | 'none';

/** A support address: what it accepts, how it sends, and the IMAP account it may poll. */
export interface MailboxesTable {
  id: Generated<string>;
  store_id: string;
  address: string;
  display_name: string | null;
  accepted_addresses: ColumnType<string[], string[] | undefined, string[]>;
  accepted_domains: ColumnType<string[], string[] | undefined, string[]>;
  signature: string | null;
  is_default: Generated<boolean>;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_security: Generated<SmtpSecurity>;
  smtp_user: string | null;
  smtp_password_enc: string | null;
  dkim_domain: string | null;
  dkim_selector: string | null;
  dkim_private_key_enc: string | null;
  imap_enabled: Generated<boolean>;
  imap_host: string | null;
  imap_port: number | null;
  imap_tls: Generated<boolean>;
  imap_user: string | null;
  imap_password_enc: string | null;
  imap_folder: Generated<string>;
  imap_after_import: Generated<'flag' | 'move'>;
  imap_move_to: string | null;
  imap_uid_validity: number | null;
  imap_last_uid: Generated<number>;
  imap_last_poll_at: NullableTimestamp;
  imap_last_error: string | null;
  /** How the poller logs in: a password, or an OAuth 2.0 access token (XOAUTH2 / OAUTHBEARER). */
  imap_auth: Generated<ImapAuthMethod>;
  /** A static access token, or the cached one obtained with the refresh token (until imap_oauth_expires_at). */
  imap_oauth_access_token_enc: string | null;
  imap_oauth_expires_at: NullableTimestamp;
  imap_oauth_refresh_token_enc: string | null;
  imap_oauth_client_id: string | null;
  imap_oauth_client_secret_enc: string | null;
  imap_oauth_token_url: string | null;
  imap_oauth_scope: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ImapAuthMethod = 'password' | 'oauth2';

export type InboundOutcome = 'message' | 'bounce' | 'rate_limited' | 'ignored';

/** Every email that came in, kept for dedup, audit and the raw download. */
export interface InboundEmailsTable {
  id: Generated<string>;
  store_id: string;
  mailbox_id: string | null;
  source: 'smtp' | 'imap' | 'api';
  message_id_header: string | null;
  sender: string | null;
  content_hash: string;
  raw_blob_key: string;
  size: number;
  outcome: InboundOutcome;
  ticket_id: string | null;
  message_id: string | null;
  detail: Json<Record<string, unknown>>;
  received_at: Timestamp;
}

/** Durable per-sender counts for flood protection. */
export interface EmailSenderCountersTable {
  sender: string;
  window_start: Date | string;
  count: Generated<number>;
}

export type OutboundEmailStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** One outbound email per agent reply; transport 'local' is the demo's local outbox. */
export interface OutboundEmailsTable {
  id: Generated<string>;
  message_id: string;
  ticket_id: string;
  mailbox_id: string | null;
  message_id_header: string;
  from_address: string;
  to_address: string;
  subject: string;
  status: Generated<OutboundEmailStatus>;
  transport: 'smtp' | 'local' | null;
  raw_blob_key: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  smtp_response: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

/** Which platform serves a store's orders. */
export type StorePlatform = 'builtin' | 'vendure' | 'medusa' | 'shopify';
export type ShopPaymentStatus = 'pending' | 'authorized' | 'captured' | 'voided' | 'failed';
export type ShopFulfillmentKind = 'shipment' | 'reship' | 'exchange';
export type ShopFulfillmentStatus = 'pending' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception' | 'returned_to_sender';
export type ShopReturnStatus = 'requested' | 'in_transit' | 'received' | 'closed' | 'cancelled';
export type ShopDiscountType = 'percentage' | 'fixed_amount' | 'free_shipping';
export type OrderActionStatus = 'pending' | 'awaiting_approval' | 'succeeded' | 'refused' | 'failed';
export type OrderEventType = 'order.created' | 'order.paid' | 'order.shipped' | 'order.delivered' | 'order.cancelled' | 'order.refunded' | 'order.returned';

/** A postal address as the built-in store keeps it. */
export interface ShopAddress {
  name: string;
  line1: string;
  line2?: string | null;
  postal_code: string;
  city: string;
  region?: string | null;
  country: string;
  phone?: string | null;
}

export interface StoreConnectionsTable {
  store_id: string;
  platform: Generated<StorePlatform>;
  order_number_prefix: string | null;
  order_number_pattern: string | null;
  settings: Json<Record<string, unknown>>;
  /** Encrypted JSON object of the platform's secrets (src/shared/secrets.ts); never sent to clients. */
  credentials: ColumnType<string | null, string | null | undefined, string | null>;
  /** Where polling the platform's changes resumes. */
  feed_cursor: ColumnType<string | null, string | null | undefined, string | null>;
  last_synced_at: NullableTimestamp;
  last_sync_error: ColumnType<string | null, string | null | undefined, string | null>;
  last_webhook_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ShopProductsTable {
  id: Generated<string>;
  store_id: string;
  handle: string;
  title: string;
  description: string | null;
  category: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
}

export interface ShopVariantsTable {
  id: Generated<string>;
  store_id: string;
  product_id: string;
  sku: string;
  title: string;
  options: Json<Record<string, string>>;
  price_minor: number;
  inventory_quantity: number | null;
  created_at: Timestamp;
}

export interface ShopCustomersTable {
  id: Generated<string>;
  store_id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  created_at: Timestamp;
}

export interface ShopOrdersTable {
  id: Generated<string>;
  store_id: string;
  number: string;
  customer_id: string | null;
  email: string | null;
  currency: string;
  taxes_included: Generated<boolean>;
  subtotal_minor: number;
  discount_minor: Generated<number>;
  shipping_minor: Generated<number>;
  shipping_tax_minor: Generated<number>;
  tax_minor: Generated<number>;
  total_minor: number;
  discount_codes: ColumnType<string[], string[] | undefined, string[]>;
  shipping_method: string | null;
  shipping_address: ColumnType<ShopAddress | null, ShopAddress | string | null | undefined, ShopAddress | string | null>;
  placed_at: Timestamp;
  expected_delivery_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
  cancel_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ShopOrderLinesTable {
  id: Generated<string>;
  order_id: string;
  position: number;
  variant_id: string | null;
  product_title: string;
  variant_title: string | null;
  sku: string | null;
  quantity: number;
  unit_price_minor: number;
  discount_minor: Generated<number>;
  tax_minor: Generated<number>;
  tax_rate_bp: Generated<number>;
  total_minor: number;
}

export interface ShopPaymentsTable {
  id: Generated<string>;
  order_id: string;
  method: string;
  method_detail: string | null;
  amount_minor: number;
  status: ShopPaymentStatus;
  created_at: Timestamp;
  captured_at: NullableTimestamp;
}

export interface ShopRefundsTable {
  id: Generated<string>;
  order_id: string;
  payment_id: string | null;
  amount_minor: number;
  shipping_minor: Generated<number>;
  destination: Generated<'original_payment' | 'store_credit'>;
  reason: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ShopRefundLinesTable {
  refund_id: string;
  line_id: string;
  quantity: number;
  amount_minor: number;
}

export interface ShopFulfillmentsTable {
  id: Generated<string>;
  order_id: string;
  kind: Generated<ShopFulfillmentKind>;
  status: Generated<ShopFulfillmentStatus>;
  carrier: string | null;
  service: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  shipped_at: NullableTimestamp;
  estimated_delivery_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ShopFulfillmentLinesTable {
  id: Generated<string>;
  fulfillment_id: string;
  line_id: string | null;
  variant_id: string | null;
  sku: string | null;
  title: string;
  quantity: number;
}

export interface ShopReturnsTable {
  id: Generated<string>;
  order_id: string;
  rma_number: string;
  kind: Generated<'return' | 'exchange'>;
  status: Generated<ShopReturnStatus>;
  reason: string | null;
  created_at: Timestamp;
  received_at: NullableTimestamp;
}

export interface ShopReturnLinesTable {
  id: Generated<string>;
  return_id: string;
  line_id: string;
  quantity: number;
  reason: string | null;
  replacement_variant_id: string | null;
  replacement_sku: string | null;
}

export interface ShopStoreCreditsTable {
  id: Generated<string>;
  store_id: string;
  customer_id: string;
  order_id: string | null;
  amount_minor: number;
  currency: string;
  reason: string | null;
  expires_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ShopDiscountCodesTable {
  id: Generated<string>;
  store_id: string;
  code: string;
  discount_type: ShopDiscountType;
  value: Generated<number>;
  currency: string | null;
  customer_id: string | null;
  order_id: string | null;
  usage_limit: number | null;
  times_used: Generated<number>;
  expires_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ShopOrderNotesTable {
  id: Generated<string>;
  order_id: string;
  body: string;
  author: string | null;
  created_at: Timestamp;
}

export interface ShopIdempotencyKeysTable {
  store_id: string;
  key: string;
  action: string;
  order_id: string | null;
  result: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface StoreOrderEventsTable {
  id: Generated<number>;
  store_id: string;
  order_number: string;
  customer_email: string | null;
  type: OrderEventType;
  occurred_at: Date | string;
  data: Json<Record<string, unknown>>;
  source_id: string;
  received_at: Timestamp;
}

export interface OrderActionsTable {
  id: Generated<string>;
  idempotency_key: string;
  request_hash: string;
  store_id: string;
  ticket_id: string | null;
  order_number: string;
  action: string;
  params: Json<Record<string, unknown>>;
  status: OrderActionStatus;
  amount_minor: number | null;
  currency: string | null;
  summary: string | null;
  store_reference: string | null;
  result: ColumnType<Record<string, unknown> | null, Record<string, unknown> | string | null | undefined, Record<string, unknown> | string | null>;
  error: string | null;
  actor_type: ActorType;
  actor_id: string | null;
  actor_name: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: NullableTimestamp;
  /** Which goodwill it gives (refund, discount, store_credit, replacement); null for none. */
  remedy: ColumnType<RemedyType | null, RemedyType | null | undefined, RemedyType | null>;
  /** The playbook the action was taken under, its problem kind, standard or deviation, and why. */
  playbook_id: ColumnType<string | null, string | null | undefined, string | null>;
  problem_kind: ColumnType<string | null, string | null | undefined, string | null>;
  standard_remedy: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  deviation_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The kinds of goodwill authority limits and budgets count. */
export type RemedyType = 'refund' | 'discount' | 'store_credit' | 'replacement';
export type ApprovalStatus = 'pending' | 'approved' | 'refused';

/** The most an agent may give without asking: a role's default, or one agent's override. */
export interface AuthorityLimitsTable {
  id: Generated<string>;
  store_id: string;
  role: AgentRole | null;
  agent_id: string | null;
  remedy: RemedyType;
  per_action_minor: number | null;
  per_ticket_minor: number | null;
  per_day_minor: number | null;
  per_month_minor: number | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** A store's monthly goodwill budget for one remedy type. */
export interface GoodwillBudgetsTable {
  store_id: string;
  remedy: RemedyType;
  monthly_minor: number;
  warn_at_percent: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** An action above someone's authority, waiting for or decided by a manager. */
export interface ApprovalRequestsTable {
  id: Generated<string>;
  order_action_id: string;
  store_id: string;
  ticket_id: string | null;
  order_number: string;
  action: string;
  remedy: RemedyType | null;
  amount_minor: number;
  currency: string;
  summary: string;
  reasons: Json<Record<string, unknown>[]>;
  status: Generated<ApprovalStatus>;
  requested_by: string | null;
  requested_by_name: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decision_reason: string | null;
  created_at: Timestamp;
  decided_at: NullableTimestamp;
}

/** The standard remedy for one kind of problem in one store. */
export interface PlaybooksTable {
  id: Generated<string>;
  store_id: string;
  problem_kind: string;
  name: string;
  description: Generated<string>;
  keywords: ColumnType<string[], string[] | undefined, string[]>;
  conditions: Json<Record<string, unknown>>;
  remedies: Json<Record<string, unknown>[]>;
  return_required: Generated<boolean>;
  is_active: Generated<boolean>;
  position: Generated<number>;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Who granted, requested, approved, refused or changed what (authority, budgets, playbooks). */
export interface AuditLogTable {
  id: Generated<number>;
  store_id: string | null;
  actor_type: ActorType;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

/** Every table storedesk owns. */
/** One saved version of a store's policy document; the newest version is active. */
export interface StorePolicyVersionsTable {
  id: Generated<string>;
  store_id: string;
  version: number;
  /** The policy document (src/modules/policies/policy-document.ts), validated before saving. */
  document: Json<Record<string, unknown>>;
  /** The plain-language summary at the time, one sentence per line. */
  summary: string;
  /** What changed against the previous version, one sentence each. */
  changes: Json<string[]>;
  change_note: Generated<string>;
  created_by: string | null;
  created_by_name: string;
  created_at: Timestamp;
}

/** A file an agent uploaded to attach to a reply or note. */
export interface UploadsTable {
  id: Generated<string>;
  agent_id: string;
  blob_key: string;
  filename: string;
  content_type: string;
  size: number;
  created_at: Timestamp;
}

export interface DB {
  uploads: UploadsTable;
  stores: StoresTable;
  teams: TeamsTable;
  agents: AgentsTable;
  agent_teams: AgentTeamsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  customers: CustomersTable;
  customer_identities: CustomerIdentitiesTable;
  tickets: TicketsTable;
  messages: MessagesTable;
  ticket_events: TicketEventsTable;
  saved_views: SavedViewsTable;
  store_connections: StoreConnectionsTable;
  shop_products: ShopProductsTable;
  shop_variants: ShopVariantsTable;
  shop_customers: ShopCustomersTable;
  shop_orders: ShopOrdersTable;
  shop_order_lines: ShopOrderLinesTable;
  shop_payments: ShopPaymentsTable;
  shop_refunds: ShopRefundsTable;
  shop_refund_lines: ShopRefundLinesTable;
  shop_fulfillments: ShopFulfillmentsTable;
  shop_fulfillment_lines: ShopFulfillmentLinesTable;
  shop_returns: ShopReturnsTable;
  shop_return_lines: ShopReturnLinesTable;
  shop_store_credits: ShopStoreCreditsTable;
  shop_discount_codes: ShopDiscountCodesTable;
  shop_order_notes: ShopOrderNotesTable;
  shop_idempotency_keys: ShopIdempotencyKeysTable;
  store_order_events: StoreOrderEventsTable;
  order_actions: OrderActionsTable;
  store_policy_versions: StorePolicyVersionsTable;
  authority_limits: AuthorityLimitsTable;
  goodwill_budgets: GoodwillBudgetsTable;
  approval_requests: ApprovalRequestsTable;
  playbooks: PlaybooksTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  mailboxes: MailboxesTable;
  inbound_emails: InboundEmailsTable;
  email_sender_counters: EmailSenderCountersTable;
  outbound_emails: OutboundEmailsTable;
}

export type AgentRow = Selectable<AgentsTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type IdentityRow = Selectable<CustomerIdentitiesTable>;
export type TicketRow = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type TicketEventRow = Selectable<TicketEventsTable>;
export type JobRow = Selectable<JobsTable>;
export type MailboxRow = Selectable<MailboxesTable>;
export type OutboundEmailRow = Selectable<OutboundEmailsTable>;
