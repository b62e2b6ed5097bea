/**
 * IMAP login with OAuth 2.0 (XOAUTH2 / OAUTHBEARER) per mailbox: either a static access token, or
 * a refresh token with the client's id, secret and token endpoint, from which access tokens are
 * obtained and cached (encrypted, with their expiry) until shortly before they run out.
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
    alter table mailboxes
      add column imap_auth text not null default 'password' check (imap_auth in ('password', 'oauth2')),
      -- A static access token, or the last one obtained with the refresh token (see imap_oauth_expires_at).
      add column imap_oauth_access_token_enc text,
      add column imap_oauth_expires_at timestamptz,
      add column imap_oauth_refresh_token_enc text,
      add column imap_oauth_client_id text,
      add column imap_oauth_client_secret_enc text,
      add column imap_oauth_token_url text,
      add column imap_oauth_scope text;
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(db, `
    alter table mailboxes
      drop column imap_auth,
      drop column imap_oauth_access_token_enc,
      drop column imap_oauth_expires_at,
      drop column imap_oauth_refresh_token_enc,
      drop column imap_oauth_client_id,
      drop column imap_oauth_client_secret_enc,
      drop column imap_oauth_token_url,
      drop column imap_oauth_scope;
  `);
}
