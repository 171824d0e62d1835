import type { NotificationChannel, Service } from "../../core/alerts/records.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import { planPersonNotifications } from "../../core/notifications/plan-person-notifications.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { EnqueueRequest, ResponseNoticePayload } from "../ports/jobs.js";
import { serverSendsEmail } from "../notifications/notifier-settings.js";
import type { NotificationSender, NotifierCatalog } from "../ports/notifications.js";
import type { Tx } from "../ports/store.js";
import { willRetry, type AttemptInfo } from "../../core/jobs/retry-decision.js";

/**
 * Messages about an incident's response that are not pages of the escalation: prompts, reminders,
 * call-ins, internal updates. Deliveries belong to the paging flow (their events are fixed), so each
 * message is a `response.notice` job: planned in the caller's transaction, sent with an idempotency key.
 */

export interface NoticeText {
  readonly title: string;
  readonly details: ResponseNoticePayload["details"];
}

/** A notice that arrives this many tries late is no longer worth sending (about 17 minutes of backoff). */
export const NOTICE_MAX_ATTEMPTS = 10;

const noticeJob = (
  incident: Incident,
  to: ResponseNoticePayload["to"],
  text: NoticeText,
  idempotencyKey: string,
  runAt: Date,
): EnqueueRequest => ({
  kind: "response.notice",
  payload: { incidentId: incident.id, idempotencyKey, to, title: text.title, details: text.details },
  // A notice to a person's phone is as urgent as a page (a call-in is one); a channel's is not.
  options: { runAt, maxAttempts: NOTICE_MAX_ATTEMPTS, urgent: to.kind === "contact-method" },
});

/**
 * Reaches a person through their notification rules. `now`: the first step of their rules at once (a
 * reminder should not ring a phone ten minutes later); `rules`: every step at its time, the later ones
 * dropped once the person has joined the response (a call-in). False: they have no contact method.
 */
export async function planPersonNotice(
  tx: Tx,
  incident: Incident,
  userId: string,
  text: NoticeText,
  idempotencyBase: string,
  now: Date,
  mode: "now" | "rules" = "now",
): Promise<boolean> {
  const methods = await tx.contactMethods.listForUser(userId);
  const plan = planPersonNotifications(
    await tx.contactMethods.listRules(userId),
    methods.map((m) => m.id),
    now,
  );
  if (plan.length === 0) return false;
  const firstAtMs = plan[0]!.at.getTime();
  const steps = mode === "now" ? plan.filter((p) => p.at.getTime() === firstAtMs) : plan;
  await tx.jobs.enqueueMany(
    steps.map((step) => {
      const later = mode === "rules" && step.at.getTime() > now.getTime();
      return noticeJob(
        incident,
        {
          kind: "contact-method",
          userId,
          contactMethodId: step.contactMethodId,
          ...(later && { unlessJoined: true }),
        },
        text,
        `${idempotencyBase}:${userId}:${step.contactMethodId}:${step.at.getTime()}`,
        mode === "now" ? now : step.at,
      );
    }),
  );
  return true;
}

export async function planChannelNotice(
  tx: Tx,
  incident: Incident,
  channelId: string,
  text: NoticeText,
  idempotencyBase: string,
  now: Date,
): Promise<void> {
  await tx.jobs.enqueueMany([
    noticeJob(incident, { kind: "channel", channelId }, text, `${idempotencyBase}:${channelId}`, now),
  ]);
}

/**
 * The id an email notice carries when it goes through the server's own SMTP settings
 * (FIREBREAK_SMTP_URL, FIREBREAK_SMTP_FROM) rather than an email channel's: not a channel id (those
 * are UUIDs), so it never names a channel.
 */
export const SERVER_MAIL_CHANNEL_ID = "server-mail";

/** Why stakeholders cannot be emailed, and what would let them be. */
export const NO_STAKEHOLDER_MAIL =
  "there is no email channel and this Firebreak has no SMTP server of its own (an admin sets FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM, or adds an email channel)";

/** Stands for the server's mail where a channel is asked for: no settings, so the sender uses the server's. */
const serverMailChannel = (at: Date): NotificationChannel => ({
  id: SERVER_MAIL_CHANNEL_ID,
  name: "the server's mail",
  kind: "email",
  config: {},
  createdAt: at,
  updatedAt: at,
});

/**
 * The SMTP settings stakeholder mail goes out with: the service's shared channel if it is email, else
 * the first email channel, else the server's own mail (FIREBREAK_SMTP_URL), the one a person's email
 * contact method goes through. `notifiers`: the server's notifier catalog, to leave stakeholders
 * unmailed (undefined) when it has no SMTP settings either; without it the server's mail is assumed, and
 * a send it cannot make is written on the timeline as not emailed.
 */
export async function emailChannelFor(
  tx: Tx,
  service: Service,
  notifiers?: NotifierCatalog,
): Promise<NotificationChannel | undefined> {
  const shared = service.channelId ? await tx.channels.findById(service.channelId) : undefined;
  if (shared?.kind === "email") return shared;
  const first = (await tx.channels.list())
    .filter((c) => c.kind === "email")
    .sort((a, b) => a.name.localeCompare(b.name))[0];
  if (first) return first;
  if (notifiers && !serverSendsEmail(notifiers)) return undefined;
  return serverMailChannel(service.updatedAt);
}

export async function planEmailNotice(
  tx: Tx,
  incident: Incident,
  channel: NotificationChannel,
  addresses: readonly string[],
  text: NoticeText,
  idempotencyBase: string,
  now: Date,
): Promise<void> {
  if (addresses.length === 0) return;
  await tx.jobs.enqueueMany([
    noticeJob(
      incident,
      { kind: "email", channelId: channel.id, addresses },
      text,
      `${idempotencyBase}:email`,
      now,
    ),
  ]);
}

/** What a channel renders for a notice: the incident named, no buttons, a link to the war room. */
export function noticeMessage(
  deps: Pick<AlertingDeps, "publicUrl">,
  incident: Incident,
  serviceName: string,
  text: NoticeText,
  recipientName: string | null,
): IncidentMessage {
  return {
    incidentId: incident.id,
    incidentNumber: incident.number,
    event: "notice",
    title: text.title,
    state: incident.state,
    level: incident.level,
    serviceName,
    openedAt: incident.openedAt,
    recipientName,
    incidentUrl: `${deps.publicUrl}/incidents/${incident.number}`,
    acknowledgeUrl: null,
    resolveUrl: null,
    details: text.details,
    links: [],
  };
}

type Target = { kind: string; config: Readonly<Record<string, unknown>>; recipientName: string | null };

/**
 * The `response.notice` job. A receiver removed since is skipped, and so is a later call-in step once
 * the person joined; a retryable failure is thrown for the runner to retry until the last attempt, after
 * which (and after a permanent one) it is written on the incident's timeline.
 */
export async function sendResponseNotice(
  deps: AlertingDeps,
  sender: NotificationSender,
  notice: ResponseNoticePayload,
  attempt: AttemptInfo,
): Promise<void> {
  const loaded = await deps.uow.run(async (tx) => {
    const incident = await tx.incidents.findById(notice.incidentId);
    const service = incident && (await tx.services.findById(incident.serviceId));
    if (!incident || !service) return undefined;
    let target: Target | undefined;
    const to = notice.to;
    if (to.kind === "contact-method") {
      const method = await tx.contactMethods.findById(to.contactMethodId);
      const user = await tx.users.findById(to.userId);
      const response = to.unlessJoined ? await tx.incidentResponses.find(incident.id) : undefined;
      const joined =
        response !== undefined &&
        (response.handlerId === to.userId ||
          response.commsLeadId === to.userId ||
          response.responderIds.includes(to.userId));
      if (method && user && !user.disabledAt && method.userId === user.id && !joined)
        target = { kind: method.kind, config: method.config, recipientName: user.name };
    } else if (to.kind === "email" && to.channelId === SERVER_MAIL_CHANNEL_ID) {
      // No settings of its own: the sender mails through the server's, as for a person's address.
      if (serverSendsEmail(deps.notifiers))
        target = { kind: "email", config: { to: [...to.addresses] }, recipientName: null };
      else
        await tx.timeline.append({
          incidentId: incident.id,
          at: deps.clock.now(),
          kind: "internal-update.not-emailed",
          actor: null,
          message: `The stakeholders of ${service.name} were not emailed "${notice.title}": ${NO_STAKEHOLDER_MAIL}`,
          data: { idempotencyKey: notice.idempotencyKey },
        });
    } else {
      const channel = await tx.channels.findById(to.channelId);
      if (channel && to.kind === "channel")
        target = { kind: channel.kind, config: channel.config, recipientName: null };
      if (channel && to.kind === "email" && channel.kind === "email")
        target = { kind: "email", config: { ...channel.config, to: [...to.addresses] }, recipientName: null };
    }
    return { incident, service, target };
  });
  if (!loaded?.target) return;
  const { incident, service, target } = loaded;
  try {
    await sender.send(
      target.kind,
      target.config,
      noticeMessage(deps, incident, service.name, notice, target.recipientName),
      {
        idempotencyKey: notice.idempotencyKey,
        previousExternalId: null,
      },
    );
  } catch (err) {
    if (willRetry(err, attempt, deps.clock.now())) throw err;
    // Notifier errors carry messages without secrets (see send-test-message.ts).
    const who =
      target.recipientName ?? (notice.to.kind === "email" ? "the stakeholders" : "the shared channel");
    await deps.uow.run((tx) =>
      tx.timeline.append({
        incidentId: incident.id,
        at: deps.clock.now(),
        kind: "response.notice-failed",
        actor: null,
        message: `Could not tell ${who} "${notice.title}" by ${target.kind}: ${(err as Error).message}`,
        data: { idempotencyKey: notice.idempotencyKey },
      }),
    );
  }
}
