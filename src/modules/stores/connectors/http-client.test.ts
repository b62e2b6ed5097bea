/**
 * The HTTP layer the remote connectors share, against real HTTP servers on loopback: a store that
 * does not answer in time or at all is StoreUnavailableError naming its host and never the
 * credentials; Retry-After is read in both of its forms and capped; callers share one sign-in and
 * a refused session is renewed once, not in a loop.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from './connector.ts';
import { MAX_RETRY_AFTER_SECONDS, createSharedSignIn, parseRetryAfter, retryAfterOf, sendRemoteRequest } from './http-client.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

/** A loopback server; its base URL. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  return `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
}

/** A port nothing listens on any more. */
async function closedPort(): Promise<number> {
  const url = await serve(() => {});
  const server = servers.pop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  return Number(new URL(url).port);
}

const get = (url: string, timeoutMs = 2_000) => sendRemoteRequest('Acme', { method: 'GET', url, headers: { authorization: 'Bearer s3cret-token' }, timeoutMs });
const failure = (promise: Promise<unknown>) => promise.then(() => null, (err: unknown) => err);

describe('a request to a store', () => {
  it('returns every status with its headers and body, for the platform to judge', async () => {
    const url = await serve((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-echo': req.headers.authorization ?? '' });
      res.end(JSON.stringify({ path: req.url }));
    });
    const ok = await get(`${url}/orders`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ path: '/orders' });
    expect(ok.headers.get('x-echo')).toBe('Bearer s3cret-token');
    expect((await get(`${url}/missing`)).status).toBe(404);
  });

  it('a store that does not answer in time is unavailable, named by its host', async () => {
    const url = await serve(() => {}); // never answers
    const err = await failure(get(`${url}/slow`, 200));
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(String(err)).toContain(`Acme at ${new URL(url).host} cannot be reached: it did not answer in time`);
  });

  it('a body that stops half way counts as no answer', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"orders": [');
      setTimeout(() => res.destroy(), 20);
    });
    expect(String(await failure(get(url)))).toMatch(/cannot be reached: the connection was cut before it answered/);
  });

  it('a refused connection names the host and neither the password in the URL nor the token sent', async () => {
    const port = await closedPort();
    const refused = await failure(get(`http://127.0.0.1:${port}/admin`));
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(String(refused)).toContain(`Acme at 127.0.0.1:${port} cannot be reached: the connection was refused`);
    const withUser = await failure(get(`http://admin:hunter2@127.0.0.1:${port}/admin`));
    expect(withUser).toBeInstanceOf(StoreUnavailableError);
    expect(String(withUser)).toContain(`Acme at 127.0.0.1:${port} cannot be reached: its URL includes a user name or password`);
    const unparsable = await failure(get('http://admin:hunter2@not a host/admin'));
    expect(String(unparsable)).toContain('Acme at http://not a host/admin cannot be reached');
    for (const err of [refused, withUser, unparsable]) {
      expect(String(err)).not.toMatch(/hunter2|s3cret-token|admin:/);
      const cause = err instanceof StoreUnavailableError ? err.options.cause : undefined;
      expect(String(cause instanceof Error ? `${cause.message} ${String(cause.cause)}` : cause)).not.toMatch(/hunter2|s3cret-token/);
    }
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-23T06:00:00Z');

  it('reads delta-seconds, rounding up and waiting at least a second', () => {
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter(' 1.2 ', now)).toBe(2);
    expect(parseRetryAfter('0', now)).toBe(1);
  });

  it('reads an HTTP-date as the seconds from now until then, a past date as one second', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 06:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('Mon, 23 Nov 2026 05:00:00 GMT', now)).toBe(1);
  });

  it('caps what a store announces, in both forms', () => {
    expect(MAX_RETRY_AFTER_SECONDS).toBe(3600);
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(parseRetryAfter('Tue, 24 Nov 2026 06:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_SECONDS);
  });

  it('is nothing when the header is missing or unreadable', () => {
    for (const value of [null, undefined, '', '  ', 'soon', '-5', '1e3']) expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('comes from a real answer’s headers, 429 with seconds and 503 with a date', async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    const url = await serve((req, res) => {
      if (req.url === '/busy') res.writeHead(429, { 'retry-after': '7' });
      else if (req.url === '/maintenance') res.writeHead(503, { 'retry-after': at });
      else res.writeHead(503);
      res.end();
    });
    expect(retryAfterOf((await get(`${url}/busy`)).headers)).toEqual({ retryAfterSeconds: 7 });
    const maintenance = retryAfterOf((await get(`${url}/maintenance`)).headers).retryAfterSeconds ?? 0;
    expect(maintenance).toBeGreaterThanOrEqual(85);
    expect(maintenance).toBeLessThanOrEqual(91);
    expect(retryAfterOf((await get(`${url}/down`)).headers)).toEqual({});
  });
});

describe('a shared sign-in', () => {
  /**
   * A store with a sign-in endpoint handing out token-1, token-2, … and an API that accepts only
   * the tokens `accepts` says yes to.
   */
  async function store(accepts: (token: string, signIns: number) => boolean, signInDelayMs = 0) {
    const seen = { signIns: 0, requests: [] as string[] };
    const url = await serve((req, res) => {
      if (req.url === '/sign-in') {
        seen.signIns++;
        const token = `token-${seen.signIns}`;
        setTimeout(() => res.end(JSON.stringify({ token })), signInDelayMs);
        return;
      }
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      seen.requests.push(token);
      res.writeHead(accepts(token, seen.signIns) ? 200 : 401);
      res.end();
    });
    const signIn = async () => {
      const answer = await sendRemoteRequest('Acme', { method: 'POST', url: `${url}/sign-in`, headers: {}, timeoutMs: 2_000 });
      const body: unknown = JSON.parse(answer.text);
      if (!body || typeof body !== 'object' || !('token' in body) || typeof body.token !== 'string') throw new Error('no token');
      return body.token;
    };
    const call = (token: string) => sendRemoteRequest('Acme', { method: 'GET', url: `${url}/orders`, headers: { authorization: `Bearer ${token}` }, timeoutMs: 2_000 });
    return { seen, signIn, call };
  }
  const refused = (answer: { status: number }) => answer.status === 401;

  it('concurrent callers wait for one sign-in and all use its session', async () => {
    const { seen, signIn, call } = await store(() => true, 100);
    const shared = createSharedSignIn(signIn);
    const answers = await Promise.all(Array.from({ length: 5 }, () => shared.send(call, refused)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(seen.signIns).toBe(1);
    expect(seen.requests).toEqual(Array(5).fill('token-1'));
    await shared.send(call, refused);
    expect(seen.signIns).toBe(1);
  });

  it('a refused session is renewed once and the request repeated with the new one', async () => {
    const { seen, signIn, call } = await store((token) => token !== 'token-1');
    const shared = createSharedSignIn(signIn);
    expect((await shared.send(call, refused)).status).toBe(200);
    expect(seen.signIns).toBe(2);
    expect(seen.requests).toEqual(['token-1', 'token-2']);
  });

  it('a session refused again after renewing is returned as refused, not retried in a loop', async () => {
    const { seen, signIn, call } = await store(() => false);
    const shared = createSharedSignIn(signIn);
    expect((await shared.send(call, refused)).status).toBe(401);
    expect(seen.signIns).toBe(2);
    expect(seen.requests).toEqual(['token-1', 'token-2']);
  });

  it('callers refused together renew the session once between them', async () => {
    // Only the newest token is accepted: all five first attempts with token-1 are refused.
    const { seen, signIn, call } = await store((token, signIns) => token === `token-${signIns}` && signIns > 1, 50);
    const shared = createSharedSignIn(signIn);
    const answers = await Promise.all(Array.from({ length: 5 }, () => shared.send(call, refused)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(seen.signIns).toBe(2);
  });

  it('a failed sign-in reaches every waiting caller, and the next call signs in again', async () => {
    const port = await closedPort();
    let attempts = 0;
    const shared = createSharedSignIn(async () => {
      attempts++;
      await sendRemoteRequest('Acme', { method: 'POST', url: `http://127.0.0.1:${port}/sign-in`, headers: {}, timeoutMs: 2_000 });
      return 'never';
    });
    const errors = await Promise.all([failure(shared.session()), failure(shared.session())]);
    for (const err of errors) expect(String(err)).toMatch(/cannot be reached: the connection was refused/);
    expect(attempts).toBe(1);
    await failure(shared.session());
    expect(attempts).toBe(2);
  });
});
