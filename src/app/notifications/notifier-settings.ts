import { isAppError, type FieldError } from "../../core/errors.js";
import type { NotifierCatalog } from "../ports/notifications.js";

/**
 * Checks shared by shared channels and contact methods. They return field errors instead of
 * throwing, so that a form learns every bad field (name, kind, each setting) in one answer.
 */

/** An error naming the kinds there are, or none when `kind` is one of them. */
export const unknownKindErrors = (notifiers: NotifierCatalog, kind: string): FieldError[] =>
  notifiers.kinds().includes(kind)
    ? []
    : [{ path: "/kind", message: `must be one of: ${notifiers.kinds().join(", ")}` }];

/** A known kind's settings as its notifier keeps them, or an error for each bad one (`/config/<field>`). */
export function checkNotifierSettings(
  notifiers: NotifierCatalog,
  kind: string,
  config: unknown,
): { config: Record<string, unknown>; errors: FieldError[] } {
  try {
    return { config: notifiers.validate(kind, config), errors: [] };
  } catch (err) {
    if (!isAppError(err) || err.code !== "VALIDATION") throw err;
    return { config: {}, errors: [...err.fields] };
  }
}
