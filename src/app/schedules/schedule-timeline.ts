import { requireRole } from "../../core/auth/actor.js";
import { validationError, type FieldError } from "../../core/errors.js";
import { finalShifts, gapsWithReasons, layerShifts } from "../../core/schedules/final-schedule.js";
import type { OverrideRecord } from "../../core/schedules/records.js";
import type { Layer, Schedule, Shift, TimeRange } from "../../core/schedules/schedule.js";
import type { AppDeps, Caller } from "../deps.js";
import { disabledPeople, findSchedule, loadSchedule } from "./load-schedule.js";
import { checkLayerInput, checkTimeZone, rotationSettings, type LayerInput } from "./schedule-input.js";
import {
  gapView,
  overrideView,
  peopleBook,
  shiftView,
  type GapView,
  type OverrideView,
  type PeopleBook,
  type ShiftView,
} from "./schedule-views.js";
import { checkedRange } from "./time-range-input.js";

/** What the console's timeline draws: each layer's shifts, the overrides, the final row and its gaps. */
export interface TimelineView {
  readonly scheduleId: string | null;
  readonly timeZone: string;
  readonly start: Date;
  readonly end: Date;
  readonly layers: Array<{ id: string; name: string; priority: number; shifts: ShiftView[] }>;
  readonly overrides: OverrideView[];
  readonly final: ShiftView[];
  /** Split where the reason changes: a disabled person's shift is a gap of its own, naming them. */
  readonly gaps: GapView[];
  readonly people: Array<{ id: string; name: string; timeZone: string | null; disabled: boolean }>;
}

export const rangeView = (r: TimeRange) => ({ start: new Date(r.startMs), end: new Date(r.endMs) });

function timelineOf(
  scheduleId: string | null,
  schedule: Schedule,
  overrides: readonly OverrideRecord[],
  range: TimeRange,
  people: PeopleBook,
): TimelineView {
  const layers = [...schedule.layers].sort((a, b) => b.priority - a.priority);
  const perLayer = layers.map((layer) => ({ layer, shifts: layerShifts(layer, schedule.timeZone, range) }));
  const final = finalShifts(schedule, range);
  const gaps = gapsWithReasons(schedule, range);
  const everyone = new Set<string>([
    ...perLayer.flatMap((l) => l.shifts.map((s) => s.userId)),
    ...overrides.map((o) => o.userId),
    ...final.map((s) => s.userId),
    ...gaps.flatMap((g) => (g.userId === null ? [] : [g.userId])),
  ]);
  const shifts = (list: readonly Shift[]) => list.map((s) => shiftView(s, people));
  return {
    scheduleId,
    timeZone: schedule.timeZone,
    ...rangeView(range),
    layers: perLayer.map(({ layer, shifts: list }) => ({
      id: layer.id,
      name: layer.name,
      priority: layer.priority,
      shifts: shifts(list),
    })),
    overrides: overrides.map((o) => overrideView(o, people)),
    final: shifts(final),
    gaps: gaps.map((g) => gapView(g, people)),
    people: [...everyone].sort().map((id) => ({
      id,
      name: people.name(id),
      timeZone: people.timeZone(id),
      disabled: people.disabled(id),
    })),
  };
}

export async function scheduleTimeline(
  deps: AppDeps,
  caller: Caller,
  idOrName: string,
  window: { start: Date; end: Date },
): Promise<TimelineView> {
  requireRole(caller.actor, "viewer");
  const range = checkedRange(window.start, window.end);
  return deps.uow.run(async (tx) => {
    const loaded = await loadSchedule(tx, await findSchedule(tx, idOrName), range);
    return timelineOf(loaded.record.id, loaded.schedule, loaded.overrides, range, await peopleBook(tx));
  });
}

export async function scheduleGapsIn(
  deps: AppDeps,
  caller: Caller,
  idOrName: string,
  window: { start: Date; end: Date },
): Promise<GapView[]> {
  requireRole(caller.actor, "viewer");
  const range = checkedRange(window.start, window.end);
  return deps.uow.run(async (tx) => {
    const loaded = await loadSchedule(tx, await findSchedule(tx, idOrName), range);
    const people = await peopleBook(tx);
    return gapsWithReasons(loaded.schedule, range).map((g) => gapView(g, people));
  });
}

export interface PreviewInput {
  readonly timeZone: string;
  readonly layers: readonly LayerInput[];
  readonly overrides?: ReadonlyArray<{ userId: string; start: Date; end: Date }>;
  readonly start: Date;
  readonly end: Date;
}

/**
 * The editor's live preview: draft layers as if in force over the whole range; nothing is saved.
 * Disabled people show as gaps as in the saved timeline (layers refuse them; draft overrides may not).
 */
export async function previewSchedule(
  deps: AppDeps,
  caller: Caller,
  input: PreviewInput,
): Promise<TimelineView> {
  requireRole(caller.actor, "viewer");
  const range = checkedRange(input.start, input.end);
  return deps.uow.run(async (tx) => {
    const errors: FieldError[] = checkTimeZone(input.timeZone, "/timeZone");
    for (const [i, layer] of input.layers.entries())
      errors.push(...(await checkLayerInput(tx, layer, `/layers/${i}`)));
    for (const [i, o] of (input.overrides ?? []).entries()) {
      if (!(o.end.getTime() > o.start.getTime()))
        errors.push({ path: `/overrides/${i}/end`, message: "must be after start" });
      if (!(await tx.users.findById(o.userId)))
        errors.push({ path: `/overrides/${i}/userId`, message: `user ${o.userId} not found` });
    }
    if (errors.length > 0) throw validationError(errors);
    const layers: Layer[] = input.layers.map((layer, i) => ({
      id: `draft-${i}`,
      name: layer.name.trim(),
      priority: layer.priority ?? i + 1,
      source: "rotation",
      versions: [
        { ...rotationSettings(layer.rotation), effectiveFromMs: range.startMs, effectiveUntilMs: null },
      ],
    }));
    const overrides: OverrideRecord[] = (input.overrides ?? []).map((o, i) => ({
      id: `draft-override-${i}`,
      scheduleId: "preview",
      userId: o.userId,
      startMs: o.start.getTime(),
      endMs: o.end.getTime(),
      replacesUserId: null,
      source: "manual",
      createdBy: caller.actor.id,
      createdAtMs: i,
    }));
    const schedule: Schedule = {
      id: "preview",
      name: "preview",
      timeZone: input.timeZone,
      layers,
      overrides,
      disabled: await disabledPeople(tx),
    };
    return timelineOf(null, schedule, overrides, range, await peopleBook(tx));
  });
}
