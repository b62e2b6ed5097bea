/**
 * A small client for Vendure's Admin GraphQL API: one POST per request with a timeout, a session
 * from the `login` mutation (Vendure's bearer token, or its session cookie when the server only
 * uses cookies) that is renewed when Vendure stops accepting it, or an API key. Answers are
 * checked against a TypeBox schema of what storedesk asked for.
 *
 * What cannot be used becomes StoreUnavailableError (unreachable, timeout, HTTP 429 and 5xx, not GraphQL,
 * credentials refused, an unexpected shape); GraphQL errors about the request itself become
 * VendureApiError, which the connector turns into refusals or reports.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { StoreUnavailableError } from '../connector.ts';
import { createSharedSignIn, rateLimitedError, retryAfterOf, sendRemoteRequest } from '../http-client.ts';
import { hostOf } from '../remote.ts';

/** How storedesk signs in to Vendure. */
export type VendureAuth = { kind: 'password'; username: string; password: string } | { kind: 'api_key'; apiKey: string };

/** Where and how to reach one Vendure Admin API. */
export interface VendureClientOptions {
  /** The Admin API URL, e.g. https://shop.example.com/admin-api. */
  apiUrl: string;
  /** The channel's token, for stores with more than one channel; the default channel otherwise. */
  channelToken?: string | null | undefined;
  auth: VendureAuth;
  /** Per request; a store slower than this is treated as unreachable. */
  timeoutMs?: number | undefined;
}

/** Vendure answered, but refused the request with GraphQL errors (bad input, unknown id, …). */
export class VendureApiError extends Error {
  constructor(
    message: string,
    /** extensions.code of each error (e.g. USER_INPUT_ERROR, ENTITY_NOT_FOUND). */
    readonly codes: readonly string[],
  ) {
    super(message);
    this.name = 'VendureApiError';
  }
}

/** One Admin API connection with its session. */
export interface VendureClient {
  /** Runs a query or mutation and checks the answer's `data` against the schema. */
  request<S extends TSchema>(document: string, variables: Record<string, unknown>, schema: S): Promise<Static<S>>;
  /** The API URL this client talks to, for messages. */
  readonly apiUrl: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const LOGIN = `mutation StoredeskLogin($username: String!, $password: String!) {
  login(username: $username, password: $password, rememberMe: true) {
    __typename
    ... on CurrentUser { id identifier }
    ... on ErrorResult { errorCode message }
  }
}`;

interface GraphQlAnswer {
  data: unknown;
  errors: { message: string; code: string }[];
}

/** Reads a GraphQL response body, or says why it is not one. */
function readGraphQl(text: string): GraphQlAnswer | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const data = 'data' in parsed ? parsed.data : undefined;
  const rawErrors = 'errors' in parsed && Array.isArray(parsed.errors) ? parsed.errors : [];
  if (data === undefined && rawErrors.length === 0) return null;
  const errors = rawErrors.map((e: unknown) => {
    const message = e && typeof e === 'object' && 'message' in e && typeof e.message === 'string' ? e.message : 'unknown error';
    const ext = e && typeof e === 'object' && 'extensions' in e && e.extensions && typeof e.extensions === 'object' ? e.extensions : null;
    const code = ext && 'code' in ext && typeof ext.code === 'string' ? ext.code : '';
    return { message, code };
  });
  return { data: data ?? null, errors };
}

/** Vendure's session: its bearer token, or its cookies when the server only uses cookies. */
interface VendureSession {
  bearer: string | null;
  cookies: Map<string, string>;
}

/** Keeps what Vendure hands out in an answer's headers (a new bearer token, session cookies). */
function keepSession(session: VendureSession, headers: Headers): void {
  const token = headers.get('vendure-auth-token');
  if (token) session.bearer = token;
  for (const line of headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) session.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

/** Builds a client; nothing is sent until the first request. */
export function createVendureClient(options: VendureClientOptions): VendureClient {
  const apiUrl = options.apiUrl;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = hostOf(apiUrl);
  const auth = options.auth;

  /** One HTTP round trip in a session; the GraphQL answer (the session keeps what came with it), or StoreUnavailableError. */
  async function post(document: string, variables: Record<string, unknown>, session: VendureSession): Promise<GraphQlAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.channelToken) headers['vendure-token'] = options.channelToken;
    if (auth.kind === 'api_key') headers['vendure-api-key'] = auth.apiKey;
    if (session.bearer) headers.authorization = `Bearer ${session.bearer}`;
    if (session.cookies.size) headers.cookie = [...session.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await sendRemoteRequest('Vendure', { method: 'POST', url: apiUrl, headers, body: JSON.stringify({ query: document, variables }), timeoutMs });
    // Too many requests (Vendure's rate limiting or a proxy's): nothing was done; wait and retry.
    if (response.status === 429) throw rateLimitedError('Vendure', where, response.headers);
    if (response.status >= 500) {
      throw new StoreUnavailableError(`Vendure at ${where} answered with a server error (HTTP ${response.status})`, retryAfterOf(response.headers));
    }
    const answer = readGraphQl(response.text);
    if (!answer) {
      throw new StoreUnavailableError(`${where} did not answer like a Vendure Admin API (HTTP ${response.status}, ${response.headers.get('content-type') ?? 'no content type'}); check the Admin API URL`);
    }
    keepSession(session, response.headers);
    return answer;
  }

  /** A new session from the `login` mutation. */
  async function login(username: string, password: string): Promise<VendureSession> {
    const session: VendureSession = { bearer: null, cookies: new Map() };
    const answer = await post(LOGIN, { username, password }, session);
    const result: unknown = answer.data && typeof answer.data === 'object' && 'login' in answer.data ? answer.data.login : null;
    if (answer.errors.length || !result || typeof result !== 'object') {
      throw new StoreUnavailableError(`Vendure at ${where} refused the sign-in: ${answer.errors.map((e) => e.message).join('; ') || 'no answer to login'}`);
    }
    if ('errorCode' in result) {
      const message = 'message' in result && typeof result.message === 'string' ? result.message : String(result.errorCode);
      throw new StoreUnavailableError(`Vendure at ${where} refused the username or password (${message}); an admin can enter them again in Settings → Stores`);
    }
    if (!session.bearer && session.cookies.size === 0) throw new StoreUnavailableError(`Vendure at ${where} accepted the sign-in but gave no session token or cookie`);
    return session;
  }

  // An API key goes with every request (and whatever session Vendure hands out beside it is
  // kept); a user signs in once and again when Vendure answers FORBIDDEN, which it does for an
  // expired or revoked session before doing anything.
  const shared = auth.kind === 'password' ? createSharedSignIn(() => login(auth.username, auth.password)) : null;
  const keySession: VendureSession = { bearer: null, cookies: new Map() };
  const isForbidden = (answer: GraphQlAnswer) => answer.errors.some((e) => e.code === 'FORBIDDEN');

  return {
    apiUrl,
    async request<S extends TSchema>(document: string, variables: Record<string, unknown>, schema: S): Promise<Static<S>> {
      const answer = shared
        ? await shared.send((session) => post(document, variables, session), isForbidden)
        : await post(document, variables, keySession);
      if (isForbidden(answer)) {
        throw new StoreUnavailableError(`Vendure at ${where} does not let this ${auth.kind === 'api_key' ? 'API key' : 'user'} do that (FORBIDDEN); give it the order, customer and promotion permissions`);
      }
      if (answer.errors.length) {
        throw new VendureApiError(answer.errors.map((e) => e.message).join('; '), answer.errors.map((e) => e.code));
      }
      if (!Value.Check(schema, answer.data)) {
        const first = Value.Errors(schema, answer.data).First();
        throw new StoreUnavailableError(`Vendure at ${where} answered in a shape storedesk does not understand${first ? ` (${first.path || '/'}: ${first.message})` : ''}`);
      }
      return answer.data;
    },
  };
}
