import type { Incident } from "../../core/incidents/incident.js";
import {
  nextFollowUpReminder,
  type FollowUpReminder,
  type ProperFixFollowUp,
} from "../../core/response/fix-follow-ups.js";
import { decideWatch, type PostFixWatch } from "../../core/response/post-fix-watch.js";
import { publicUpdateReminderAt, requiresPublicUpdate } from "../../core/response/public-updates.js";
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

/** Arms the next public-update reminder after `nowMs`, if one is still due. */
export async function armPublicUpdateReminder(
  tx: Tx,
  incident: Incident,
  record: IncidentResponseRecord,
  nowMs: number,
): Promise<void> {
  if (record.publicUpdateRequiredSinceMs === null) return;
  const settings = await responseSettingsOf(tx, incident.serviceId);
  const last = (await tx.publicUpdates.listForIncident(incident.id)).at(-1)?.postedAtMs ?? null;
  const atMs = publicUpdateReminderAt({
    level: record.triage?.level ?? null,
    requiredSinceMs: record.publicUpdateRequiredSinceMs,
    lastPublicUpdateAtMs: last,
    everyMinutes: settings.publicUpdateEveryMinutes,
    nowMs,
    resolved: incident.state === "resolved",
  });
  if (atMs === null) return;
  await tx.jobs.enqueue(
    "response.public-update-reminder",
    { incidentId: incident.id },
    { runAt: new Date(atMs), key: publicUpdateJobKey(incident.id), keyMode: "replace" },
  );
}

/** The `response.watch-end` job: a regression the ingest did not report yet, or a quiet window. */
export async function runWatchEnd(
  tx: Tx,
  payload: { incidentId: string; fixNumber: number },
  now: Date,
): Promise<"stale" | "regression" | "quiet" | "watching"> {
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
  });
  if (decision.outcome !== "quiet") return decision.outcome;
  const room = await loadWarRoomOf(tx, incident, now.getTime());
  // The watch is over: clearing it makes a second run of this job a no-op.
  await saveResponse(tx, room, { ...record, watch: null }, now.getTime());
  await writeTimeline(tx, incident, decision.timeline, null, now);
  if (record.handlerId !== null)
    await planPersonNotice(
      tx,
      incident,
      record.handlerId,
      {
        title: `INC-${incident.number}: no alerts for ${watch.watchMinutes} min after fix #${watch.fixNumber}: resolve?`,
        details: [
          { label: "Incident", value: incident.title },
          { label: "Next", value: "Resolve the incident if it is over, or keep watching." },
        ],
      },
      `watch-quiet:${incident.id}:${watch.fixNumber}`,
      now,
    );
  return "quiet";
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

/** The `response.public-update-reminder` job: remind the handler and comms lead, then re-arm. */
export async function runPublicUpdateReminder(
  tx: Tx,
  payload: { incidentId: string },
  now: Date,
): Promise<"stopped" | "reminded"> {
  const record = await tx.incidentResponses.find(payload.incidentId);
  const incident = await tx.incidents.findById(payload.incidentId);
  const level = record?.triage?.level ?? null;
  if (
    !record ||
    !incident ||
    incident.state === "resolved" ||
    record.publicUpdateRequiredSinceMs === null ||
    !requiresPublicUpdate(level) ||
    (await tx.publicUpdates.listForIncident(incident.id)).length > 0
  )
    return "stopped";
  const what = IMPACT_LEVEL_DEFINITIONS[level!].title.toLowerCase();
  const minutes = Math.floor((now.getTime() - record.publicUpdateRequiredSinceMs) / 60_000);
  await writeTimeline(
    tx,
    incident,
    [
      {
        kind: "public-update.reminder",
        message: `No public update yet ${minutes} min into this ${what}: customers need one`,
        data: { minutes },
      },
    ],
    null,
    now,
  );
  const text = {
    title: `INC-${incident.number}: post a public update (${what}, none yet after ${minutes} min)`,
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
