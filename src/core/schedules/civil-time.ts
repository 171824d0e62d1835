/**
 * Calendar arithmetic on "local milliseconds": a wall-clock date and time written as if it were UTC,
 * so every local day is 86,400,000 ms long and adding whole days or hours never meets daylight saving.
 * zoned-time.ts turns these into instants.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12); Howard Hinnant's days_from_civil. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date `days` after 1970-01-01 (the inverse of daysFromCivil). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthShifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthShifted + 2) / 5) + 1;
  const month = monthShifted < 10 ? monthShifted + 3 : monthShifted - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 = Sunday … 6 = Saturday for a local-ms value (1970-01-01 was a Thursday). */
export function weekdayOfLocalMs(localMs: number): number {
  return mod(Math.floor(localMs / DAY_MS) + 4, 7);
}

/** Local midnight of the Sunday that begins the week holding `localMs`. */
export function weekStartOfLocalMs(localMs: number): number {
  const midnight = Math.floor(localMs / DAY_MS) * DAY_MS;
  return midnight - weekdayOfLocalMs(localMs) * DAY_MS;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Local ms of "YYYY-MM-DDTHH:MM", or null when it is not that form or not a real date and time. */
export function parseLocalDateTime(text: string): number | null {
  const match = typeof text === "string" ? LOCAL_DATE_TIME.exec(text) : null;
  if (match === null) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return null;
  const days = daysFromCivil(year, month, day);
  // A day past the month's end (02-30) comes back as another date.
  const check = civilFromDays(days);
  if (check.month !== month || check.day !== day) return null;
  return days * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS;
}

/** "YYYY-MM-DDTHH:MM" of a local-ms value (seconds dropped). */
export function formatLocalDateTime(localMs: number): string {
  const days = Math.floor(localMs / DAY_MS);
  const { year, month, day } = civilFromDays(days);
  const minuteOfDay = Math.floor((localMs - days * DAY_MS) / MINUTE_MS);
  const time = `${pad(Math.floor(minuteOfDay / 60), 2)}:${pad(minuteOfDay % 60, 2)}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}`;
}

const CLOCK_TIME = /^(\d{2}):(\d{2})$/;

/** Minutes since midnight of "HH:MM" (00:00–23:59, or "24:00" when `allowEndOfDay`), else null. */
export function parseClockTime(text: string, allowEndOfDay: boolean): number | null {
  const match = typeof text === "string" ? CLOCK_TIME.exec(text) : null;
  if (match === null) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (allowEndOfDay && hour === 24 && minute === 0) return 1440;
  return hour <= 23 && minute <= 59 ? hour * 60 + minute : null;
}

export const mod = (value: number, divisor: number): number => ((value % divisor) + divisor) % divisor;

const pad = (value: number, width: number): string => String(value).padStart(width, "0");
