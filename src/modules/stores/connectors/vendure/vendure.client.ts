/**
 * A small client for Vendure's Admin GraphQL API: one POST per request with a timeout, a session
 * from the `login` mutation (Vendure's bearer token, or its session cookie when the server only
 * uses cookies) that is renewed when Vendure stops accepting it, or an API key. Answers are
 * checked against a TypeBox schema of what storedesk asked for.
 *
 * What cannot be used becomes StoreUnavailableError (unreachable, timeout, HTTP 5xx, not GraphQL,
 * credentials refused, an unexpected shape); GraphQL errors about the request itself become
 * VendureApiError, which the connector turns into refusals or reports.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { StoreUnavailableError } from '../connector.ts';
import { hostOf, networkReason } from '../remote.ts';

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

/** Builds a client; nothing is sent until the first request. */
export function createVendureClient(options: VendureClientOptions): VendureClient {
  const apiUrl = options.apiUrl;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = hostOf(apiUrl);
  let bearer: string | null = null;
  let cookies = new Map<string, string>();
  let loggingIn: Promise<void> | null = null;

  /** One HTTP round trip; the GraphQL answer, or StoreUnavailableError. */
  async function post(document: string, variables: Record<string, unknown>): Promise<{ answer: GraphQlAnswer; response: Response }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.channelToken) headers['vendure-token'] = options.channelToken;
    if (options.auth.kind === 'api_key') headers['vendure-api-key'] = options.auth.apiKey;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let response: Response;
    let text: string;
    try {
      response = await fetch(apiUrl, { method: 'POST', headers, body: JSON.stringify({ query: document, variables }), signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (err) {
      throw new StoreUnavailableError(`Vendure at ${where} cannot be reached: ${networkReason(err)}`, { cause: err });
    }
    if (response.status >= 500) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new StoreUnavailableError(`Vendure at ${where} answered with a server error (HTTP ${response.status})`, Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {});
    }
    const answer = readGraphQl(text);
    if (!answer) {
      throw new StoreUnavailableError(`${where} did not answer like a Vendure Admin API (HTTP ${response.status}, ${response.headers.get('content-type') ?? 'no content type'}); check the Admin API URL`);
    }
    return { answer, response };
  }

  /** Keeps the session Vendure handed out (bearer header, or its cookies). */
  function keepSession(response: Response): void {
    const token = response.headers.get('vendure-auth-token');
    if (token) bearer = token;
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  async function login(): Promise<void> {
    if (options.auth.kind !== 'password') return;
    bearer = null;
    cookies = new Map();
    const { answer, response } = await post(LOGIN, { username: options.auth.username, password: options.auth.password });
    const result: unknown = answer.data && typeof answer.data === 'object' && 'login' in answer.data ? answer.data.login : null;
    if (answer.errors.length || !result || typeof result !== 'object') {
      throw new StoreUnavailableError(`Vendure at ${where} refused the sign-in: ${answer.errors.map((e) => e.message).join('; ') || 'no answer to login'}`);
    }
    if ('errorCode' in result) {
      const message = 'message' in result && typeof result.message === 'string' ? result.message : String(result.errorCode);
      throw new StoreUnavailableError(`Vendure at ${where} refused the username or password (${message}); an admin can enter them again in Settings → Stores`);
    }
    keepSession(response);
    if (!bearer && cookies.size === 0) throw new StoreUnavailableError(`Vendure at ${where} accepted the sign-in but gave no session token or cookie`);
  }

  async function ensureSession(): Promise<void> {
    if (options.auth.kind !== 'password' || bearer || cookies.size) return;
    loggingIn ??= login().finally(() => {
      loggingIn = null;
    });
    await loggingIn;
  }

  return {
    apiUrl,
    async request<S extends TSchema>(document: string, variables: Record<string, unknown>, schema: S): Promise<Static<S>> {
      let answer: GraphQlAnswer | null = null;
      for (let attempt = 0; attempt < 2; attempt++) {
        await ensureSession();
        const sent = await post(document, variables);
        keepSession(sent.response);
        answer = sent.answer;
        const forbidden = answer.errors.some((e) => e.code === 'FORBIDDEN');
        if (!forbidden) break;
        if (options.auth.kind === 'api_key' || attempt === 1) {
          throw new StoreUnavailableError(`Vendure at ${where} does not let this ${options.auth.kind === 'api_key' ? 'API key' : 'user'} do that (FORBIDDEN); give it the order, customer and promotion permissions`);
        }
        // The session expired or was revoked: sign in again and repeat (nothing was done).
        bearer = null;
        cookies = new Map();
      }
      if (!answer) throw new StoreUnavailableError(`Vendure at ${where} gave no answer`);
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
