/**
 * The email channel and the job queue: durable jobs (claimed with FOR UPDATE SKIP LOCKED),
 * mailboxes with their encrypted relay and IMAP secrets, the log of every inbound email (dedup by
 * Message-ID and by content), durable per-sender counters for rate limiting, and one row per
 * outbound email (which doubles as the local outbox when no relay is configured).
 * Frozen: never edit after release; add a new migration instead.
 */
import { sql, type Kysely } from 'kysely';

/** Runs a DDL script one statement at a time (the embedded database takes one per call). */
async function run(db: Kysely<any>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await run(db, `
    create table jobs (
      id bigint generated always as identity primary key,
      queue text not null,
      payload jsonb not null default '{}',
      idempotency_key text unique,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      attempts integer not null default 0,
      max_attempts integer not null default 8,
      run_at timestamptz not null default now(),
      locked_until timestamptz,
      locked_by text,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz
    );
    -- The worker looks for due jobs and for running jobs whose lease ran out (a crashed worker).
    create index jobs_due_idx on jobs (run_at, id) where status = 'queued';
    create index jobs_lease_idx on jobs (locked_until) where status = 'running';

    create table mailboxes (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id),
      address text not null,
      display_name text,
      accepted_addresses text[] not null default '{}',
      accepted_domains text[] not null default '{}',
      signature text,
      is_default boolean not null default false,
      smtp_host text,
      smtp_port integer,
      smtp_security text not null default 'starttls' check (smtp_security in ('tls', 'starttls', 'none')),
      smtp_user text,
      smtp_password_enc text,
      dkim_domain text,
      dkim_selector text,
      dkim_private_key_enc text,
      imap_enabled boolean not null default false,
      imap_host text,
      imap_port integer,
      imap_tls boolean not null default true,
      imap_user text,
      imap_password_enc text,
      imap_folder text not null default 'INBOX',
      imap_after_import text not null default 'flag' check (imap_after_import in ('flag', 'move')),
      imap_move_to text,
      imap_uid_validity bigint,
      imap_last_uid bigint not null default 0,
      imap_last_poll_at timestamptz,
      imap_last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index mailboxes_address_key on mailboxes (lower(address));

    create table inbound_emails (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id),
      mailbox_id uuid references mailboxes (id) on delete set null,
      source text not null check (source in ('smtp', 'imap', 'api')),
      message_id_header text,
      sender text,
      content_hash text not null,
      raw_blob_key text not null,
      size integer not null,
      outcome text not null check (outcome in ('message', 'bounce', 'rate_limited', 'ignored')),
      ticket_id uuid references tickets (id) on delete set null,
      message_id uuid references messages (id) on delete set null,
      detail jsonb not null default '{}',
      received_at timestamptz not null default now()
    );
    -- The same Message-ID delivered twice (SMTP retry, IMAP re-import) is one email.
    create unique index inbound_emails_message_id_key on inbound_emails (store_id, message_id_header);
    create index inbound_emails_sender_hash_idx on inbound_emails (sender, content_hash, received_at desc);
    create index inbound_emails_ticket_idx on inbound_emails (ticket_id, received_at desc) where ticket_id is not null;

    create table email_sender_counters (
      sender text not null,
      window_start timestamptz not null,
      count integer not null default 0,
      primary key (sender, window_start)
    );

    create table outbound_emails (
      id uuid primary key default gen_random_uuid(),
      message_id uuid not null unique references messages (id) on delete cascade,
      ticket_id uuid not null references tickets (id) on delete cascade,
      mailbox_id uuid references mailboxes (id) on delete set null,
      message_id_header text not null,
      from_address text not null,
      to_address text not null,
      subject text not null,
      status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
      transport text check (transport in ('smtp', 'local')),
      raw_blob_key text,
      attempts integer not null default 0,
      last_error text,
      smtp_response text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index outbound_emails_transport_idx on outbound_emails (transport, created_at desc);
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(db, `
    drop table if exists outbound_emails, email_sender_counters, inbound_emails, mailboxes, jobs cascade;
  `);
}
