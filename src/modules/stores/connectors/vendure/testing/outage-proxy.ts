/**
 * A loopback HTTP proxy in front of a real store's API that can fail the way networks do: 'down'
 * cuts every connection before anything reaches the store; 'drop_after_write' lets a write
 * (a GraphQL mutation other than login) reach the store and cuts the connection before its
 * answer comes back, so the store has acted and the caller does not know; 'rate_limited' answers
 * every request itself with HTTP 429 and `Retry-After: RATE_LIMIT_RETRY_AFTER` (a plain-text body,
 * as rate limiters in front of a server send), and nothing reaches the store. For tests only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the proxy behaves now. */
export type OutageMode = 'up' | 'down' | 'drop_after_write' | 'rate_limited';

/** The seconds a rate-limited answer asks the caller to wait. */
export const RATE_LIMIT_RETRY_AFTER = 7;

/** A running proxy. */
export interface OutageProxy {
  /** The proxy's URL for the upstream path (same path as the upstream URL). */
  url: string;
  mode: OutageMode;
  /** Writes that reached the store and whose answer was dropped. */
  readonly dropped: string[];
  /** Operations answered with 429 in 'rate_limited' mode, never sent on to the store. */
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

/** The GraphQL operation a request body carries, and whether it writes. */
function operationOf(body: Buffer): { write: boolean; name: string } {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const query = parsed && typeof parsed === 'object' && 'query' in parsed && typeof parsed.query === 'string' ? parsed.query.trim() : '';
    const name = /^(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    return { write: query.startsWith('mutation') && !/\blogin\s*\(/.test(query), name };
  } catch {
    return { write: false, name: 'unreadable' };
  }
}

/** Starts a proxy on 127.0.0.1 (a free port) in front of `upstreamUrl`. */
export async function startOutageProxy(upstreamUrl: string): Promise<OutageProxy> {
  const upstream = new URL(upstreamUrl);
  const state: { mode: OutageMode; dropped: string[]; limited: string[] } = { mode: 'up', dropped: [], limited: [] };
  const server: Server = createServer(async (req, res) => {
    if (state.mode === 'down') {
      req.socket.destroy();
      return;
    }
    try {
      const body = await readBody(req);
      const op = operationOf(body);
      if (state.mode === 'rate_limited') {
        state.limited.push(op.name);
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(RATE_LIMIT_RETRY_AFTER) });
        res.end('Too Many Requests');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') headers[k] = v;
      const answer = await fetch(new URL(req.url ?? '/', upstream), { method: req.method ?? 'POST', headers, body: req.method === 'GET' ? undefined : body });
      const text = Buffer.from(await answer.arrayBuffer());
      if (state.mode === 'drop_after_write' && op.write) {
        state.dropped.push(op.name);
        req.socket.destroy();
        return;
      }
      const out: Record<string, string | string[]> = {};
      answer.headers.forEach((value, key) => {
        if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'connection' && key !== 'content-encoding' && key !== 'set-cookie') out[key] = value;
      });
      const cookies = answer.headers.getSetCookie();
      if (cookies.length) out['set-cookie'] = cookies;
      res.writeHead(answer.status, out);
      res.end(text);
    } catch {
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    get mode() {
      return state.mode;
    },
    set mode(m: OutageMode) {
      state.mode = m;
    },
    dropped: state.dropped,
    limited: state.limited,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
