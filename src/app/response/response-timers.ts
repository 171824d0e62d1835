import type { Incident } from "../../core/incidents/incident.js";
import {
  nextFollowUpReminder,
  type FollowUpReminder,
  type ProperFixFollowUp,
} from "../../core/response/fix-follow-ups.js";
import { decideWatch, type PostFixWatch, type WatchEndFacts } from "../../core/response/post-fix-watch.js";
import {
  publicUpdateReminderAt,
  publicUpdateReminderDue,
  type PublicUpdateReminderInput,
} from "../../core/response/public-updates.js";
import { IMPACT_LEVEL_DEFINITIONS } from "../../core/response/triage.js";
import type { IncidentResponseRecord, StoredFollowUp } from "../ports/response-store.js";
import type { Tx } from "../ports/store.js";
import { responseSettingsOf } from "./manage-response-settings.js";
import { noteAlertFiredDuringResponse } from "./note-alert-fired.js";
import { planPersonNotice } from "./response-notices.js";
import { loadWarRoomOf, nameOfPeople, loadPeople, saveResponse, writeTimeline } from "./war-room.js";

/**
 * The response's timers, each a keyed job row: the end of the watch after a fix, the reminders of a
 * proper-fix follow-up, and the reminders to post a public update. Arming replaces the key's job; a
 * runner decides again from the stored state, so a stale or repeated run does nothing harmful.
 */

export const watchJobKey = (incidentId: string) => `response-watch:${incidentId}`;
export const followUpJobKey = (incidentId: string, fixNumber: number) =>
  `response-follow-up:${incidentId}:${fixNumber}`;
export const publicUpdateJobKey = (incidentId: string) => `response-public-update:${incidentId}`;

export const armWatchEnd = (tx: Tx, incidentId: string, watch: PostFixWatch) =>
  tx.jobs.enqueue(
    "response.watch-end",
    { incidentId, fixNumber: watch.fixNumber },
    { runAt: new Date(watch.endsAtMs), key: watchJobKey(incidentId), keyMode: "replace" },
  );

/** Arms the follow-up's next reminder strictly after `afterMs`; none once it is closed. */
export async function armFollowUpReminder(tx: Tx, followUp: StoredFollowUp, afterMs: number): Promise<void> {
  const next = nextFollowUpReminder(followUp, afterMs);
  if (next === null) return;
  await tx.jobs.enqueue(
    "response.follow-up-reminder",
    { incidentId: followUp.incidentId, fixNumber: followUp.fixNumber },
    {
      runAt: new Date(next.atMs),
      key: followUpJobKey(followUp.incidentId, followUp.fixNumber),
      keyMode: "replace",
    },
  );
}

/** What the public-update reminder is decided on; null: no public update was ever required. */
async function publicUpdateReminderInput(
  tx: Tx,
  incident: Incident,
  record: IncidentResponseRecord,
  nowMs: number,
): Promise<PublicUpdateReminderInput | null> {
  if (record.publicUpdateRequiredSinceMs === null) return null;
  const settings = await responseSettingsOf(tx, incident.serviceId);
  const last = (await tx.publicUpdates.listForIncident(incident.id)).at(-1);
  return {
    level: record.triage?.level ?? null,
    requiredSinceMs: record.publicUpdateRequiredSinceMs,
    lastPublicUpdateAtMs: last?.postedAtMs ?? null,
    lastPublicUpdateResolved: last?.status === "resolved",
    everyMinutes: settings.publicUpdateEveryMinutes,
    nowMs,
    resolved: incident.state === "resolved",
  };
}

/**
 * Arms the next public-update reminder after `nowMs`, if one is still due: at triage, after each
 * reminder, and after each public update (the key's job is replaced, so the count starts again).
 */
export async function armPublicUpdateReminder(
  tx: Tx,
  incident: Incident,
  record: IncidentResponseRecord,
  nowMs: number,
): Promise<void> {
  const input = await publicUpdateReminderInput(tx, incident, record, nowMs);
  if (input === null) return;
  const atMs = publicUpdateReminderAt(input);
  if (atMs === null) return;
  await tx.jobs.enqueue(
    "response.public-update-reminder",
    { incidentId: incident.id },
    { runAt: new Date(atMs), key: publicUpdateJobKey(incident.id), keyMode: "replace" },
  );
}

/**
 * The `response.watch-end` job: a regression the ingest did not report yet, a window that is not over
 * (an alert still firing, another incident of the service opened in it), or a quiet window.
 */
export async function runWatchEnd(
  tx: Tx,
  payload: { incidentId: string; fixNumber: number },
  now: Date,
): Promise<"stale" | "regression" | "quiet" | "not-over" | "watching"> {
  const record = await tx.incidentResponses.find(payload.incidentId);
  const incident = await tx.incidents.findById(payload.incidentId);
  const watch = record?.watch;
  // The fence: a newer fix's watch, a regression or a resolution since this timer was set wins.
  if (
    !record ||
    !watch ||
    watch.fixNumber !== payload.fixNumber ||
    !incident ||
    incident.state === "resolved"
  )
    return "stale";
  // Alerts Firebreak recorded after the deploy and inside the window (those the ingest did not report).
  const firedInWindow = await tx.alerts.firstCreatedBetween(
    incident.id,
    new Date(watch.startedAtMs),
    new Date(watch.endsAtMs),
  );
  if (firedInWindow !== null) {
    await noteAlertFiredDuringResponse(tx, incident.id, firedInWindow, now);
    return "regression";
  }
  const decision = decideWatch({
    watchStartedAtMs: watch.startedAtMs,
    watchMinutes: watch.watchMinutes,
    fixNumber: watch.fixNumber,
    alertFiredAtMs: null,
    nowMs: now.getTime(),
    atEnd: await watchEndFacts(tx, incident),
  });
  if (decision.outcome !== "quiet" && decision.outcome !== "not-over") return decision.outcome;
  const room = await loadWarRoomOf(tx, incident, now.getTime());
  // The watch is over: clearing it makes a second run of this job a no-op.
  await saveResponse(tx, room, { ...record, watch: null }, now.getTime());
  await writeTimeline(tx, incident, decision.timeline, null, now);
  if (record.handlerId !== null)
    await planPersonNotice(
      tx,
      incident,
      record.handlerId,
      decision.outcome === "quiet"
        ? {
            title: `INC-${incident.number}: no alerts for ${watch.watchMinutes} min after fix #${watch.fixNumber}: resolve?`,
            details: [
              { label: "Incident", value: incident.title },
              { label: "Next", value: "Resolve the incident if it is over, or keep watching." },
            ],
          }
        : {
            title: `INC-${incident.number}: ${decision.headline}`,
            details: [
              { label: "Incident", value: incident.title },
              ...decision.timeline.map((entry) => ({ label: "Seen", value: entry.message })),
              {
                label: "Next",
                value:
                  decision.stillFiringCount > 0
                    ? `Mark fix #${watch.fixNumber} failed and try another, or verify it once the alerts clear.`
                    : `If the new incident is this problem again, mark fix #${watch.fixNumber} failed; if not, resolve this one when it is over.`,
              },
            ],
          },
      `watch-${decision.outcome}:${incident.id}:${watch.fixNumber}`,
      now,
    );
  return decision.outcome;
}

/** How many incidents of the service are read to find those opened during the watch. */
const RECENT_INCIDENTS_READ = 50;
/** How many of the incident's alerts are read to name one still firing (a storm is counted, not read). */
const ALERTS_READ_FOR_A_NAME = 100;

/** What the window's end is judged on besides new alerts: the alerts still firing, and new incidents. */
async function watchEndFacts(tx: Tx, incident: Incident): Promise<WatchEndFacts> {
  const count = await tx.alerts.countFiringForIncident(incident.id);
  const firing =
    count === 0
      ? undefined
      : (await tx.alerts.listForIncident(incident.id, { limit: ALERTS_READ_FOR_A_NAME })).find(
          (alert) => alert.status === "firing",
        );
  const service = await tx.services.findById(incident.serviceId);
  const recent = await tx.incidents.list({ serviceId: incident.serviceId, limit: RECENT_INCIDENTS_READ });
  return {
    stillFiring: { count, firstSummary: firing?.summary ?? null },
    serviceName: service?.name ?? "the same service",
    otherIncidents: recent
      .filter((other) => other.id !== incident.id)
      .map((other) => ({ number: other.number, openedAtMs: other.openedAt.getTime() })),
  };
}

/** The latest reminder due at or before `nowMs` (what a run at `nowMs` sends); null before the first. */
export function reminderDueAt(followUp: ProperFixFollowUp, nowMs: number): FollowUpReminder | null {
  let due: FollowUpReminder | null = null;
  let next = nextFollowUpReminder(followUp, followUp.createdAtMs);
  while (next !== null && next.atMs <= nowMs) {
    due = next;
    next = nextFollowUpReminder(followUp, next.atMs);
  }
  return due;
}

const REMINDER_WORDS: Record<FollowUpReminder["kind"], string> = {
  halfway: "half the time allowed has passed",
  "nearly-due": "it is nearly due",
  due: "it is due now",
  overdue: "it is overdue",
};

/** The `response.follow-up-reminder` job: remind the owner, then re-arm; nothing once closed. */
export async function runFollowUpReminder(
  tx: Tx,
  payload: { incidentId: string; fixNumber: number },
  now: Date,
): Promise<"closed" | "reminded" | "early"> {
  const followUp = await tx.fixFollowUps.find(payload.incidentId, payload.fixNumber);
  const incident = await tx.incidents.findById(payload.incidentId);
  if (!followUp || !incident || followUp.state !== "open") return "closed";
  const due = reminderDueAt(followUp, now.getTime());
  if (due !== null) {
    const nameOf = nameOfPeople(await loadPeople(tx));
    const late =
      due.kind === "overdue" ? ` (${due.daysOverdue} day${due.daysOverdue === 1 ? "" : "s"} late)` : "";
    const message = `Reminder to ${nameOf(followUp.ownerId)}: the proper fix for hotfix #${followUp.fixNumber} is due ${new Date(followUp.dueAtMs).toISOString()}; ${REMINDER_WORDS[due.kind]}${late}`;
    await writeTimeline(
      tx,
      incident,
      [
        {
          kind: "follow-up.reminder",
          message,
          data: { fixNumber: followUp.fixNumber, reminder: due.kind, daysOverdue: due.daysOverdue },
        },
      ],
      null,
      now,
    );
    await planPersonNotice(
      tx,
      incident,
      followUp.ownerId,
      {
        title: `INC-${incident.number}: proper fix for hotfix #${followUp.fixNumber}: ${REMINDER_WORDS[due.kind]}${late}`,
        details: [
          { label: "Incident", value: incident.title },
          { label: "Due", value: new Date(followUp.dueAtMs).toISOString() },
        ],
      },
      `follow-up:${incident.id}:${followUp.fixNumber}:${due.atMs}`,
      now,
    );
  }
  await armFollowUpReminder(tx, followUp, now.getTime());
  return due === null ? "early" : "reminded";
}

/**
 * The `response.public-update-reminder` job: remind the handler and comms lead when the incident has
 * gone the service's interval without a public update, then re-arm; stops once it is resolved.
 */
export async function runPublicUpdateReminder(
  tx: Tx,
  payload: { incidentId: string },
  now: Date,
): Promise<"stopped" | "reminded" | "not-due"> {
  const record = await tx.incidentResponses.find(payload.incidentId);
  const incident = await tx.incidents.findById(payload.incidentId);
  const input = record && incident && (await publicUpdateReminderInput(tx, incident, record, now.getTime()));
  if (!record || !incident || !input || publicUpdateReminderAt(input) === null) return "stopped";
  const due = publicUpdateReminderDue(input);
  if (due === null) {
    // An update was posted after this job was set: count from it instead.
    await armPublicUpdateReminder(tx, incident, record, now.getTime());
    return "not-due";
  }
  const what = IMPACT_LEVEL_DEFINITIONS[input.level!].title.toLowerCase();
  const [message, titleTail] =
    due.kind === "none-yet"
      ? [
          `No public update yet ${due.minutesSinceRequired} min into this ${what}: customers need one`,
          `none yet after ${due.minutesSinceRequired} min`,
        ]
      : [
          `No public update for ${due.minutesSinceLast} min during this ${what}: customers need the next one`,
          `last one ${due.minutesSinceLast} min ago`,
        ];
  const minutes = due.kind === "none-yet" ? due.minutesSinceRequired : due.minutesSinceLast;
  await writeTimeline(
    tx,
    incident,
    [{ kind: "public-update.reminder", message, data: { minutes, since: due.kind } }],
    null,
    now,
  );
  const text = {
    title: `INC-${incident.number}: post a public update (${what}, ${titleTail})`,
    details: [{ label: "Incident", value: incident.title }],
  };
  for (const userId of new Set([record.handlerId, record.commsLeadId]))
    if (userId !== null)
      await planPersonNotice(
        tx,
        incident,
        userId,
        text,
        `public-update:${incident.id}:${now.getTime()}`,
        now,
      );
  await armPublicUpdateReminder(tx, incident, record, now.getTime());
  return "reminded";
}
