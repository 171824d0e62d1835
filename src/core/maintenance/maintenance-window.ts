import type { FieldError } from "../errors.js";

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

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Weekday and minutes since local midnight of `at` in `timeZone` (wall clock, so DST-correct). */
export function localWeekdayAndMinute(at: Date, timeZone: string): { weekday: number; minute: number } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    weekday: WEEKDAY_INDEX[parts.weekday ?? "Sun"] ?? 0,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const parseStartTime = (hhmm: string): number | undefined => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
};

/** True when `at` falls inside the window. */
export function isWithinWindow(window: MaintenanceWindow, at: Date): boolean {
  if (window.kind === "one-off")
    return at.getTime() >= window.startsAt.getTime() && at.getTime() < window.endsAt.getTime();
  const start = parseStartTime(window.startTime);
  if (start === undefined) return false;
  const { weekday, minute } = localWeekdayAndMinute(at, window.timeZone);
  // Minutes since the start of this local week; a window that began last week may still be running.
  const nowInWeek = weekday * 1440 + minute;
  return window.weekdays.some((day) => {
    for (const weekOffset of [0, -7 * 1440]) {
      const begins = day * 1440 + start + weekOffset;
      if (nowInWeek >= begins && nowInWeek < begins + window.durationMinutes) return true;
    }
    return false;
  });
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
 * if none is. Weekly ends are counted in wall-clock minutes, so across a DST change the answer may be
 * an hour early or late; the caller checks again then.
 */
export function activeMaintenanceEndsAt(windows: readonly MaintenanceWindow[], at: Date): Date | null {
  let latest: number | null = null;
  for (const window of windows) {
    if (!isWithinWindow(window, at)) continue;
    const end =
      window.kind === "one-off"
        ? window.endsAt.getTime()
        : at.getTime() + minutesLeftInWeekly(window, at) * 60_000;
    latest = latest === null ? end : Math.max(latest, end);
  }
  return latest === null ? null : new Date(latest);
}

function minutesLeftInWeekly(window: Extract<MaintenanceWindow, { kind: "weekly" }>, at: Date): number {
  const start = parseStartTime(window.startTime) ?? 0;
  const { weekday, minute } = localWeekdayAndMinute(at, window.timeZone);
  const nowInWeek = weekday * 1440 + minute;
  let left = 0;
  for (const day of window.weekdays) {
    for (const weekOffset of [0, -7 * 1440]) {
      const begins = day * 1440 + start + weekOffset;
      if (nowInWeek >= begins && nowInWeek < begins + window.durationMinutes)
        left = Math.max(left, begins + window.durationMinutes - nowInWeek);
    }
  }
  return left;
}
