/**
 * How the Vendure client behaves when the network or the server misbehaves, against a small
 * loopback HTTP server that answers like Vendure's Admin API (or does not). The real Vendure is
 * exercised by vendure.contract.test.ts and vendure.connector.test.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../connector.ts';
import { VendureApiError, createVendureClient } from './vendure.client.ts';

type Handler = (req: IncomingMessage & { body: string }, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

/** A loopback server; its Admin API URL. */
async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => handler(Object.assign(req, { body }), res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  return `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}/admin-api`;
}

const json = (res: ServerResponse, body: unknown, headers: Record<string, string | string[]> = {}) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const isLogin = (body: string) => body.includes('StoredeskLogin');
const Ping = Type.Object({ ping: Type.String() });
const password = { kind: 'password' as const, username: 'support', password: 'secret' };

describe('Vendure client', () => {
  it('a closed port is StoreUnavailableError saying the connection was refused', async () => {
    const url = await serve(() => {});
    servers[0]?.close();
    await new Promise((r) => setTimeout(r, 50));
    const client = createVendureClient({ apiUrl: url, auth: password });
    const err = await client.request('query { ping }', {}, Ping).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(String(err)).toMatch(/cannot be reached: the connection was refused/);
  });

  it('a server error, an HTML page, a wrong shape and silence are all StoreUnavailableError', async () => {
    let mode = '';
    const url = await serve((req, res) => {
      if (isLogin(req.body)) return json(res, { data: { login: { __typename: 'CurrentUser', id: '1', identifier: 'support' } } }, { 'vendure-auth-token': 't1' });
      if (mode === '502') {
        res.writeHead(502, { 'retry-after': '30' });
        return res.end('Bad gateway');
      }
      if (mode === 'html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>Welcome to nginx</html>');
      }
      if (mode === 'shape') return json(res, { data: { ping: 42 } });
      // silence: never answer
    });
    const client = createVendureClient({ apiUrl: url, auth: password, timeoutMs: 300 });
    const attempt = async () => client.request('query { ping }', {}, Ping).catch((e: unknown) => e);
    mode = '502';
    const gateway = await attempt();
    expect(gateway).toBeInstanceOf(StoreUnavailableError);
    expect(String(gateway)).toMatch(/server error \(HTTP 502\)/);
    expect(gateway instanceof StoreUnavailableError && gateway.options.retryAfterSeconds).toBe(30);
    mode = 'html';
    expect(String(await attempt())).toMatch(/did not answer like a Vendure Admin API.*check the Admin API URL/);
    mode = 'shape';
    expect(String(await attempt())).toMatch(/shape storedesk does not understand \(\/ping/);
    mode = 'silent';
    expect(String(await attempt())).toMatch(/did not answer in time/);
  });

  it('signs in once, sends the bearer token, and signs in again when Vendure forgets the session', async () => {
    let logins = 0;
    const seen: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      if (isLogin(req.body)) {
        logins++;
        return json(res, { data: { login: { __typename: 'CurrentUser', id: '1', identifier: 'support' } } }, { 'vendure-auth-token': `token-${logins}` });
      }
      seen.push(req.headers.authorization);
      if (req.headers.authorization === 'Bearer token-1' && seen.length === 2) {
        return json(res, { data: null, errors: [{ message: 'You are not currently authorized to perform this action', extensions: { code: 'FORBIDDEN' } }] });
      }
      return json(res, { data: { ping: 'pong' } });
    });
    const client = createVendureClient({ apiUrl: url, auth: password, channelToken: 'chan-1' });
    expect(await client.request('query { ping }', {}, Ping)).toEqual({ ping: 'pong' });
    expect(await client.request('query { ping }', {}, Ping)).toEqual({ ping: 'pong' });
    expect(logins).toBe(2);
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });

  it('keeps Vendure’s session cookie when the server uses cookies instead of tokens', async () => {
    const cookies: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      if (isLogin(req.body)) {
        return json(res, { data: { login: { __typename: 'CurrentUser', id: '1', identifier: 'support' } } }, { 'set-cookie': ['session=abc; path=/; httponly', 'session.sig=def; path=/; httponly'] });
      }
      cookies.push(req.headers.cookie);
      return json(res, { data: { ping: 'pong' } });
    });
    await createVendureClient({ apiUrl: url, auth: password }).request('query { ping }', {}, Ping);
    expect(cookies).toEqual(['session=abc; session.sig=def']);
  });

  it('refused credentials say so in words an admin can act on', async () => {
    const url = await serve((req, res) => json(res, { data: { login: { __typename: 'InvalidCredentialsError', errorCode: 'INVALID_CREDENTIALS_ERROR', message: 'The provided credentials are invalid' } } }));
    const err = await createVendureClient({ apiUrl: url, auth: password }).request('query { ping }', {}, Ping).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(String(err)).toMatch(/refused the username or password \(The provided credentials are invalid\); an admin can enter them again/);
  });

  it('an API key is sent as Vendure’s API key header, without signing in', async () => {
    const headers: (string | string[] | undefined)[] = [];
    const url = await serve((req, res) => {
      expect(isLogin(req.body)).toBe(false);
      headers.push(req.headers['vendure-api-key'], req.headers['vendure-token']);
      json(res, { data: { ping: 'pong' } });
    });
    await createVendureClient({ apiUrl: url, auth: { kind: 'api_key', apiKey: 'key-123' }, channelToken: 'chan-9' }).request('query { ping }', {}, Ping);
    expect(headers).toEqual(['key-123', 'chan-9']);
  });

  it('GraphQL errors about the request itself are VendureApiError, for the connector to word', async () => {
    const url = await serve((req, res) => {
      if (isLogin(req.body)) return json(res, { data: { login: { __typename: 'CurrentUser', id: '1', identifier: 'support' } } }, { 'vendure-auth-token': 't' });
      json(res, { data: null, errors: [{ message: 'No Order with the id "999" could be found', extensions: { code: 'ENTITY_NOT_FOUND' } }] });
    });
    const err = await createVendureClient({ apiUrl: url, auth: password }).request('query { ping }', {}, Ping).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendureApiError);
    expect(err instanceof VendureApiError && err.codes).toEqual(['ENTITY_NOT_FOUND']);
  });

  it('a 429 is an outage to wait out with the Retry-After given, whatever its body, also when signing in', async () => {
    let body = 'Too Many Requests';
    const url = await serve((_req, res) => {
      res.writeHead(429, { 'content-type': body.startsWith('{') ? 'application/json' : 'text/plain', 'retry-after': '12' });
      res.end(body);
    });
    const client = createVendureClient({ apiUrl: url, auth: { kind: 'api_key', apiKey: 'key' } });
    const busy = await client.request('mutation { refundOrder }', {}, Ping).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(StoreUnavailableError);
    expect(busy).toMatchObject({ message: `Vendure at ${new URL(url).host} is rate limiting storedesk (HTTP 429); try again in 12 s`, options: { retryAfterSeconds: 12 } });
    body = JSON.stringify({ errors: [{ message: 'Too many requests', extensions: { code: 'TOO_MANY_REQUESTS' } }] });
    await expect(client.request('query { ping }', {}, Ping)).rejects.not.toBeInstanceOf(VendureApiError);
    await expect(createVendureClient({ apiUrl: url, auth: password }).request('query { ping }', {}, Ping)).rejects.toMatchObject({ name: 'StoreUnavailableError', options: { retryAfterSeconds: 12 } });
  });
});

