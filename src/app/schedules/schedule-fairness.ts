import { requireRole } from "../../core/auth/actor.js";
import { validationError } from "../../core/errors.js";
import { parseLocalDateTime } from "../../core/schedules/civil-time.js";
import {
  fairnessReport,
  MAX_FAIRNESS_RANGE_DAYS,
  type FairnessReport,
  type PersonFairness,
} from "../../core/schedules/fairness.js";
import type { AppDeps, Caller } from "../deps.js";
import { eligibleForOpenCover, findSchedule, loadSchedule } from "./load-schedule.js";
import { checkedRange } from "./time-range-input.js";

/** A holiday as the caller names it: a whole local day in the schedule's zone. */
export interface FairnessHoliday {
  /** "YYYY-MM-DD" */
  readonly date: string;
  readonly name: string;
}

export type FairnessView = Omit<FairnessReport, "people"> & {
  readonly people: ReadonlyArray<PersonFairness & { readonly userName: string }>;
  /** The holidays the report counted, as given. */
  readonly holidays: readonly FairnessHoliday[];
};

export const MAX_FAIRNESS_HOLIDAYS = 100;
const MAX_HOLIDAY_NAME_LENGTH = 200;
const HOLIDAY_ENTRY = /^(\d{4}-\d{2}-\d{2})(?::(.*))?$/s;

/**
 * Holidays from a comma-separated list of "YYYY-MM-DD" or "YYYY-MM-DD:Name", each name URL-encoded
 * (so a name may hold a comma). A name left out is the date itself. Errors name `/holidays`.
 */
export function parseHolidayList(list: string | undefined): FairnessHoliday[] {
  if (list === undefined || list.trim() === "") return [];
  const entries = list.split(",").map((entry) => entry.trim());
  if (entries.length > MAX_FAIRNESS_HOLIDAYS)
    throw validationError([{ path: "/holidays", message: `at most ${MAX_FAIRNESS_HOLIDAYS} holidays` }]);
  return entries.map((entry) => {
    const bad = (why: string) =>
      validationError([{ path: "/holidays", message: `${JSON.stringify(entry)}: ${why}` }]);
    const match = HOLIDAY_ENTRY.exec(entry);
    if (!match) throw bad('must be "YYYY-MM-DD" or "YYYY-MM-DD:Name"');
    const date = match[1]!;
    if (parseLocalDateTime(`${date}T00:00`) === null) throw bad("is not a real date");
    let name = date;
    if (match[2] !== undefined) {
      try {
        name = decodeURIComponent(match[2]).trim();
      } catch {
        throw bad("the name is not validly URL-encoded");
      }
    }
    if (name.length === 0 || name.length > MAX_HOLIDAY_NAME_LENGTH)
      throw bad(`the name must be 1 to ${MAX_HOLIDAY_NAME_LENGTH} characters`);
    return { date, name };
  });
}

/**
 * Who carried how much of a schedule over a range, each person on their own clock. Everyone the
 * schedule names (rotation members, its team) has a row, idle ones too; a person with no zone of
 * their own is counted on the schedule's clock and marked so. Holidays are days in the schedule's zone.
 */
export async function scheduleFairness(
  deps: AppDeps,
  caller: Caller,
  idOrName: string,
  window: { start: Date; end: Date },
  holidays: readonly FairnessHoliday[] = [],
): Promise<FairnessView> {
  requireRole(caller.actor, "viewer");
  const range = checkedRange(window.start, window.end, { maxDays: MAX_FAIRNESS_RANGE_DAYS });
  if (holidays.length > MAX_FAIRNESS_HOLIDAYS)
    throw validationError([{ path: "/holidays", message: `at most ${MAX_FAIRNESS_HOLIDAYS} holidays` }]);
  return deps.uow.run(async (tx) => {
    const loaded = await loadSchedule(tx, await findSchedule(tx, idOrName), range);
    const users = new Map((await tx.users.list()).map((u) => [u.id, u]));
    const members = [...(await eligibleForOpenCover(tx, loaded))].filter((id) => users.has(id)).sort();
    const report = fairnessReport({
      schedule: loaded.schedule,
      range,
      people: members.map((userId) => ({
        userId,
        timeZone: users.get(userId)?.timeZone ?? loaded.record.timeZone,
      })),
      // No timeZone: core counts each holiday as a day in the schedule's zone.
      holidays: holidays.map(({ date, name }) => ({ date, name })),
    });
    return {
      ...report,
      people: report.people.map((row) => ({
        ...row,
        userName: users.get(row.userId)?.name ?? row.userId,
        timeZoneAssumed: row.timeZoneAssumed || !users.get(row.userId)?.timeZone,
      })),
      holidays: holidays.map(({ date, name }) => ({ date, name })),
    };
  });
}
