import { requireRole } from "../../core/auth/actor.js";
import { AppError, validationError } from "../../core/errors.js";
import { requiresPublicUpdate } from "../../core/response/public-updates.js";
import type { TimelineDraft } from "../../core/response/response-action.js";
import { rolesAtTriage } from "../../core/response/roles.js";
import {
  callInTargetId,
  checkTriage,
  triageTimeline,
  type CallInTarget,
  type ImpactLevel,
  type Severity,
  type Triage,
} from "../../core/response/triage.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { Caller } from "../deps.js";
import { acknowledgeIncident } from "../incidents/incident-lifecycle.js";
import type { IncidentResponseRecord } from "../ports/response-store.js";
import { checkCallInTargetsExist, pageCallInTargets } from "./call-in.js";
import { planChannelOpen } from "./incident-channel-posts.js";
import { warRoomView } from "./read-war-room.js";
import { planPersonNotice } from "./response-notices.js";
import { armPublicUpdateReminder } from "./response-timers.js";
import {
  loadWarRoom,
  loadWarRoomOf,
  personOf,
  requireOpen,
  saveResponse,
  timelineActorOf,
  withRoles,
  writeTimeline,
} from "./war-room.js";

export interface TriageInput {
  readonly severity: Severity;
  readonly level: ImpactLevel;
  readonly onCallCanHandle: boolean;
  readonly callIn?: readonly CallInTarget[];
  readonly note?: string;
  /** Who handles it; the caller by default. Only at the first triage (later: a handover). */
  readonly handlerId?: string;
}

/**
 * Triage at acknowledge: severity, level, can on-call cope, who else to call. Acknowledges a triggered
 * incident (the paging stops), names the Incident Handler, opens the incident's channel, pages the people
 * called in, and starts the public-update reminders when the level requires an update. The handler may
 * triage again (the level or severity changed); the role itself moves only by handover.
 */
export async function triageIncident(deps: AlertingDeps, caller: Caller, ref: string, input: TriageInput) {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const actor = timelineActorOf(person);
    let room = await loadWarRoom(tx, ref, atMs);
    requireOpen(room);
    const triage: Triage = {
      severity: input.severity,
      level: input.level,
      onCallCanHandle: input.onCallCanHandle,
      callIn: input.callIn ?? [],
      note: input.note ?? "",
    };
    const first = room.record.handlerId === null;
    const handlerId = input.handlerId ?? room.record.handlerId ?? person.id;
    const shapeErrors = checkTriage(triage);
    const errors = [
      ...shapeErrors,
      ...(shapeErrors.length === 0 ? await checkCallInTargetsExist(tx, triage.callIn) : []),
    ];
    const handler = room.people.get(handlerId);
    if (handlerId.trim() === "")
      errors.push({
        path: "/handlerId",
        message: "can't be empty: leave it out to handle the incident yourself",
      });
    else if (!handler) errors.push({ path: "/handlerId", message: `user ${handlerId} not found` });
    else if (handler.disabledAt)
      errors.push({ path: "/handlerId", message: `${handler.name} is disabled and cannot handle incidents` });
    else if (handler.role === "viewer")
      errors.push({ path: "/handlerId", message: `${handler.name} is a viewer and cannot handle incidents` });
    if (errors.length > 0) throw validationError(errors);
    if (!first && person.id !== room.record.handlerId)
      throw new AppError(
        "FORBIDDEN",
        `only the Incident Handler (${room.nameOf(room.record.handlerId!)}) can triage INC-${room.incident.number} again`,
      );
    if (!first && handlerId !== room.record.handlerId)
      throw new AppError(
        "PRECONDITION_FAILED",
        "the Incident Handler changes by handover: propose one instead",
        {
          fields: [{ path: "/handlerId", message: "hand the role over instead" }],
        },
      );

    if (room.incident.state === "triggered") {
      await acknowledgeIncident(tx, room.incident, actor, now);
      room = await loadWarRoomOf(tx, (await tx.incidents.findById(room.incident.id))!, atMs);
    }
    const roles = first
      ? {
          ...rolesAtTriage(handlerId),
          responderIds: [...room.record.responderIds, ...(person.id === handlerId ? [] : [person.id])].filter(
            (id) => id !== handlerId,
          ),
        }
      : null;
    const requiredBefore = room.record.publicUpdateRequiredSinceMs;
    const next: IncidentResponseRecord = {
      ...(roles ? withRoles(room.record, roles) : room.record),
      triage: { ...triage, callIn: [...triage.callIn], triagedAtMs: atMs, triagedBy: person.id },
      publicUpdateRequiredSinceMs: requiresPublicUpdate(triage.level) ? (requiredBefore ?? atMs) : null,
    };
    const record = await saveResponse(tx, room, next, atMs);
    const saved = { ...room, record, exists: true };

    const drafts: TimelineDraft[] = [triageTimeline(triage, room.nameOf)];
    if (first)
      drafts.push({
        kind: "role.handler-named",
        message: `${handler!.name} is the Incident Handler`,
        data: { userId: handlerId },
      });
    const earlier = new Set((room.record.triage?.callIn ?? []).map((t) => `${t.kind}:${callInTargetId(t)}`));
    const newCallIns = triage.callIn.filter((t) => !earlier.has(`${t.kind}:${callInTargetId(t)}`));
    drafts.push(...(await pageCallInTargets(tx, saved, newCallIns, person, now)));
    await writeTimeline(tx, room.incident, drafts, actor, now);

    if (first) await planChannelOpen(tx, room.incident.id, now);
    if (first && handlerId !== person.id)
      await planPersonNotice(
        tx,
        room.incident,
        handlerId,
        {
          title: `INC-${room.incident.number}: ${person.name} named you the Incident Handler`,
          details: [
            { label: "Incident", value: room.incident.title },
            { label: "Triage", value: drafts[0]!.message },
          ],
        },
        `handler-named:${room.incident.id}`,
        now,
      );
    if (record.publicUpdateRequiredSinceMs !== null && requiredBefore === null)
      await armPublicUpdateReminder(tx, room.incident, record, atMs);
    return warRoomView(tx, saved, atMs);
  });
}
