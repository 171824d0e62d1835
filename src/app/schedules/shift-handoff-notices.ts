import type { User } from "../../core/auth/records.js";
import type { Incident } from "../../core/incidents/incident.js";
import { MINUTE_MS } from "../../core/schedules/civil-time.js";
import { HANDOFF_HORIZON_MS, handoffAt, type HandoffDetail } from "../../core/schedules/handoffs.js";
import type { ScheduleRecord } from "../../core/schedules/records.js";
import type { Tx } from "../ports/store.js";
import { armHandoffJob } from "./arm-schedule-jobs.js";
import { loadSchedule } from "./load-schedule.js";
import {
  formatInstant,
  openIncidentDetails,
  openIncidentsOf,
  planChannelNotices,
  planPersonNotice,
  scheduleAudience,
  type NoticeText,
} from "./schedule-notices.js";

/**
 * Shift-start and handoff notices. The `schedule.handoff` job of a schedule wakes at its next
 * handoff, checks the handoff is still there (an edit may have moved it), plans the notices and
 * re-arms for the next one, all in one transaction.
 */

/** "Starts now" an hour late is wrong and noise: a handoff missed by that much is skipped. */
export const HANDOFF_NOTICE_LATE_LIMIT_MS = 60 * MINUTE_MS;

export type HandoffJobOutcome =
  /** An earlier run of this job re-armed already (the runner ran it twice): nothing is done again. */
  | "superseded"
  | "schedule-gone"
  /** No handoff was in sight; re-armed. */
  | "nothing-due"
  /** The handoff is no longer there (the schedule changed); re-armed without sending. */
  | "moved"
  | "too-late"
  | "notified";

export interface HandoffJob {
  readonly scheduleId: string;
  readonly handoffAtMs: number | null;
  /**
   * Whether the running job still holds its key. Its first run re-arms under the key in the same
   * transaction as the notices, so a second run of the same row holds none: that is the fence.
   */
  readonly holdsKey: boolean;
}

export async function runHandoffJob(tx: Tx, job: HandoffJob, now: Date): Promise<HandoffJobOutcome> {
  if (!job.holdsKey) return "superseded";
  const record = await tx.schedules.findById(job.scheduleId);
  if (!record) return "schedule-gone";
  const outcome = await notifyHandoff(tx, record, job.handoffAtMs, now);
  await armHandoffJob(tx, tx.jobs, record, now);
  return outcome;
}

async function notifyHandoff(
  tx: Tx,
  record: ScheduleRecord,
  handoffAtMs: number | null,
  now: Date,
): Promise<HandoffJobOutcome> {
  // Not due yet (armed by hand for later): re-arming finds it again.
  if (handoffAtMs === null || handoffAtMs > now.getTime()) return "nothing-due";
  if (now.getTime() - handoffAtMs > HANDOFF_NOTICE_LATE_LIMIT_MS) return "too-late";
  const loaded = await loadSchedule(tx, record, {
    startMs: handoffAtMs - 1,
    endMs: handoffAtMs + HANDOFF_HORIZON_MS,
  });
  const detail = handoffAt(loaded.schedule, handoffAtMs);
  if (!detail) return "moved";
  await planHandoffNotices(tx, record, detail, now);
  return "notified";
}

interface HandoffContext {
  readonly record: ScheduleRecord;
  readonly detail: HandoffDetail;
  readonly from: User | undefined;
  readonly to: User | undefined;
  readonly incidents: readonly Incident[];
}

const nameOf = (user: User | undefined) => user?.name ?? "nobody";
const zoneOf = (user: User | undefined, record: ScheduleRecord) => user?.timeZone ?? record.timeZone;

/** "until Tue 17 Nov 2026, 09:00 (Europe/Berlin)", or "until at least …" when cut at the horizon. */
function untilText({ detail }: HandoffContext, timeZone: string): string {
  if (detail.toUntilMs === null) return "";
  return `until ${detail.toUntilIsHorizon ? "at least " : ""}${formatInstant(detail.toUntilMs, timeZone)}`;
}

/** "nobody is on call until …" for a handoff into a gap. */
function gapText({ detail }: HandoffContext, timeZone: string): string {
  return detail.nextOnCallMs === null
    ? "nobody is on call from now"
    : `nobody is on call from now until ${formatInstant(detail.nextOnCallMs, timeZone)}`;
}

function incomingNotice(c: HandoffContext): NoticeText {
  return {
    title: `Your on-call shift on ${c.record.name} starts now (${untilText(c, zoneOf(c.to, c.record))})`,
    details: [
      { label: "Schedule", value: c.record.name },
      { label: "Taking over from", value: nameOf(c.from) },
      ...openIncidentDetails(c.incidents),
    ],
  };
}

function outgoingNotice(c: HandoffContext): NoticeText {
  const zone = zoneOf(c.from, c.record);
  const next = c.to ? `${c.to.name} is on call from now (${untilText(c, zone)})` : gapText(c, zone);
  return {
    title: `Handoff on ${c.record.name}: ${next}`,
    details: [{ label: "Schedule", value: c.record.name }, ...openIncidentDetails(c.incidents)],
  };
}

function channelNotice(c: HandoffContext): NoticeText {
  const zone = c.record.timeZone;
  const next = c.to ? `${c.to.name} is on call (${untilText(c, zone)})` : gapText(c, zone);
  return {
    title: `On-call handoff on ${c.record.name}: ${next}, after ${nameOf(c.from)}`,
    details: openIncidentDetails(c.incidents),
  };
}

const reachable = async (tx: Tx, userId: string | null): Promise<User | undefined> => {
  const user = userId === null ? undefined : await tx.users.findById(userId);
  return user && !user.disabledAt ? user : undefined;
};

/** The incoming person, the outgoing person and the channels of the services paging through it. */
export async function planHandoffNotices(
  tx: Tx,
  record: ScheduleRecord,
  detail: HandoffDetail,
  now: Date,
): Promise<void> {
  const audience = await scheduleAudience(tx, record.id);
  const context: HandoffContext = {
    record,
    detail,
    from: await reachable(tx, detail.fromUserId),
    to: await reachable(tx, detail.toUserId),
    incidents: await openIncidentsOf(tx, audience.services),
  };
  const base = `schedule-handoff:${record.id}:${detail.atMs}`;
  const plan = (text: NoticeText, part: string) => ({
    schedule: record,
    text,
    idempotencyBase: `${base}:${part}`,
    now,
  });
  if (context.to) await planPersonNotice(tx, plan(incomingNotice(context), "start"), context.to.id);
  if (context.from) await planPersonNotice(tx, plan(outgoingNotice(context), "handoff"), context.from.id);
  await planChannelNotices(tx, plan(channelNotice(context), "channel"), audience.channelIds);
}
