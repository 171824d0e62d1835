import type { FastifyError, FastifyRequest } from "fastify";
import { singleLine } from "../core/clean-text.js";
import { AppError, type ErrorCode, type ErrorReason, type FieldError } from "../core/errors.js";
import { bodyLimitOf, bodyTooLargeDetail, declaredLength, type BodyLimit } from "./request-body.js";
import { fieldErrorsFromAjv, validationDetail, type AjvError } from "./validation-wording.js";

/** RFC 9457 problem details, as every error leaves Firebreak's HTTP API. */
export interface Problem {
  /** urn:firebreak:problem: and the code, or the error's reason when it has one, in kebab case. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly requestId: string;
  readonly instance?: string;
}

/**
 * A problem's code: an AppError's, or one of the protocol's own refusals, which only the HTTP layer
 * meets (a method the path does not take, a body type or encoding it does not read, a request too slow,
 * its path too long or its headers too large).
 */
export type ProblemCode =
  | ErrorCode
  | "METHOD_NOT_ALLOWED"
  | "REQUEST_TIMEOUT"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "URI_TOO_LONG"
  | "REQUEST_HEADER_FIELDS_TOO_LARGE";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/**
 * Retry-After of a 503 that gives none of its own (the database is busy or cannot be reached): soon
 * enough that a retried alert is not late, late enough that senders do not hammer a restarting database.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

const TITLE_BY_CODE: Record<ProblemCode, string> = {
  VALIDATION: "Invalid request",
  UNAUTHENTICATED: "Authentication required",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  CONFLICT: "Conflict",
  PRECONDITION_FAILED: "Precondition failed",
  PAYLOAD_TOO_LARGE: "Payload too large",
  RATE_LIMITED: "Too many requests",
  INTERNAL: "Internal error",
  UNAVAILABLE: "Service unavailable",
  METHOD_NOT_ALLOWED: "Method not allowed",
  REQUEST_TIMEOUT: "Request timeout",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  URI_TOO_LONG: "URI too long",
  REQUEST_HEADER_FIELDS_TOO_LARGE: "Request header fields too large",
};

const CODE_BY_STATUS: Record<number, ProblemCode> = {
  400: "VALIDATION",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  412: "PRECONDITION_FAILED",
  405: "METHOD_NOT_ALLOWED",
  408: "REQUEST_TIMEOUT",
  413: "PAYLOAD_TOO_LARGE",
  414: "URI_TOO_LONG",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
  431: "REQUEST_HEADER_FIELDS_TOO_LARGE",
  503: "UNAVAILABLE",
};

export interface MappedError {
  readonly problem: Problem;
  readonly headers: Record<string, string>;
  /** True for errors nobody anticipated: log them with the request id; their message stays inside. */
  readonly unexpected: boolean;
}

export interface ErrorLog {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * Logs what an operator must see: an unexpected error (500) with its stack, and a 503 (the database
 * is busy or cannot be reached) as a one-line warning that says why, without a stack: during an
 * outage every refused request logs one, and the cause's message and code say all a stack did.
 * `where` names the route, as "in /api/v2/alerts".
 */
export function logMappedError(log: ErrorLog, mapped: MappedError, err: unknown, where: string): void {
  if (mapped.unexpected) log.error({ err }, `unexpected error ${where}`);
  else if (mapped.problem.status === 503)
    log.warn({ cause: causeOf(err) }, `answered 503 ${where}: ${mapped.problem.detail}`);
}

/** What went wrong underneath an error (its cause's, else its own message and code), without a stack. */
export function causeOf(err: unknown): { message: string; code?: string } {
  const inner = err instanceof Error && err.cause !== undefined ? err.cause : err;
  const message = inner instanceof Error ? inner.message : String(inner);
  const code = (inner as { code?: unknown } | null)?.code;
  return code === undefined || code === null ? { message } : { message, code: String(code) };
}

/**
 * A problem's type: its code's, or for a refusal that clients act on (an AppError's reason) its own,
 * as RFC 9457 means `type` to be read by programs; `code` and `detail` stay as for any such error.
 */
export const problemType = (name: ProblemCode | ErrorReason): string =>
  `urn:firebreak:problem:${name.toLowerCase().replaceAll("_", "-")}`;

const problem = (
  code: ProblemCode,
  status: number,
  detail: string,
  requestId: string,
  extra: Partial<Problem> = {},
): Problem => ({
  type: problemType(code),
  title: TITLE_BY_CODE[code],
  status,
  code,
  detail,
  requestId,
  ...extra,
});

/** What a request sent that its error may have to name: a 415 says which Content-Type came. */
export interface SentRequest {
  readonly contentType?: string | undefined;
  /** The route takes HTML forms too (action pages, Slack), not only JSON. */
  readonly takesForms?: boolean;
  /** The limit its body was held to, which a 413 names. */
  readonly bodyLimit?: BodyLimit;
  /** The Content-Length it declared, which a 413 may say. */
  readonly contentLength?: number | undefined;
}

const FORM = "application/x-www-form-urlencoded";

export const sentRequest = (request: FastifyRequest): SentRequest => ({
  contentType: request.headers["content-type"],
  takesForms: request.server.hasContentTypeParser(FORM),
  bodyLimit: bodyLimitOf(request),
  contentLength: declaredLength(request),
});

/** Fastify's own 4xx detail, said with what to do where its message alone did not say it. */
function clientErrorDetail(err: Partial<FastifyError>, sent: SentRequest): string {
  // A wrong content type's message is "Unsupported Media Type": said with what to send instead.
  if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return unsupportedMediaTypeDetail(sent);
  // "Request body is too large" named neither the limit nor the setting that raises it.
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return sent.bodyLimit
      ? bodyTooLargeDetail(sent.bodyLimit, sent.contentLength)
      : "the body is larger than this endpoint takes";
  return err.message ?? "bad request";
}

/**
 * What to send instead of a body Fastify has no parser for. `curl -d` sends a form by default, and
 * "Unsupported Media Type" alone did not say that the header is the fix.
 */
export function unsupportedMediaTypeDetail(sent: SentRequest): string {
  // Echoed back (in plain text on /api/v2/alerts): one clean line, and not at any length.
  const raw = singleLine(sent.contentType ?? "");
  const got = raw === "" ? "no Content-Type" : raw.length > 100 ? `${raw.slice(0, 100)}…` : raw;
  const form = sent.takesForms ? `, or as a form with Content-Type: ${FORM}` : "";
  return `send the body as JSON with the header Content-Type: application/json${form} (got ${got})`;
}

/**
 * The one place where an error becomes an HTTP response. `sent` is what the request sent, for the
 * errors that name it (the Content-Type of a 415).
 */
export function mapError(
  err: unknown,
  requestId: string,
  instance?: string,
  sent: SentRequest = {},
): MappedError {
  const at = instance === undefined ? {} : { instance };
  if (err instanceof AppError) {
    const status = STATUS_BY_CODE[err.code];
    const headers: Record<string, string> = {};
    const retryAfterSeconds =
      err.retryAfterSeconds ?? (err.code === "UNAVAILABLE" ? UNAVAILABLE_RETRY_AFTER_SECONDS : undefined);
    if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
    if (err.code === "UNAUTHENTICATED") headers["www-authenticate"] = 'Bearer realm="firebreak"';
    return {
      problem: problem(err.code, status, err.message, requestId, {
        ...(err.reason !== undefined && { type: problemType(err.reason) }),
        ...at,
        ...(err.fields.length > 0 && { errors: err.fields }),
      }),
      headers,
      unexpected: status === 500,
    };
  }
  const fastifyErr = err as Partial<FastifyError>;
  if (fastifyErr.validation) {
    const context = (fastifyErr as { validationContext?: string }).validationContext;
    const errors = fieldErrorsFromAjv(fastifyErr.validation as readonly AjvError[], context);
    return {
      problem: problem("VALIDATION", 400, validationDetail(errors), requestId, { ...at, errors }),
      headers: {},
      unexpected: false,
    };
  }
  const status = fastifyErr.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    // Fastify's own client errors (body too large, bad JSON, wrong content type) and the HTTP layer's
    // (a compressed body, request-body.ts) carry safe messages.
    const code = CODE_BY_STATUS[status] ?? "VALIDATION";
    const detail = clientErrorDetail(fastifyErr, sent);
    return {
      problem: { ...problem(code, status, detail, requestId, at) },
      headers: {},
      unexpected: false,
    };
  }
  return {
    problem: problem(
      "INTERNAL",
      500,
      "something went wrong on our side; the request id identifies it in the logs",
      requestId,
      at,
    ),
    headers: {},
    unexpected: true,
  };
}
