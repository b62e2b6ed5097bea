/**
 * Small pieces every connector shares: reasons a store could not be reached, in words an agent
 * understands, the host to name in them, discount codes customers can type, and one action at a
 * time per idempotency key.
 */
import { randomBytes } from 'node:crypto';

/** A short reason for a failed fetch: refused, a timeout, a DNS failure, a cut connection. */
export function networkReason(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'it did not answer in time';
  const cause = err instanceof Error ? err.cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its host name does not resolve';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was cut before it answered';
  return code ? `the connection failed (${code})` : 'the connection failed';
}

/**
 * The host (and port) of a URL, to name the store in errors; the text itself when it is not a URL,
 * without a user name and password before an `@` either way.
 */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, '$1');
  }
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A code customers can type: PREFIX-XXXXXX without look-alike letters (no 0/O, 1/I/L). */
export function generateCustomerCode(prefix: string): string {
  let out = '';
  for (const b of randomBytes(6)) out += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return `${prefix}-${out}`;
}

/**
 * Runs `run` for a key once every call for the same key already under way in this process has
 * finished: calls for one key take turns. Keyed by order, a double click finds what the first
 * click did instead of racing it, and two actions on one order never read-modify-write the
 * order's record of actions at the same time.
 */
export function createTurnTaking<T>(): (key: string, run: () => Promise<T>) => Promise<T> {
  const inFlight = new Map<string, Promise<T>>();
  return async (key, run) => {
    while (inFlight.has(key)) await inFlight.get(key)?.catch(() => undefined);
    const running = run();
    inFlight.set(key, running);
    try {
      return await running;
    } finally {
      inFlight.delete(key);
    }
  };
}
