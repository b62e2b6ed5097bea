/**
 * A small client for Medusa v2's Admin REST API: JSON over fetch with a timeout per request,
 * signed in with a secret API key (HTTP Basic, the key as user name) or with an admin's email and
 * password (a JWT from /auth/user/emailpass, fetched again when Medusa stops accepting it).
 * Answers are checked against a TypeBox schema of what storedesk reads.
 *
 * What cannot be used becomes StoreUnavailableError (unreachable, timeout, HTTP 429 and 5xx, not JSON,
 * credentials refused, an unexpected shape); Medusa's own refusals of a request (HTTP 400, 404,
 * 409 with its `type` and `message`) become MedusaApiError, which the connector turns into
 * refusals an agent can read.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { StoreUnavailableError } from '../connector.ts';
import { createSharedSignIn, rateLimitedError, retryAfterOf, sendRemoteRequest } from '../http-client.ts';
import { hostOf } from '../remote.ts';

/** How storedesk signs in to Medusa. */
export type MedusaAuth = { kind: 'api_key'; apiKey: string } | { kind: 'password'; email: string; password: string };

/** Where and how to reach one Medusa server. */
export interface MedusaClientOptions {
  /** The server's base URL, e.g. https://shop.example.com (the Admin API is under /admin). */
  apiUrl: string;
  auth: MedusaAuth;
  /** Per request; a store slower than this is treated as unreachable. */
  timeoutMs?: number | undefined;
}

/** Medusa answered, but refused the request (invalid data, not found, not allowed now). */
export class MedusaApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status (400, 404, 409, 422). */
    readonly status: number,
    /** Medusa's error type (invalid_data, not_found, not_allowed, conflict, …). */
    readonly type: string,
  ) {
    super(message);
    this.name = 'MedusaApiError';
  }
}

/** A query string value: nested objects become `a[b]=c`, arrays repeat `a[]=x`. */
export type QueryValue = string | number | boolean | null | undefined | readonly QueryValue[] | { readonly [key: string]: QueryValue };

/** One Admin API connection with its session. */
export interface MedusaClient {
  /** GET a path under the server (e.g. /admin/orders) and check the answer against the schema. */
  get<S extends TSchema>(path: string, query: Record<string, QueryValue>, schema: S): Promise<Static<S>>;
  /** POST a JSON body and check the answer against the schema. */
  post<S extends TSchema>(path: string, body: Record<string, unknown>, schema: S): Promise<Static<S>>;
  /** The server's host, for messages. */
  readonly where: string;
  /** The server's base URL without a trailing slash. */
  readonly baseUrl: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Encodes a query the way Medusa's parser (qs) reads it. */
export function encodeQuery(query: Record<string, QueryValue>): string {
  const parts: string[] = [];
  const add = (key: string, value: QueryValue): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const v of value as readonly QueryValue[]) add(`${key}[]`, v);
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    } else {
      parts.push(`${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(String(value))}`);
    }
  };
  for (const [k, v] of Object.entries(query)) add(k, v);
  return parts.join('&');
}

/** Medusa's error body: `{ type, message }`. */
function errorOf(body: unknown): { type: string; message: string } | null {
  if (!body || typeof body !== 'object') return null;
  const type = 'type' in body && typeof body.type === 'string' ? body.type : 'unknown_error';
  const message = 'message' in body && typeof body.message === 'string' ? body.message : null;
  return message === null ? null : { type, message };
}

/** Builds a client; nothing is sent until the first request. */
export function createMedusaClient(options: MedusaClientOptions): MedusaClient {
  const baseUrl = options.apiUrl.trim().replace(/\/+$/, '').replace(/\/admin$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = hostOf(baseUrl);
  const auth = options.auth;

  /**
   * One HTTP round trip with the given Authorization header: status and parsed JSON, or
   * StoreUnavailableError.
   */
  async function send(method: 'GET' | 'POST', path: string, body: Record<string, unknown> | null, authorization: string | null): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    if (authorization) headers.authorization = authorization;
    const answer = await sendRemoteRequest('Medusa', { method, url: `${baseUrl}${path}`, headers, body: body ? JSON.stringify(body) : null, timeoutMs });
    const { status, text } = answer;
    // Too many requests: Medusa (or a proxy in front of it) did nothing; wait and retry.
    if (status === 429) throw rateLimitedError('Medusa', where, answer.headers);
    if (status >= 500) {
      const detail = (() => {
        try {
          return errorOf(JSON.parse(text))?.message ?? null;
        } catch {
          return null;
        }
      })();
      throw new StoreUnavailableError(`Medusa at ${where} answered with a server error (HTTP ${status}${detail ? `: ${detail}` : ''})`, retryAfterOf(answer.headers));
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new StoreUnavailableError(`${where} did not answer like a Medusa server (HTTP ${status}, ${answer.headers.get('content-type') ?? 'no content type'}); check the API URL`);
    }
    return { status, json };
  }

  /** An admin's JWT from /auth/user/emailpass. */
  async function signIn(email: string, password: string): Promise<string> {
    const { status, json } = await send('POST', '/auth/user/emailpass', { email, password }, null);
    const got = json && typeof json === 'object' && 'token' in json && typeof json.token === 'string' ? json.token : null;
    if (status === 401 || status === 400) throw new StoreUnavailableError(`Medusa at ${where} refused the email or password; an admin can enter them again in Settings → Stores`);
    if (status === 404) throw new StoreUnavailableError(`${where} has no Medusa sign-in at /auth/user/emailpass (HTTP 404); check the API URL`);
    if (!got) throw new StoreUnavailableError(`Medusa at ${where} did not hand out a token for the sign-in (HTTP ${status})`);
    return got;
  }

  // A secret key goes with every request; an admin's JWT is fetched once and again when Medusa
  // answers 401 (an expired or revoked token: Medusa did nothing with the request).
  const session = auth.kind === 'password' ? createSharedSignIn(() => signIn(auth.email, auth.password)) : null;
  const apiKeyHeader = auth.kind === 'api_key' ? `Basic ${Buffer.from(`${auth.apiKey}:`).toString('base64')}` : null;

  async function call<S extends TSchema>(method: 'GET' | 'POST', path: string, body: Record<string, unknown> | null, schema: S): Promise<Static<S>> {
    const answer = session
      ? await session.send((token) => send(method, path, body, `Bearer ${token}`), (a) => a.status === 401)
      : await send(method, path, body, apiKeyHeader);
    if (answer.status === 401) {
      throw new StoreUnavailableError(`Medusa at ${where} refused ${auth.kind === 'api_key' ? 'the secret API key' : 'the admin sign-in'} (HTTP 401); an admin can enter the credentials again in Settings → Stores`);
    }
    if (answer.status === 403) throw new StoreUnavailableError(`Medusa at ${where} does not let this user do that (HTTP 403)`);
    if (answer.status >= 400) {
      const err = errorOf(answer.json);
      throw new MedusaApiError(err?.message ?? `HTTP ${answer.status}`, answer.status, err?.type ?? 'unknown_error');
    }
    if (!Value.Check(schema, answer.json)) {
      const first = Value.Errors(schema, answer.json).First();
      throw new StoreUnavailableError(`Medusa at ${where} answered ${method} ${path.split('?')[0]} in a shape storedesk does not understand${first ? ` (${first.path || '/'}: ${first.message})` : ''}`);
    }
    return answer.json;
  }

  return {
    where,
    baseUrl,
    get(path, query, schema) {
      const qs = encodeQuery(query);
      return call('GET', qs ? `${path}?${qs}` : path, null, schema);
    },
    post(path, body, schema) {
      return call('POST', path, body, schema);
    },
  };
}
