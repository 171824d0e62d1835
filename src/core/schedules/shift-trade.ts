import type { OverrideSource, ShiftTrade, TradeState } from "./records.js";
import type { Shift, TimeRange } from "./schedule.js";

/** The rules of shift trades (swap and cover requests), apart from who may ask. */

/** Whether `userId` is on call for the whole of `range` in these final-schedule shifts. */
export function holdsWholeRange(shifts: readonly Shift[], userId: string, range: TimeRange): boolean {
  if (range.endMs <= range.startMs) return false;
  let coveredUntil = range.startMs;
  for (const shift of [...shifts].sort((a, b) => a.startMs - b.startMs)) {
    if (shift.endMs <= coveredUntil) continue;
    if (shift.startMs > coveredUntil || shift.userId !== userId) return false;
    coveredUntil = shift.endMs;
    if (coveredUntil >= range.endMs) return true;
  }
  return false;
}

/** A pending trade whose shift is over can no longer be taken: it shows as expired. */
export const effectiveTradeState = (trade: ShiftTrade, nowMs: number): TradeState =>
  trade.state === "pending" && trade.shift.endMs <= nowMs ? "expired" : trade.state;

export interface PlannedOverride {
  readonly userId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly replacesUserId: string;
  readonly source: OverrideSource;
}

/**
 * What accepting a trade puts on the schedule: the acceptor covers the requester's shift, and for a
 * swap with a shift in return the requester covers the acceptor's. Each from `nowMs` at the earliest,
 * so an accepted trade never rewrites the past.
 */
export function overridesForAcceptance(
  trade: ShiftTrade,
  acceptorId: string,
  nowMs: number,
): PlannedOverride[] {
  const planned: PlannedOverride[] = [];
  const from = (range: TimeRange) => Math.max(range.startMs, nowMs);
  if (trade.shift.endMs > nowMs) {
    planned.push({
      userId: acceptorId,
      startMs: from(trade.shift),
      endMs: trade.shift.endMs,
      replacesUserId: trade.requesterId,
      source: trade.kind,
    });
  }
  if (trade.kind === "swap" && trade.swapWith && trade.swapWith.endMs > nowMs) {
    planned.push({
      userId: trade.requesterId,
      startMs: from(trade.swapWith),
      endMs: trade.swapWith.endMs,
      replacesUserId: acceptorId,
      source: "swap",
    });
  }
  return planned;
}
