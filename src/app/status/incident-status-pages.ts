import { requireRole } from "../../core/auth/actor.js";
import { AppError, validationError, type FieldError } from "../../core/errors.js";
import type { IncidentStatus } from "../../core/status/status-records.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { Caller } from "../deps.js";
import { findIncident } from "../incidents/incident-actions.js";
import type { Tx } from "../ports/store.js";

/** What the status pages show of one Firebreak incident, and the check that a public update reaches one. */

/**
 * A public update must reach a status page: the components it names must exist, and without any the
 * incident's service must be linked to a component. Otherwise the update would be stored as posted
 * (ending the "public update required" reminders) and reach no customer.
 */
export async function requireStatusPageFor(
  tx: Tx,
  serviceId: string,
  componentIds: readonly string[],
): Promise<void> {
  if (componentIds.length > 0) {
    const errors: FieldError[] = [];
    for (const [i, id] of componentIds.entries())
      if (!(await tx.statusComponents.findComponent(id)))
        errors.push({ path: `/componentIds/${i}`, message: `no status-page component has the id ${id}` });
    if (errors.length > 0) throw validationError(errors);
    return;
  }
  if ((await tx.statusComponents.listForService(serviceId)).length > 0) return;
  const service = await tx.services.findById(serviceId);
  throw new AppError(
    "CONFLICT",
    `no status page shows service "${service?.name ?? serviceId}": link a component to it ` +
      "(in Status pages → Components), then post the update again",
  );
}

export interface IncidentOnStatusPage {
  readonly pageId: string;
  readonly pageTitle: string;
  readonly statusIncidentId: string;
  readonly name: string;
  readonly status: IncidentStatus;
}

/** The status-page incidents a Firebreak incident's public updates opened, one per page, open or resolved. */
export async function statusPageIncidentsOf(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
): Promise<IncidentOnStatusPage[]> {
  requireRole(caller.actor, "viewer");
  return deps.uow.run(async (tx) => {
    const incident = await findIncident(tx, ref);
    const found: IncidentOnStatusPage[] = [];
    for (const page of await tx.statusPages.list()) {
      const shown = await tx.statusIncidents.findBySource(page.id, incident.id);
      if (shown)
        found.push({
          pageId: page.id,
          pageTitle: page.title,
          statusIncidentId: shown.id,
          name: shown.name,
          status: shown.status,
        });
    }
    return found;
  });
}
