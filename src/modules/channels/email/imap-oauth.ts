/**
 * OAuth 2.0 access tokens for IMAP logins (XOAUTH2 / OAUTHBEARER, as Gmail and Microsoft 365
 * require). A mailbox holds either a static access token, or a refresh token with its client's id,
 * secret and token endpoint. In the second case storedesk asks the endpoint for access tokens with
 * the refresh_token grant (RFC 6749 §6), caches each one encrypted on the mailbox until a minute
 * before it expires, and keeps a refresh token the provider rotates. A refused refresh becomes an
 * error whose message (never a secret) is shown as the mailbox's IMAP error.
 */
import type { Kysely } from 'kysely';
import type { DB, MailboxRow } from '../../../db/schema.ts';
import { decryptSecret, encryptSecret } from '../../../shared/secrets.ts';
import * as q from './email.queries.ts';

/** A cached token is renewed this long before it expires. */
const EARLY_REFRESH_MS = 60_000;
/** How long a token is trusted when the endpoint does not say (expires_in is only recommended). */
const DEFAULT_LIFETIME_S = 600;
const TIMEOUT_MS = 15_000;

/** The token endpoint refused or failed a refresh; the message is safe to show an admin. */
export class OAuthTokenError extends Error {
  constructor(message: string, readonly oauthError: string | null) {
    super(message);
    this.name = 'OAuthTokenError';
  }
}

/** How a mailbox's OAuth login is configured, without secrets. */
export function imapOAuthMode(row: MailboxRow): 'refresh' | 'static' | null {
  if (row.imap_auth !== 'oauth2') return null;
  if (row.imap_oauth_refresh_token_enc) return 'refresh';
  return row.imap_oauth_access_token_enc ? 'static' : null;
}

/** Whether a token endpoint address may be used: HTTPS, or plain HTTP on this machine only. */
export function isAcceptableTokenUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Text from the endpoint, made safe to store and show: one line, printable, short. */
function clean(value: unknown, max = 300): string {
  return typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, max) : '';
}

/** One refresh_token grant request (RFC 6749 §6, client authentication by HTTP Basic per §2.3.1). */
async function requestToken(row: MailboxRow, key: Buffer): Promise<{ accessToken: string; expiresIn: number; refreshToken: string | null }> {
  const tokenUrl = row.imap_oauth_token_url ?? '';
  if (!row.imap_oauth_refresh_token_enc || !row.imap_oauth_client_id || !isAcceptableTokenUrl(tokenUrl)) {
    throw new OAuthTokenError('OAuth is not fully configured: a refresh token, client id and token endpoint are needed.', null);
  }
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: decryptSecret(key, row.imap_oauth_refresh_token_enc) });
  if (row.imap_oauth_scope) form.set('scope', row.imap_oauth_scope);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (row.imap_oauth_client_secret_enc) {
    // Both halves are form-encoded before base64 (RFC 6749 §2.3.1).
    const id = encodeURIComponent(row.imap_oauth_client_id).replace(/%20/g, '+');
    const secret = encodeURIComponent(decryptSecret(key, row.imap_oauth_client_secret_enc)).replace(/%20/g, '+');
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  } else {
    // A public client identifies itself in the body (§3.2.1).
    form.set('client_id', row.imap_oauth_client_id);
  }
  let res: Response;
  try {
    res = await fetch(tokenUrl, { method: 'POST', headers, body: form, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  } catch (err) {
    throw new OAuthTokenError(`OAuth token endpoint unreachable: ${clean(err instanceof Error ? err.message : String(err))}`, null);
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: reported below by status.
  }
  if (!res.ok) {
    const code = clean(body.error, 80) || null;
    const description = clean(body.error_description);
    const what = code ? `${code}${description ? ` (${description})` : ''}` : `HTTP ${res.status}`;
    throw new OAuthTokenError(`OAuth token refresh refused: ${what}`, code);
  }
  const accessToken = typeof body.access_token === 'string' ? body.access_token : '';
  const tokenType = typeof body.token_type === 'string' ? body.token_type.toLowerCase() : '';
  if (!accessToken || tokenType !== 'bearer') {
    throw new OAuthTokenError('OAuth token endpoint answered without a bearer access token.', null);
  }
  const expiresIn = Number(body.expires_in) > 0 ? Number(body.expires_in) : DEFAULT_LIFETIME_S;
  const refreshToken = typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : null;
  return { accessToken, expiresIn, refreshToken };
}

const inFlight = new Map<string, Promise<string>>();

/**
 * The access token to log in to a mailbox's IMAP account with: the static one, the cached one
 * while it has more than a minute left, or a fresh one from the token endpoint (saved encrypted,
 * with a rotated refresh token if the endpoint sent one). Concurrent callers share one request.
 */
export async function imapAccessToken(db: Kysely<DB>, row: MailboxRow, key: Buffer, now = () => Date.now()): Promise<string> {
  const mode = imapOAuthMode(row);
  if (mode === null) throw new OAuthTokenError('OAuth is not configured for this mailbox: set an access token or a refresh token.', null);
  if (mode === 'static') return decryptSecret(key, row.imap_oauth_access_token_enc ?? '');
  const running = inFlight.get(row.id);
  if (running) return running;
  const task = (async () => {
    // The row the caller holds may be older than the cache another connection just filled.
    const fresh = (await q.findMailbox(db, row.id)) ?? row;
    if (fresh.imap_oauth_access_token_enc && fresh.imap_oauth_expires_at && fresh.imap_oauth_expires_at.getTime() - EARLY_REFRESH_MS > now()) {
      return decryptSecret(key, fresh.imap_oauth_access_token_enc);
    }
    const token = await requestToken(fresh, key);
    await q.saveImapOAuthToken(db, fresh.id, {
      previousRefreshTokenEnc: fresh.imap_oauth_refresh_token_enc ?? '',
      accessTokenEnc: encryptSecret(key, token.accessToken),
      expiresAt: new Date(now() + token.expiresIn * 1000),
      refreshTokenEnc: token.refreshToken ? encryptSecret(key, token.refreshToken) : null,
    });
    return token.accessToken;
  })();
  inFlight.set(row.id, task);
  try {
    return await task;
  } finally {
    inFlight.delete(row.id);
  }
}

/** Drops a cached access token the IMAP server refused, so the next login refreshes first. */
export async function forgetImapAccessToken(db: Kysely<DB>, row: MailboxRow): Promise<void> {
  if (imapOAuthMode(row) === 'refresh') await q.clearImapOAuthToken(db, row.id);
}
