import { requireRole } from "../../core/auth/actor.js";
import { AppError, validationError } from "../../core/errors.js";
import { draftPublicUpdate, type PublicStatus } from "../../core/response/public-update-templates.js";
import { postPublicUpdate, type PublicIncidentSummary } from "../../core/response/public-updates.js";
import { RESPONSE_PHASES } from "../../core/response/response-phase.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { StoredPublicUpdate } from "../ports/response-store.js";
import type { StatusPublisher } from "../ports/status-publisher.js";
import { requireStatusPageFor } from "../status/incident-status-pages.js";
import { armPublicUpdateReminder } from "./response-timers.js";
import { effectivePhase, publicUpdateView, type PublicUpdateView } from "./response-views.js";
import {
  handlerOf,
  loadWarRoom,
  personOf,
  publicNamesOf,
  saveResponse,
  timelineActorOf,
  writeTimeline,
} from "./war-room.js";
import { willRetry, type AttemptInfo } from "../../core/jobs/retry-decision.js";

/**
 * Public updates: posted by the communications lead or the handler, stored, and handed to the status
 * publisher by a job. Each one re-arms the public-update reminder: it counts from the latest update.
 */

export async function postIncidentPublicUpdate(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  input: { status: PublicStatus; message: string; componentIds?: readonly string[] },
): Promise<PublicUpdateView> {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const room = await loadWarRoom(tx, ref, atMs);
    const posted = postPublicUpdate(
      { status: input.status, message: input.message, componentIds: input.componentIds ?? [] },
      { handlerId: handlerOf(room), commsLeadId: room.record.commsLeadId },
      { actorId: person.id, atMs, nameOf: room.nameOf },
    );
    await requireStatusPageFor(tx, room.incident.serviceId, input.componentIds ?? []);
    const stored: StoredPublicUpdate = {
      ...posted.update,
      id: newId(),
      incidentId: room.incident.id,
      publishedAtMs: null,
    };
    await tx.publicUpdates.insert(stored);
    await saveResponse(tx, room, room.record, atMs);
    await writeTimeline(tx, room.incident, posted.timeline, timelineActorOf(person), now);
    await tx.jobs.enqueue(
      "response.public-update-publish",
      { incidentId: room.incident.id, updateId: stored.id },
      { runAt: now, maxAttempts: 12 },
    );
    await armPublicUpdateReminder(tx, room.incident, room.record, atMs);
    return publicUpdateView(stored, room.nameOf);
  });
}

/** The level's template for a status (the current phase by default), filled with the public names. */
export async function draftIncidentPublicUpdate(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  status?: string,
): Promise<{ status: PublicStatus; message: string }> {
  requireRole(caller.actor, "viewer");
  if (status !== undefined && !(RESPONSE_PHASES as readonly string[]).includes(status))
    throw validationError([
      { path: "querystring /status", message: "must be investigating, identified, monitoring or resolved" },
    ]);
  const atMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => {
    const room = await loadWarRoom(tx, ref, atMs);
    const level = room.record.triage?.level;
    if (!level)
      throw new AppError(
        "PRECONDITION_FAILED",
        `INC-${room.incident.number} is not triaged yet: the template depends on its level`,
      );
    const chosen = (status as PublicStatus | undefined) ?? effectivePhase(room.incident, room.record.phase);
    return {
      status: chosen,
      message: draftPublicUpdate(level, chosen, await publicNamesOf(tx, room.service)),
    };
  });
}

/**
 * The `response.public-update-publish` job: hands the update to the status publisher, then records
 * when. The publisher sees the public side only: the service and level, never the internal title.
 */
export async function publishPublicUpdate(
  deps: AlertingDeps,
  publisher: StatusPublisher,
  payload: { incidentId: string; updateId: string },
  attempt: AttemptInfo,
): Promise<void> {
  const loaded = await deps.uow.run(async (tx) => {
    const update = await tx.publicUpdates.find(payload.updateId);
    const incident = await tx.incidents.findById(payload.incidentId);
    const service = incident && (await tx.services.findById(incident.serviceId));
    const record = await tx.incidentResponses.find(payload.incidentId);
    const level = record?.triage?.level;
    if (!update || update.publishedAtMs !== null || !incident || !service || !level) return undefined;
    const summary: PublicIncidentSummary = {
      incidentId: incident.id,
      level,
      status: update.status,
      startedAtMs: incident.openedAt.getTime(),
      resolvedAtMs: incident.resolvedAt?.getTime() ?? null,
      componentIds: update.componentIds,
    };
    return { update, summary };
  });
  if (!loaded) return;
  const { incidentId: _incidentId, publishedAtMs: _publishedAtMs, ...update } = loaded.update;
  try {
    await publisher.publish(update, loaded.summary);
  } catch (err) {
    if (willRetry(err, attempt, deps.clock.now())) throw err;
    await deps.uow.run((tx) =>
      tx.timeline.append({
        incidentId: payload.incidentId,
        at: deps.clock.now(),
        kind: "public-update.publish-failed",
        actor: null,
        message: `The public update could not be published: ${(err as Error).message}`,
        data: { updateId: payload.updateId },
      }),
    );
    return;
  }
  await deps.uow.run((tx) => tx.publicUpdates.markPublished(payload.updateId, deps.clock.now().getTime()));
}
