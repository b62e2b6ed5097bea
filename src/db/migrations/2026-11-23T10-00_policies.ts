/**
 * Store policies as data: every saved version of a store's policy document, immutable, the
 * newest one active. Each version keeps who saved it, why (the change note), the plain-language
 * summary at the time and what changed against the version before.
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
    create table store_policy_versions (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id) on delete cascade,
      version integer not null check (version >= 1),
      document jsonb not null,
      summary text not null,
      changes jsonb not null default '[]',
      change_note text not null default '',
      created_by uuid references agents (id) on delete set null,
      created_by_name text not null,
      created_at timestamptz not null default now(),
      unique (store_id, version)
    );
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(db, `drop table if exists store_policy_versions;`);
}
