import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretKeyFor } from '../../../shared/secrets.ts';
import { imapAccessToken, OAuthTokenError } from './imap-oauth.ts';
import { startEmailKit, type EmailKit } from './testing/email-test-kit.ts';
import { blockedConnections } from './testing/network-guard.ts';
import { startOAuthTokenServer, type OAuthTokenServer } from './testing/oauth-token-server.ts';
import * as q from './email.queries.ts';

// Token refresh against a token endpoint on loopback; logging in with the tokens is proven
// against Dovecot in email-imap-oauth.test.ts.
let k: EmailKit;
let tokens: OAuthTokenServer;
let key: Buffer;
const SIGNING_KEY = Buffer.alloc(32, 7).toString('base64');

beforeAll(async () => {
  tokens = await startOAuthTokenServer(SIGNING_KEY);
  k = await startEmailKit();
  key = secretKeyFor(k.t.config);
}, 180_000);
afterAll(async () => {
  expect(blockedConnections()).toEqual([]);
  await k?.close();
  await tokens?.close();
}, 180_000);

async function mailboxWith(oauth: Record<string, unknown>) {
  const res = await k.t.app.inject({
    method: 'PATCH', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers,
    payload: { imap: { enabled: false, host: '127.0.0.1', port: 1, tls: false, user: 'u@shop.test', auth: 'oauth2', oauth } },
  });
  expect(res.statusCode).toBe(200);
  const row = await q.findMailbox(k.t.database.db, k.mailbox.id);
  if (!row) throw new Error('mailbox missing');
  return row;
}

describe('OAuth access tokens for IMAP', () => {
  it('asks the token endpoint once for callers that need a token at the same time', async () => {
    const row = await mailboxWith({ refresh_token: tokens.issueRefreshToken('u@shop.test'), client_id: tokens.clientId, client_secret: tokens.clientSecret, token_url: tokens.url });
    const before = tokens.requests.length;
    const got = await Promise.all([1, 2, 3].map(() => imapAccessToken(k.t.database.db, row, key)));
    expect(new Set(got).size).toBe(1);
    expect(tokens.requests.slice(before)).toEqual([{ grantType: 'refresh_token', clientAuth: 'basic', ok: true }]);
    // The rows callers hold are stale now; the cache on the mailbox answers.
    expect(await imapAccessToken(k.t.database.db, row, key)).toBe(got[0]);
    expect(tokens.requests.length).toBe(before + 1);
  });

  it('uses a static access token as is, without asking anyone', async () => {
    const row = await mailboxWith({ access_token: 'static-token-value' });
    const before = tokens.requests.length;
    expect(await imapAccessToken(k.t.database.db, row, key)).toBe('static-token-value');
    expect(tokens.requests.length).toBe(before);
  });

  it('reports a client the endpoint does not accept, naming the OAuth error', async () => {
    // A public client (no secret) identifies itself in the body; this endpoint wants a secret.
    const row = await mailboxWith({ refresh_token: tokens.issueRefreshToken('u@shop.test'), client_id: tokens.clientId, client_secret: null, token_url: tokens.url });
    const err = await imapAccessToken(k.t.database.db, row, key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthTokenError);
    expect((err as Error).message).toBe('OAuth token refresh refused: invalid_client (Client authentication failed.)');
    expect(tokens.requests.at(-1)).toMatchObject({ clientAuth: 'body', ok: false });
  });

  it('reports an endpoint that fails without an OAuth error, or answers without a bearer token', async () => {
    let answer: { status: number; body: string } = { status: 502, body: '<html>Bad gateway</html>' };
    const server = http.createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': answer.status === 200 ? 'application/json' : 'text/html' });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
      const row = await mailboxWith({ refresh_token: 'r', client_id: 'c', client_secret: 's', token_url: url });
      await expect(imapAccessToken(k.t.database.db, row, key)).rejects.toThrow('OAuth token refresh refused: HTTP 502');
      answer = { status: 200, body: JSON.stringify({ access_token: 'x', token_type: 'mac' }) };
      await expect(imapAccessToken(k.t.database.db, row, key)).rejects.toThrow('without a bearer access token');
      const cached = await q.findMailbox(k.t.database.db, k.mailbox.id);
      expect(cached?.imap_oauth_access_token_enc).toBeNull();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
