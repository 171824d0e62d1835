import { notFound } from "../../core/errors.js";
import type { LayerRecord, OverrideRecord, ScheduleRecord } from "../../core/schedules/records.js";
import type { DisabledPerson, Schedule, TimeRange } from "../../core/schedules/schedule.js";
import type { Tx } from "../ports/store.js";

/** A schedule with everything the maths needs over one range: its layers and the overrides there. */
export interface LoadedSchedule {
  readonly record: ScheduleRecord;
  readonly layers: readonly LayerRecord[];
  readonly overrides: readonly OverrideRecord[];
  readonly schedule: Schedule;
}

/** By id, or by exact name (what the CLI passes). */
export async function findSchedule(tx: Tx, idOrName: string): Promise<ScheduleRecord> {
  const found = (await tx.schedules.findById(idOrName)) ?? (await tx.schedules.findByName(idOrName));
  if (!found) throw notFound("schedule", idOrName);
  return found;
}

/**
 * Disabled people, from when: their shifts from then on are gaps in every final schedule (timeline,
 * who is on call, paging, gap alerts, notices), while the shifts before stay as they were worked.
 */
export async function disabledPeople(tx: Tx): Promise<DisabledPerson[]> {
  // The narrow read: this runs on every page and "who is on call", and enabled people are most rows.
  return (await tx.users.listDisabled()).map((u) => ({ userId: u.id, fromMs: u.disabledAt.getTime() }));
}

export async function loadSchedule(
  tx: Tx,
  record: ScheduleRecord,
  range: TimeRange,
): Promise<LoadedSchedule> {
  const layers = await tx.schedules.listLayers(record.id);
  const overrides = await tx.scheduleOverrides.listOverlapping(record.id, range.startMs, range.endMs);
  const disabled = await disabledPeople(tx);
  return {
    record,
    layers,
    overrides,
    schedule: {
      id: record.id,
      name: record.name,
      timeZone: record.timeZone,
      layers: layers.map((l) => l.layer),
      overrides,
      disabled,
    },
  };
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * The range loaded to answer "who is on call at `atMs`": wide enough that the current shift's start
 * and end are the real ones, not cut by overrides left out of the load.
 */
export const rangeAround = (atMs: number): TimeRange => ({
  startMs: atMs - 35 * DAY_MS,
  endMs: atMs + 35 * DAY_MS,
});

/** Everyone who may take an open cover request: the schedule's team, and anyone its layers name. */
export async function eligibleForOpenCover(tx: Tx, loaded: LoadedSchedule): Promise<Set<string>> {
  const people = new Set<string>();
  if (loaded.record.teamId) {
    for (const member of await tx.teams.listMembers(loaded.record.teamId)) people.add(member.userId);
  }
  for (const { layer } of loaded.layers) {
    if (layer.source === "rotation")
      for (const v of layer.versions) for (const id of v.memberIds) people.add(id);
    else for (const s of layer.shifts) people.add(s.userId);
  }
  return people;
}
