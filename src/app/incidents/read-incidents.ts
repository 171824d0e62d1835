import { requireRole } from "../../core/auth/actor.js";
import type { Alert, ChangeEventRecord, Delivery, TimelineEntry } from "../../core/alerts/records.js";
import type { Incident, IncidentState } from "../../core/incidents/incident.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { findIncident } from "./incident-actions.js";
import { nextEscalationAt, nextEscalationsAt } from "./next-escalation.js";

export interface IncidentDetail {
  readonly incident: Incident;
  /** When the escalation timer pages the next step; null when nothing is pending (see next-escalation.ts). */
  readonly nextEscalationAt: Date | null;
  readonly serviceName: string;
  /** The first INCIDENT_DETAIL_ALERTS alerts in start order; `alertCounts` says how many there are. */
  readonly alerts: readonly Alert[];
  readonly alertCounts: { readonly total: number; readonly firing: number };
  /** Every entry, except "alert added/resolved" entries past the first INCIDENT_DETAIL_ALERTS. */
  readonly timeline: readonly TimelineEntry[];
  readonly omittedTimelineEntries: number;
  readonly deliveries: readonly DescribedDelivery[];
  /** Deploys and other change events of the service in the six hours before the incident (and during it). */
  readonly recentChanges: readonly ChangeEventRecord[];
}

/** A delivery with whom and how, so a page can say "Still trying to reach Alice by webhook". */
export type DescribedDelivery = Delivery & {
  readonly recipientName: string | null;
  /** "webhook (Ops hook)" for a contact method, the channel's kind for a channel; null once removed. */
  readonly via: string | null;
};

const RECENT_CHANGES_BEFORE_MS = 6 * 60 * 60_000;
/**
 * An alert storm can put thousands of alerts into one incident; the page a person opens at 3 a.m.
 * shows this many and a count, and GET …/alerts pages through the rest.
 */
export const INCIDENT_DETAIL_ALERTS = 100;
const MAX_ALERTS_PAGE = 500;

export interface IncidentListFilter {
  readonly states?: readonly IncidentState[];
  readonly serviceId?: string;
  readonly limit?: number;
  readonly beforeNumber?: number;
}

/** A row of the incident list: the incident and when its escalation pages next (see next-escalation.ts). */
export type IncidentListItem = Incident & { readonly nextEscalationAt: Date | null };

const listPageSize = (filter: IncidentListFilter) => Math.min(Math.max(filter.limit ?? 50, 1), 500);

/** The incidents alone: what the live stream compares on each poll, without the timers' read. */
export async function listIncidents(
  deps: AppDeps,
  caller: Caller,
  filter: IncidentListFilter,
): Promise<Incident[]> {
  requireRole(caller.actor, "viewer");
  return deps.uow.run((tx) => tx.incidents.list({ ...filter, limit: listPageSize(filter) }));
}

/** A page of the incident list, each with its next escalation time, read in the same transaction. */
export async function listIncidentsWithNextEscalation(
  deps: AppDeps,
  caller: Caller,
  filter: IncidentListFilter,
): Promise<IncidentListItem[]> {
  requireRole(caller.actor, "viewer");
  return deps.uow.run(async (tx) => {
    const incidents = await tx.incidents.list({ ...filter, limit: listPageSize(filter) });
    const nextAt = await nextEscalationsAt(tx, incidents);
    return incidents.map((incident) => ({ ...incident, nextEscalationAt: nextAt.get(incident.id) ?? null }));
  });
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
      nextEscalationAt: await nextEscalationAt(tx, incident),
      serviceName: service?.name ?? "(deleted service)",
      alerts: await tx.alerts.listForIncident(incident.id, { limit: INCIDENT_DETAIL_ALERTS }),
      alertCounts: await tx.alerts.countForIncident(incident.id),
      ...(await readableTimeline(tx, incident.id)),
      deliveries: await describeDeliveries(tx, await tx.deliveries.listForIncident(incident.id)),
      recentChanges: await tx.changeEvents.listForService(
        incident.serviceId,
        new Date(incident.openedAt.getTime() - RECENT_CHANGES_BEFORE_MS),
        until,
        20,
      ),
    };
  });
}

/** Names each delivery's receiver and means, reading each person, method and channel once. */
async function describeDeliveries(tx: Tx, deliveries: readonly Delivery[]): Promise<DescribedDelivery[]> {
  const remembered = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!remembered.has(key)) remembered.set(key, read());
    return remembered.get(key) as Promise<T>;
  };
  const described: DescribedDelivery[] = [];
  for (const d of deliveries) {
    if (d.recipientKind === "user") {
      const user = await once(`user ${d.recipientId}`, () => tx.users.findById(d.recipientId));
      const method = d.contactMethodId
        ? await once(`method ${d.contactMethodId}`, () => tx.contactMethods.findById(d.contactMethodId ?? ""))
        : undefined;
      const via = method ? `${method.kind}${method.label ? ` (${method.label})` : ""}` : null;
      described.push({ ...d, recipientName: user?.name ?? null, via });
    } else {
      const channel = await once(`channel ${d.channelId}`, () => tx.channels.findById(d.channelId ?? ""));
      described.push({ ...d, recipientName: channel?.name ?? null, via: channel?.kind ?? null });
    }
  }
  return described;
}

/** The timeline with a storm's per-alert entries capped, under the names the detail uses. */
async function readableTimeline(tx: Tx, incidentId: string) {
  const { entries, omittedAlertEntries } = await tx.timeline.listForIncidentCapped(
    incidentId,
    INCIDENT_DETAIL_ALERTS,
  );
  return { timeline: entries, omittedTimelineEntries: omittedAlertEntries };
}

/** One page of an incident's alerts, in start order. */
export async function listIncidentAlerts(
  deps: AppDeps,
  caller: Caller,
  ref: string,
  page: { limit?: number; offset?: number },
): Promise<{ items: Alert[]; total: number; firing: number }> {
  requireRole(caller.actor, "viewer");
  const limit = Math.min(Math.max(page.limit ?? INCIDENT_DETAIL_ALERTS, 1), MAX_ALERTS_PAGE);
  const offset = Math.max(page.offset ?? 0, 0);
  return deps.uow.run(async (tx) => {
    const incident = await findIncident(tx, ref);
    const items = await tx.alerts.listForIncident(incident.id, { limit, offset });
    return { items, ...(await tx.alerts.countForIncident(incident.id)) };
  });
}
