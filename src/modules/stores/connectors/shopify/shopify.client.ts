/**
 * Shopify's Admin GraphQL API over fetch: one POST per call to
 * `https://{shop}/admin/api/{version}/graphql.json` with the app's access token. Everything that
 * means "Shopify cannot answer now" (network errors, timeouts, 5xx, 429 and THROTTLED) becomes a
 * StoreUnavailableError, with the seconds to wait when Shopify says so; the caller has then done
 * nothing it knows of and may retry with the same idempotency key.
 */
import { StoreUnavailableError } from '../connector.ts';
import { parseRetryAfter, retryAfterOf, sendRemoteRequest } from '../http-client.ts';

/** How the client reaches one shop. */
export interface ShopifyClientOptions {
  /** xxx.myshopify.com */
  shopDomain: string;
  apiVersion: string;
  accessToken: string;
  /** Replaces `https://{shopDomain}` (tests point it at the fake on loopback). */
  baseUrl?: string | undefined;
  /** Per-request timeout; Shopify answers well within it unless something is wrong. */
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** One GraphQL call: the document, its variables, and whether it changes the store. */
export interface ShopifyRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
}

/** Sends GraphQL documents to one shop. */
export interface ShopifyClient {
  /** The endpoint, for messages and tests. */
  readonly endpoint: string;
  /** Runs a document and returns its `data`; GraphQL errors and outages throw StoreUnavailableError. */
  request<T>(req: ShopifyRequest): Promise<T>;
}

interface GraphQLErrorBody {
  message?: unknown;
  extensions?: { code?: unknown } | undefined;
}

interface ThrottleStatus {
  maximumAvailable?: number;
  currentlyAvailable?: number;
  restoreRate?: number;
}

interface GraphQLResponseBody {
  data?: unknown;
  errors?: unknown;
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } } | undefined;
}

/** Seconds until the leaky bucket holds enough points for the request again. */
function throttleWait(body: GraphQLResponseBody): number {
  const cost = body.extensions?.cost;
  const status = cost?.throttleStatus;
  const needed = (cost?.requestedQueryCost ?? 50) - (status?.currentlyAvailable ?? 0);
  const rate = status?.restoreRate && status.restoreRate > 0 ? status.restoreRate : 50;
  return Math.max(1, Math.ceil(needed / rate));
}

function errorList(value: unknown): GraphQLErrorBody[] {
  if (Array.isArray(value)) return value.filter((e): e is GraphQLErrorBody => typeof e === 'object' && e !== null);
  if (typeof value === 'string') return [{ message: value }];
  return [];
}

/** Builds the client of one shop. */
export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  const base = (options.baseUrl ?? `https://${options.shopDomain}`).replace(/\/+$/, '');
  const endpoint = `${base}/admin/api/${options.apiVersion}/graphql.json`;
  const timeoutMs = options.timeoutMs ?? 20_000;

  return {
    endpoint,
    async request<T>(req: ShopifyRequest): Promise<T> {
      const res = await sendRemoteRequest('Shopify', {
        method: 'POST',
        url: endpoint,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': options.accessToken },
        body: JSON.stringify({ query: req.query, variables: req.variables ?? {} }),
        timeoutMs,
        fetch: options.fetch,
      });
      if (res.status === 429) {
        const retryAfterSeconds = parseRetryAfter(res.headers.get('retry-after')) ?? 2;
        throw new StoreUnavailableError(`Shopify is rate limiting storedesk; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
      }
      if (res.status === 401 || res.status === 403) {
        throw new StoreUnavailableError(res.status === 401
          ? 'Shopify refused the access token (401); an admin can enter a new Admin API access token in Settings → Stores'
          : 'Shopify refused access (403); the app lacks a permission (access scope) storedesk needs');
      }
      if (res.status === 402 || res.status === 423) {
        throw new StoreUnavailableError(res.status === 402 ? 'the Shopify store is frozen (402 Payment Required)' : 'the Shopify store is locked (423)');
      }
      if (res.status === 404) {
        throw new StoreUnavailableError(`Shopify has no shop at ${options.shopDomain} or no Admin API version ${options.apiVersion} (404)`);
      }
      if (res.status < 200 || res.status >= 300) {
        throw new StoreUnavailableError(`Shopify answered HTTP ${res.status}`, retryAfterOf(res.headers));
      }
      let body: GraphQLResponseBody;
      try {
        body = JSON.parse(res.text) as GraphQLResponseBody;
      } catch (err) {
        throw new StoreUnavailableError('Shopify answered something that is not JSON', { cause: err });
      }
      const errors = errorList(body.errors);
      if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
        const retryAfterSeconds = throttleWait(body);
        throw new StoreUnavailableError(`Shopify is rate limiting storedesk (query cost budget used up); try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
      }
      if (errors.length > 0) {
        const denied = errors.find((e) => e.extensions?.code === 'ACCESS_DENIED');
        const first = errors.map((e) => (typeof e.message === 'string' ? e.message : 'unknown error')).join('; ');
        throw new StoreUnavailableError(denied ? `Shopify denied access: ${first} (the app needs more access scopes)` : `Shopify rejected the request: ${first}`);
      }
      if (body.data === undefined || body.data === null || typeof body.data !== 'object') throw new StoreUnavailableError('Shopify answered without data');
      return body.data as T;
    },
  };
}
