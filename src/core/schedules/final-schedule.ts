/**
 * The final schedule: overrides over layers by priority, and a disabled person's shifts as gaps. Every
 * question (who at t, the shifts in a range, the gaps) is answered from one primitive, the final piece
 * around an instant, so they agree.
 */
import { AppError } from "../errors.js";
import { layerSegmentAt, layerShiftsBetween } from "./layer-segments.js";
import type { Gap, Layer, Override, RotationVersion, Schedule, Shift, TimeRange } from "./schedule.js";
import { stackIntervals, stackSegmentAt, type Stack } from "./stacked-intervals.js";
import { zoneRules, type ZoneRules } from "./zoned-time.js";

export { checkRotation } from "./check-rotation.js";

/**
 * onCallAt reports a stretch with no end in sight (a one-person rotation that never hands over) as
 * ending this long after the instant asked about, so callers always get finite numbers.
 */
export const OPEN_ENDED_HORIZON_MS = 366 * 86_400_000;

interface CompiledSchedule {
  readonly zone: ZoneRules;
  readonly overrides: Stack<Override>;
  /** Strongest first: higher priority, then later in the list. */
  readonly layers: readonly Layer[];
  /** From when each disabled person's shifts are gaps. */
  readonly disabledFromMs: ReadonlyMap<string, number>;
}

/** A stretch of the final schedule: one person from one source, or nobody (userId null). */
interface FinalPiece {
  readonly userId: string | null;
  /** With userId null: the disabled person whose shift it is; null when nobody is scheduled. */
  readonly disabledUserId: string | null;
  readonly layerId: string | null;
  readonly overrideId: string | null;
  readonly startMs: number;
  readonly endMs: number;
}

const compiledSchedules = new WeakMap<Schedule, CompiledSchedule>();

/** Pure memo: a schedule object is read-only, so its compiled form can live as long as it does. */
function compileSchedule(schedule: Schedule): CompiledSchedule {
  let compiled = compiledSchedules.get(schedule);
  if (compiled === undefined) {
    compiled = {
      zone: zoneRules(schedule.timeZone),
      overrides: stackIntervals(
        schedule.overrides,
        (a, aIndex, b, bIndex) => a.createdAtMs - b.createdAtMs || aIndex - bIndex,
        (override) => override.id,
      ),
      layers: schedule.layers
        .map((layer, index) => ({ layer, index }))
        .sort((a, b) => b.layer.priority - a.layer.priority || b.index - a.index)
        .map(({ layer }) => layer),
      disabledFromMs: disabledFrom(schedule),
    };
    compiledSchedules.set(schedule, compiled);
  }
  return compiled;
}

/** Listed twice (it should not be): the earlier instant counts. */
function disabledFrom(schedule: Schedule): Map<string, number> {
  const fromMs = new Map<string, number>();
  for (const { userId, fromMs: ms } of schedule.disabled ?? [])
    fromMs.set(userId, Math.min(ms, fromMs.get(userId) ?? ms));
  return fromMs;
}

/**
 * The maximal stretch around `atMs` with one winner: the override in force, else the strongest layer
 * covering, else nobody. Inside [lowMs, highMs) every stronger source is known to be silent, so the
 * winner's own stretch cut to it is exactly the final piece.
 */
function scheduledPieceAt(compiled: CompiledSchedule, atMs: number): FinalPiece {
  const override = stackSegmentAt(compiled.overrides, atMs);
  if (override.item !== null)
    return {
      userId: override.item.userId,
      disabledUserId: null,
      layerId: null,
      overrideId: override.item.id,
      ...span(override),
    };
  let lowMs = override.startMs;
  let highMs = override.endMs;
  for (const layer of compiled.layers) {
    const segment = layerSegmentAt(layer, compiled.zone, atMs);
    const startMs = Math.max(lowMs, segment.startMs);
    const endMs = Math.min(highMs, segment.endMs);
    if (segment.userId !== null)
      return {
        userId: segment.userId,
        disabledUserId: null,
        layerId: layer.id,
        overrideId: null,
        startMs,
        endMs,
      };
    lowMs = startMs;
    highMs = endMs;
  }
  return {
    userId: null,
    disabledUserId: null,
    layerId: null,
    overrideId: null,
    startMs: lowMs,
    endMs: highMs,
  };
}

/**
 * The scheduled piece, where a disabled winner leaves a gap from when they were disabled. The winner
 * stays the winner: a weaker layer does not take over, so nobody is put on call without being told.
 */
function finalPieceAt(compiled: CompiledSchedule, atMs: number): FinalPiece {
  const piece = scheduledPieceAt(compiled, atMs);
  const fromMs = piece.userId === null ? undefined : compiled.disabledFromMs.get(piece.userId);
  if (fromMs === undefined || fromMs >= piece.endMs) return piece;
  if (atMs < fromMs) return { ...piece, endMs: fromMs };
  return { ...piece, userId: null, disabledUserId: piece.userId, startMs: Math.max(piece.startMs, fromMs) };
}

const span = (s: { startMs: number; endMs: number }) => ({ startMs: s.startMs, endMs: s.endMs });

/** The final pieces that overlap `range`, in order, cut to it. */
function finalPiecesIn(schedule: Schedule, range: TimeRange): FinalPiece[] {
  checkRange(range);
  const compiled = compileSchedule(schedule);
  const pieces: FinalPiece[] = [];
  for (let atMs = range.startMs; atMs < range.endMs;) {
    const piece = finalPieceAt(compiled, atMs);
    pieces.push({
      ...piece,
      startMs: Math.max(piece.startMs, range.startMs),
      endMs: Math.min(piece.endMs, range.endMs),
    });
    // Pieces are maximal, so the next one starts where this ends (the max guards a step of zero).
    atMs = Math.max(piece.endMs, atMs + 1);
  }
  return pieces;
}

/** Instants the zone rules can answer for: years 1 to 9999. */
const isUsableInstant = (ms: number) =>
  Number.isFinite(ms) && ms >= -62_135_596_800_000 && ms <= 253_402_300_799_999;

function checkInstant(atMs: number): void {
  if (!isUsableInstant(atMs)) {
    const message = "must be an instant between the years 1 and 9999";
    throw new AppError("VALIDATION", `instant ${message}`, { fields: [{ path: "/at", message }] });
  }
}

function checkRange(range: TimeRange): void {
  if (!isUsableInstant(range.startMs) || !isUsableInstant(range.endMs)) {
    const message = "must start and end at instants between the years 1 and 9999";
    throw new AppError("VALIDATION", `range ${message}`, { fields: [{ path: "/range", message }] });
  }
}

/** The shifts of one layer (versions and restrictions applied) that overlap `range`, clipped to it. */
export function layerShifts(layer: Layer, timeZone: string, range: TimeRange): Shift[] {
  checkRange(range);
  return layerShiftsBetween(layer, zoneRules(timeZone), range.startMs, range.endMs);
}

/**
 * The final schedule over `range`: the highest-priority layer covering each instant, overrides on top.
 * Sorted, not overlapping; touching pieces of one person from one source are merged.
 */
export function finalShifts(schedule: Schedule, range: TimeRange): Shift[] {
  const shifts: Shift[] = [];
  for (const piece of finalPiecesIn(schedule, range)) {
    if (piece.userId === null) continue;
    const last = shifts[shifts.length - 1];
    const sameSource =
      last !== undefined &&
      last.endMs === piece.startMs &&
      last.userId === piece.userId &&
      last.layerId === piece.layerId &&
      last.overrideId === piece.overrideId;
    if (sameSource) shifts[shifts.length - 1] = { ...last, endMs: piece.endMs };
    else {
      const { userId, layerId, overrideId, startMs, endMs } = piece;
      shifts.push({ userId, layerId, overrideId, startMs, endMs });
    }
  }
  return shifts;
}

/**
 * Who is on call at `atMs` in the final schedule, or null when nobody is (gapAt says why). The shift is the whole
 * final piece holding `atMs` (as finalShifts over a wide enough range reports it), open ends cut at
 * OPEN_ENDED_HORIZON_MS. Costs a few memoised zone conversions per layer, never a walk through turns.
 */
export function onCallAt(schedule: Schedule, atMs: number): Shift | null {
  checkInstant(atMs);
  const piece = finalPieceAt(compileSchedule(schedule), atMs);
  if (piece.userId === null) return null;
  return {
    userId: piece.userId,
    layerId: piece.layerId,
    overrideId: piece.overrideId,
    startMs: Math.max(piece.startMs, atMs - OPEN_ENDED_HORIZON_MS),
    endMs: Math.min(piece.endMs, atMs + OPEN_ENDED_HORIZON_MS),
  };
}

/** Stretches of `range` where nobody is on call, whatever the reason (see gapsWithReasons). */
export function scheduleGaps(schedule: Schedule, range: TimeRange): TimeRange[] {
  const gaps: TimeRange[] = [];
  for (const piece of finalPiecesIn(schedule, range)) {
    if (piece.userId !== null) continue;
    const last = gaps[gaps.length - 1];
    if (last !== undefined && last.endMs === piece.startMs)
      gaps[gaps.length - 1] = { ...last, endMs: piece.endMs };
    else gaps.push(span(piece));
  }
  return gaps;
}

const gapOf = (piece: FinalPiece): Gap => ({
  startMs: piece.startMs,
  endMs: piece.endMs,
  reason: piece.disabledUserId === null ? "unscheduled" : "disabled",
  userId: piece.disabledUserId,
});

const sameGap = (a: Gap, b: Gap) => a.reason === b.reason && a.userId === b.userId;

/**
 * The gaps of `range` with why nobody is on call: scheduleGaps split where the reason or the disabled
 * person changes (an unscheduled stretch next to a disabled person's shift is two gaps here).
 */
export function gapsWithReasons(schedule: Schedule, range: TimeRange): Gap[] {
  const gaps: Gap[] = [];
  for (const piece of finalPiecesIn(schedule, range)) {
    if (piece.userId !== null) continue;
    const gap = gapOf(piece);
    const last = gaps[gaps.length - 1];
    if (last !== undefined && last.endMs === gap.startMs && sameGap(last, gap))
      gaps[gaps.length - 1] = { ...last, endMs: gap.endMs };
    else gaps.push(gap);
  }
  return gaps;
}

/** Pieces joined to find where a gap begins and ends; a gap of more pieces than this is cut. */
const MAX_GAP_JOINS = 1000;

/**
 * The gap holding `atMs` (as gapsWithReasons over a wide enough range reports it), or null when
 * someone is on call. Ends further than OPEN_ENDED_HORIZON_MS from `atMs` are cut there.
 */
export function gapAt(schedule: Schedule, atMs: number): Gap | null {
  checkInstant(atMs);
  const compiled = compileSchedule(schedule);
  const piece = finalPieceAt(compiled, atMs);
  if (piece.userId !== null) return null;
  const gap = gapOf(piece);
  const lowMs = atMs - OPEN_ENDED_HORIZON_MS;
  const highMs = atMs + OPEN_ENDED_HORIZON_MS;
  let startMs = Math.max(piece.startMs, lowMs);
  let endMs = Math.min(piece.endMs, highMs);
  // Touching pieces of one gap (at an override's or a rotation version's edge) are one gap.
  for (let joins = 0; endMs < highMs && joins < MAX_GAP_JOINS && isUsableInstant(endMs); joins++) {
    const next = finalPieceAt(compiled, endMs);
    if (next.userId !== null || !sameGap(gapOf(next), gap)) break;
    endMs = Math.min(Math.max(next.endMs, endMs + 1), highMs);
  }
  for (let joins = 0; startMs > lowMs && joins < MAX_GAP_JOINS && isUsableInstant(startMs - 1); joins++) {
    const previous = finalPieceAt(compiled, startMs - 1);
    if (previous.userId !== null || !sameGap(gapOf(previous), gap)) break;
    startMs = Math.max(Math.min(previous.startMs, startMs - 1), lowMs);
  }
  return { ...gap, startMs, endMs };
}

/**
 * The layer after an edit at `atMs`: the version in force then ends at `atMs` and `next` takes over
 * from `atMs`, so no shift before `atMs` changes. Versions that would start at or after `atMs` are
 * dropped. If that drops them all (the rotation had not begun), `next` becomes the first version:
 * like any first version it covers nothing before its own startLocal.
 */
export function editRotation(
  layer: Extract<Layer, { source: "rotation" }>,
  next: Omit<RotationVersion, "effectiveFromMs" | "effectiveUntilMs">,
  atMs: number,
): Extract<Layer, { source: "rotation" }> {
  if (!isUsableInstant(atMs)) {
    const message = "must be an instant between the years 1 and 9999";
    throw new AppError("VALIDATION", `edit instant ${message}`, {
      fields: [{ path: "/effectiveFromMs", message }],
    });
  }
  const versions: RotationVersion[] = [];
  for (const version of layer.versions) {
    if (version.effectiveFromMs >= atMs) continue;
    const untilMs = version.effectiveUntilMs;
    versions.push(untilMs === null || untilMs > atMs ? { ...version, effectiveUntilMs: atMs } : version);
  }
  versions.push({
    effectiveFromMs: atMs,
    effectiveUntilMs: null,
    memberIds: [...next.memberIds],
    shiftLength: next.shiftLength,
    shiftUnit: next.shiftUnit,
    startLocal: next.startLocal,
    restrictions: next.restrictions.map((window) => ({ ...window })),
  });
  return { ...layer, versions };
}
