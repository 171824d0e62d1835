import { fieldErrorsSentence } from "./field-name.js";

/**
 * The one error type that core and app throw. Each transport (http, cli, engine) maps `code` once.
 * Messages name the thing ("user 42 not found") and never carry secrets.
 */
export type ErrorCode =
  | "NOT_FOUND"
  | "VALIDATION"
  | "CONFLICT"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "PRECONDITION_FAILED"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "UNAVAILABLE"
  | "INTERNAL";

/**
 * A refusal that clients act on, beyond its code (the CLI says how to get a key that acts for a
 * person). HTTP sends it as the problem's own type, urn:firebreak:problem:acts-for-no-person.
 */
export type ErrorReason = "ACTS_FOR_NO_PERSON";

export interface FieldError {
  /** JSON-pointer-like path of the offending field, e.g. `/email`. */
  readonly path: string;
  readonly message: string;
}

export interface AppErrorOptions {
  readonly fields?: readonly FieldError[];
  /** For RATE_LIMITED: when the caller may try again, in seconds. */
  readonly retryAfterSeconds?: number;
  /** Which refusal this is, for clients that act on it; the message stays for people. */
  readonly reason?: ErrorReason;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: readonly FieldError[];
  readonly retryAfterSeconds: number | undefined;
  readonly reason: ErrorReason | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fields = options.fields ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.reason = options.reason;
  }
}

export const notFound = (entity: string, id: string): AppError =>
  new AppError("NOT_FOUND", `${entity} ${id} not found`);

export const validationError = (fields: readonly FieldError[]): AppError =>
  new AppError("VALIDATION", fieldErrorsSentence(fields), { fields });

/**
 * A 409 for a name (or email) another record holds already. `fields` names the field, so a form can
 * show the refusal next to it instead of above the form.
 */
export const takenError = (path: string, message: string): AppError =>
  new AppError("CONFLICT", message, { fields: [{ path, message: `is taken: ${message}` }] });

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
