/**
 * API tokens can be limited to scopes (read, store:write, write): an integration that only
 * pushes orders into the built-in store gets a token that can do nothing else.
 * Frozen: never edit after release; add a new migration instead.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Null keeps a token's old meaning: everything its agent's role allows.
  await sql`alter table api_tokens add column scopes text[]`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table api_tokens drop column scopes`.execute(db);
}
