/**
 * Remote store platforms: each connection keeps its platform credentials encrypted at rest
 * (AES-256-GCM with STOREDESK_SECRET_KEY; never returned by the API), a secret for verifying
 * the platform's webhooks, and where the change feed stands (poll cursor, last sync, last error).
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
    -- Encrypted JSON object of the platform's secrets (API token, password, webhook secret).
    alter table store_connections add column credentials text;
    alter table store_connections add column feed_cursor text;
    alter table store_connections add column last_synced_at timestamptz;
    alter table store_connections add column last_sync_error text;
    alter table store_connections add column last_webhook_at timestamptz;
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(db, `
    alter table store_connections drop column last_webhook_at;
    alter table store_connections drop column last_sync_error;
    alter table store_connections drop column last_synced_at;
    alter table store_connections drop column feed_cursor;
    alter table store_connections drop column credentials;
  `);
}
