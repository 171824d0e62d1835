import type { ScheduleRecord, ShiftTrade } from "../../core/schedules/records.js";
import type { TimeRange } from "../../core/schedules/schedule.js";
import type { Tx } from "../ports/store.js";
import { planPersonNotice } from "./schedule-notices.js";

/** Tells the people in a trade what happened, through each one's contact methods. */

export type TradeEvent = "requested" | "accepted" | "declined";

export interface TradeNotice {
  readonly trade: ShiftTrade;
  readonly schedule: ScheduleRecord;
  readonly event: TradeEvent;
  /** What happened, in a line: "Ada asks Bob to swap …". */
  readonly headline: string;
  readonly recipients: ReadonlyArray<{ id: string; name: string }>;
}

/** "Mon 23 Nov 2026, 09:00 – Tue 24 Nov 2026, 09:00 (Europe/Berlin)" */
export function describeRange(range: TimeRange, timeZone: string): string {
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return `${format.format(range.startMs)} – ${format.format(range.endMs)} (${timeZone})`;
}

/**
 * Plans the notice as `schedule.notice` jobs, one per contact method of each recipient, in the
 * transaction of the trade: a crash after commit still sends it, and a failed send is retried.
 */
export async function planTradeNotice(tx: Tx, notice: TradeNotice, now: Date): Promise<void> {
  const { trade, schedule } = notice;
  const text = {
    title: notice.headline,
    details: [
      { label: "Schedule", value: schedule.name },
      {
        label: trade.kind === "swap" ? "Swap" : "Cover",
        value: describeRange(trade.shift, schedule.timeZone),
      },
      ...(trade.swapWith
        ? [{ label: "In return", value: describeRange(trade.swapWith, schedule.timeZone) }]
        : []),
      ...(trade.note ? [{ label: "Note", value: trade.note }] : []),
    ],
  };
  // The key the notice had when sent after commit, so a receiver that deduplicates sees it once.
  const idempotencyBase = `trade:${trade.id}:${notice.event}`;
  for (const id of new Set(notice.recipients.map((r) => r.id)))
    await planPersonNotice(tx, { schedule, text, idempotencyBase, now }, id);
}
