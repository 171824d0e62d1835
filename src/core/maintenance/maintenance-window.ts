import type { FieldError } from "../errors.js";
import { DAY_MS, MINUTE_MS, weekdayOfLocalMs } from "../schedules/civil-time.js";
import { zoneRules, type ZoneRules } from "../schedules/zoned-time.js";

/**
 * A time when a service's alerts do not page anyone. One-off: [startsAt, endsAt). Recurring: every
 * listed weekday from `startTime` for `durationMinutes`, in an IANA time zone (a window may run past
 * midnight). Alerts are still recorded.
 */
export type MaintenanceWindow =
  | { readonly kind: "one-off"; readonly startsAt: Date; readonly endsAt: Date }
  | {
      readonly kind: "weekly";
      /** 0 = Sunday … 6 = Saturday, in `timeZone`. */
      readonly weekdays: readonly number[];
      /** "HH:MM", 24-hour, local to `timeZone`. */
      readonly startTime: string;
      readonly durationMinutes: number;
      readonly timeZone: string;
    };

const parseStartTime = (hhmm: string): number | undefined => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
};

type WeeklyWindow = Extract<MaintenanceWindow, { kind: "weekly" }>;

/**
 * The end of the weekly window's occurrence that holds `at`, or null. An occurrence runs from when the
 * wall clock first reads startTime to when it first reads startTime + duration: a time skipped by a
 * spring-forward change is passed at the jump, and the repeated hour of a fall-back change lies inside
 * an occurrence that spans it (never a hole in the middle, never a second run of the same minutes).
 */
function weeklyOccurrenceEnd(window: WeeklyWindow, at: Date): number | null {
  const start = parseStartTime(window.startTime);
  if (start === undefined) return null;
  let rules: ZoneRules;
  try {
    rules = zoneRules(window.timeZone);
  } catch {
    return null; // an unknown zone (refused when a window is made) holds nothing
  }
  // positionAt(t) lies in [a, b) exactly when instantOf(a) <= t < instantOf(b): local arithmetic suffices.
  const position = rules.positionAt(at.getTime());
  const today = Math.floor(position / DAY_MS) * DAY_MS;
  let end: number | null = null;
  // An occurrence lasts at most a week, so one that began up to 7 local days ago may still run.
  for (let daysAgo = 0; daysAgo <= 7; daysAgo++) {
    const day = today - daysAgo * DAY_MS;
    if (!window.weekdays.includes(weekdayOfLocalMs(day))) continue;
    const begins = day + start * MINUTE_MS;
    const ends = begins + window.durationMinutes * MINUTE_MS;
    if (position >= begins && position < ends) end = Math.max(end ?? -Infinity, rules.instantOf(ends));
  }
  return end;
}

/** True when `at` falls inside the window. */
export function isWithinWindow(window: MaintenanceWindow, at: Date): boolean {
  if (window.kind === "one-off")
    return at.getTime() >= window.startsAt.getTime() && at.getTime() < window.endsAt.getTime();
  return weeklyOccurrenceEnd(window, at) !== null;
}

export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export function checkMaintenanceWindow(window: MaintenanceWindow, path = ""): FieldError[] {
  if (window.kind === "one-off") {
    return window.endsAt.getTime() > window.startsAt.getTime()
      ? []
      : [{ path: `${path}/endsAt`, message: "must be after startsAt" }];
  }
  const errors: FieldError[] = [];
  if (window.weekdays.length === 0 || window.weekdays.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
    errors.push({ path: `${path}/weekdays`, message: "must list weekdays 0 (Sunday) to 6 (Saturday)" });
  }
  if (parseStartTime(window.startTime) === undefined)
    errors.push({ path: `${path}/startTime`, message: 'must be "HH:MM" (24-hour)' });
  if (
    !Number.isInteger(window.durationMinutes) ||
    window.durationMinutes < 1 ||
    window.durationMinutes > 7 * 1440
  ) {
    errors.push({
      path: `${path}/durationMinutes`,
      message: "must be a whole number of minutes from 1 to 10080",
    });
  }
  if (!isTimeZone(window.timeZone))
    errors.push({ path: `${path}/timeZone`, message: `unknown time zone ${window.timeZone}` });
  return errors;
}

/**
 * When the maintenance in force at `at` ends: the latest end among the windows active then, or null
 * if none is. A window that opens as another closes is found by the caller checking again then.
 */
export function activeMaintenanceEndsAt(windows: readonly MaintenanceWindow[], at: Date): Date | null {
  let latest: number | null = null;
  for (const window of windows) {
    let end: number | null;
    if (window.kind === "weekly") end = weeklyOccurrenceEnd(window, at);
    else end = isWithinWindow(window, at) ? window.endsAt.getTime() : null;
    if (end !== null) latest = latest === null ? end : Math.max(latest, end);
  }
  return latest === null ? null : new Date(latest);
}
