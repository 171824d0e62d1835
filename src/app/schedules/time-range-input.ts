import { validationError, type FieldError } from "../../core/errors.js";
import type { TimeRange } from "../../core/schedules/schedule.js";

export const MAX_RANGE_DAYS = 62;
const DAY_MS = 24 * 60 * 60_000;

/** A [start, end) range from the caller: both instants, end after start, at most `maxDays` long. */
export function checkedRange(
  start: Date,
  end: Date,
  options: { maxDays?: number; startPath?: string; endPath?: string } = {},
): TimeRange {
  const { maxDays = MAX_RANGE_DAYS, startPath = "/start", endPath = "/end" } = options;
  const errors: FieldError[] = [];
  const startMs = start.getTime();
  const endMs = end.getTime();
  if (Number.isNaN(startMs)) errors.push({ path: startPath, message: "must be a date and time" });
  if (Number.isNaN(endMs)) errors.push({ path: endPath, message: "must be a date and time" });
  if (errors.length === 0 && endMs <= startMs) errors.push({ path: endPath, message: "must be after start" });
  else if (errors.length === 0 && endMs - startMs > maxDays * DAY_MS)
    errors.push({ path: endPath, message: `must be at most ${maxDays} days after start` });
  if (errors.length > 0) throw validationError(errors);
  return { startMs, endMs };
}
