import { didYouMean } from "./suggest.js";
import { UsageError } from "./usage-error.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An incident as people type it: "INC-42", "inc42", "#42", "42", or its id. Anything else is a usage
 * error here, so that "ack abc" or "ack 0" says what an INCIDENT is instead of "404 not found".
 * Sent as "INC-42", which the server takes and names in its own messages.
 */
export function incidentRef(text: string | undefined): string {
  const typed = (text ?? "").trim();
  const number = /^(?:INC-?|#)?(\d{1,9})$/i.exec(typed);
  if (number && Number(number[1]) >= 1) return `INC-${Number(number[1])}`;
  if (UUID.test(typed)) return typed.toLowerCase();
  throw new UsageError(
    `INCIDENT must be a number such as INC-42 or 42, or an id${text === undefined ? "" : `, got "${text}"`}`,
  );
}

/**
 * A name given with --option: trimmed, and required to hold more than blanks. A blank one is said as
 * blank: "--policy is required" would be wrong where --policy is optional.
 */
export function requiredText(value: unknown, option: string): string {
  if (typeof value !== "string") throw new UsageError(`--${option} is required`);
  if (value.trim() === "") throw new UsageError(`--${option} is blank: it needs a value`);
  return value.trim();
}

/** A value from a fixed list, in any case, or a usage error naming the list and the likely one. */
export function oneOf(option: string, value: unknown, allowed: readonly string[]): string {
  const typed = typeof value === "string" ? value.trim() : undefined;
  const lower = typed?.toLowerCase();
  const match = allowed.find((a) => a.toLowerCase() === lower);
  if (match !== undefined) return match;
  // Left out is not the same mistake as mistyped: say which it is.
  if (value === undefined) throw new UsageError(`--${option} is required: one of ${allowed.join(", ")}`);
  throw new UsageError(
    `--${option} must be one of ${allowed.join(", ")}` +
      (typeof value === "string" ? `, got "${value}"${didYouMean(value.trim(), allowed)}` : ""),
  );
}

const SECONDS_PER_UNIT: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A duration as people type it: seconds ("300"), or whole seconds, minutes, hours or days ("30s",
 * "5m", "1h", "3d"), in any case. The range is the server's to check; anything else is a usage error here.
 */
export function durationSeconds(option: string, value: unknown): number {
  const typed = typeof value === "string" ? value.trim().toLowerCase() : "";
  const match = /^(\d+)([smhd]?)$/.exec(typed);
  const seconds = match ? Number(match[1]) * SECONDS_PER_UNIT[match[2]!]! : Number.NaN;
  if (Number.isSafeInteger(seconds)) return seconds;
  throw new UsageError(
    `--${option} must be a number of seconds (300) or a whole number with s, m, h or d (30s, 5m, 1h, 3d)` +
      (typeof value === "string" ? `, got "${value}"` : ""),
  );
}
