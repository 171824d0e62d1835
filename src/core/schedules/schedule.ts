/**
 * The shape of an on-call schedule. Instants are epoch milliseconds (UTC); wall-clock values
 * ("HH:MM", "YYYY-MM-DDTHH:MM") are local to the schedule's IANA time zone.
 * The maths lives beside this file (zoned-time.ts, rotation.ts, restrictions.ts, final-schedule.ts);
 * this file holds only types.
 */

export type ShiftUnit = "hours" | "days" | "weeks";

/**
 * A time-of-day window on one weekday (0 = Sunday … 6 = Saturday), local to the schedule's zone:
 * [startTime, endTime). "24:00" is allowed as an end; an end at or before the start runs past
 * midnight into the next day.
 */
export interface TimeWindow {
  readonly weekday: number;
  readonly startTime: string;
  readonly endTime: string;
}

/**
 * One version of a rotation, in force over [effectiveFromMs, effectiveUntilMs). Editing a rotation
 * closes the current version at the edit instant and adds a new one, so the past never changes.
 * Turn k (any integer) is the wall-clock stretch from startLocal + k·shiftLength to startLocal +
 * (k+1)·shiftLength, taken by memberIds[k mod n]. Before the FIRST version's startLocal the layer covers
 * nothing; a later version's turns also run backwards from its startLocal, so an edit never leaves a hole.
 * Unusable settings (see checkRotation) make a version cover nothing rather than fail a look-up.
 */
export interface RotationVersion {
  readonly effectiveFromMs: number;
  /** null: in force until further notice. */
  readonly effectiveUntilMs: number | null;
  /** User ids in turn order; member 0 takes the shift that begins at `startLocal`. */
  readonly memberIds: readonly string[];
  /**
   * In wall-clock units: a day runs to the same wall-clock time next day (23 or 25 hours across a
   * change); hours are added to the local date-time, so an hourly turn inside a spring-forward gap
   * lasts no time at all.
   */
  readonly shiftLength: number;
  readonly shiftUnit: ShiftUnit;
  /**
   * "YYYY-MM-DDTHH:MM", local: when member 0's shift begins. Every later handoff falls at the same
   * wall-clock time (days, weeks) or a whole number of wall-clock hours later (hours), so handoffs
   * stay at 09:00 across daylight-saving changes.
   */
  readonly startLocal: string;
  /** Empty: the layer covers all the time; else only these windows (a turn may become several pieces). */
  readonly restrictions: readonly TimeWindow[];
}

/** A shift taken from outside (an imported calendar): a fixed list, no rotation. */
export interface FixedShift {
  readonly userId: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Stable id of the source event (an ICS UID), kept for calendar export. */
  readonly sourceId: string;
}

export type Layer =
  | {
      readonly id: string;
      readonly name: string;
      /** Higher wins where layers overlap; at equal priority, the later layer in the schedule's list. */
      readonly priority: number;
      readonly source: "rotation";
      /** Sorted by effectiveFromMs, not overlapping. */
      readonly versions: readonly RotationVersion[];
    }
  | {
      readonly id: string;
      readonly name: string;
      readonly priority: number;
      readonly source: "fixed";
      /** Where these overlap, the later in the list wins. */
      readonly shifts: readonly FixedShift[];
    };

/**
 * X covers [startMs, endMs), on top of every layer. Where overrides overlap, the one created last wins
 * (equal createdAtMs: the later in the list).
 * `replacesUserId` records whose time it was (swaps, covers); the override applies whoever was on.
 */
export interface Override {
  readonly id: string;
  readonly userId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly replacesUserId: string | null;
  readonly createdAtMs: number;
}

/**
 * A person who cannot be on call from `fromMs` on (a disabled account). Their shifts from then on stay
 * in their layer or override, unchanged, but the final schedule shows a gap there, not coverage:
 * nobody else is put on call without being told. Re-enabling them (no entry) restores the shifts.
 */
export interface DisabledPerson {
  readonly userId: string;
  readonly fromMs: number;
}

export interface Schedule {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly layers: readonly Layer[];
  readonly overrides: readonly Override[];
  /** People whose shifts are gaps from a given instant on; none when left out. */
  readonly disabled?: readonly DisabledPerson[];
}

/** A stretch of time one person is on call. `layerId` null with `overrideId` set: an override. */
export interface Shift {
  readonly userId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly layerId: string | null;
  readonly overrideId: string | null;
}

export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

/** Why nobody is on call: nobody is scheduled then, or the person scheduled is disabled. */
export type GapReason = "unscheduled" | "disabled";

/** A stretch with nobody on call, and why. */
export interface Gap {
  readonly startMs: number;
  readonly endMs: number;
  readonly reason: GapReason;
  /** Whose shift it is (reason "disabled"); null for an unscheduled gap. */
  readonly userId: string | null;
}
