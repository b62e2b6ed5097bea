/**
 * The Medusa client against a loopback stand-in: what cannot be used (no answer, a server error,
 * not JSON, refused credentials) is StoreUnavailableError; Medusa's own refusals are
 * MedusaApiError; a secret key signs in with HTTP Basic; an expired admin token is renewed once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../connector.ts';
import { MedusaApiError, createMedusaClient, encodeQuery } from './medusa.client.ts';
import { closedPort } from './testing/outage-proxy.ts';

let server: Server | null = null;
afterEach(async () => {
  const s = server;
  server = null;
  if (s) await new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  });
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  const s = server;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const Orders = Type.Object({ orders: Type.Array(Type.Object({ id: Type.String() })) });

describe('Medusa client', () => {
  it('signs in with a secret key as HTTP Basic user name and encodes queries as Medusa reads them', async () => {
    let seen: { auth?: string | undefined; url?: string | undefined } = {};
    const url = await serve((req, res) => {
      seen = { auth: req.headers.authorization, url: req.url };
      json(res, 200, { orders: [{ id: 'order_1' }] });
    });
    const client = createMedusaClient({ apiUrl: `${url}/`, auth: { kind: 'api_key', apiKey: 'sk_test' } });
    expect(await client.get('/admin/orders', { customer_id: 'cus_1', updated_at: { $gte: '2026-11-01' }, sku: ['A', 'B'] }, Orders)).toEqual({ orders: [{ id: 'order_1' }] });
    expect(seen.auth).toBe(`Basic ${Buffer.from('sk_test:').toString('base64')}`);
    expect(seen.url).toBe('/admin/orders?customer_id=cus_1&updated_at[%24gte]=2026-11-01&sku[]=A&sku[]=B');
    expect(encodeQuery({ q: 'a b&c', skip: undefined })).toBe('q=a%20b%26c');
  });

  it('renews an expired admin token once, and says so when the password is refused', async () => {
    let logins = 0;
    let expired = true;
    const url = await serve((req, res) => {
      if (req.url === '/auth/user/emailpass') {
        logins++;
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => (body.includes('"right"') ? json(res, 200, { token: `jwt-${logins}` }) : json(res, 401, { type: 'unauthorized', message: 'Invalid email or password' })));
        return;
      }
      if (expired || req.headers.authorization !== `Bearer jwt-${logins}`) {
        expired = false;
        json(res, 401, { type: 'unauthorized', message: 'Unauthorized' });
        return;
      }
      json(res, 200, { orders: [] });
    });
    const client = createMedusaClient({ apiUrl: url, auth: { kind: 'password', email: 'a@b.c', password: 'right' } });
    expect(await client.get('/admin/orders', {}, Orders)).toEqual({ orders: [] });
    expect(logins).toBe(2);
    const wrong = createMedusaClient({ apiUrl: url, auth: { kind: 'password', email: 'a@b.c', password: 'wrong' } });
    await expect(wrong.get('/admin/orders', {}, Orders)).rejects.toThrow(/refused the email or password/);
  });

  it('turns Medusa’s refusals into MedusaApiError and everything unusable into StoreUnavailableError', async () => {
    const url = await serve((req, res) => {
      if (req.url?.startsWith('/refuse')) return json(res, 400, { type: 'invalid_data', message: 'You are not allowed to refund more than the captured amount' });
      if (req.url?.startsWith('/crash')) return json(res, 500, { type: 'unknown_error', message: 'An unknown error occurred.' });
      if (req.url?.startsWith('/html')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>storefront</html>');
        return;
      }
      if (req.url?.startsWith('/shape')) return json(res, 200, { orders: [{ name: 'no id' }] });
      if (req.url?.startsWith('/key')) return json(res, 401, { type: 'unauthorized', message: 'Unauthorized' });
      // /slow: never answers
    });
    const client = createMedusaClient({ apiUrl: url, auth: { kind: 'api_key', apiKey: 'sk' }, timeoutMs: 300 });
    const refused = client.post('/refuse', {}, Orders);
    await expect(refused).rejects.toBeInstanceOf(MedusaApiError);
    await expect(refused).rejects.toMatchObject({ status: 400, type: 'invalid_data' });
    await expect(client.get('/crash', {}, Orders)).rejects.toThrow(/server error \(HTTP 500/);
    await expect(client.get('/html', {}, Orders)).rejects.toThrow(/did not answer like a Medusa server/);
    await expect(client.get('/shape', {}, Orders)).rejects.toThrow(/shape storedesk does not understand/);
    await expect(client.get('/key', {}, Orders)).rejects.toThrow(/refused the secret API key/);
    await expect(client.get('/slow', {}, Orders)).rejects.toThrow(/did not answer in time/);
    for (const path of ['/crash', '/html', '/shape', '/key', '/slow']) await expect(client.get(path, {}, Orders)).rejects.toBeInstanceOf(StoreUnavailableError);
    const closed = createMedusaClient({ apiUrl: `http://127.0.0.1:${await closedPort()}`, auth: { kind: 'api_key', apiKey: 'sk' } });
    await expect(closed.get('/admin/orders', {}, Orders)).rejects.toThrow(/connection was refused/);
  });

  it('a 429 is an outage to wait out with the Retry-After given, not Medusa refusing, also when signing in', async () => {
    const url = await serve((req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '12' });
      res.end(JSON.stringify({ type: 'too_many_requests', message: 'Too many requests' }));
    });
    const client = createMedusaClient({ apiUrl: url, auth: { kind: 'api_key', apiKey: 'sk' } });
    const busy = await client.post('/admin/orders/order_1/refund', {}, Orders).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(StoreUnavailableError);
    expect(busy).not.toBeInstanceOf(MedusaApiError);
    expect(busy).toMatchObject({ message: `Medusa at ${new URL(url).host} is rate limiting storedesk (HTTP 429); try again in 12 s`, options: { retryAfterSeconds: 12 } });
    const signingIn = createMedusaClient({ apiUrl: url, auth: { kind: 'password', email: 'a@b.c', password: 'right' } });
    await expect(signingIn.get('/admin/orders', {}, Orders)).rejects.toMatchObject({ name: 'StoreUnavailableError', options: { retryAfterSeconds: 12 } });
  });
});
