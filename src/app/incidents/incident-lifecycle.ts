import type { AuditActor } from "../../core/audit/audit-entry.js";
import type { Service } from "../../core/alerts/records.js";
import {
  advanceEscalation,
  startEscalation,
  type EscalationDecision,
} from "../../core/escalation/decide-escalation.js";
import { acknowledge, reopen, resolve, type Incident } from "../../core/incidents/incident.js";
import { AppError, notFound } from "../../core/errors.js";
import {
  pagePeople,
  peopleFor,
  SYSTEM_TIMELINE_ACTOR,
  tellChannel,
} from "../notifications/plan-deliveries.js";
import type { Tx } from "../ports/store.js";

/**
 * The incident state changes every entry point shares (ingest, console, CLI, Slack, signed links,
 * jobs). Each runs inside the caller's transaction and writes the timeline, the deliveries and the
 * timers that follow from it.
 */

const ESCALATION_KEY = (incidentId: string) => `escalation:${incidentId}`;

async function serviceOf(tx: Tx, incident: Incident): Promise<Service> {
  const service = await tx.services.findById(incident.serviceId);
  if (!service) throw notFound("service", incident.serviceId);
  return service;
}

async function save(tx: Tx, incident: Incident, changes: Partial<Incident>): Promise<Incident> {
  const updated = { ...incident, ...changes };
  await tx.incidents.update(updated);
  return updated;
}

/** Applies an escalation decision: page the step's people (or the assignees) and arm the next timer. */
async function applyDecision(
  tx: Tx,
  incident: Incident,
  decision: EscalationDecision,
  now: Date,
  isFirst: boolean,
): Promise<Incident> {
  if (decision.kind === "exhausted") {
    await tx.timeline.append({
      incidentId: incident.id,
      at: now,
      kind: "escalation.exhausted",
      actor: SYSTEM_TIMELINE_ACTOR,
      message: incident.escalation
        ? "Every escalation step was tried and nobody acknowledged"
        : "No escalation policy: nobody was paged",
      data: {},
    });
    return incident;
  }
  const updated = await save(tx, incident, {
    escalationStep: decision.position.stepIndex,
    escalationLoop: decision.position.loop,
    updatedAt: now,
  });
  const people = await peopleFor(tx, decision.targets, now);
  const { paged, unreachable } = await pagePeople(
    tx,
    updated,
    people,
    isFirst ? "triggered" : "escalated",
    now,
  );
  const round = decision.position.loop > 0 ? ` (round ${decision.position.loop + 1})` : "";
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: isFirst ? "escalation.started" : "incident.escalated",
    actor: SYSTEM_TIMELINE_ACTOR,
    message: `Step ${decision.position.stepIndex + 1}${round}: paged ${paged.length > 0 ? paged.join(", ") : "nobody"}`,
    data: { step: decision.position.stepIndex + 1, loop: decision.position.loop, paged, unreachable },
  });
  if (unreachable.length > 0) {
    await tx.timeline.append({
      incidentId: incident.id,
      at: now,
      kind: "notification.unreachable",
      actor: SYSTEM_TIMELINE_ACTOR,
      message: `${unreachable.join(", ")} cannot be reached: no contact methods`,
      data: { unreachable },
    });
  }
  await tx.jobs.enqueue(
    "escalation.advance",
    { incidentId: incident.id, version: updated.escalationVersion },
    { runAt: decision.nextAt, key: ESCALATION_KEY(incident.id), keyMode: "replace", urgent: true },
  );
  return updated;
}

/** Starts paging for a page-level incident: the policy's first step. */
export async function beginEscalation(tx: Tx, incident: Incident, now: Date): Promise<Incident> {
  if (incident.level !== "page" || incident.state !== "triggered") return incident;
  const decision: EscalationDecision = incident.escalation
    ? startEscalation(incident.escalation, now)
    : { kind: "exhausted" };
  return applyDecision(tx, incident, decision, now, true);
}

/** The `escalation.advance` timer: next step unless acknowledged, resolved, or already moved on. */
export async function advanceIncidentEscalation(
  tx: Tx,
  incidentId: string,
  version: number,
  now: Date,
): Promise<void> {
  const incident = await tx.incidents.findById(incidentId);
  // The fence: an acknowledgement, resolution or manual escalation since this timer was set wins.
  if (
    !incident ||
    incident.state !== "triggered" ||
    incident.escalationVersion !== version ||
    !incident.escalation
  )
    return;
  const decision = advanceEscalation(
    incident.escalation,
    { stepIndex: incident.escalationStep, loop: incident.escalationLoop },
    now,
  );
  const bumped = await save(tx, incident, {
    escalationVersion: incident.escalationVersion + 1,
    assigneeIds: [],
    updatedAt: now,
  });
  await applyDecision(tx, bumped, decision, now, false);
}

export async function acknowledgeIncident(
  tx: Tx,
  incident: Incident,
  actor: AuditActor,
  now: Date,
): Promise<Incident> {
  const result = acknowledge(incident, actor.id, now);
  if (!result.ok) throw new AppError("PRECONDITION_FAILED", result.reason);
  if (Object.keys(result.changes).length === 0) return incident;
  const updated = await save(tx, incident, result.changes);
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "incident.acknowledged",
    actor,
    message: `Acknowledged by ${actor.label}`,
    data: {},
  });
  await tellChannel(tx, await serviceOf(tx, incident), updated, "acknowledged", now);
  return updated;
}

export async function resolveIncident(
  tx: Tx,
  incident: Incident,
  actor: AuditActor,
  now: Date,
  why?: string,
): Promise<Incident> {
  const result = resolve(incident, actor.id, now);
  if (!result.ok) throw new AppError("PRECONDITION_FAILED", result.reason);
  if (Object.keys(result.changes).length === 0) return incident;
  const updated = await save(tx, incident, result.changes);
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "incident.resolved",
    actor,
    message: why ?? `Resolved by ${actor.label}`,
    data: {},
  });
  await tellChannel(tx, await serviceOf(tx, incident), updated, "resolved", now);
  return updated;
}

export async function reopenIncident(tx: Tx, incident: Incident, why: string, now: Date): Promise<Incident> {
  const result = reopen(incident, now);
  if (!result.ok) throw new AppError("PRECONDITION_FAILED", result.reason);
  const updated = await save(tx, incident, result.changes);
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "incident.reopened",
    actor: SYSTEM_TIMELINE_ACTOR,
    message: why,
    data: {},
  });
  await tellChannel(tx, await serviceOf(tx, incident), updated, "reopened", now);
  return beginEscalation(tx, updated, now);
}

/** Acknowledged (or triggered) → triggered, with every timer of the escalation so far fenced off. */
const saveRetriggered = (tx: Tx, incident: Incident, now: Date): Promise<Incident> =>
  save(tx, incident, {
    state: "triggered",
    acknowledgedAt: null,
    acknowledgedBy: null,
    escalationVersion: incident.escalationVersion + 1,
    assigneeIds: [],
    updatedAt: now,
  });

/**
 * Pages an open incident again from the policy's first step (a regression after a fix): acknowledged
 * becomes triggered, every timer of the earlier escalation is fenced off, and `why` goes on the timeline.
 */
export async function retriggerIncident(
  tx: Tx,
  incident: Incident,
  why: string,
  now: Date,
): Promise<Incident> {
  if (incident.state === "resolved")
    throw new AppError("PRECONDITION_FAILED", `INC-${incident.number} is resolved`);
  const retriggered = await saveRetriggered(tx, incident, now);
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "incident.retriggered",
    actor: SYSTEM_TIMELINE_ACTOR,
    message: why,
    data: {},
  });
  await tellChannel(tx, await serviceOf(tx, incident), retriggered, "reopened", now);
  return beginEscalation(tx, retriggered, now);
}

/** Moves to the next step now, re-triggering an acknowledged incident (PagerDuty's "escalate"). */
export async function escalateIncidentNow(
  tx: Tx,
  incident: Incident,
  actor: AuditActor,
  now: Date,
): Promise<Incident> {
  if (incident.state === "resolved")
    throw new AppError("PRECONDITION_FAILED", `INC-${incident.number} is resolved`);
  if (!incident.escalation)
    throw new AppError(
      "PRECONDITION_FAILED",
      `INC-${incident.number} has no escalation policy; reassign it instead`,
    );
  const retriggered = await saveRetriggered(tx, incident, now);
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "incident.escalate_requested",
    actor,
    message: `${actor.label} escalated by hand`,
    data: {},
  });
  const decision = advanceEscalation(
    incident.escalation,
    { stepIndex: incident.escalationStep, loop: incident.escalationLoop },
    now,
  );
  // At the end of the policy a manual escalation starts it over rather than paging nobody.
  return applyDecision(
    tx,
    retriggered,
    decision.kind === "exhausted" ? startEscalation(incident.escalation, now) : decision,
    now,
    false,
  );
}

/** Pages the given people now in place of the current step; the policy resumes if they do not acknowledge. */
export async function reassignIncident(
  tx: Tx,
  incident: Incident,
  userIds: readonly string[],
  actor: AuditActor,
  now: Date,
): Promise<Incident> {
  if (incident.state === "resolved")
    throw new AppError("PRECONDITION_FAILED", `INC-${incident.number} is resolved`);
  const people = await peopleFor(
    tx,
    userIds.map((userId) => ({ kind: "user" as const, userId })),
    now,
  );
  if (people.length === 0)
    throw new AppError("VALIDATION", "reassign to at least one enabled user", {
      fields: [{ path: "/userIds", message: "no enabled user among them" }],
    });
  const updated = await save(tx, incident, {
    state: "triggered",
    acknowledgedAt: null,
    acknowledgedBy: null,
    escalationVersion: incident.escalationVersion + 1,
    assigneeIds: people.map((p) => p.id),
    updatedAt: now,
  });
  const { paged, unreachable } = await pagePeople(tx, updated, people, "escalated", now);
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "incident.reassigned",
    actor,
    message: `${actor.label} reassigned it to ${people.map((p) => p.name).join(", ")}`,
    data: { paged, unreachable, userIds: people.map((p) => p.id) },
  });
  const stepDelayMinutes = incident.escalation?.steps[incident.escalationStep]?.delayMinutes ?? 15;
  if (incident.escalation) {
    await tx.jobs.enqueue(
      "escalation.advance",
      { incidentId: incident.id, version: updated.escalationVersion },
      {
        runAt: new Date(now.getTime() + stepDelayMinutes * 60_000),
        key: ESCALATION_KEY(incident.id),
        keyMode: "replace",
        urgent: true,
      },
    );
  }
  return updated;
}
