/**
 * Turns every failure into RFC 9457 problem+json with a stable `code`. Unknown errors become
 * 500 internal_error and are logged with the request id; request bodies are never logged.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode, type FieldError } from '../shared/errors.ts';

/** The problem document every error response carries. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  request_id: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Invalid request',
  bad_request: 'Bad request',
  invalid_cursor: 'Invalid cursor',
  unauthenticated: 'Not signed in',
  invalid_credentials: 'Wrong email or password',
  invalid_signature: 'Invalid signature',
  forbidden: 'Not allowed',
  authority_limit_exceeded: 'Above your authority',
  budget_exceeded: 'Over the goodwill budget',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  already_exists: 'Already exists',
  merge_conflict: 'Cannot merge',
  deviation_reason_required: 'Reason required',
  payload_too_large: 'Request too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal_error: 'Internal error',
  service_unavailable: 'Service unavailable',
};

/** Builds the problem document for a code. */
export function problemFor(
  request: FastifyRequest,
  code: ErrorCode,
  detail: string,
  errors?: FieldError[],
  extra?: Record<string, unknown>,
): Problem {
  return {
    type: `https://storedesk.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[code],
    status: ERROR_STATUS[code],
    code,
    detail,
    instance: request.url.split('?')[0],
    request_id: request.id,
    ...(errors && errors.length ? { errors } : {}),
    ...extra,
  };
}

/** Sends a problem response. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

interface AjvIssue {
  instancePath?: string;
  schemaPath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Maps one schema-validation issue to the field it concerns, with a readable message. */
function fieldOf(issue: AjvIssue, part: string | undefined): FieldError {
  const base = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const params = issue.params ?? {};
  if (issue.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    const field = base ? `${base}.${params.additionalProperty}` : params.additionalProperty;
    return { field, message: 'is not a known field' };
  }
  if (issue.keyword === 'required' && typeof params.missingProperty === 'string') {
    const field = base ? `${base}.${params.missingProperty}` : params.missingProperty;
    return { field, message: 'is required' };
  }
  let message = issue.message ?? 'is invalid';
  if (issue.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message = `must be one of: ${params.allowedValues.join(', ')}`;
  }
  return { field: base || part || 'body', message };
}

/**
 * Maps schema-validation issues to one error per field. A union (`anyOf`) reports every branch
 * it tried; those are folded into one message, e.g. "must be one of: low, normal, high, urgent".
 */
function fieldErrors(issues: AjvIssue[], part: string | undefined): FieldError[] {
  const unions = issues.filter((i) => i.keyword === 'anyOf' && i.schemaPath).map((i) => `${i.schemaPath}/`);
  const inUnion = (i: AjvIssue) => i.keyword !== 'anyOf' && unions.some((u) => (i.schemaPath ?? '').startsWith(u));
  return issues
    .filter((i) => !inUnion(i))
    .map((issue) => {
      if (issue.keyword !== 'anyOf') return fieldOf(issue, part);
      const branches = issues.filter((i) => i.keyword !== 'anyOf' && (i.schemaPath ?? '').startsWith(`${issue.schemaPath}/`));
      const allowed = branches.filter((b) => b.keyword === 'const').map((b) => JSON.stringify(b.params?.allowedValue).replace(/^"|"$/g, ''));
      const others = branches.filter((b) => b.keyword !== 'const').map((b) => b.message ?? 'is invalid');
      const parts = [...(allowed.length ? [`must be one of: ${allowed.join(', ')}`] : []), ...new Set(others)];
      return { ...fieldOf(issue, part), ...(parts.length ? { message: parts.join(' or ') } : {}) };
    });
}

/** Fastify error handler: AppError, validation, size limits, rate limits, and the unknown. */
export function handleError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return sendProblem(reply, problemFor(request, error.code, error.message, error.errors, error.extra));
  }
  const fe = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (fe.validation) {
    const errors = fieldErrors(fe.validation, fe.validationContext);
    const first = errors[0];
    const detail = first ? `${first.field} ${first.message}.` : 'The request is not valid.';
    return sendProblem(reply, problemFor(request, 'validation_failed', detail, errors));
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, problemFor(request, 'payload_too_large', 'The request body is larger than this endpoint accepts.'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(reply, problemFor(request, 'unsupported_media_type', 'Send the body as application/json.'));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendProblem(reply, problemFor(request, 'bad_request', 'The body is not valid JSON.'));
  }
  if (fe.statusCode === 429) {
    return sendProblem(reply, problemFor(request, 'rate_limited', 'Too many attempts; wait a minute and try again.'));
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return sendProblem(reply, problemFor(request, 'bad_request', fe.message));
  }
  request.log.error({ err: { message: error.message, stack: error.stack, code: fe.code } }, 'unhandled error');
  return sendProblem(reply, problemFor(request, 'internal_error', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`));
}
