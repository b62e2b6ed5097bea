/**
 * SQL for sessions and API tokens. Secrets are stored only as SHA-256 hashes.
 */
import type { Executor } from '../../db/database.ts';

/** Stores a new session. */
export async function insertSession(db: Executor, s: { tokenHash: string; agentId: string; expiresAt: Date; userAgent: string | null }) {
  await db
    .insertInto('sessions')
    .values({ token_hash: s.tokenHash, agent_id: s.agentId, expires_at: s.expiresAt, user_agent: s.userAgent })
    .execute();
}

/** The active agent behind an unexpired session, if any. */
export function findSessionAgent(db: Executor, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('agents', 'agents.id', 'sessions.agent_id')
    .select(['agents.id', 'agents.name', 'agents.email', 'agents.role', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .where('agents.is_active', '=', true)
    .executeTakeFirst();
}

/** Removes one session (logout). */
export async function deleteSession(db: Executor, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Removes sessions past their expiry. */
export async function deleteExpiredSessions(db: Executor) {
  await db.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
}

/** Stores a new API token. */
export function insertApiToken(db: Executor, t: { agentId: string; name: string; tokenHash: string; prefix: string; scopes?: string[] | null }) {
  return db
    .insertInto('api_tokens')
    .values({ agent_id: t.agentId, name: t.name, token_hash: t.tokenHash, token_prefix: t.prefix, scopes: t.scopes ?? null })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** The active agent behind an unrevoked API token, if any. */
export function findTokenAgent(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('agents', 'agents.id', 'api_tokens.agent_id')
    .select(['agents.id', 'agents.name', 'agents.email', 'agents.role', 'api_tokens.id as token_id', 'api_tokens.last_used_at', 'api_tokens.scopes'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('agents.is_active', '=', true)
    .executeTakeFirst();
}

/** Records that a token was used (at most once a minute, to spare writes). */
export async function touchApiToken(db: Executor, tokenId: string) {
  await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', tokenId).execute();
}
