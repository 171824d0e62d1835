import { requireRole } from "../../core/auth/actor.js";
import { notFound } from "../../core/errors.js";
import type { Incident } from "../../core/incidents/incident.js";
import { closeFollowUp } from "../../core/response/fix-follow-ups.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { Caller } from "../deps.js";
import { followUpView, type FollowUpView } from "./response-views.js";
import {
  incidentAction,
  loadPeople,
  loadWarRoom,
  nameOfPeople,
  personOf,
  saveResponse,
  timelineActorOf,
  writeTimeline,
} from "./war-room.js";

/** Proper-fix follow-ups: closed by their owner or the handler; reported until closed ("half-done fixes"). */

export async function closeIncidentFollowUp(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  fixNumber: number,
  input: { state: "done" | "cancelled"; note?: string },
): Promise<FollowUpView> {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    // A follow-up outlives its incident: it may be closed after the incident is resolved.
    const room = await loadWarRoom(tx, ref, atMs);
    const followUp = await tx.fixFollowUps.find(room.incident.id, fixNumber);
    if (!followUp) throw notFound("follow-up of hotfix", `#${fixNumber}`);
    const closed = closeFollowUp(
      followUp,
      input.state,
      incidentAction(room, person, atMs),
      input.note?.trim() ?? "",
    );
    const next = { ...closed.next, incidentId: room.incident.id };
    await tx.fixFollowUps.update(next);
    await saveResponse(tx, room, room.record, atMs);
    await writeTimeline(tx, room.incident, closed.timeline, timelineActorOf(person), now);
    return followUpView(next, room.incident.number, room.nameOf, atMs);
  });
}

export const FOLLOW_UP_REPORT_LIMIT = 500;

/** GET /follow-ups: open ones, overdue ones, or all, by deadline. */
export async function listFollowUps(
  deps: AlertingDeps,
  caller: Caller,
  state: "open" | "overdue" | "all",
): Promise<FollowUpView[]> {
  requireRole(caller.actor, "viewer");
  const nowMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => {
    const followUps = await tx.fixFollowUps.list({ state, nowMs, limit: FOLLOW_UP_REPORT_LIMIT });
    const nameOf = nameOfPeople(await loadPeople(tx));
    const incidents = new Map<string, Incident | undefined>();
    for (const id of new Set(followUps.map((f) => f.incidentId)))
      incidents.set(id, await tx.incidents.findById(id));
    return followUps.flatMap((f) => {
      const incident = incidents.get(f.incidentId);
      return incident ? [followUpView(f, incident.number, nameOf, nowMs)] : [];
    });
  });
}
