import type { FastifyError } from "fastify";
import { AppError, type ErrorCode, type FieldError } from "../core/errors.js";

/** RFC 9457 problem details, as every error leaves Firebreak's HTTP API. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly requestId: string;
  readonly instance?: string;
}

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

const TITLE_BY_CODE: Record<ErrorCode, string> = {
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
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "VALIDATION",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  412: "PRECONDITION_FAILED",
  413: "PAYLOAD_TOO_LARGE",
  415: "VALIDATION",
  429: "RATE_LIMITED",
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
 * Logs what an operator must see: an unexpected error (500), and a 503 (the database is busy or
 * cannot be reached) as a warning that says why. `where` names the route, as "in /api/v2/alerts".
 */
export function logMappedError(log: ErrorLog, mapped: MappedError, err: unknown, where: string): void {
  if (mapped.unexpected) log.error({ err }, `unexpected error ${where}`);
  else if (mapped.problem.status === 503)
    log.warn({ err }, `answered 503 ${where}: ${mapped.problem.detail}`);
}

interface AjvError {
  instancePath?: string;
  schemaPath?: string;
  message?: string;
  keyword?: string;
  params?: {
    missingProperty?: string;
    additionalProperty?: string;
    allowedValues?: unknown[];
    allowedValue?: unknown;
  };
}

const TAG_MISMATCH = /^(.*\/anyOf)\/(\d+)\/properties\/[^/]+\/const$/;
const BRANCH = /^(.*\/anyOf)\/(\d+)\//;

/**
 * A union of objects told apart by a constant field (`kind: "one-off" | "weekly"`) fails in every
 * branch, so ajv lists each branch's complaints. Keep those of the branch whose constant matched; when
 * none matched, keep only the constants' (said once below, with the choices).
 */
function withoutOtherBranches(errors: readonly AjvError[]): AjvError[] {
  const missed = new Map<string, Set<string>>();
  const seen = new Map<string, Set<string>>();
  for (const e of errors) {
    const tag = TAG_MISMATCH.exec(e.schemaPath ?? "");
    if (tag) missed.set(tag[1] as string, (missed.get(tag[1] as string) ?? new Set()).add(tag[2] as string));
    const branch = BRANCH.exec(e.schemaPath ?? "");
    if (branch)
      seen.set(branch[1] as string, (seen.get(branch[1] as string) ?? new Set()).add(branch[2] as string));
  }
  if (missed.size === 0) return [...errors];
  return errors.filter((e) => {
    const schemaPath = e.schemaPath ?? "";
    for (const [anyOf, branches] of missed) {
      if (schemaPath === anyOf) return false;
      const noneMatched = [...(seen.get(anyOf) ?? [])].every((b) => branches.has(b));
      for (const b of branches) {
        if (!schemaPath.startsWith(`${anyOf}/${b}/`)) continue;
        return noneMatched && TAG_MISMATCH.test(schemaPath);
      }
    }
    return true;
  });
}

/** Names the offending field the way a person reads it: `/email`, `/members/0/role`, `query /limit`. */
function fieldErrorsFromValidation(err: FastifyError): FieldError[] {
  const context = (err as FastifyError & { validationContext?: string }).validationContext;
  const prefix = context && context !== "body" ? `${context} ` : "";
  const errors: FieldError[] = [];
  // A union of literals (an enum) fails once per literal plus once for anyOf: say it once, with the choices.
  const choices = new Map<string, unknown[]>();
  for (const v of withoutOtherBranches((err.validation ?? []) as AjvError[])) {
    const base = v.instancePath ?? "";
    if (v.params?.missingProperty)
      errors.push({ path: `${prefix}${base}/${v.params.missingProperty}`, message: "is required" });
    else if (v.params?.additionalProperty)
      errors.push({
        path: `${prefix}${base}/${v.params.additionalProperty}`,
        message: "is not a known field",
      });
    else if (v.keyword === "const") choices.set(base, [...(choices.get(base) ?? []), v.params?.allowedValue]);
    else if (v.keyword === "anyOf" && choices.has(base)) continue;
    else {
      const allowed = v.params?.allowedValues ? `: ${v.params.allowedValues.join(", ")}` : "";
      errors.push({ path: `${prefix}${base || "/"}`, message: `${v.message ?? "is not valid"}${allowed}` });
    }
  }
  for (const [base, values] of choices)
    errors.push({ path: `${prefix}${base || "/"}`, message: `must be one of: ${values.join(", ")}` });
  return errors;
}

const problem = (
  code: ErrorCode,
  status: number,
  detail: string,
  requestId: string,
  extra: Partial<Problem> = {},
): Problem => ({
  type: `urn:firebreak:problem:${code.toLowerCase().replaceAll("_", "-")}`,
  title: TITLE_BY_CODE[code],
  status,
  code,
  detail,
  requestId,
  ...extra,
});

/** The one place where an error becomes an HTTP response. */
export function mapError(err: unknown, requestId: string, instance?: string): MappedError {
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
        ...at,
        ...(err.fields.length > 0 && { errors: err.fields }),
      }),
      headers,
      unexpected: status === 500,
    };
  }
  const fastifyErr = err as Partial<FastifyError>;
  if (fastifyErr.validation) {
    const errors = fieldErrorsFromValidation(fastifyErr as FastifyError);
    const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    return {
      problem: problem("VALIDATION", 400, detail, requestId, { ...at, errors }),
      headers: {},
      unexpected: false,
    };
  }
  const status = fastifyErr.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    // Fastify's own client errors (body too large, bad JSON, wrong content type) carry safe messages.
    const code = CODE_BY_STATUS[status] ?? "VALIDATION";
    return {
      problem: { ...problem(code, status, fastifyErr.message ?? "bad request", requestId, at) },
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
