import type { FieldError } from "../errors.js";
import { parseClockTime, parseLocalDateTime } from "./civil-time.js";
import type { RotationVersion, ShiftUnit } from "./schedule.js";

export const MAX_ROTATION_MEMBERS = 100;
export const MAX_RESTRICTION_WINDOWS = 50;
/** Longest shift per unit: a week of hours, a quarter of days, a year of weeks. */
export const MAX_SHIFT_LENGTH: Readonly<Record<ShiftUnit, number>> = { hours: 168, days: 90, weeks: 52 };

/**
 * Problems with a rotation's settings, each naming its field under `path` (members and windows by
 * index, e.g. `/rotation/restrictions/2/endTime`). Takes whatever arrived, typed or not.
 */
export function checkRotation(
  rotation: Omit<RotationVersion, "effectiveFromMs" | "effectiveUntilMs">,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ path: `${path}/${field}`, message });
  const { memberIds, shiftLength, shiftUnit, startLocal, restrictions } = rotation as Partial<
    Record<keyof typeof rotation, unknown>
  >;

  if (!Array.isArray(memberIds) || memberIds.length < 1 || memberIds.length > MAX_ROTATION_MEMBERS)
    fail("memberIds", `must list 1 to ${MAX_ROTATION_MEMBERS} members`);
  else
    memberIds.forEach((id, index) => {
      if (typeof id !== "string" || id.trim() === "") fail(`memberIds/${index}`, "must be a user id");
    });

  const unitKnown = typeof shiftUnit === "string" && Object.hasOwn(MAX_SHIFT_LENGTH, shiftUnit);
  if (!unitKnown) fail("shiftUnit", 'must be "hours", "days" or "weeks"');
  const longest = unitKnown ? MAX_SHIFT_LENGTH[shiftUnit as ShiftUnit] : Infinity;
  if (
    typeof shiftLength !== "number" ||
    !Number.isInteger(shiftLength) ||
    shiftLength < 1 ||
    shiftLength > longest
  )
    fail(
      "shiftLength",
      unitKnown
        ? `must be a whole number from 1 to ${longest} ${String(shiftUnit)}`
        : "must be a whole number from 1",
    );

  if (typeof startLocal !== "string" || parseLocalDateTime(startLocal) === null)
    fail("startLocal", 'must be a real local date and time, "YYYY-MM-DDTHH:MM"');

  if (!Array.isArray(restrictions)) fail("restrictions", "must be a list of time windows");
  else if (restrictions.length > MAX_RESTRICTION_WINDOWS)
    fail("restrictions", `must have at most ${MAX_RESTRICTION_WINDOWS} time windows`);
  else
    restrictions.forEach((window, index) =>
      checkWindow(window, (field, message) => fail(`restrictions/${index}/${field}`, message)),
    );
  return errors;
}

function checkWindow(window: unknown, fail: (field: string, message: string) => void): void {
  const { weekday, startTime, endTime } = (
    typeof window === "object" && window !== null ? window : {}
  ) as Record<string, unknown>;
  if (typeof weekday !== "number" || !Number.isInteger(weekday) || weekday < 0 || weekday > 6)
    fail("weekday", "must be 0 (Sunday) to 6 (Saturday)");
  const start = typeof startTime === "string" ? parseClockTime(startTime, false) : null;
  const end = typeof endTime === "string" ? parseClockTime(endTime, true) : null;
  if (start === null) fail("startTime", 'must be "HH:MM", 00:00 to 23:59');
  if (end === null) fail("endTime", 'must be "HH:MM", 00:00 to 24:00');
  // Equal times would be an ambiguous "all day or nothing" (a whole day is 00:00 to 24:00).
  if (start !== null && end !== null && start === end) fail("endTime", "must differ from startTime");
}
