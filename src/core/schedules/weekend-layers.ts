import { validationError, type FieldError } from "../errors.js";
import {
  DAY_MS,
  formatLocalDateTime,
  parseClockTime,
  parseLocalDateTime,
  weekdayOfLocalMs,
} from "./civil-time.js";
import type { LayerDraft } from "./follow-the-sun.js";
import type { TimeWindow } from "./schedule.js";

interface WeekendLayerCommon {
  readonly memberIds: readonly string[];
  /** "YYYY-MM-DD": the rotation begins with the first weekend that starts on or after this date. */
  readonly firstWeekend: string;
  /** Above the weekday layers, so the weekend layer wins where both cover. */
  readonly priority: number;
  readonly name?: string;
}

/**
 * One person takes the whole weekend, in turn: a weekly rotation restricted to the weekend window
 * (default Saturday 00:00 → Monday 00:00, local to the schedule zone).
 */
export interface WholeWeekendInput extends WeekendLayerCommon {
  readonly style: "whole-weekend";
  /**
   * Each person at most once every this many weeks. Turns come round every `memberIds.length` weeks,
   * so this asks for at least that many members; fewer is refused rather than leaving weekends empty.
   */
  readonly everyNthWeek?: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly startWeekday?: number;
  readonly startTime?: string;
  readonly endWeekday?: number;
  readonly endTime?: string;
}

/** Two people share each weekend, one day each. */
export interface DayEachInput extends WeekendLayerCommon {
  readonly style: "day-each";
}

export type WeekendLayerInput = WholeWeekendInput | DayEachInput;

export interface WeekendPlan {
  readonly layers: readonly LayerDraft[];
  /**
   * Weeks until the pattern repeats. In one cycle each person takes one whole weekend (whole-weekend)
   * or one Saturday and one Sunday about half a cycle apart (day-each).
   */
  readonly cycleWeeks: number;
}

export const WEEKEND_DEFAULTS = { startWeekday: 6, startTime: "00:00", endWeekday: 1, endTime: "00:00" };
export const MAX_WEEKEND_MEMBERS = 100;

const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;
const SATURDAY = 6;
const SUNDAY = 0;

const parseTime = (hhmm: string): number | null => parseClockTime(hhmm, false);
/** Local ms of midnight of a real "YYYY-MM-DD", else null. */
const parseDate = (date: string): number | null => parseLocalDateTime(`${date}T00:00`);
const isWeekday = (day: number): boolean => Number.isInteger(day) && day >= 0 && day <= 6;
const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

/** Problems with a weekend layer request, each naming its field. */
export function checkWeekendLayer(input: WeekendLayerInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.style !== "whole-weekend" && input.style !== "day-each")
    return [{ path: "/style", message: 'must be "whole-weekend" or "day-each"' }];
  const fewest = input.style === "day-each" ? 2 : 1;
  if (input.memberIds.length < fewest)
    errors.push({ path: "/memberIds", message: `needs at least ${fewest} member${fewest > 1 ? "s" : ""}` });
  if (input.memberIds.length > MAX_WEEKEND_MEMBERS)
    errors.push({ path: "/memberIds", message: `at most ${MAX_WEEKEND_MEMBERS} members` });
  const seen = new Set<string>();
  input.memberIds.forEach((id, i) => {
    if (id.trim().length === 0) errors.push({ path: `/memberIds/${i}`, message: "must not be empty" });
    else if (seen.has(id)) errors.push({ path: `/memberIds/${i}`, message: `${id} is listed twice` });
    seen.add(id);
  });
  if (parseDate(input.firstWeekend) === null)
    errors.push({ path: "/firstWeekend", message: 'must be a real date "YYYY-MM-DD"' });
  if (!Number.isInteger(input.priority))
    errors.push({ path: "/priority", message: "must be a whole number" });
  if (input.name !== undefined && (input.name.trim().length === 0 || input.name.length > 200))
    errors.push({ path: "/name", message: "must be 1 to 200 characters" });
  if (input.style === "whole-weekend") errors.push(...checkWholeWeekend(input));
  return errors;
}

function checkWholeWeekend(input: WholeWeekendInput): FieldError[] {
  const errors: FieldError[] = [];
  const window = { ...WEEKEND_DEFAULTS, ...definedOnly(input) };
  if (!isWeekday(window.startWeekday))
    errors.push({ path: "/startWeekday", message: "must be 0 (Sunday) to 6 (Saturday)" });
  if (!isWeekday(window.endWeekday))
    errors.push({ path: "/endWeekday", message: "must be 0 (Sunday) to 6 (Saturday)" });
  const startTime = parseTime(window.startTime);
  const endTime = parseTime(window.endTime);
  if (startTime === null) errors.push({ path: "/startTime", message: 'must be "HH:MM", 00:00 to 23:59' });
  if (endTime === null) errors.push({ path: "/endTime", message: 'must be "HH:MM", 00:00 to 23:59' });
  if (errors.length === 0 && window.startWeekday === window.endWeekday && startTime === endTime)
    errors.push({ path: "/endTime", message: "the weekend must end at another time than it starts" });
  const every = input.everyNthWeek;
  if (every !== undefined) {
    if (!Number.isInteger(every) || every < 1 || every > 52)
      errors.push({ path: "/everyNthWeek", message: "must be a whole number of weeks from 1 to 52" });
    else if (every > input.memberIds.length)
      errors.push({
        path: "/everyNthWeek",
        message:
          `a weekend every ${every} weeks per person needs at least ${every} members to cover every ` +
          `weekend; there are ${input.memberIds.length}`,
      });
  }
  return errors;
}

const definedOnly = (input: WholeWeekendInput): Partial<typeof WEEKEND_DEFAULTS> =>
  Object.fromEntries(
    (["startWeekday", "startTime", "endWeekday", "endTime"] as const)
      .filter((key) => input[key] !== undefined)
      .map((key) => [key, input[key]]),
  );

/** The first date on or after `date` that falls on `weekday`, as "YYYY-MM-DD". */
function nextDateOnWeekday(date: string, weekday: number): string {
  const localMs = parseDate(date) ?? 0;
  const ahead = (weekday - weekdayOfLocalMs(localMs) + 7) % 7;
  return formatLocalDateTime(localMs + ahead * DAY_MS).slice(0, 10);
}

/** The window [start, start + minutes) of a week, cut at midnights into per-weekday windows. */
function weekWindows(startWeekday: number, startMinute: number, minutes: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  let at = startWeekday * DAY_MINUTES + startMinute;
  const end = at + minutes;
  while (at < end) {
    const dayEnd = (Math.floor(at / DAY_MINUTES) + 1) * DAY_MINUTES;
    const pieceEnd = Math.min(end, dayEnd);
    windows.push({
      weekday: Math.floor(at / DAY_MINUTES) % 7,
      startTime: clock(at % DAY_MINUTES),
      endTime: pieceEnd === dayEnd ? "24:00" : clock(pieceEnd % DAY_MINUTES),
    });
    at = pieceEnd;
  }
  return windows;
}

/**
 * Layer drafts for a weekend rotation that comes round rarely: with N members each person's turn
 * comes every N weeks. "day-each" is two weekly rotations (Saturday, Sunday), the Sunday order
 * offset by half the team: a daily rotation would advance on weekdays too and give people
 * back-to-back weekends.
 */
export function weekendLayer(input: WeekendLayerInput): WeekendPlan {
  const errors = checkWeekendLayer(input);
  if (errors.length > 0) throw validationError(errors);
  const members = input.memberIds;
  if (input.style === "whole-weekend") {
    const window = { ...WEEKEND_DEFAULTS, ...definedOnly(input) };
    const startMinute = parseTime(window.startTime) ?? 0;
    const minutes =
      (window.endWeekday * DAY_MINUTES +
        (parseTime(window.endTime) ?? 0) -
        (window.startWeekday * DAY_MINUTES + startMinute) +
        WEEK_MINUTES) %
        WEEK_MINUTES || WEEK_MINUTES;
    return {
      cycleWeeks: members.length,
      layers: [
        {
          name: input.name ?? "Weekend",
          priority: input.priority,
          rotation: {
            memberIds: [...members],
            shiftLength: 1,
            shiftUnit: "weeks",
            startLocal: `${nextDateOnWeekday(input.firstWeekend, window.startWeekday)}T${window.startTime}`,
            restrictions: weekWindows(window.startWeekday, startMinute, minutes),
          },
        },
      ],
    };
  }
  const saturday = nextDateOnWeekday(input.firstWeekend, SATURDAY);
  const sunday = nextDateOnWeekday(saturday, SUNDAY);
  const half = Math.floor(members.length / 2);
  const dayLayer = (label: string, date: string, weekday: number, order: readonly string[]): LayerDraft => ({
    name: `${input.name ?? "Weekend"} (${label})`,
    priority: input.priority,
    rotation: {
      memberIds: [...order],
      shiftLength: 1,
      shiftUnit: "weeks",
      startLocal: `${date}T00:00`,
      restrictions: [{ weekday, startTime: "00:00", endTime: "24:00" }],
    },
  });
  return {
    cycleWeeks: members.length,
    layers: [
      dayLayer("Saturday", saturday, SATURDAY, members),
      dayLayer("Sunday", sunday, SUNDAY, [...members.slice(half), ...members.slice(0, half)]),
    ],
  };
}
