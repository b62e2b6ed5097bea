/**
 * A loopback HTTP proxy in front of a real Medusa server that can lose answers the way networks
 * do: in 'drop_after_write' mode a write (any POST or DELETE except signing in) reaches Medusa and
 * the connection is cut before Medusa's answer gets back, so Medusa acted and the caller does not
 * know; `dropOnly` narrows that to some writes (the refund, not the bookkeeping before it). In
 * 'rate_limited' mode it answers every request itself with HTTP 429 and `Retry-After:
 * RATE_LIMIT_RETRY_AFTER`, as a rate limiter in front of Medusa does, and nothing reaches Medusa.
 * For tests only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the proxy behaves now. */
export type ProxyMode = 'up' | 'drop_after_write' | 'rate_limited';

/** The seconds a rate-limited answer asks the caller to wait. */
export const RATE_LIMIT_RETRY_AFTER = 7;

/** A running proxy. */
export interface OutageProxy {
  /** The proxy's base URL, standing in for the upstream's. */
  url: string;
  mode: ProxyMode;
  /** Only writes whose path matches lose their answer (all writes when null). */
  dropOnly: RegExp | null;
  /** Writes that reached Medusa and whose answer was dropped ("POST /admin/orders/…"). */
  readonly dropped: string[];
  /** Requests answered with 429 in 'rate_limited' mode, never sent on to Medusa ("GET /admin/orders"). */
  readonly limited: string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts a proxy on 127.0.0.1 (a free port) in front of `upstreamUrl`. */
export async function startOutageProxy(upstreamUrl: string): Promise<OutageProxy> {
  const upstream = new URL(upstreamUrl);
  const state: { mode: ProxyMode; dropOnly: RegExp | null; dropped: string[]; limited: string[] } = { mode: 'up', dropOnly: null, dropped: [], limited: [] };
  const server: Server = createServer(async (req, res) => {
    try {
      const method = req.method ?? 'GET';
      const body = await readBody(req);
      if (state.mode === 'rate_limited') {
        state.limited.push(`${method} ${(req.url ?? '').split('?')[0] ?? ''}`);
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(RATE_LIMIT_RETRY_AFTER) });
        res.end(JSON.stringify({ type: 'too_many_requests', message: 'Too many requests, please try again later.' }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') headers[k] = v;
      const answer = await fetch(new URL(req.url ?? '/', upstream), { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
      const payload = Buffer.from(await answer.arrayBuffer());
      const path = (req.url ?? '').split('?')[0] ?? '';
      const write = method !== 'GET' && method !== 'HEAD' && !path.startsWith('/auth/') && (!state.dropOnly || state.dropOnly.test(path));
      if (state.mode === 'drop_after_write' && write) {
        state.dropped.push(`${method} ${path}`);
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(payload);
    } catch {
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(m: ProxyMode) {
      state.mode = m;
    },
    get dropOnly() {
      return state.dropOnly;
    },
    set dropOnly(re: RegExp | null) {
      state.dropOnly = re;
    },
    get dropped() {
      return state.dropped;
    },
    get limited() {
      return state.limited;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A loopback port where nothing listens (taken from the OS, then released): a store that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
