/**
 * One error type for everything the API refuses, with a stable machine code per kind of
 * refusal. The HTTP layer turns it into RFC 9457 problem+json; services never pick statuses.
 */

/** Every stable error code the API can answer with, mapped to its HTTP status. */
export const ERROR_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  invalid_cursor: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_signature: 401,
  forbidden: 403,
  authority_limit_exceeded: 403,
  budget_exceeded: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  already_exists: 409,
  merge_conflict: 409,
  deviation_reason_required: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

/** A stable error code, part of the public API. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** One field-level problem in a request. */
export interface FieldError {
  /** Dotted path of the field, e.g. `customer.email`. */
  field: string;
  message: string;
}

/** An error the API answers with its own code and a message a person can act on. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, detail: string, options: { errors?: FieldError[]; extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.errors = options.errors;
    this.extra = options.extra;
  }
}

/** Shorthand for the most common refusal. */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} was not found.`);
}

/** Shorthand for a role check that failed. */
export function forbidden(detail = 'Your role does not allow this action.'): AppError {
  return new AppError('forbidden', detail);
}
