import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { ScheduleRecord, ShiftTrade } from "../../core/schedules/records.js";
import type { TimeRange } from "../../core/schedules/schedule.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { NotificationSender } from "../ports/notifications.js";

/**
 * Tells the people in a trade what happened, through each one's contact methods. Deliveries and
 * their jobs belong to incidents, so this goes the way the test message goes: sent right after the
 * change commits, each failure logged and never undoing the trade.
 */

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

function noticeMessage(
  deps: AlertingDeps,
  notice: TradeNotice,
  recipientName: string,
  now: Date,
): IncidentMessage {
  const { trade, schedule } = notice;
  return {
    incidentId: `trade:${trade.id}`,
    incidentNumber: 0,
    event: "notice",
    title: notice.headline,
    state: "triggered",
    level: "notify",
    serviceName: schedule.name,
    openedAt: now,
    recipientName,
    incidentUrl: `${deps.publicUrl}/schedules/${encodeURIComponent(schedule.id)}`,
    acknowledgeUrl: null,
    resolveUrl: null,
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
    links: [],
  };
}

export async function sendTradeNotice(
  deps: AlertingDeps,
  sender: NotificationSender,
  notice: TradeNotice,
): Promise<void> {
  const now = deps.clock.now();
  const unique = [...new Map(notice.recipients.map((r) => [r.id, r])).values()];
  const targets = await deps.uow.run(async (tx) => {
    const list: Array<{
      name: string;
      methodId: string;
      kind: string;
      config: Readonly<Record<string, unknown>>;
    }> = [];
    for (const person of unique) {
      for (const method of await tx.contactMethods.listForUser(person.id))
        list.push({ name: person.name, methodId: method.id, kind: method.kind, config: method.config });
    }
    return list;
  });
  for (const target of targets) {
    try {
      await sender.send(target.kind, target.config, noticeMessage(deps, notice, target.name, now), {
        idempotencyKey: `trade:${notice.trade.id}:${notice.event}:${target.methodId}`,
        previousExternalId: null,
      });
    } catch (err) {
      deps.logger.warn(
        // Notifier errors carry messages without secrets (see send-test-message.ts).
        {
          error: (err as Error).message,
          tradeId: notice.trade.id,
          contactMethodId: target.methodId,
          event: notice.event,
        },
        "shift trade notice not delivered",
      );
    }
  }
}
