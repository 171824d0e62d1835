import type { Layer, Override, TimeRange } from "./schedule.js";

/**
 * Schedule records as the app and the store exchange them. Schedule maths works in epoch ms (see
 * schedule.ts), so these do too; only bookkeeping stamps (created/updated) are Dates like elsewhere.
 */

export interface ScheduleRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** IANA zone: rotation handoffs and restrictions are wall-clock times here. */
  readonly timeZone: string;
  readonly teamId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A layer as stored: the maths' layer, plus when it was ended (it stays for the past it covered). */
export interface LayerRecord {
  readonly layer: Layer;
  readonly endedAtMs: number | null;
}

export type OverrideSource = "manual" | "swap" | "cover" | "take-over";

export interface OverrideRecord extends Override {
  readonly scheduleId: string;
  readonly source: OverrideSource;
  /** The actor id (a user or an API key) that made it. */
  readonly createdBy: string;
}

export type TradeKind = "swap" | "cover";
export type TradeState = "pending" | "accepted" | "declined" | "cancelled" | "expired";

/**
 * A swap (A asks B to take A's shift, optionally taking B's `swapWith` shift in return) or a cover
 * request ("cover me": offered to one person, or to anyone eligible when `offeredTo` is null).
 */
export interface ShiftTrade {
  readonly id: string;
  readonly scheduleId: string;
  readonly kind: TradeKind;
  readonly state: TradeState;
  readonly requesterId: string;
  readonly shift: TimeRange;
  /** Swap only: the shift of `offeredTo` that the requester takes in return. */
  readonly swapWith: TimeRange | null;
  readonly offeredTo: string | null;
  readonly acceptedBy: string | null;
  readonly note: string;
  /** The overrides the acceptance created (removing them undoes the trade). */
  readonly overrideIds: readonly string[];
  readonly createdAtMs: number;
  readonly decidedAtMs: number | null;
}

/** A secret calendar URL: for one schedule, or for one person's shifts across schedules. */
export interface CalendarFeed {
  readonly id: string;
  readonly owner: { readonly kind: "schedule" | "user"; readonly id: string };
  /** SHA-256 of the URL's token; the token itself is derived again from the id when shown. */
  readonly tokenHash: string;
  readonly createdAtMs: number;
}
