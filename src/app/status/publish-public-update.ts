import { publicIncidentTitle } from "../../core/response/public-update-templates.js";
import { LEVEL_ON_STATUS_PAGE } from "../../core/status/status-input.js";
import type { PublicUpdate } from "../../core/response/public-updates.js";
import type { StatusComponentRecord, StatusIncidentRecord } from "../../core/status/status-records.js";
import type { StatusPublisher } from "../ports/status-publisher.js";
import type { Tx } from "../ports/store.js";
import { withStatus, writeIncidentChange } from "./manage-status-incidents.js";
import { touchPage } from "./manage-status-pages.js";
import { enqueueStatusPageResolve } from "./resolve-with-incident.js";
import type { StatusDeps } from "./status-deps.js";

/**
 * The StatusPublisher of the response workflow: a public update appears on every status page whose
 * components are linked to the incident's service (or on the pages of the components it names), as
 * the status incident of that Firebreak incident (created on the first update). The level sets the
 * impact and what the components show: outage → critical / major outage, data corruption → major /
 * partial outage, degradation → minor / degraded performance. Idempotent: the status update's id
 * comes from the public update's, so a second run of the job adds nothing.
 */
export function statusPagePublisher(deps: StatusDeps): StatusPublisher {
  return {
    async publish(update, summary) {
      const changedPages = await deps.uow.run(async (tx) => {
        const incident = await tx.incidents.findById(summary.incidentId);
        if (!incident) return [];
        const named = update.componentIds.length > 0 ? update.componentIds : summary.componentIds;
        const chosen: StatusComponentRecord[] =
          named.length > 0
            ? (await Promise.all(named.map((id) => tx.statusComponents.findComponent(id)))).filter(
                (c): c is StatusComponentRecord => c !== undefined,
              )
            : await tx.statusComponents.listForService(incident.serviceId);
        const byPage = new Map<string, string[]>();
        for (const c of chosen) byPage.set(c.pageId, [...(byPage.get(c.pageId) ?? []), c.id]);
        const mapping = LEVEL_ON_STATUS_PAGE[summary.level];
        const atMs = update.postedAtMs;
        for (const [pageId, componentIds] of byPage) {
          const updateId = `${update.id}.${pageId}`;
          if (await tx.statusIncidents.findUpdate(updateId)) continue;
          const before = (await tx.statusIncidents.findBySource(pageId, summary.incidentId)) ?? null;
          if (before && isLateForResolved(before, update)) {
            await keepInHistory(tx, before, updateId, update, atMs);
            continue;
          }
          const allIds = [...new Set([...(before?.componentIds ?? []), ...componentIds])];
          // Titled by the components customers see on this page, never by the internal service name.
          const names = (await Promise.all(allIds.map((id) => tx.statusComponents.findComponent(id))))
            .filter((c): c is StatusComponentRecord => c !== undefined)
            .map((c) => c.name);
          const name = publicIncidentTitle(summary.level, [...new Set(names)]);
          const base: StatusIncidentRecord = before ?? {
            id: `${summary.incidentId}.${pageId}`,
            pageId,
            name,
            status: update.status,
            impact: mapping.impact,
            componentIds,
            componentStatus: mapping.componentStatus,
            sourceIncidentId: summary.incidentId,
            createdAtMs: Math.min(summary.startedAtMs, atMs),
            updatedAtMs: atMs,
            monitoringAtMs: null,
            resolvedAtMs: null,
            updates: [],
          };
          const after = withStatus(
            {
              ...base,
              name,
              impact: mapping.impact,
              componentIds: allIds,
            },
            update.status,
            mapping.componentStatus,
            atMs,
          );
          await writeIncidentChange(tx, {
            before,
            after,
            update: {
              id: updateId,
              status: update.status,
              body: update.message,
              componentStatus: mapping.componentStatus,
            },
            atMs,
          });
        }
        // Published after the incident resolved, though posted before: its status incident is resolved again.
        const resolvedAtMs = summary.resolvedAtMs;
        if (resolvedAtMs !== null && update.status !== "resolved" && atMs <= resolvedAtMs && byPage.size > 0)
          await enqueueStatusPageResolve(tx, summary.incidentId, resolvedAtMs, new Date(resolvedAtMs));
        return [...byPage.keys()];
      });
      for (const pageId of changedPages) deps.statusChanged(pageId);
    },
  };
}

/**
 * An update that waited to be published (a retried job) while its status incident was resolved: it was
 * posted before the resolution, so it must not reopen what customers were told is over.
 */
const isLateForResolved = (before: StatusIncidentRecord, update: PublicUpdate): boolean =>
  before.status === "resolved" &&
  update.status !== "resolved" &&
  before.resolvedAtMs !== null &&
  update.postedAtMs <= before.resolvedAtMs;

/** Kept in the incident's history at the time it was posted; nobody is notified of old news. */
async function keepInHistory(
  tx: Tx,
  incident: StatusIncidentRecord,
  updateId: string,
  update: PublicUpdate,
  atMs: number,
): Promise<void> {
  await tx.statusIncidents.insertUpdate({
    id: updateId,
    incidentId: incident.id,
    status: update.status,
    body: update.message,
    componentStatus: null,
    affectedComponents: [],
    createdAtMs: atMs,
  });
  await touchPage(tx, incident.pageId, atMs);
}
