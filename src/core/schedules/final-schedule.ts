import type { FieldError } from "../errors.js";
import type { Layer, RotationVersion, Schedule, Shift, TimeRange } from "./schedule.js";

/** The shifts of one layer (versions and restrictions applied) that overlap `range`, clipped to it. */
export function layerShifts(layer: Layer, timeZone: string, range: TimeRange): Shift[] {
  void layer;
  void timeZone;
  void range;
  throw new Error("layerShifts: not written yet");
}

/**
 * The final schedule over `range`: the highest-priority layer covering each instant, overrides on top.
 * Sorted, not overlapping; touching pieces of one person from one source are merged.
 */
export function finalShifts(schedule: Schedule, range: TimeRange): Shift[] {
  void schedule;
  void range;
  throw new Error("finalShifts: not written yet");
}

/** Who is on call at `atMs` in the final schedule, or null when nobody is. */
export function onCallAt(schedule: Schedule, atMs: number): Shift | null {
  void schedule;
  void atMs;
  throw new Error("onCallAt: not written yet");
}

/** Stretches of `range` where nobody is on call. */
export function scheduleGaps(schedule: Schedule, range: TimeRange): TimeRange[] {
  void schedule;
  void range;
  throw new Error("scheduleGaps: not written yet");
}

/**
 * The layer after an edit at `atMs`: the version in force then ends at `atMs` and `next` takes over
 * from `atMs`, so no shift before `atMs` changes. Versions that would start later are dropped.
 */
export function editRotation(
  layer: Extract<Layer, { source: "rotation" }>,
  next: Omit<RotationVersion, "effectiveFromMs" | "effectiveUntilMs">,
  atMs: number,
): Extract<Layer, { source: "rotation" }> {
  void layer;
  void next;
  void atMs;
  throw new Error("editRotation: not written yet");
}

/** Problems with a rotation's settings, each naming its field under `path`. */
export function checkRotation(
  rotation: Omit<RotationVersion, "effectiveFromMs" | "effectiveUntilMs">,
  path: string,
): FieldError[] {
  void rotation;
  void path;
  throw new Error("checkRotation: not written yet");
}
