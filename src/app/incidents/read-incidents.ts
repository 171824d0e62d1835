import { requireRole } from "../../core/auth/actor.js";
import type { Alert, ChangeEventRecord, Delivery, TimelineEntry } from "../../core/alerts/records.js";
import type { Incident, IncidentState } from "../../core/incidents/incident.js";
import type { AppDeps, Caller } from "../deps.js";
import { findIncident } from "./incident-actions.js";

export interface IncidentDetail {
  readonly incident: Incident;
  readonly serviceName: string;
  readonly alerts: readonly Alert[];
  readonly timeline: readonly TimelineEntry[];
  readonly deliveries: readonly Delivery[];
  /** Deploys and other change events of the service in the six hours before the incident (and during it). */
  readonly recentChanges: readonly ChangeEventRecord[];
}

const RECENT_CHANGES_BEFORE_MS = 6 * 60 * 60_000;

export async function listIncidents(
  deps: AppDeps,
  caller: Caller,
  filter: { states?: readonly IncidentState[]; serviceId?: string; limit?: number; beforeNumber?: number },
): Promise<Incident[]> {
  requireRole(caller.actor, "viewer");
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  return deps.uow.run((tx) => tx.incidents.list({ ...filter, limit }));
}

export async function getIncident(deps: AppDeps, caller: Caller, ref: string): Promise<IncidentDetail> {
  requireRole(caller.actor, "viewer");
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const incident = await findIncident(tx, ref);
    const service = await tx.services.findById(incident.serviceId);
    const until = incident.resolvedAt ?? now;
    return {
      incident,
      serviceName: service?.name ?? "(deleted service)",
      alerts: await tx.alerts.listForIncident(incident.id),
      timeline: await tx.timeline.listForIncident(incident.id),
      deliveries: await tx.deliveries.listForIncident(incident.id),
      recentChanges: await tx.changeEvents.listForService(
        incident.serviceId,
        new Date(incident.openedAt.getTime() - RECENT_CHANGES_BEFORE_MS),
        until,
        20,
      ),
    };
  });
}
