/**
 * Test support: an OAuth 2.0 token endpoint on loopback that answers the refresh_token grant as
 * RFC 6749 §6 and §5 describe (client authentication by HTTP Basic or in the body, §2.3.1;
 * `Cache-Control: no-store`; `invalid_client` 401 / `invalid_grant` 400 errors). Access tokens
 * are JWTs signed with HS256 under the key Dovecot validates locally (.ci/setup-imap.sh), so
 * Dovecot accepts them for the user the refresh token was issued for. Refresh tokens rotate: each
 * refresh returns a new one and revokes the old, as Microsoft's and many other providers do.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A token endpoint and what it saw. */
export interface OAuthTokenServer {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Issues a refresh token for a user. */
  issueRefreshToken(user: string): string;
  /** Makes every refresh token of a user unusable (the user revoked storedesk's access). */
  revokeUser(user: string): void;
  /** Every token request, in order, with how the client authenticated. */
  requests: Array<{ grantType: string | null; clientAuth: 'basic' | 'body' | 'none'; ok: boolean; error?: string }>;
  /** Lifetime of the access tokens it issues, in seconds. */
  expiresIn: number;
  close(): Promise<void>;
}

/** Signs a JWT the way Dovecot's local validation expects (typ JWT, HS256, sub, email, iat, exp). */
export function signAccessToken(keyBase64: string, user: string, lifetimeSeconds: number): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({ sub: user, email: user, iat: now, exp: now + lifetimeSeconds, jti: randomBytes(6).toString('hex') });
  const signature = createHmac('sha256', Buffer.from(keyBase64, 'base64')).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

/** Starts a token endpoint at http://127.0.0.1:<port>/token. */
export async function startOAuthTokenServer(signingKeyBase64: string): Promise<OAuthTokenServer> {
  const clientId = `storedesk-test-${randomBytes(3).toString('hex')}`;
  const clientSecret = `secret ${randomBytes(12).toString('base64')}`;
  const grants = new Map<string, string>();
  const requests: OAuthTokenServer['requests'] = [];
  let self: OAuthTokenServer;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: object, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache', ...headers });
        res.end(JSON.stringify(body));
      };
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const grantType = form.get('grant_type');
      const record = (ok: boolean, clientAuth: 'basic' | 'body' | 'none', error?: string) => requests.push({ grantType, clientAuth, ok, ...(error ? { error } : {}) });
      if (req.method !== 'POST' || req.url !== '/token' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        record(false, 'none', 'invalid_request');
        return send(400, { error: 'invalid_request', error_description: 'POST application/x-www-form-urlencoded to /token' });
      }
      // Client authentication: Basic with form-encoded halves, or client_id/client_secret in the body.
      let auth: 'basic' | 'body' | 'none' = 'none';
      let id: string | null = null;
      let secret: string | null = null;
      const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
      if (basic?.[1]) {
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
        id = unform(decoded.slice(0, colon));
        secret = unform(decoded.slice(colon + 1));
        auth = 'basic';
      } else if (form.get('client_id')) {
        id = form.get('client_id');
        secret = form.get('client_secret');
        auth = 'body';
      }
      if (id !== clientId || secret !== clientSecret) {
        record(false, auth, 'invalid_client');
        return send(401, { error: 'invalid_client', error_description: 'Client authentication failed.' }, auth === 'basic' ? { 'www-authenticate': 'Basic realm="token"' } : {});
      }
      if (grantType !== 'refresh_token') {
        record(false, auth, 'unsupported_grant_type');
        return send(400, { error: 'unsupported_grant_type' });
      }
      const presented = form.get('refresh_token') ?? '';
      const user = grants.get(presented);
      if (!user) {
        record(false, auth, 'invalid_grant');
        return send(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      }
      grants.delete(presented);
      const rotated = randomBytes(24).toString('base64url');
      grants.set(rotated, user);
      record(true, auth);
      return send(200, {
        access_token: signAccessToken(signingKeyBase64, user, self.expiresIn), token_type: 'Bearer', expires_in: self.expiresIn, refresh_token: rotated,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  self = {
    url: `http://127.0.0.1:${port}/token`,
    clientId,
    clientSecret,
    requests,
    expiresIn: 3600,
    issueRefreshToken(user) {
      const token = randomBytes(24).toString('base64url');
      grants.set(token, user);
      return token;
    },
    revokeUser(user) {
      for (const [token, owner] of grants) if (owner === user) grants.delete(token);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return self;
}
