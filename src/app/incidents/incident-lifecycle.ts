import type { AuditActor } from "../../core/audit/audit-entry.js";
import type { Service } from "../../core/alerts/records.js";
import {
  advanceEscalation,
  nextEscalation,
  startEscalation,
  type EscalationDecision,
  type EscalationPosition,
} from "../../core/escalation/decide-escalation.js";
import { snapshotOf } from "../../core/escalation/policy.js";
import {
  acknowledge,
  NEW_ESCALATION_POSITION,
  reopen,
  resolve,
  type Incident,
} from "../../core/incidents/incident.js";
import { latenessOf, withLateRun, type Lateness } from "../../core/incidents/late-runs.js";
import { AppError, notFound } from "../../core/errors.js";
import {
  pagePeople,
  peopleFor,
  SYSTEM_TIMELINE_ACTOR,
  tellChannel,
} from "../notifications/plan-deliveries.js";
import { explainNobodyPaged } from "../escalation/explain-nobody-paged.js";
import type { JobPayloads } from "../ports/jobs.js";
import type { Tx } from "../ports/store.js";
import { armStatusPageResolve } from "../status/resolve-with-incident.js";
import { escalationStarted, policyPosition, storedPosition } from "./escalation-position.js";
import { escalationTimerJobKey } from "./escalation-timer-key.js";

/**
 * The incident state changes every entry point shares (ingest, console, CLI, Slack, signed links,
 * jobs). Each runs inside the caller's transaction and writes the timeline, the deliveries and the
 * timers that follow from it.
 */

async function armEscalationTimer(tx: Tx, incident: Incident, dueAt: Date): Promise<void> {
  const timer: JobPayloads["escalation.advance"] = {
    incidentId: incident.id,
    version: incident.escalationVersion,
    dueAtMs: dueAt.getTime(),
  };
  await tx.jobs.enqueue("escalation.advance", timer, {
    runAt: dueAt,
    key: escalationTimerJobKey(incident.id),
    keyMode: "replace",
    urgent: true,
  });
}

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

/**
 * Holds the incident's grouping-key lock (the one ingest takes) until the transaction ends and returns
 * the incident as it is now. Without it, on PostgreSQL, a timer and a person acting at the same
 * moment both wrote from what they read: an acknowledgement could be overwritten and paging go on.
 * People's actions take it first too (incident-actions.ts), to tell whether theirs changed anything.
 */
export async function lockedIncident(tx: Tx, incident: Incident): Promise<Incident> {
  if (!(await tx.services.lockAlertGroups(incident.serviceId, [incident.groupingKey]))) return incident;
  const current = await tx.incidents.findById(incident.id);
  if (!current) throw notFound("incident", incident.id);
  return current;
}

/** Says on the timeline who was meant to be paged but has no way to be reached. */
async function noteUnreachable(tx: Tx, incidentId: string, unreachable: readonly string[], now: Date) {
  if (unreachable.length === 0) return;
  await tx.timeline.append({
    incidentId,
    at: now,
    kind: "notification.unreachable",
    actor: SYSTEM_TIMELINE_ACTOR,
    message: `${unreachable.join(", ")} cannot be reached: no contact methods`,
    data: { unreachable },
  });
}

/** "2", or "1 (round 2)" once the policy goes round again. */
const stepLabel = (position: EscalationPosition) =>
  `${position.stepIndex + 1}${position.loop > 0 ? ` (round ${position.loop + 1})` : ""}`;

/**
 * Applies an escalation decision: page the step's people and arm the next timer. A step that pages
 * nobody (a gap in a schedule, a disabled user, an empty team) moves on at once and says why; once a
 * whole round paged nobody it waits the step's timeout, so a later round can find someone on call.
 * `firstEvent`: what the first step's page says when this starts an escalation (null: it goes on).
 * `late`: the timer ran late; its first entry says so.
 */
async function applyDecision(
  tx: Tx,
  incident: Incident,
  decision: EscalationDecision,
  now: Date,
  firstEvent: "triggered" | "reopened" | null,
  late: Lateness | null = null,
): Promise<Incident> {
  const isFirst = firstEvent !== null;
  const snapshot = incident.escalation;
  const lateData = late ? { dueAt: late.dueAt, lateMs: late.lateMs } : {};
  let current = decision;
  let updated = incident;
  for (let stepsTried = 1; current.kind === "notify"; stepsTried++) {
    updated = await save(tx, updated, {
      escalationStep: current.position.stepIndex,
      escalationLoop: current.position.loop,
      updatedAt: now,
    });
    const people = await peopleFor(tx, current.targets, now);
    const { paged, unreachable } = await pagePeople(tx, updated, people, firstEvent ?? "escalated", now);
    const step = { step: current.position.stepIndex + 1, loop: current.position.loop };
    await tx.timeline.append({
      incidentId: incident.id,
      at: now,
      kind: isFirst && stepsTried === 1 ? "escalation.started" : "incident.escalated",
      actor: SYSTEM_TIMELINE_ACTOR,
      message: withLateRun(
        `Step ${stepLabel(current.position)}: paged ${paged.length > 0 ? paged.join(", ") : "nobody"}`,
        stepsTried === 1 ? late : null,
      ),
      data: { ...step, paged, unreachable, ...(stepsTried === 1 && lateData) },
    });
    await noteUnreachable(tx, incident.id, unreachable, now);
    const next = paged.length === 0 && snapshot ? advanceEscalation(snapshot, current.position, now) : null;
    if (next) {
      // A whole round found nobody at this instant: the next round waits for the timeout instead.
      const waits = next.kind === "notify" && stepsTried >= (snapshot?.steps.length ?? 0);
      const reasons = await explainNobodyPaged(tx, current.targets, now);
      const then =
        next.kind === "exhausted"
          ? "no step is left"
          : waits
            ? `nobody in the policy can be paged now, trying again in ${snapshot?.steps[current.position.stepIndex]?.delayMinutes} minutes`
            : `moving on to step ${stepLabel(next.position)} now`;
      await tx.timeline.append({
        incidentId: incident.id,
        at: now,
        kind: "escalation.skipped",
        actor: SYSTEM_TIMELINE_ACTOR,
        message: `Step ${stepLabel(current.position)} paged nobody (${reasons.join("; ")}): ${then}`,
        data: { ...step, reasons },
      });
      if (!waits) {
        current = next;
        continue;
      }
    }
    await armEscalationTimer(tx, updated, current.nextAt);
    return updated;
  }
  // Reached from a late timer only when no step is left: this entry is its first.
  const exhaustedLate = decision.kind === "exhausted" ? late : null;
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "escalation.exhausted",
    actor: SYSTEM_TIMELINE_ACTOR,
    message: withLateRun(
      snapshot
        ? "Every escalation step was tried and nobody acknowledged"
        : "No escalation policy: nobody was paged",
      exhaustedLate,
    ),
    data: exhaustedLate ? lateData : {},
  });
  // Every page went out and nobody answered: the shared channel, told only "triggered" so far, must
  // hear it. The key carries the escalation version, which each timer run bumps: a later run-out gets its own.
  if (snapshot) await tellChannel(tx, await serviceOf(tx, updated), updated, "escalated", now);
  return updated;
}

/**
 * Starts paging for a page-level incident: the policy's first step. A reopened incident's pages say
 * "reopened", as the README promises webhook receivers, so a person knows it is not a new problem.
 */
export async function beginEscalation(
  tx: Tx,
  incident: Incident,
  now: Date,
  firstEvent: "triggered" | "reopened" = "triggered",
): Promise<Incident> {
  if (incident.level !== "page" || incident.state !== "triggered") return incident;
  const decision: EscalationDecision = incident.escalation
    ? startEscalation(incident.escalation, now)
    : { kind: "exhausted" };
  return applyDecision(tx, incident, decision, now, firstEvent);
}

/**
 * An alert joining the incident raised its level (notify → page); ingest holds its grouping-key lock.
 * A triggered incident starts its escalation at step 1, unless a person already started it by hand
 * (escalate-now, reassign): then it goes on where it is, nobody is paged again, the step's timer stays.
 */
export async function raiseIncidentLevel(
  tx: Tx,
  service: Service,
  incident: Incident,
  level: Incident["level"],
  now: Date,
): Promise<Incident> {
  const raised = await save(tx, incident, { level, updatedAt: now });
  // Acknowledged stays acknowledged, unannounced; one escalated by hand was announced when it opened,
  // so the channel hears no second "triggered" either.
  if (raised.state !== "triggered" || (await escalationStarted(tx, raised.id))) return raised;
  await tellChannel(tx, service, raised, "triggered", now);
  return beginEscalation(tx, raised, now);
}

/** The `escalation.advance` timer (due at `dueAt`): next step unless acknowledged, resolved or moved on. */
export async function advanceIncidentEscalation(
  tx: Tx,
  incidentId: string,
  version: number,
  now: Date,
  dueAt?: Date,
): Promise<void> {
  const found = await tx.incidents.findById(incidentId);
  const incident = found && (await lockedIncident(tx, found));
  // The fence: an acknowledgement, resolution or manual escalation since this timer was set wins.
  if (
    !incident ||
    incident.state !== "triggered" ||
    incident.escalationVersion !== version ||
    !incident.escalation
  )
    return;
  // Only a reassignment arms a timer before any policy step ran: the timeline is read for those alone.
  const position =
    incident.assigneeIds.length > 0 ? await policyPosition(tx, incident) : storedPosition(incident);
  const decision = nextEscalation(incident.escalation, position, now);
  const bumped = await save(tx, incident, {
    escalationVersion: incident.escalationVersion + 1,
    assigneeIds: [],
    updatedAt: now,
  });
  await applyDecision(tx, bumped, decision, now, null, dueAt ? latenessOf(dueAt, now) : null);
}

export async function acknowledgeIncident(
  tx: Tx,
  given: Incident,
  actor: AuditActor,
  now: Date,
): Promise<Incident> {
  const incident = await lockedIncident(tx, given);
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
  given: Incident,
  actor: AuditActor,
  now: Date,
  why?: string,
): Promise<Incident> {
  const incident = await lockedIncident(tx, given);
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
  await armStatusPageResolve(tx, updated, now);
  return updated;
}

/**
 * A person resolves: the alerts still firing are closed with the incident, as PagerDuty and GoAlert
 * do. Otherwise a source that keeps sending one (the problem is not over) was taken as a refresh of
 * an alert of a resolved incident, and nobody heard of it again.
 */
export async function resolveIncidentByHand(
  tx: Tx,
  incident: Incident,
  actor: AuditActor,
  now: Date,
): Promise<Incident> {
  const resolved = await resolveIncident(tx, incident, actor, now);
  if (resolved.resolvedAt?.getTime() !== now.getTime()) return resolved; // it was resolved already
  const closed = await tx.alerts.resolveFiringForIncident(incident.id, now);
  if (closed > 0)
    await tx.timeline.append({
      incidentId: incident.id,
      at: now,
      kind: "alerts.closed",
      actor: SYSTEM_TIMELINE_ACTOR,
      message: `${closed === 1 ? "1 alert" : `${closed} alerts`} still firing closed with it: sent again, ${closed === 1 ? "it opens" : "they open"} an incident`,
      data: { closed },
    });
  return resolved;
}

/**
 * Resolved → triggered, paging from step 1 of the service's policy as it is now: the escalation of
 * the resolved incident is over, so its snapshot must not page people the policy has since dropped.
 * `actor`: who reopened it, a person by hand; else an alert that fired again.
 */
export async function reopenIncident(
  tx: Tx,
  given: Incident,
  why: string,
  now: Date,
  actor: AuditActor = SYSTEM_TIMELINE_ACTOR,
): Promise<Incident> {
  const incident = await lockedIncident(tx, given);
  const result = reopen(incident, now);
  if (!result.ok) throw new AppError("PRECONDITION_FAILED", result.reason);
  const service = await serviceOf(tx, incident);
  // Paged by hand to chosen people or a policy: that choice pages again, not the service's on-call.
  const chosenByHand =
    incident.escalation !== null &&
    (await tx.timeline.lastEntryAt(incident.id, ["incident.assigned_by_hand"])) !== null;
  const policy =
    !chosenByHand && service.escalationPolicyId
      ? await tx.escalationPolicies.findById(service.escalationPolicyId)
      : undefined;
  const updated = await save(tx, incident, {
    ...result.changes,
    escalation: chosenByHand ? incident.escalation : policy ? snapshotOf(policy) : null,
  });
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "incident.reopened",
    actor,
    message: why,
    data: {
      policy: policy
        ? { id: policy.id, name: policy.name, updatedAt: policy.updatedAt.toISOString() }
        : chosenByHand && incident.escalation
          ? { id: incident.escalation.policyId, name: incident.escalation.policyName }
          : null,
    },
  });
  await tellChannel(tx, service, updated, "reopened", now);
  return beginEscalation(tx, updated, now, "reopened");
}

/** Acknowledged (or triggered) → triggered, with every timer of the escalation so far fenced off. */
const saveRetriggered = (tx: Tx, incident: Incident, now: Date, changes: Partial<Incident> = {}) =>
  save(tx, incident, {
    state: "triggered",
    acknowledgedAt: null,
    acknowledgedBy: null,
    escalationVersion: incident.escalationVersion + 1,
    assigneeIds: [],
    updatedAt: now,
    ...changes,
  });

/**
 * Pages an open incident again from the policy's first step (a regression after a fix): acknowledged
 * becomes triggered, every timer of the earlier escalation is fenced off, and `why` goes on the timeline.
 */
export async function retriggerIncident(tx: Tx, given: Incident, why: string, now: Date): Promise<Incident> {
  const incident = await lockedIncident(tx, given);
  if (incident.state === "resolved")
    throw new AppError("PRECONDITION_FAILED", `INC-${incident.number} is resolved`);
  // A new escalation: at notify level none of its steps runs yet, and the old step must not show.
  const retriggered = await saveRetriggered(tx, incident, now, NEW_ESCALATION_POSITION);
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "incident.retriggered",
    actor: SYSTEM_TIMELINE_ACTOR,
    message: why,
    data: {},
  });
  await tellChannel(tx, await serviceOf(tx, incident), retriggered, "reopened", now);
  return beginEscalation(tx, retriggered, now, "reopened");
}

/** Moves to the next step now, re-triggering an acknowledged incident (PagerDuty's "escalate"). */
export async function escalateIncidentNow(
  tx: Tx,
  given: Incident,
  actor: AuditActor,
  now: Date,
): Promise<Incident> {
  const incident = await lockedIncident(tx, given);
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
  // No policy step has paged anyone yet (a notify-level incident, perhaps reassigned): "the next step" is the first one.
  const decision = nextEscalation(incident.escalation, await policyPosition(tx, incident), now);
  // At the end of the policy a manual escalation starts it over rather than paging nobody.
  return applyDecision(
    tx,
    retriggered,
    decision.kind === "exhausted" ? startEscalation(incident.escalation, now) : decision,
    now,
    null,
  );
}

/**
 * Pages the given people now in place of the current step; the policy resumes after it if they do not
 * acknowledge, or at step 1 when no step had paged anyone (a notify-level incident).
 */
export async function reassignIncident(
  tx: Tx,
  given: Incident,
  userIds: readonly string[],
  actor: AuditActor,
  now: Date,
): Promise<Incident> {
  const incident = await lockedIncident(tx, given);
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
  // They stand in for the policy's current step, or for step 1 if none has run: they get its timeout.
  const position = incident.escalation ? await policyPosition(tx, incident) : null;
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
  await noteUnreachable(tx, incident.id, unreachable, now);
  const stepDelayMinutes = incident.escalation?.steps[position?.stepIndex ?? 0]?.delayMinutes ?? 15;
  if (incident.escalation)
    await armEscalationTimer(tx, updated, new Date(now.getTime() + stepDelayMinutes * 60_000));
  return updated;
}
