import type { Service } from "../../core/alerts/records.js";
import { policyTargetsSchedule } from "../../core/escalation/policy.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { ScheduleRecord } from "../../core/schedules/records.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { EnqueueRequest, ScheduleNoticePayload } from "../ports/jobs.js";
import type { NotificationSender } from "../ports/notifications.js";
import type { Tx } from "../ports/store.js";
import { willRetry, type AttemptInfo } from "../../core/jobs/retry-decision.js";
import { wallClockFormat } from "../../core/schedules/wall-clock-format.js";

/**
 * Schedule notices (shift start, handoff, weekly summary): who hears about a schedule, and the
 * `schedule.notice` jobs that reach them. Deliveries belong to incidents, so a notice is a job of its
 * own: planned in the caller's transaction, sent with an idempotency key, retried on a retryable error.
 */

export type NoticeDetails = ScheduleNoticePayload["details"];

export interface NoticeText {
  readonly title: string;
  readonly details: NoticeDetails;
}

/** A notice that arrives this many tries late is no longer worth sending (about 17 minutes of backoff). */
export const NOTICE_MAX_ATTEMPTS = 10;

/** Who hears about a schedule besides its people: the services paging through it, and their channels. */
export interface ScheduleAudience {
  /** Services whose escalation policy has a step that targets the schedule. */
  readonly services: readonly Service[];
  /** Their shared channels, each once. Teams have no channel of their own. */
  readonly channelIds: readonly string[];
}

export async function scheduleAudience(tx: Tx, scheduleId: string): Promise<ScheduleAudience> {
  const policyIds = new Set(
    (await tx.escalationPolicies.list()).filter((p) => policyTargetsSchedule(p, scheduleId)).map((p) => p.id),
  );
  const services = (await tx.services.list()).filter(
    (s) => s.escalationPolicyId !== null && policyIds.has(s.escalationPolicyId),
  );
  const channelIds = [...new Set(services.map((s) => s.channelId).filter((id): id is string => id !== null))];
  return { services, channelIds };
}

const OPEN_INCIDENTS_PER_SERVICE = 50;

/** The services' incidents that are not resolved, oldest first. */
export async function openIncidentsOf(tx: Tx, services: readonly Service[]): Promise<Incident[]> {
  const open: Incident[] = [];
  for (const service of services) {
    open.push(
      ...(await tx.incidents.list({
        states: ["triggered", "acknowledged"],
        serviceId: service.id,
        limit: OPEN_INCIDENTS_PER_SERVICE,
      })),
    );
  }
  return open.sort((a, b) => a.number - b.number);
}

const LISTED_INCIDENTS = 10;

/** "INC-3: Disk almost full (acknowledged)" lines, at most ten and a count of the rest. */
export function openIncidentDetails(incidents: readonly Incident[]): NoticeDetails {
  if (incidents.length === 0) return [{ label: "Open incidents", value: "none" }];
  const listed = incidents.slice(0, LISTED_INCIDENTS).map((i) => ({
    label: `INC-${i.number}`,
    value: `${i.title} (${i.state})`,
  }));
  const rest = incidents.length - listed.length;
  return rest > 0 ? [...listed, { label: "More", value: `${rest} more open incidents` }] : listed;
}

/** "Tue 17 Nov 2026, 09:00 (Europe/Berlin)": an instant on a wall clock, the zone named. */
export function formatInstant(atMs: number, timeZone: string): string {
  return `${wallClockFormat(timeZone).format(atMs)} (${timeZone})`;
}

export interface NoticePlan {
  readonly schedule: ScheduleRecord;
  readonly text: NoticeText;
  /** Unique per notice and receiver once the receiver's id is appended. */
  readonly idempotencyBase: string;
  readonly now: Date;
}

/** One `schedule.notice` job per contact method of the person (none when they have no methods). */
export async function planPersonNotice(tx: Tx, plan: NoticePlan, userId: string): Promise<number> {
  const methods = await tx.contactMethods.listForUser(userId);
  await tx.jobs.enqueueMany(
    methods.map((method) =>
      noticeJob(plan, { kind: "contact-method", userId, contactMethodId: method.id }, method.id),
    ),
  );
  return methods.length;
}

/** One `schedule.notice` job per shared channel. */
export async function planChannelNotices(
  tx: Tx,
  plan: NoticePlan,
  channelIds: readonly string[],
): Promise<void> {
  await tx.jobs.enqueueMany(
    channelIds.map((channelId) => noticeJob(plan, { kind: "channel", channelId }, channelId)),
  );
}

function noticeJob(plan: NoticePlan, to: ScheduleNoticePayload["to"], receiverId: string): EnqueueRequest {
  return {
    kind: "schedule.notice",
    payload: {
      scheduleId: plan.schedule.id,
      scheduleName: plan.schedule.name,
      idempotencyKey: `${plan.idempotencyBase}:${receiverId}`,
      to,
      title: plan.text.title,
      details: plan.text.details,
    },
    options: { runAt: plan.now, maxAttempts: NOTICE_MAX_ATTEMPTS },
  };
}

/**
 * The `schedule.notice` job. A receiver removed since is skipped; a retryable failure is thrown for
 * the runner to retry until the last attempt, after which (and after a permanent one) it is logged.
 */
export async function sendScheduleNotice(
  deps: AlertingDeps,
  sender: NotificationSender,
  notice: ScheduleNoticePayload,
  attempt: AttemptInfo,
): Promise<void> {
  const now = deps.clock.now();
  const target = await deps.uow.run(async (tx) => {
    if (notice.to.kind === "channel") {
      const channel = await tx.channels.findById(notice.to.channelId);
      return channel && { kind: channel.kind, config: channel.config, recipientName: null };
    }
    const method = await tx.contactMethods.findById(notice.to.contactMethodId);
    const user = await tx.users.findById(notice.to.userId);
    if (!method || !user || user.disabledAt || method.userId !== user.id) return undefined;
    return { kind: method.kind, config: method.config, recipientName: user.name };
  });
  const where = notice.to.kind === "channel" ? { channelId: notice.to.channelId } : notice.to;
  if (!target) {
    deps.logger.info({ scheduleId: notice.scheduleId, ...where }, "schedule notice skipped: receiver gone");
    return;
  }
  const message: IncidentMessage = {
    incidentId: `schedule:${notice.scheduleId}`,
    incidentNumber: 0,
    event: "notice",
    title: notice.title,
    state: "triggered",
    level: "notify",
    serviceName: notice.scheduleName,
    openedAt: now,
    recipientName: target.recipientName,
    incidentUrl: `${deps.publicUrl}/schedules/${encodeURIComponent(notice.scheduleId)}`,
    acknowledgeUrl: null,
    resolveUrl: null,
    details: notice.details,
    links: [],
  };
  try {
    await sender.send(target.kind, target.config, message, {
      idempotencyKey: notice.idempotencyKey,
      previousExternalId: null,
    });
  } catch (err) {
    if (willRetry(err, attempt, deps.clock.now())) throw err;
    // Notifier errors carry messages without secrets (see send-test-message.ts).
    deps.logger.warn(
      { error: (err as Error).message, scheduleId: notice.scheduleId, ...where },
      "schedule notice not delivered",
    );
  }
}
