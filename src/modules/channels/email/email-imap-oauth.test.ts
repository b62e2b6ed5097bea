import { randomBytes } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollMailboxOnce, type ImapDeps } from './imap-poller.ts';
import { startEmailKit, type EmailKit } from './testing/email-test-kit.ts';
import { blockedConnections } from './testing/network-guard.ts';
import { signAccessToken, startOAuthTokenServer, type OAuthTokenServer } from './testing/oauth-token-server.ts';
import { appendMails, closeDovecotFolder, dovecotEnv as env, imapDepsFor, kitMailboxRow, openDovecotFolder, uniqueFolder } from './testing/dovecot.ts';

// The test Dovecot accepts JWT access tokens signed with its key.
if (process.env.CI && !(env.host && env.oauthKey)) throw new Error('CI must run .ci/setup-imap.sh: STOREDESK_TEST_IMAP_HOST / STOREDESK_TEST_IMAP_OAUTH_KEY are not set');

describe.runIf(Boolean(env.host && env.oauthKey))('IMAP login with OAuth 2.0 against Dovecot', () => {
  let k: EmailKit;
  let admin: ImapFlow;
  let tokens: OAuthTokenServer;
  let deps: ImapDeps;
  const folder = uniqueFolder('storedesk-oauth');
  let refreshToken: string;

  beforeAll(async () => {
    tokens = await startOAuthTokenServer(env.oauthKey);
    refreshToken = tokens.issueRefreshToken(env.user);
    // The mailbox has no IMAP password at all: only the OAuth access token can log it in.
    k = await startEmailKit({
      mailbox: {
        imap: {
          enabled: false, host: env.host, port: env.port, tls: false, user: env.user, folder, auth: 'oauth2',
          oauth: { refresh_token: refreshToken, client_id: tokens.clientId, client_secret: tokens.clientSecret, token_url: tokens.url },
        },
      },
    });
    admin = await openDovecotFolder(folder);
    deps = imapDepsFor(k);
  }, 180_000);
  afterAll(async () => {
    expect(blockedConnections()).toEqual([]);
    await closeDovecotFolder(admin, folder);
    await k?.close();
    await tokens?.close();
  }, 180_000);

  function deliver(n: number, tag: string) {
    return appendMails(admin, folder, n, tag, 'oauth.example.com', (i) => ({ from: `OAuth Customer ${i} <oauth${i}@example.com>`, subject: `OAuth question ${tag} ${i}`, text: `Question ${i}, polled with a token.` }));
  }
  const mailboxRow = () => kitMailboxRow(k);
  async function stored(ids: string[]) {
    return k.t.database.db.selectFrom('messages').select('external_id').where('external_id', 'in', ids).execute();
  }
  async function getMailbox() {
    const res = await k.t.app.inject({ method: 'GET', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers });
    expect(res.statusCode).toBe(200);
    return res;
  }

  it('shows the OAuth settings without any secret', async () => {
    const res = await getMailbox();
    expect(res.json().imap).toMatchObject({
      auth: 'oauth2', password_set: false,
      oauth: { mode: 'refresh', client_id: tokens.clientId, token_url: tokens.url, refresh_token_set: true, client_secret_set: true, access_token_set: false },
    });
    expect(res.body).not.toContain(refreshToken);
    expect(res.body).not.toContain(tokens.clientSecret.split(' ')[1]);
  });

  it('imports mail with an access token obtained from the refresh token, and reuses it until it nears expiry', async () => {
    const ids = await deliver(2, 'refresh');
    expect(await pollMailboxOnce(await mailboxRow(), deps)).toMatchObject({ imported: 2, duplicates: 0 });
    expect(await stored(ids)).toHaveLength(2);
    expect(tokens.requests).toEqual([{ grantType: 'refresh_token', clientAuth: 'basic', ok: true }]);
    const row = await mailboxRow();
    expect(row.imap_oauth_expires_at?.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    // The rotated refresh token replaced the first one (which the endpoint no longer honours).
    expect(row.imap_oauth_refresh_token_enc).toBeTruthy();
    const res = await getMailbox();
    expect(res.json().imap.oauth).toMatchObject({ access_token_set: true });
    expect(res.json().imap.oauth.access_token_expires_at).toBeTruthy();
    expect(res.json().imap.last_error).toBeNull();

    const more = await deliver(1, 'cached');
    expect(await pollMailboxOnce(await mailboxRow(), deps)).toMatchObject({ imported: 1 });
    expect(await stored(more)).toHaveLength(1);
    expect(tokens.requests).toHaveLength(1);
  });

  it('refreshes a token about to expire with the rotated refresh token', async () => {
    await k.t.database.db.updateTable('mailboxes').set({ imap_oauth_expires_at: new Date(Date.now() + 30_000) }).where('id', '=', k.mailbox.id).execute();
    const ids = await deliver(1, 'expiring');
    expect(await pollMailboxOnce(await mailboxRow(), deps)).toMatchObject({ imported: 1 });
    expect(await stored(ids)).toHaveLength(1);
    expect(tokens.requests).toHaveLength(2);
    expect(tokens.requests[1]).toMatchObject({ ok: true });
    expect((await mailboxRow()).imap_oauth_expires_at?.getTime()).toBeGreaterThan(Date.now() + 3000_000);
  });

  it('shows a refused refresh as the mailbox IMAP error and imports nothing', async () => {
    tokens.revokeUser(env.user);
    await k.t.database.db.updateTable('mailboxes').set({ imap_oauth_expires_at: new Date(Date.now() - 1000) }).where('id', '=', k.mailbox.id).execute();
    const ids = await deliver(1, 'revoked');
    await expect(pollMailboxOnce(await mailboxRow(), deps)).rejects.toThrow(/invalid_grant/);
    expect(tokens.requests.at(-1)).toMatchObject({ ok: false, error: 'invalid_grant' });
    expect(await stored(ids)).toHaveLength(0);
    const res = await getMailbox();
    expect(res.json().imap.last_error).toBe('OAuth token refresh refused: invalid_grant (Token has been expired or revoked.)');
    expect(res.body).not.toContain(tokens.clientSecret.split(' ')[1]);

    // The admin reconnects the account with a new refresh token: the mail comes in.
    const fresh = tokens.issueRefreshToken(env.user);
    const patch = await k.t.app.inject({
      method: 'PATCH', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers,
      payload: { imap: { enabled: false, host: env.host, port: env.port, tls: false, user: env.user, folder, auth: 'oauth2', oauth: { refresh_token: fresh } } },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.body).not.toContain(fresh);
    expect(await pollMailboxOnce(await mailboxRow(), deps)).toMatchObject({ imported: 1 });
    expect(await stored(ids)).toHaveLength(1);
    expect((await getMailbox()).json().imap.last_error).toBeNull();
  });

  it('logs in with a static access token, and reports one Dovecot refuses', async () => {
    const good = signAccessToken(env.oauthKey, env.user, 600);
    const setStatic = (token: string) => k.t.app.inject({
      method: 'PATCH', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers,
      payload: { imap: { enabled: false, host: env.host, port: env.port, tls: false, user: env.user, folder, auth: 'oauth2', oauth: { access_token: token } } },
    });
    const res = await setStatic(good);
    expect(res.statusCode).toBe(200);
    expect(res.json().imap.oauth).toMatchObject({ mode: 'static', access_token_set: true, refresh_token_set: false });
    expect(res.body).not.toContain(good);
    const before = tokens.requests.length;
    const ids = await deliver(1, 'static');
    expect(await pollMailboxOnce(await mailboxRow(), deps)).toMatchObject({ imported: 1 });
    expect(await stored(ids)).toHaveLength(1);
    expect(tokens.requests).toHaveLength(before);

    // Signed with another key: Dovecot refuses the login.
    const forged = signAccessToken(randomBytes(32).toString('base64'), env.user, 600);
    expect((await setStatic(forged)).statusCode).toBe(200);
    await expect(pollMailboxOnce(await mailboxRow(), deps)).rejects.toThrow(/IMAP login refused/);
    const shown = await getMailbox();
    expect(shown.json().imap.last_error).toMatch(/IMAP login refused for support@shop\.test \(OAuth access token\)/);
    expect(shown.body).not.toContain(forged);
  });

  it('drops the stored OAuth secrets when the mailbox goes back to a password', async () => {
    const res = await k.t.app.inject({
      method: 'PATCH', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers,
      payload: { imap: { enabled: false, host: env.host, port: env.port, tls: false, user: env.user, folder, auth: 'password', password: env.pass } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().imap).toMatchObject({ auth: 'password', password_set: true, oauth: null });
    const row = await mailboxRow();
    expect([row.imap_oauth_access_token_enc, row.imap_oauth_refresh_token_enc, row.imap_oauth_client_secret_enc, row.imap_oauth_expires_at]).toEqual([null, null, null, null]);
    const ids = await deliver(1, 'password-again');
    expect(await pollMailboxOnce(await mailboxRow(), deps)).toMatchObject({ imported: 1 });
    expect(await stored(ids)).toHaveLength(1);
  });

  it('refuses incomplete or unsafe OAuth settings with the field named', async () => {
    const patch = (oauth: Record<string, unknown>) => k.t.app.inject({
      method: 'PATCH', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers,
      payload: { imap: { enabled: false, host: env.host, port: env.port, tls: false, user: env.user, folder, auth: 'oauth2', oauth } },
    });
    const noClient = await k.t.app.inject({
      method: 'POST', url: '/api/v1/mailboxes', headers: k.admin.headers,
      payload: { address: 'other@shop.test', imap: { enabled: false, host: 'imap.example.com', port: 993, tls: true, user: 'u', auth: 'oauth2', oauth: { refresh_token: 'r', token_url: 'https://oauth.example.com/token' } } },
    });
    expect(noClient.statusCode).toBe(400);
    expect(noClient.json().errors).toEqual([{ field: 'imap.oauth.client_id', message: 'is required with a refresh token' }]);
    const plainHttp = await patch({ refresh_token: 'r', client_id: 'c', token_url: 'http://oauth.example.com/token' });
    expect(plainHttp.statusCode).toBe(400);
    expect(plainHttp.json().errors[0].field).toBe('imap.oauth.token_url');
    const both = await patch({ refresh_token: 'r', access_token: 'a' });
    expect(both.statusCode).toBe(400);
    const none = await k.t.app.inject({
      method: 'POST', url: '/api/v1/mailboxes', headers: k.admin.headers,
      payload: { address: 'third@shop.test', imap: { enabled: false, host: 'imap.example.com', port: 993, tls: true, user: 'u', auth: 'oauth2' } },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].field).toBe('imap.oauth');
  });
});
