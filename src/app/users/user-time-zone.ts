import type { FieldError } from "../../core/errors.js";
import { isTimeZone } from "../../core/maintenance/maintenance-window.js";

/** A user's optional zone: an IANA name the runtime knows, or null to clear it. */
export function checkUserTimeZone(timeZone: string | null | undefined, path = "/timeZone"): FieldError[] {
  if (timeZone === undefined || timeZone === null) return [];
  return timeZone.length <= 100 && isTimeZone(timeZone)
    ? []
    : [{ path, message: "must be an IANA time zone, such as Europe/Berlin" }];
}
