import { isAppError, validationError, type FieldError } from "../../core/errors.js";
import type { NotifierCatalog } from "../ports/notifications.js";

/**
 * Checks shared by shared channels and contact methods: a form learns every bad field (name, kind,
 * each setting) in one answer instead of one per attempt.
 */

/** An error naming the kinds there are, or none when `kind` is one of them. */
export const unknownKindErrors = (notifiers: NotifierCatalog, kind: string): FieldError[] =>
  notifiers.kinds().includes(kind)
    ? []
    : [{ path: "/kind", message: `must be one of: ${notifiers.kinds().join(", ")}` }];

/**
 * A known kind's settings as its notifier keeps them, or one VALIDATION error naming every bad field:
 * `fieldErrors` (the caller's checks of its other fields and `unknownKindErrors`, in the order the
 * fields come), then each bad setting (`/config/<field>`). An unknown kind has no settings to check.
 */
export function validNotifierSettings(
  notifiers: NotifierCatalog,
  kind: string,
  config: unknown,
  fieldErrors: readonly FieldError[],
): Record<string, unknown> {
  if (!notifiers.kinds().includes(kind)) throw validationError(fieldErrors);
  let settings: Record<string, unknown>;
  try {
    settings = notifiers.validate(kind, config);
  } catch (err) {
    if (!isAppError(err) || err.code !== "VALIDATION") throw err;
    throw validationError([...fieldErrors, ...err.fields]);
  }
  if (fieldErrors.length > 0) throw validationError(fieldErrors);
  return settings;
}

/**
 * Whether this server can send email for an address alone (FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM
 * are set): asked of the email notifier itself, as a save would be, so forms can say so before one.
 */
export function serverSendsEmail(notifiers: NotifierCatalog): boolean {
  if (!notifiers.kinds().includes("email")) return false;
  try {
    notifiers.validate("email", { to: "someone@example.com" });
    return true;
  } catch (err) {
    if (isAppError(err) && err.code === "VALIDATION") return false;
    throw err;
  }
}
