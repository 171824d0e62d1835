import { requireRole } from "../../core/auth/actor.js";
import type { AlertEvent } from "../../core/alerts/alert-event.js";
import type { Incident } from "../../core/incidents/incident.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import type { AppDeps, Caller } from "../deps.js";
import { ingestAlertEvents } from "../alerts/ingest-alert-events.js";
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
 * and the integration lists leave it out), so it follows the same path as any alert.
 */
export async function pageByHand(
  deps: AppDeps,
  caller: Caller,
  input: { service: string; summary: string; details?: string },
): Promise<ManualPage> {
  requireRole(caller.actor, "responder");
  const summary = input.summary.trim();
  if (summary.length === 0 || summary.length > 1024)
    throw validationError([{ path: "/summary", message: "must be 1 to 1024 characters" }]);
  const found = await deps.uow.run(async (tx) => {
    const service =
      (await tx.services.findById(input.service)) ?? (await tx.services.findByName(input.service));
    if (!service || service.archivedAt) throw notFound("service", input.service);
    const manual = (await tx.integrations.listForService(service.id)).find((i) => i.kind === "manual");
    return { service, manual };
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
  const now = deps.clock.now();
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
  await ingestAlertEvents(deps, integration.id, [event]);
  const page = await deps.uow.run(async (tx) => {
    const alert = await tx.alerts.findFiring(found.service.id, dedupKey);
    const incident = alert?.incidentId ? await tx.incidents.findById(alert.incidentId) : undefined;
    return incident && { ...incident, ...(await pageOutcome(tx, incident, found.service.name, now)) };
  });
  // Maintenance does not hold a page by hand, so its alert always opens or joins an incident.
  if (!page) throw new AppError("INTERNAL", `the page on ${found.service.name} opened no incident`);
  return page;
}
