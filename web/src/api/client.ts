/**
 * The one HTTP client of the workspace. Every request to the API goes through `api`, and this is
 * the one place that turns RFC 9457 problem+json answers into an `ApiError` whose `message` a
 * person can act on. A 401 on any call except sign-in sends the agent to the sign-in page.
 */
import type { Problem } from './types';

/** Prefix of every versioned API route. */
export const API_BASE = '/api/v1';

/** A failed API call, with the server's stable `code` and a message fit to show. */
export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** Stable machine code from the problem document (`not_found`, `validation_failed`, …). */
  readonly code: string;
  /** Field-level problems for forms, keyed by dotted field path. */
  readonly fieldErrors: Record<string, string>;
  /** Request id to quote when reporting a server error. */
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, fieldErrors: Record<string, string> = {}, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.requestId = requestId;
  }
}

/** Narrows an unknown error to an ApiError. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** The message to show for any error a query or mutation can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

type UnauthenticatedHandler = () => void;

let onUnauthenticated: UnauthenticatedHandler = () => {
  if (!window.location.pathname.startsWith('/sign-in')) {
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`/sign-in?next=${next}`);
  }
};

/** Lets the app replace the full-page redirect on 401 with a client-side navigation. */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && ('detail' in value || 'title' in value);
}

/** Builds the human message for a problem document: the detail, plus every field error. */
function describeProblem(problem: Problem): string {
  const base = problem.detail || problem.title || 'The request failed.';
  const fields = problem.errors ?? [];
  if (fields.length <= 1) return base;
  const list = fields.map((e) => `${humanField(e.field)} ${e.message}`).join('; ');
  return `${base.replace(/\.$/, '')} (${list}).`;
}

function humanField(field: string): string {
  return field.replace(/_/g, ' ').replace(/\./g, ' ');
}

const STATUS_TEXT: Record<number, string> = {
  400: 'The request was not accepted.',
  403: 'You are not allowed to do that.',
  404: 'That was not found. It may have been deleted or merged.',
  409: 'Someone else changed this at the same time. Reload and try again.',
  413: 'That is larger than the server accepts.',
  429: 'Too many requests. Wait a moment and try again.',
  502: 'The storedesk server is not answering (bad gateway). Try again in a moment.',
  503: 'storedesk is temporarily unavailable. Try again in a moment.',
  504: 'The storedesk server took too long to answer. Try again.',
};

/** Turns a non-2xx response into an ApiError. */
async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isProblem(body)) {
    const fields: Record<string, string> = {};
    for (const e of body.errors ?? []) fields[e.field] = e.message;
    let message = describeProblem(body);
    if (body.status >= 500 && body.request_id && !message.includes(body.request_id)) {
      message = `${message} (request id ${body.request_id})`;
    }
    return new ApiError(response.status, body.code || 'error', message, fields, body.request_id);
  }
  const message =
    STATUS_TEXT[response.status] ??
    (response.status >= 500
      ? `The server had a problem (${response.status}). Try again in a moment.`
      : `The request failed (${response.status} ${response.statusText}).`);
  return new ApiError(response.status, response.status === 401 ? 'unauthenticated' : 'http_error', message);
}

/** Options for one API call. */
export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** JSON body. */
  body?: unknown;
  /** Query-string parameters; empty and undefined values are left out. */
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
  /** Do not redirect to sign-in on 401 (the sign-in call itself, the session probe). */
  allowUnauthenticated?: boolean;
  /** Send even while the page unloads (presence "left"). */
  keepalive?: boolean;
}

/** Builds `/api/v1/<path>?<query>`. */
export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path.startsWith('/') ? '' : '/'}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

/** Sends one request; any non-2xx answer becomes an ApiError (and a 401 ends the session). */
async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Cannot reach the storedesk server. Check your connection and try again.');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && !options.allowUnauthenticated) onUnauthenticated();
    throw error;
  }
  return response;
}

/**
 * Sends a file as the request body, reporting upload progress (0–1). XMLHttpRequest, because
 * fetch cannot report how much of a body has been sent. Errors are ApiErrors like `api`'s.
 */
export function apiUpload<T>(path: string, file: Blob, options: { query?: RequestOptions['query']; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path, options.query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'Cannot reach the storedesk server. Check your connection and try again.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    xhr.onload = () => {
      const headers = new Headers({ 'content-type': xhr.getResponseHeader('content-type') ?? '' });
      const response = new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers });
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        return;
      }
      void toApiError(response).then((error) => {
        if (xhr.status === 401) onUnauthenticated();
        reject(error);
      });
    };
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options, 'application/json, application/problem+json');
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Fetches a text document from the API (an original email), with the same errors as `api`. */
export async function apiText(path: string, options: RequestOptions = {}): Promise<string> {
  const response = await send(path, options, 'text/plain, message/rfc822, application/problem+json, */*');
  return response.text();
}
