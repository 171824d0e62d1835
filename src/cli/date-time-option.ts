import { calendarFieldsProblem } from "../core/calendar-fields.js";
import { DAY_MS, daysFromCivil, HOUR_MS, MINUTE_MS } from "../core/schedules/civil-time.js";
import { UsageError } from "./usage-error.js";

/** A date and time typed in an option, its fields checked against the calendar. */
export interface TypedDateTime {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** The wall-clock date and time written as if it were UTC ("local ms", core/schedules/civil-time.ts). */
  readonly localMs: number;
  /** Minutes east of UTC; undefined when no offset was typed. */
  readonly offsetMinutes: number | undefined;
}

/** RFC 3339's form with an offset (a fraction of a second allowed); a wall-clock time to the second without. */
const WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i;
const WITHOUT_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/i;

/** No time zone is further from UTC than Kiribati's +14:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** What is wrong with a date and time of the right form, or undefined when it is a real one. */
function calendarProblem(t: Omit<TypedDateTime, "localMs">, offset: string): string | undefined {
  // A leap second is no time the API or a schedule can hold.
  const problem = calendarFieldsProblem(t);
  if (problem !== undefined) return problem;
  if (t.offsetMinutes !== undefined && Math.abs(t.offsetMinutes) > MAX_OFFSET_MINUTES)
    return `the offset ${offset} is beyond ±14:00, which no time zone uses`;
  return undefined;
}

/**
 * An ISO date and time as typed in --OPTION: YYYY-MM-DDTHH:MM[:SS] with Z or ±HH:MM (seconds may
 * have a fraction), or without an offset (no fraction). Undefined when it is not that form, so the
 * caller can say its own example. A real form with an impossible date or time (2027-02-30, 24:00,
 * +15:00) is a usage error naming the field: Date.parse would move it to another day without a word.
 */
export function typedDateTime(option: string, raw: string): TypedDateTime | undefined {
  const match = WITH_OFFSET.exec(raw) ?? WITHOUT_OFFSET.exec(raw);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMins] = match;
  const offsetMinutes =
    zulu !== undefined
      ? 0
      : sign === undefined
        ? undefined
        : (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMins));
  const fields = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second ?? 0),
    millisecond: fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, "0")),
    offsetMinutes,
  };
  // An offset's minutes are checked apart from its hours: "+05:75" would pass as +06:15.
  const offset = `${sign}${offsetHours}:${offsetMins}`;
  const problem =
    sign !== undefined && Number(offsetMins) > 59
      ? `the offset ${offset} has more than 59 minutes`
      : calendarProblem(fields, offset);
  if (problem !== undefined) throw new UsageError(`--${option} ${raw}: ${problem}`);
  const localMs =
    daysFromCivil(fields.year, fields.month, fields.day) * DAY_MS +
    fields.hour * HOUR_MS +
    fields.minute * MINUTE_MS +
    fields.second * 1000 +
    fields.millisecond;
  return { ...fields, localMs };
}

/** The instant typed with an offset, or undefined when none was typed. */
export const instantByOffset = (typed: TypedDateTime): number | undefined =>
  typed.offsetMinutes === undefined ? undefined : typed.localMs - typed.offsetMinutes * MINUTE_MS;

/** The instant typed; without an offset, on this machine's clock (as Date.parse reads it). */
export function instantOnThisMachine(typed: TypedDateTime): number {
  const byOffset = instantByOffset(typed);
  if (byOffset !== undefined) return byOffset;
  const date = new Date(0);
  // setFullYear, not the Date constructor, which reads years 0–99 as 1900–1999.
  date.setFullYear(typed.year, typed.month - 1, typed.day);
  date.setHours(typed.hour, typed.minute, typed.second, typed.millisecond);
  return date.getTime();
}
