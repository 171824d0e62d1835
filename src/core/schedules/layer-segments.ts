/**
 * A layer of either kind seen the same way: who it puts on call around an instant (with the maximal
 * stretch over which that holds) and its shifts in a range. final-schedule.ts stacks these.
 */
import { rotationSegmentAt, rotationTurnsBetween, type LayerSegment } from "./rotation.js";
import type { FixedShift, Layer, Shift } from "./schedule.js";
import { stackIntervals, stackPiecesBetween, stackSegmentAt, type Stack } from "./stacked-intervals.js";
import type { ZoneRules } from "./zoned-time.js";

/**
 * Steps taken to join a stretch with its neighbours of the same person (across versions, or windows a
 * spring-forward gap apart). A stretch still growing after that is reported cut there.
 */
const MAX_JOINS = 1000;

const fixedStacks = new WeakMap<readonly FixedShift[], Stack<FixedShift>>();

/** A fixed layer's shifts flattened: where they overlap, the later in the list wins. Memoised. */
function fixedStack(shifts: readonly FixedShift[]): Stack<FixedShift> {
  let stack = fixedStacks.get(shifts);
  if (stack === undefined) {
    stack = stackIntervals(
      shifts,
      (_a, aIndex, _b, bIndex) => aIndex - bIndex,
      (shift) => shift.userId,
    );
    fixedStacks.set(shifts, stack);
  }
  return stack;
}

/**
 * The maximal stretch around `atMs` over which `layer` puts the same person on call (userId null: the
 * maximal stretch where it puts nobody), ±Infinity where it has no end.
 */
export function layerSegmentAt(layer: Layer, zone: ZoneRules, atMs: number): LayerSegment {
  if (layer.source === "fixed") {
    const segment = stackSegmentAt(fixedStack(layer.shifts), atMs);
    return { userId: segment.item?.userId ?? null, startMs: segment.startMs, endMs: segment.endMs };
  }
  const segmentAt = (t: number) => rotationSegmentAt(layer.versions, zone, t);
  const found = segmentAt(atMs);
  let { startMs, endMs } = found;
  for (let joins = 0; joins < MAX_JOINS && endMs < Infinity; joins++) {
    const next = segmentAt(endMs);
    if (next.userId !== found.userId) break;
    endMs = next.endMs;
  }
  for (let joins = 0; joins < MAX_JOINS && startMs > -Infinity; joins++) {
    const previous = segmentAt(startMs - 1);
    if (previous.userId !== found.userId) break;
    startMs = previous.startMs;
  }
  return { userId: found.userId, startMs, endMs };
}

/**
 * The shifts of `layer` that overlap [fromMs, toMs), cut to it, in order and not overlapping: a
 * rotation's turns (split by restrictions), or a fixed layer's shifts with overlaps settled.
 */
export function layerShiftsBetween(layer: Layer, zone: ZoneRules, fromMs: number, toMs: number): Shift[] {
  const pieces =
    layer.source === "fixed"
      ? stackPiecesBetween(fixedStack(layer.shifts), fromMs, toMs).map((piece) => ({
          userId: piece.item.userId,
          startMs: piece.startMs,
          endMs: piece.endMs,
        }))
      : rotationTurnsBetween(layer.versions, zone, fromMs, toMs);
  return pieces.map((piece) => ({ ...piece, layerId: layer.id, overrideId: null }));
}
