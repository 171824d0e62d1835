import { requireRole } from "../../core/auth/actor.js";
import type { AlertEvent } from "../../core/alerts/alert-event.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { Service } from "../../core/alerts/records.js";
import { MAX_TARGETS_PER_STEP, snapshotForPeople, snapshotOf } from "../../core/escalation/policy.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import type { AppDeps, Caller } from "../deps.js";
import { ingestRequests, type EscalationOverride } from "../alerts/ingest-alert-events.js";
import { newId } from "../auth/secrets.js";
import { explainNobodyPaged } from "../escalation/explain-nobody-paged.js";
import { createIntegration } from "../integrations/manage-integrations.js";
import { peopleFor, personPagePlan } from "../notifications/plan-deliveries.js";
import type { Tx } from "../ports/store.js";

/** Whom a page by hand reached at once, and a warning when its policy's first step reached nobody. */
export interface PageOutcome {
  /** The people the first step that reaches anyone pages (empty: nobody). */
  readonly paged: string[];
  readonly pagedNobody: boolean;
  /** Set when step 1 reaches nobody: why, in the words of the incident's timeline. */
  readonly warning: string | null;
}

export type ManualPage = Incident & PageOutcome;

/** Those of `people` with a contact method the page would use now (as pagePeople decides). */
async function reachable(
  tx: Tx,
  people: ReadonlyArray<{ id: string; name: string }>,
  at: Date,
): Promise<string[]> {
  const names: string[] = [];
  for (const person of people) {
    if ((await personPagePlan(tx, person.id, at)).length > 0) names.push(person.name);
  }
  return names;
}

/** Whom to page instead of the service's on-call: chosen people (by id) or a chosen policy (id or name). */
export interface PageAssignment {
  readonly userIds?: readonly string[] | undefined;
  readonly escalationPolicyId?: string | undefined;
}

// Chosen people wait as long as the service's own first step would, else 5 minutes: short, as a page is urgent.
const DEFAULT_ACK_TIMEOUT_MINUTES = 5;

/**
 * The escalation the person chose, checked: unknown people or policy → 404 naming it, disabled
 * people → 400 naming them. Undefined: no choice, the service's policy pages.
 */
async function chosenEscalation(
  tx: Tx,
  caller: Caller,
  service: Service,
  input: PageAssignment,
  now: Date,
): Promise<EscalationOverride | undefined> {
  const { userIds, escalationPolicyId } = input;
  if (userIds !== undefined && escalationPolicyId !== undefined) {
    const message = "give userIds or escalationPolicyId, not both";
    throw validationError([
      { path: "/userIds", message },
      { path: "/escalationPolicyId", message },
    ]);
  }
  const chosenBy = caller.actor;
  if (escalationPolicyId !== undefined) {
    const policy =
      (await tx.escalationPolicies.findById(escalationPolicyId)) ??
      (await tx.escalationPolicies.findByName(escalationPolicyId));
    if (!policy) throw notFound("escalation policy", escalationPolicyId);
    return {
      snapshot: snapshotOf(policy),
      chosenBy,
      note: `${chosenBy.label} paged through escalation policy ${policy.name} instead of ${service.name}'s own`,
      noteData: { policy: { id: policy.id, name: policy.name } },
    };
  }
  if (userIds === undefined) return undefined;
  const unique = [...new Set(userIds)];
  if (unique.length === 0 || unique.length > MAX_TARGETS_PER_STEP)
    throw validationError([{ path: "/userIds", message: `must name 1 to ${MAX_TARGETS_PER_STEP} people` }]);
  const people = [];
  for (const id of unique) {
    const user = await tx.users.findById(id);
    if (!user) throw notFound("user", id);
    people.push(user);
  }
  const disabled = people.filter((p) => p.disabledAt !== null);
  if (disabled.length > 0)
    throw validationError(
      disabled.map((p) => ({ path: `/userIds/${userIds.indexOf(p.id)}`, message: `${p.name} is disabled` })),
    );
  const own = service.escalationPolicyId
    ? await tx.escalationPolicies.findById(service.escalationPolicyId)
    : undefined;
  const ackTimeoutMinutes = own?.steps[0]?.delayMinutes ?? DEFAULT_ACK_TIMEOUT_MINUTES;
  const names = people.map((p) => p.name).join(", ");
  return {
    snapshot: snapshotForPeople(people, ackTimeoutMinutes, now),
    chosenBy,
    note: `${chosenBy.label} paged ${names} instead of ${service.name}'s on-call`,
    noteData: { userIds: people.map((p) => p.id), ackTimeoutMinutes },
  };
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * What the escalation did at the start, worked out with its own look-ups (peopleFor, and
 * explainNobodyPaged for the reasons): a step that reaches nobody moves on to the next at once, so
 * the first step that reaches someone is the one that paged. Step 1 reaching nobody is worth a warning
 * even then: the person who paged expected the on-call of that step.
 */
async function pageOutcome(tx: Tx, incident: Incident, serviceName: string, at: Date): Promise<PageOutcome> {
  const steps = incident.escalation?.steps ?? [];
  if (steps.length === 0)
    return {
      paged: [],
      pagedNobody: true,
      warning: `${serviceName} has no escalation policy: nobody was paged`,
    };
  const skipped: string[] = [];
  for (const [index, step] of steps.entries()) {
    const paged = await reachable(tx, await peopleFor(tx, step.targets, at), at);
    if (paged.length > 0) {
      const instead = `step ${index + 1} paged ${paged.join(", ")} instead`;
      return {
        paged,
        pagedNobody: false,
        warning: index === 0 ? null : `${capitalised(skipped.join("; "))}: ${instead}`,
      };
    }
    const reasons = await explainNobodyPaged(tx, step.targets, at);
    skipped.push(`step ${index + 1} paged nobody (${reasons.join("; ")})`);
  }
  return { paged: [], pagedNobody: true, warning: `Nobody was paged: ${skipped.join("; ")}` };
}

/**
 * "Page the on-call of this service": a person raises a page-level alert by hand through the
 * service's manual integration (made on first use, of its own kind: no sender outside uses its key
 * and the integration lists leave it out), so it follows the same path as any alert. With
 * `userIds` or `escalationPolicyId` it pages those instead of the service's policy.
 */
export async function pageByHand(
  deps: AppDeps,
  caller: Caller,
  input: { service: string; summary: string; details?: string } & PageAssignment,
): Promise<ManualPage> {
  requireRole(caller.actor, "responder");
  const summary = input.summary.trim();
  if (summary.length === 0 || summary.length > 1024)
    throw validationError([{ path: "/summary", message: "must be 1 to 1024 characters" }]);
  const now = deps.clock.now();
  const found = await deps.uow.run(async (tx) => {
    const service =
      (await tx.services.findById(input.service)) ?? (await tx.services.findByName(input.service));
    if (!service || service.archivedAt) throw notFound("service", input.service);
    const manual = (await tx.integrations.listForService(service.id)).find((i) => i.kind === "manual");
    // Snapshotted now, as an incident's policy is when it opens: later edits do not change it.
    const escalationOverride = await chosenEscalation(tx, caller, service, input, now);
    return { service, manual, escalationOverride };
  });
  // Made by the system: a responder may page without being allowed to create integrations.
  const integration =
    found.manual ??
    (await createIntegration(
      deps,
      {
        actor: { kind: "system", id: "system", role: "admin", label: "manual pages" },
        requestId: caller.requestId,
      },
      {
        serviceId: found.service.id,
        kind: "manual",
        name: "manual pages",
      },
    ));
  const dedupKey = `manual:${newId()}`;
  const event: AlertEvent = {
    action: "trigger",
    dedupKey,
    groupKey: null,
    summary,
    level: "page",
    severity: null,
    labels: { paged_by: caller.actor.label },
    details: input.details ? { details: input.details } : {},
    source: caller.actor.label,
    occurredAt: now,
    expiresAt: null,
    links: [],
  };
  const { escalationOverride } = found;
  await ingestRequests(deps, [{ integrationId: integration.id, events: [event], escalationOverride }]);
  const page = await deps.uow.run(async (tx) => {
    const alert = await tx.alerts.findFiringOfIntegration(integration.id, dedupKey);
    const incident = alert?.incidentId ? await tx.incidents.findById(alert.incidentId) : undefined;
    return incident && { ...incident, ...(await pageOutcome(tx, incident, found.service.name, now)) };
  });
  // Maintenance does not hold a page by hand, so its alert always opens or joins an incident.
  if (!page) throw new AppError("INTERNAL", `the page on ${found.service.name} opened no incident`);
  return page;
}
