/**
 * The ticket core: stores, agents and teams, sessions and API tokens, customers with their
 * identities, tickets, messages, the append-only ticket event log, and saved views.
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
    create table stores (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      slug text not null unique,
      timezone text not null default 'UTC',
      currency char(3) not null default 'USD',
      created_at timestamptz not null default now()
    );

    create table teams (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      created_at timestamptz not null default now()
    );

    create table agents (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      name text not null,
      role text not null check (role in ('admin', 'manager', 'agent')),
      password_hash text,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz
    );
    create unique index agents_email_key on agents (lower(email));

    create table agent_teams (
      agent_id uuid not null references agents (id) on delete cascade,
      team_id uuid not null references teams (id) on delete cascade,
      primary key (agent_id, team_id)
    );
    create index agent_teams_team_idx on agent_teams (team_id);

    create table sessions (
      token_hash text primary key,
      agent_id uuid not null references agents (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      user_agent text
    );
    create index sessions_agent_idx on sessions (agent_id);
    create index sessions_expires_idx on sessions (expires_at);

    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      agent_id uuid not null references agents (id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      token_prefix text not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    create index api_tokens_agent_idx on api_tokens (agent_id);

    create table customers (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id),
      name text,
      note text,
      merged_into_id uuid references customers (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      search_vector tsvector generated always as (to_tsvector('simple', coalesce(name, ''))) stored
    );
    create index customers_store_created_idx on customers (store_id, created_at desc, id desc);
    create index customers_search_idx on customers using gin (search_vector);
    create index customers_merged_into_idx on customers (merged_into_id) where merged_into_id is not null;

    create table customer_identities (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id),
      customer_id uuid not null references customers (id) on delete cascade,
      kind text not null check (kind in ('email', 'phone', 'social')),
      provider text not null default '',
      value text not null,
      is_primary boolean not null default false,
      undeliverable_at timestamptz,
      undeliverable_reason text,
      created_at timestamptz not null default now()
    );
    create unique index customer_identities_value_key on customer_identities (store_id, kind, provider, value);
    create index customer_identities_customer_idx on customer_identities (customer_id);
    create index customer_identities_value_idx on customer_identities (value text_pattern_ops);

    create sequence ticket_number_seq start with 1001;

    create table tickets (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id),
      number integer not null unique default nextval('ticket_number_seq'),
      subject text not null,
      status text not null default 'new'
        check (status in ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
      priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
      channel text not null default 'api'
        check (channel in ('email', 'chat', 'contact_form', 'phone', 'social', 'api', 'portal')),
      customer_id uuid not null references customers (id),
      assignee_id uuid references agents (id) on delete set null,
      team_id uuid references teams (id) on delete set null,
      tags text[] not null default '{}',
      custom_fields jsonb not null default '{}',
      order_numbers text[] not null default '{}',
      follow_up_of_id uuid references tickets (id),
      message_count integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_message_at timestamptz not null default now(),
      first_response_at timestamptz,
      solved_at timestamptz,
      closed_at timestamptz,
      search_vector tsvector generated always as (to_tsvector('english', subject)) stored
    );
    -- Inbox views walk these in order of last activity; the id breaks ties for keyset paging.
    create index tickets_status_updated_idx on tickets (status, updated_at desc, id desc);
    create index tickets_assignee_status_updated_idx on tickets (assignee_id, status, updated_at desc, id desc);
    create index tickets_updated_idx on tickets (updated_at desc, id desc);
    create index tickets_customer_idx on tickets (customer_id, created_at desc);
    create index tickets_team_status_idx on tickets (team_id, status, updated_at desc);
    create index tickets_tags_idx on tickets using gin (tags);
    create index tickets_order_numbers_idx on tickets using gin (order_numbers);
    create index tickets_search_idx on tickets using gin (search_vector);

    create table messages (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets (id) on delete cascade,
      kind text not null check (kind in ('inbound', 'outbound', 'note')),
      channel text not null,
      author_agent_id uuid references agents (id) on delete set null,
      author_customer_id uuid references customers (id) on delete set null,
      body_text text not null,
      body_html text,
      attachments jsonb not null default '[]',
      external_id text,
      delivery_status text check (delivery_status in ('queued', 'sent', 'failed', 'received')),
      delivery_error text,
      metadata jsonb not null default '{}',
      created_at timestamptz not null default now(),
      search_vector tsvector generated always as (to_tsvector('english', left(body_text, 100000))) stored
    );
    create index messages_ticket_created_idx on messages (ticket_id, created_at, id);
    create index messages_created_idx on messages (created_at desc, id desc);
    create index messages_search_idx on messages using gin (search_vector);
    create index messages_external_id_idx on messages (external_id) where external_id is not null;

    create table ticket_events (
      id bigint generated always as identity primary key,
      ticket_id uuid not null references tickets (id) on delete cascade,
      actor_type text not null check (actor_type in ('agent', 'customer', 'system', 'integration')),
      actor_id uuid,
      type text not null,
      data jsonb not null default '{}',
      created_at timestamptz not null default now()
    );
    create index ticket_events_ticket_idx on ticket_events (ticket_id, id);

    create table saved_views (
      id uuid primary key default gen_random_uuid(),
      agent_id uuid references agents (id) on delete cascade,
      name text not null,
      filters jsonb not null default '{}',
      position integer not null default 0,
      created_at timestamptz not null default now()
    );
    create index saved_views_agent_idx on saved_views (agent_id, position);
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(db, `
    drop table if exists saved_views, ticket_events, messages, tickets, customer_identities,
      customers, api_tokens, sessions, agent_teams, agents, teams, stores cascade;
    drop sequence if exists ticket_number_seq;
  `);
}
