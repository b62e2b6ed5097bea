/**
 * Authority, approvals, goodwill budgets and playbooks:
 * - authority_limits: the most an agent may give away without asking, per role (defaults) or per
 *   agent (overrides), per remedy type, per action / ticket / day / month. No row: no limit.
 * - goodwill_budgets: a store's monthly budget per remedy type and the warning threshold.
 * - approval_requests: an action above someone's authority, waiting for (or decided by) a manager;
 *   one per order_actions row (the same idempotency key runs it on approval).
 * - playbooks: the standard remedy per kind of problem, per store.
 * - audit_log: every grant (limit or budget change), request, approval, refusal and playbook change.
 * - order_actions gains the awaiting_approval status and the playbook the action was taken under.
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
    create table authority_limits (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id) on delete cascade,
      -- Exactly one of role (the default for everyone with it) and agent_id (an override).
      role text check (role in ('agent', 'manager', 'admin')),
      agent_id uuid references agents (id) on delete cascade,
      remedy text not null check (remedy in ('refund', 'discount', 'store_credit', 'replacement')),
      -- Minor units of the store's currency; null means no limit on that period.
      per_action_minor integer check (per_action_minor >= 0),
      per_ticket_minor integer check (per_ticket_minor >= 0),
      per_day_minor integer check (per_day_minor >= 0),
      per_month_minor integer check (per_month_minor >= 0),
      updated_by uuid references agents (id) on delete set null,
      updated_at timestamptz not null default now(),
      check ((role is null) <> (agent_id is null))
    );
    create unique index authority_limits_role_key on authority_limits (store_id, role, remedy) where agent_id is null;
    create unique index authority_limits_agent_key on authority_limits (store_id, agent_id, remedy) where agent_id is not null;

    create table goodwill_budgets (
      store_id uuid not null references stores (id) on delete cascade,
      remedy text not null check (remedy in ('refund', 'discount', 'store_credit', 'replacement')),
      monthly_minor integer not null check (monthly_minor >= 0),
      warn_at_percent integer not null default 80 check (warn_at_percent between 1 and 100),
      updated_by uuid references agents (id) on delete set null,
      updated_at timestamptz not null default now(),
      primary key (store_id, remedy)
    );

    alter table order_actions drop constraint order_actions_status_check;
    alter table order_actions add constraint order_actions_status_check
      check (status in ('pending', 'awaiting_approval', 'succeeded', 'refused', 'failed'));
    alter table order_actions add column remedy text check (remedy in ('refund', 'discount', 'store_credit', 'replacement'));
    alter table order_actions add column playbook_id uuid;
    alter table order_actions add column problem_kind text;
    -- true: the playbook's standard remedy; false: a deviation (with its reason); null: no playbook.
    alter table order_actions add column standard_remedy boolean;
    alter table order_actions add column deviation_reason text;
    create index order_actions_spend_idx on order_actions (store_id, remedy, created_at) where status = 'succeeded';
    create index order_actions_actor_spend_idx on order_actions (actor_id, remedy, created_at) where status = 'succeeded';

    create table approval_requests (
      id uuid primary key default gen_random_uuid(),
      order_action_id uuid not null unique references order_actions (id) on delete cascade,
      store_id uuid not null references stores (id) on delete cascade,
      ticket_id uuid references tickets (id) on delete set null,
      order_number text not null,
      action text not null,
      remedy text,
      amount_minor integer not null,
      currency char(3) not null,
      summary text not null,
      -- The limits and budgets the request went past, each with a sentence naming it.
      reasons jsonb not null default '[]',
      status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
      requested_by uuid references agents (id) on delete set null,
      requested_by_name text not null,
      decided_by uuid references agents (id) on delete set null,
      decided_by_name text,
      decision_reason text,
      created_at timestamptz not null default now(),
      decided_at timestamptz
    );
    create index approval_requests_pending_idx on approval_requests (created_at) where status = 'pending';
    create index approval_requests_store_idx on approval_requests (store_id, created_at);

    create table playbooks (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id) on delete cascade,
      problem_kind text not null,
      name text not null,
      description text not null default '',
      -- Words in a ticket's tags or subject that point at this problem.
      keywords text[] not null default '{}',
      conditions jsonb not null default '{}',
      remedies jsonb not null default '[]',
      return_required boolean not null default false,
      is_active boolean not null default true,
      position integer not null default 0,
      updated_by uuid references agents (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index playbooks_store_idx on playbooks (store_id, problem_kind);

    create table audit_log (
      id bigint generated always as identity primary key,
      store_id uuid references stores (id) on delete cascade,
      actor_type text not null,
      actor_id uuid,
      actor_name text,
      action text not null,
      subject_type text not null,
      subject_id text,
      data jsonb not null default '{}',
      created_at timestamptz not null default now()
    );
    create index audit_log_subject_idx on audit_log (subject_type, subject_id, created_at);
    create index audit_log_created_idx on audit_log (created_at)
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(db, `
    drop table audit_log;
    drop table playbooks;
    drop table approval_requests;
    drop index order_actions_actor_spend_idx;
    drop index order_actions_spend_idx;
    alter table order_actions drop column deviation_reason;
    alter table order_actions drop column standard_remedy;
    alter table order_actions drop column problem_kind;
    alter table order_actions drop column playbook_id;
    alter table order_actions drop column remedy;
    alter table order_actions drop constraint order_actions_status_check;
    alter table order_actions add constraint order_actions_status_check check (status in ('pending', 'succeeded', 'refused', 'failed'));
    drop table goodwill_budgets;
    drop table authority_limits
  `);
}
