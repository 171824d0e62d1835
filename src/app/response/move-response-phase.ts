import { requireRole } from "../../core/auth/actor.js";
import { movePhase, type ResponsePhase } from "../../core/response/response-phase.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { Caller } from "../deps.js";
import { reopenIncident, resolveIncidentByHand } from "../incidents/incident-lifecycle.js";
import { responseViewOf } from "./read-war-room.js";
import { effectivePhase } from "./response-views.js";
import {
  incidentAction,
  loadWarRoom,
  loadWarRoomOf,
  personOf,
  saveResponse,
  timelineActorOf,
  writeTimeline,
} from "./war-room.js";

/**
 * The handler moves the phase by hand. Resolved resolves the incident itself (the paging stops, the
 * shared channel hears it); leaving resolved reopens it, which pages again from the first step.
 */
export async function moveResponsePhase(deps: AlertingDeps, caller: Caller, ref: string, to: ResponsePhase) {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const room = await loadWarRoom(tx, ref, atMs);
    const from = effectivePhase(room.incident, room.record.phase);
    const moved = movePhase(from, to, incidentAction(room, person, atMs));
    if (moved.timeline.length === 0) return responseViewOf(tx, room, atMs);
    const actor = timelineActorOf(person);
    const record = await saveResponse(tx, room, { ...room.record, phase: moved.next }, atMs);
    await writeTimeline(tx, room.incident, moved.timeline, actor, now);
    if (to === "resolved") await resolveIncidentByHand(tx, room.incident, actor, now);
    else if (room.incident.state === "resolved")
      await reopenIncident(tx, room.incident, `Reopened by ${person.name}: back to ${to}`, now);
    const incident = (await tx.incidents.findById(room.incident.id))!;
    return responseViewOf(tx, { ...(await loadWarRoomOf(tx, incident, atMs)), record }, atMs);
  });
}
