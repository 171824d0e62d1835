/**
 * One rotation layer's maths. Shift k of a version is the local stretch
 * [startLocal + k·length, startLocal + (k+1)·length) (local ms, so a day is always 24 wall-clock
 * hours), taken by member k mod n, cut to the restrictions, then turned into instants. Which shift
 * holds an instant is a division, not a walk from the start.
 */
import { DAY_MS, HOUR_MS, WEEK_MS, mod, parseLocalDateTime } from "./civil-time.js";
import { compileRestrictions, placeInPattern, stretchesBetween, type WeeklyPattern } from "./restrictions.js";
import type { RotationVersion, ShiftUnit } from "./schedule.js";
import type { ZoneRules } from "./zoned-time.js";

/** What a layer says around an instant: who (null: nobody) over [startMs, endMs). */
export interface LayerSegment {
  readonly userId: string | null;
  readonly startMs: number;
  readonly endMs: number;
}

/** One turn of a rotation (or the part of it inside a restriction window). */
export interface TurnPiece {
  readonly userId: string;
  readonly startMs: number;
  readonly endMs: number;
}

interface CompiledVersion {
  readonly startLocalMs: number;
  readonly shiftMs: number;
  readonly memberIds: readonly string[];
  /** How many turns just before (after) turn i fall to the same person; Infinity if all members are one. */
  readonly sameBefore: readonly number[];
  readonly sameAfter: readonly number[];
  readonly pattern: WeeklyPattern | null;
}

const UNIT_MS: Record<ShiftUnit, number> = { hours: HOUR_MS, days: DAY_MS, weeks: WEEK_MS };
const compiledVersions = new WeakMap<RotationVersion, CompiledVersion | null>();

/** A version's settings in numbers, memoised; null when they are unusable (it then covers nothing). */
function compileVersion(version: RotationVersion): CompiledVersion | null {
  let compiled = compiledVersions.get(version);
  if (compiled !== undefined) return compiled;
  compiled = null;
  const { memberIds, shiftLength, shiftUnit } = version;
  const startLocalMs = parseLocalDateTime(version.startLocal);
  const unitMs = Object.hasOwn(UNIT_MS, shiftUnit) ? UNIT_MS[shiftUnit] : undefined;
  const membersUsable =
    Array.isArray(memberIds) && memberIds.length > 0 && memberIds.every((id) => typeof id === "string");
  if (
    startLocalMs !== null &&
    unitMs !== undefined &&
    Number.isInteger(shiftLength) &&
    shiftLength > 0 &&
    membersUsable
  ) {
    compiled = {
      startLocalMs,
      shiftMs: shiftLength * unitMs,
      memberIds,
      ...sameMemberRuns(memberIds),
      pattern: compileRestrictions(version.restrictions ?? []),
    };
  }
  compiledVersions.set(version, compiled);
  return compiled;
}

function sameMemberRuns(memberIds: readonly string[]): { sameBefore: number[]; sameAfter: number[] } {
  const count = memberIds.length;
  if (memberIds.every((id) => id === memberIds[0]))
    return { sameBefore: memberIds.map(() => Infinity), sameAfter: memberIds.map(() => Infinity) };
  const at = (index: number) => memberIds[mod(index, count)];
  const run = (index: number, step: 1 | -1) => {
    let turns = 0;
    while (at(index + (turns + 1) * step) === at(index)) turns++;
    return turns;
  };
  return {
    sameBefore: memberIds.map((_, index) => run(index, -1)),
    sameAfter: memberIds.map((_, index) => run(index, 1)),
  };
}

/** Index of the last version in force from at or before `atMs` (-1 if none); versions are sorted. */
function versionIndexAt(versions: readonly RotationVersion[], atMs: number): number {
  let low = 0;
  let high = versions.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((versions[middle]?.effectiveFromMs ?? Infinity) <= atMs) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

const gap = (startMs: number, endMs: number): LayerSegment => ({ userId: null, startMs, endMs });

/**
 * Who the rotation puts on call at `atMs`, and a stretch around it over which that holds (a person's
 * consecutive turns and a whole restriction window count as one; across versions it may be longer).
 * Before the first version's startLocal the rotation covers nothing; a later version's turns run
 * backwards from its startLocal too, so an edit leaves no hole.
 */
export function rotationSegmentAt(
  versions: readonly RotationVersion[],
  zone: ZoneRules,
  atMs: number,
): LayerSegment {
  const index = versionIndexAt(versions, atMs);
  const version = versions[index];
  if (version === undefined) return gap(-Infinity, versions[0]?.effectiveFromMs ?? Infinity);
  const fromMs = version.effectiveFromMs;
  const untilMs = version.effectiveUntilMs ?? Infinity;
  if (atMs >= untilMs) return gap(untilMs, versions[index + 1]?.effectiveFromMs ?? Infinity);
  const compiled = compileVersion(version);
  if (compiled === null) return gap(fromMs, untilMs);
  const { startLocalMs, shiftMs, pattern } = compiled;
  const position = zone.positionAt(atMs);
  const turn = Math.floor((position - startLocalMs) / shiftMs);
  if (index === 0 && turn < 0) return gap(fromMs, Math.min(untilMs, zone.instantOf(startLocalMs)));
  const member = mod(turn, compiled.memberIds.length);
  let startLocal = startLocalMs + (turn - (compiled.sameBefore[member] ?? 0)) * shiftMs;
  let endLocal = startLocalMs + (turn + 1 + (compiled.sameAfter[member] ?? 0)) * shiftMs;
  if (index === 0) startLocal = Math.max(startLocal, startLocalMs);
  if (pattern !== null) {
    const place = placeInPattern(pattern, position);
    if (!place.inside)
      return gap(
        Math.max(fromMs, zone.instantOf(place.startLocalMs)),
        Math.min(untilMs, zone.instantOf(place.endLocalMs)),
      );
    startLocal = Math.max(startLocal, place.startLocalMs);
    endLocal = Math.min(endLocal, place.endLocalMs);
  }
  return {
    userId: compiled.memberIds[member] ?? null,
    startMs: Math.max(fromMs, zone.instantOf(startLocal)),
    endMs: Math.min(untilMs, zone.instantOf(endLocal)),
  };
}

/**
 * The turns of a rotation that overlap [fromMs, toMs), each cut to its version, its restriction windows
 * and the range: a turn split by restrictions gives several pieces; a turn squeezed to nothing (an
 * hourly turn inside a spring-forward gap) gives none.
 */
export function rotationTurnsBetween(
  versions: readonly RotationVersion[],
  zone: ZoneRules,
  fromMs: number,
  toMs: number,
): TurnPiece[] {
  const pieces: TurnPiece[] = [];
  const firstIndex = Math.max(0, versionIndexAt(versions, fromMs));
  for (let index = firstIndex; index < versions.length; index++) {
    const version = versions[index];
    if (version === undefined || version.effectiveFromMs >= toMs) break;
    const lowMs = Math.max(fromMs, version.effectiveFromMs);
    const highMs = Math.min(toMs, version.effectiveUntilMs ?? Infinity);
    const compiled = compileVersion(version);
    if (compiled === null || lowMs >= highMs) continue;
    const { startLocalMs, shiftMs, pattern, memberIds } = compiled;
    let turn = Math.floor((zone.positionAt(lowMs) - startLocalMs) / shiftMs);
    if (index === 0) turn = Math.max(0, turn);
    for (; ; turn++) {
      const turnStartLocal = startLocalMs + turn * shiftMs;
      if (zone.instantOf(turnStartLocal) >= highMs) break;
      const userId = memberIds[mod(turn, memberIds.length)] ?? "";
      const stretches =
        pattern === null
          ? [{ startLocalMs: turnStartLocal, endLocalMs: turnStartLocal + shiftMs }]
          : stretchesBetween(pattern, turnStartLocal, turnStartLocal + shiftMs);
      let last: { userId: string; startMs: number; endMs: number } | undefined;
      for (const stretch of stretches) {
        const startMs = Math.max(lowMs, zone.instantOf(stretch.startLocalMs));
        const endMs = Math.min(highMs, zone.instantOf(stretch.endLocalMs));
        if (startMs >= endMs) continue;
        // Two windows a spring-forward gap apart meet in time: one piece.
        if (last !== undefined && last.endMs === startMs) last.endMs = endMs;
        else pieces.push((last = { userId, startMs, endMs }));
      }
    }
  }
  return pieces;
}
