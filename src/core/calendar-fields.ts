import { daysFromCivil } from "./schedules/civil-time.js";

/** A date and time as written, field by field, before anything turns it into an instant. */
export interface CalendarFields {
  readonly year: number;
  /** 1–12 as written; 0 or 13 is what this module refuses. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Days in a month of the proleptic Gregorian calendar (leap years included). */
export const daysInMonth = (year: number, month: number): number =>
  daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) -
  daysFromCivil(year, month, 1);

/**
 * What is wrong with a written date and time, in words, or undefined when it is a real one. Date.parse
 * and ical.js move an impossible date (February 30) to another day without a word, so callers check
 * the fields as written first. `leapSecond`: second 60 is allowed (RFC 5545 files may carry one).
 */
export function calendarFieldsProblem(
  fields: CalendarFields,
  options: { readonly leapSecond?: boolean } = {},
): string | undefined {
  const { year, month, day, hour, minute, second } = fields;
  const written = (n: number) => String(n).padStart(2, "0");
  if (month < 1 || month > 12) return `there is no month ${written(month)} (months are 01 to 12)`;
  const days = daysInMonth(year, month);
  if (day < 1) return `there is no day ${written(day)} (days start at 01)`;
  if (day > days) return `${MONTH_NAMES[month - 1]} ${year} has ${days} days`;
  if (hour > 23) return "the hour must be 00 to 23 (the end of a day is 00:00 of the next)";
  if (minute > 59) return "the minute must be 00 to 59";
  const lastSecond = options.leapSecond ? 60 : 59;
  if (second > lastSecond) return `the second must be 00 to ${lastSecond}`;
  return undefined;
}
