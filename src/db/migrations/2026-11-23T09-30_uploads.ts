/**
 * Files agents upload to attach to a reply or note: the bytes live in the blob store, the row
 * says who uploaded what; a message's attachments list is built from these when it is sent.
 * Frozen: never edit after release; add a new migration instead.
 */
import { sql, type Kysely } from 'kysely';

async function run(db: Kysely<any>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await run(db, `
    create table uploads (
      id uuid primary key default gen_random_uuid(),
      agent_id uuid not null references agents (id) on delete cascade,
      blob_key text not null,
      filename text not null,
      content_type text not null,
      size integer not null check (size >= 0),
      created_at timestamptz not null default now()
    );
    create index uploads_agent_idx on uploads (agent_id, created_at);
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(db, `drop table if exists uploads;`);
}
