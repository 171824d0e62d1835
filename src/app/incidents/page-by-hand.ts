import { requireRole } from "../../core/auth/actor.js";
import type { AlertEvent } from "../../core/alerts/alert-event.js";
import type { Incident } from "../../core/incidents/incident.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import type { AppDeps, Caller } from "../deps.js";
import { ingestAlertEvents } from "../alerts/ingest-alert-events.js";
import { newId } from "../auth/secrets.js";
import { createIntegration } from "../integrations/manage-integrations.js";

/**
 * "Page the on-call of this service": a person raises a page-level alert by hand through the
 * service's manual integration (made on first use, of its own kind: no sender outside uses its key
 * and the integration lists leave it out), so it follows the same path as any alert.
 */
export async function pageByHand(
  deps: AppDeps,
  caller: Caller,
  input: { service: string; summary: string; details?: string },
): Promise<Incident> {
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
    occurredAt: deps.clock.now(),
    expiresAt: null,
    links: [],
  };
  await ingestAlertEvents(deps, integration.id, [event]);
  const incident = await deps.uow.run(async (tx) => {
    const alert = await tx.alerts.findFiring(found.service.id, dedupKey);
    return alert?.incidentId ? tx.incidents.findById(alert.incidentId) : undefined;
  });
  if (!incident)
    throw new AppError(
      "PRECONDITION_FAILED",
      `${found.service.name} is in maintenance: the page was recorded but nobody was paged`,
    );
  return incident;
}
