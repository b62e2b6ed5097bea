/**
 * The HTTP layer the remote connectors (Vendure, Medusa, Shopify) share: one request with a
 * timeout whose transport failures become StoreUnavailableError naming the store's host (never
 * its credentials), Retry-After read into seconds to wait, and one sign-in shared by every caller
 * of a client, renewed once when the store stops accepting it. What a platform's answers mean
 * (GraphQL errors, status codes, error bodies) stays in that platform's client.
 */
import { StoreUnavailableError } from './connector.ts';
import { hostOf, networkReason } from './remote.ts';

/** One request to a store's API. */
export interface RemoteRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** The body, already serialized (JSON for every platform so far). */
  body?: string | null | undefined;
  /** Longer than this, headers and body together, and the store counts as unreachable. */
  timeoutMs: number;
  /** Stands in for the global fetch (tests, proxies). */
  fetch?: typeof fetch | undefined;
}

/** What the store answered: any status, with the body read as text. */
export interface RemoteAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends one request and reads its whole body within the timeout. No answer at all (refused,
 * timeout, DNS, a cut connection, a URL with a password in it) throws StoreUnavailableError
 * "<platform> at <host> cannot be reached: <reason>", which names the host and never the
 * credentials; every HTTP status is returned for the platform's client to judge.
 */
export async function sendRemoteRequest(platform: string, request: RemoteRequest): Promise<RemoteAnswer> {
  const doFetch = request.fetch ?? fetch;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(request.url)) {
    // fetch refuses such a URL with an error that quotes it, password and all: no cause to log.
    throw new StoreUnavailableError(`${platform} at ${hostOf(request.url)} cannot be reached: its URL includes a user name or password; enter them as the store's credentials instead`);
  }
  try {
    const response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (err) {
    throw new StoreUnavailableError(`${platform} at ${hostOf(request.url)} cannot be reached: ${networkReason(err)}`, { cause: err });
  }
}

/**
 * The longest wait a store may announce: a store that asks for more is down rather than busy,
 * and a hint shown to agents or used by a retry must not outlive the outage by hours.
 */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * Seconds to wait from a Retry-After header (RFC 9110: delta-seconds or an HTTP-date), rounded
 * up, at least 1 and at most MAX_RETRY_AFTER_SECONDS; undefined when there is none or it is
 * unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const clamp = (seconds: number) => Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
  if (/^\d+(\.\d+)?$/.test(text)) return clamp(Number(text));
  // An HTTP-date names its month ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone would
  // also take "-5" for a year.
  const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : clamp((at - now) / 1000);
}

/** StoreUnavailableError's options for an answer's Retry-After: the seconds when it has one. */
export function retryAfterOf(headers: Headers, now = Date.now()): { retryAfterSeconds?: number } {
  const seconds = parseRetryAfter(headers.get('retry-after'), now);
  return seconds === undefined ? {} : { retryAfterSeconds: seconds };
}

/**
 * A store's HTTP 429 (Too Many Requests) as the outage it is: the store is there and did nothing
 * with the request, so the action is retried later with the same key rather than recorded as
 * refused. The message says how long to wait when the store said so (Retry-After).
 */
export function rateLimitedError(platform: string, host: string, headers: Headers, now = Date.now()): StoreUnavailableError {
  const wait = retryAfterOf(headers, now);
  const when = wait.retryAfterSeconds === undefined ? 'try again in a moment' : `try again in ${wait.retryAfterSeconds} s`;
  return new StoreUnavailableError(`${platform} at ${host} is rate limiting storedesk (HTTP 429); ${when}`, wait);
}

/** A session signed in once and shared by every request of one client. */
export interface SharedSignIn<S> {
  /**
   * Runs `attempt` with the session, signing in first when there is none. When the store refuses
   * the session (`refused` says so of the answer), signs in again and repeats once, not more:
   * the second answer is returned as it is, refused or not, for the client to word.
   */
  send<T>(attempt: (session: S) => Promise<T>, refused: (answer: T) => boolean): Promise<T>;
  /** The session, signing in when there is none; callers that arrive during a sign-in wait for it. */
  session(): Promise<S>;
  /** Forgets `stale` (unless a newer session replaced it already) and signs in again. */
  renew(stale: S): Promise<S>;
}

/**
 * Keeps the session `signIn` returns. Concurrent callers share one sign-in; one that fails is
 * thrown to all of them and the next call tries again.
 */
export function createSharedSignIn<S>(signIn: () => Promise<S>): SharedSignIn<S> {
  let current: S | null = null;
  let signingIn: Promise<S> | null = null;

  function session(): Promise<S> {
    if (current !== null) return Promise.resolve(current);
    signingIn ??= signIn()
      .then((fresh) => (current = fresh))
      .finally(() => {
        signingIn = null;
      });
    return signingIn;
  }

  function renew(stale: S): Promise<S> {
    if (current === stale) current = null;
    return session();
  }

  return {
    session,
    renew,
    async send(attempt, refused) {
      const first = await session();
      const answer = await attempt(first);
      if (!refused(answer)) return answer;
      return attempt(await renew(first));
    },
  };
}
