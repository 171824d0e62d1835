import { requireRole } from "../../core/auth/actor.js";
import {
  fairnessReport,
  MAX_FAIRNESS_RANGE_DAYS,
  type FairnessReport,
  type PersonFairness,
} from "../../core/schedules/fairness.js";
import type { AppDeps, Caller } from "../deps.js";
import { eligibleForOpenCover, findSchedule, loadSchedule } from "./load-schedule.js";
import { checkedRange } from "./time-range-input.js";

export type FairnessView = Omit<FairnessReport, "people"> & {
  readonly people: ReadonlyArray<PersonFairness & { readonly userName: string }>;
};

/**
 * Who carried how much of a schedule over a range, each person on their own clock. Everyone the
 * schedule names (rotation members, its team) has a row, idle ones too; a person with no zone of
 * their own is counted on the schedule's clock and marked so.
 */
export async function scheduleFairness(
  deps: AppDeps,
  caller: Caller,
  idOrName: string,
  window: { start: Date; end: Date },
): Promise<FairnessView> {
  requireRole(caller.actor, "viewer");
  const range = checkedRange(window.start, window.end, { maxDays: MAX_FAIRNESS_RANGE_DAYS });
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
      holidays: [],
    });
    return {
      ...report,
      people: report.people.map((row) => ({
        ...row,
        userName: users.get(row.userId)?.name ?? row.userId,
        timeZoneAssumed: row.timeZoneAssumed || !users.get(row.userId)?.timeZone,
      })),
    };
  });
}
