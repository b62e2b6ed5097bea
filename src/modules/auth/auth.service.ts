/**
 * Signing in and out, sessions for the workspace, and bearer API tokens for integrations.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import type { Actor, Ctx } from '../../shared/context.ts';
import { requireRole } from '../../shared/context.ts';
import { findAgentByEmail } from '../agents/agents.queries.ts';
import { toAgent, type Agent } from '../agents/agents.service.ts';
import * as q from './auth.queries.ts';
import { decoy, verifyPassword } from './password.ts';

/** SHA-256 of a secret, hex: what the database keeps instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new session: the secret goes in the cookie, only its hash in the database. */
export interface NewSession {
  token: string;
  expiresAt: Date;
  agent: Agent;
}

/** Checks email and password and opens a session; the same error for a wrong email or password. */
export async function login(
  ctx: Ctx,
  input: { email: string; password: string; userAgent: string | null; sessionHours: number },
): Promise<NewSession> {
  const row = await findAgentByEmail(ctx.db, input.email);
  if (!row || !row.password_hash || !row.is_active) {
    await verifyPassword(await decoy(), input.password);
    throw new AppError('invalid_credentials', 'The email or password is not correct.');
  }
  if (!(await verifyPassword(row.password_hash, input.password))) {
    throw new AppError('invalid_credentials', 'The email or password is not correct.');
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + input.sessionHours * 3600_000);
  await q.insertSession(ctx.db, { tokenHash: hashSecret(token), agentId: row.id, expiresAt, userAgent: input.userAgent });
  return { token, expiresAt, agent: toAgent(row) };
}

/** Ends a session. */
export async function logout(ctx: Ctx, token: string): Promise<void> {
  await q.deleteSession(ctx.db, hashSecret(token));
}

/** The actor behind a session cookie, or undefined when it is unknown or expired. */
export async function actorFromSession(ctx: Ctx, token: string): Promise<Actor | undefined> {
  const row = await q.findSessionAgent(ctx.db, hashSecret(token));
  return row ? { type: 'agent', agentId: row.id, role: row.role, name: row.name } : undefined;
}

const TOKEN_PREFIX = 'sdk_';

/** The actor behind a bearer token, or undefined when it is unknown or revoked. */
export async function actorFromApiToken(ctx: Ctx, token: string): Promise<Actor | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await q.findTokenAgent(ctx.db, hashSecret(token));
  if (!row) return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) await q.touchApiToken(ctx.db, row.token_id);
  return { type: 'integration', agentId: row.id, role: row.role, name: row.name, tokenId: row.token_id, scopes: row.scopes };
}

/**
 * What an API token can be limited to. A route names the scope it needs (`config.scope`);
 * without one, reading (GET) needs `read` and changing anything needs `write`. `write` includes
 * everything; a token without scopes can do all its agent's role allows.
 */
export const TOKEN_SCOPES = {
  read: 'read everything the agent can see',
  write: 'everything the agent can do',
  'store:write': 'push products, orders, parcels, captures and returns into the built-in store',
} as const;

/** A token scope. */
export type TokenScope = keyof typeof TOKEN_SCOPES;

/** Whether a token with these scopes may call a route needing `required`. */
export function tokenAllows(scopes: readonly string[] | null, required: TokenScope): boolean {
  if (scopes === null) return true;
  if (scopes.includes('write')) return true;
  return scopes.includes(required);
}

/** Creates an API token acting as the given agent; the token is returned once and never again. */
export async function createApiToken(ctx: Ctx, input: { email: string; name: string; scopes?: readonly string[] | undefined }): Promise<{ id: string; token: string; agent: Agent }> {
  requireRole(ctx, 'admin');
  const agent = await findAgentByEmail(ctx.db, input.email);
  if (!agent) throw new AppError('not_found', `No agent has the email ${input.email}.`);
  const unknown = (input.scopes ?? []).filter((s) => !(s in TOKEN_SCOPES));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `Unknown token scope ${unknown.join(', ')}; the scopes are ${Object.keys(TOKEN_SCOPES).join(', ')}.`, { errors: [{ field: 'scopes', message: `unknown: ${unknown.join(', ')}` }] });
  }
  const token = TOKEN_PREFIX + randomBytes(24).toString('base64url');
  const scopes = input.scopes && input.scopes.length > 0 ? [...new Set(input.scopes)] : null;
  const row = await q.insertApiToken(ctx.db, { agentId: agent.id, name: input.name, tokenHash: hashSecret(token), prefix: token.slice(0, 8), scopes });
  return { id: row.id, token, agent: toAgent(agent) };
}
