import type { Incident } from "../../core/incidents/incident.js";
import {
  fillPublicUpdateTemplate,
  PUBLIC_UPDATE_TEMPLATES,
} from "../../core/response/public-update-templates.js";
import type { ImpactLevel } from "../../core/response/triage.js";
import type { IncidentImpact, StatusComponentRecord } from "../../core/status/status-records.js";
import { SYSTEM_TIMELINE_ACTOR } from "../notifications/plan-deliveries.js";
import type { JobPayloads } from "../ports/jobs.js";
import type { Tx } from "../ports/store.js";
import { withStatus, writeIncidentChange } from "./manage-status-incidents.js";
import type { StatusDeps } from "./status-deps.js";

/**
 * When a Firebreak incident resolves (by hand, from Slack or the CLI, or because its alerts resolved),
 * the status-page incidents its public updates opened are resolved too, with the level's resolved text,
 * so customers do not read "still going on" after it is over. A job in the resolving transaction does
 * it: the status page can never make the internal resolve fail, and a failure here is retried.
 */

export const RESOLVE_WITH_INCIDENT = "status.resolve-with-incident";
type Payload = JobPayloads[typeof RESOLVE_WITH_INCIDENT];

/** The level a status incident's impact came from, for one the triage no longer names. */
const LEVEL_OF_IMPACT: Readonly<Record<IncidentImpact, ImpactLevel>> = {
  critical: "outage",
  major: "data-corruption",
  minor: "degradation",
  none: "degradation",
};

/**
 * The resolving transaction's part: arms the job when the incident has public updates and the last
 * one is not "resolved" (a person who posted one has told customers; its own publish job does the rest).
 */
export async function armStatusPageResolve(tx: Tx, incident: Incident, now: Date): Promise<void> {
  const latest = (await tx.publicUpdates.listForIncident(incident.id)).at(-1);
  if (!latest || latest.status === "resolved") return;
  await enqueueStatusPageResolve(tx, incident.id, now.getTime(), now);
}

export async function enqueueStatusPageResolve(
  tx: Tx,
  incidentId: string,
  resolvedAtMs: number,
  runAt: Date,
): Promise<void> {
  const payload: Payload = { incidentId, resolvedAtMs };
  await tx.jobs.enqueue(RESOLVE_WITH_INCIDENT, payload, { runAt, maxAttempts: 12 });
}

export type StatusPageResolveOutcome = "reopened" | "resolved-by-a-person" | "nothing-open" | "resolved";

/**
 * The `status.resolve-with-incident` job: a "resolved" update on every page whose status incident of
 * this Firebreak incident is still open, its components back to operational, subscribers told as for
 * any update, and a timeline entry per page. Fenced by the resolution it was armed for; idempotent.
 */
export async function resolveStatusIncidentsWith(
  deps: StatusDeps,
  payload: Payload,
  now: Date,
): Promise<StatusPageResolveOutcome> {
  const outcome = await deps.uow.run(async (tx) => {
    const incident = await tx.incidents.findById(payload.incidentId);
    if (incident?.state !== "resolved" || incident.resolvedAt?.getTime() !== payload.resolvedAtMs)
      return { kind: "reopened" as const, pageIds: [] };
    if ((await tx.publicUpdates.listForIncident(incident.id)).at(-1)?.status === "resolved")
      return { kind: "resolved-by-a-person" as const, pageIds: [] };
    const triaged = (await tx.incidentResponses.find(incident.id))?.triage?.level;
    const pageIds: string[] = [];
    for (const page of await tx.statusPages.list()) {
      const before = await tx.statusIncidents.findBySource(page.id, incident.id);
      if (!before || before.status === "resolved") continue;
      const updateId = `${before.id}.resolved.${payload.resolvedAtMs}`;
      if (await tx.statusIncidents.findUpdate(updateId)) continue;
      const components = (await tx.statusComponents.listComponents(page.id)).filter((c) =>
        before.componentIds.includes(c.id),
      );
      const body = resolvedText(triaged ?? LEVEL_OF_IMPACT[before.impact], components, page.title);
      // At the resolution, and after the last update shown even in the same millisecond: history in order.
      const atMs = Math.max(payload.resolvedAtMs, before.updatedAtMs + 1);
      await writeIncidentChange(tx, {
        before,
        after: withStatus(before, "resolved", undefined, atMs),
        update: {
          id: updateId,
          status: "resolved",
          body,
          componentStatus: "operational",
        },
        atMs,
      });
      await tx.timeline.append({
        incidentId: incident.id,
        at: now,
        kind: "status-page.resolved",
        actor: SYSTEM_TIMELINE_ACTOR,
        message: `Status page ${page.title} updated: “${before.name}” is marked resolved`,
        data: { pageId: page.id, statusIncidentId: before.id },
      });
      pageIds.push(page.id);
    }
    return { kind: pageIds.length > 0 ? ("resolved" as const) : ("nothing-open" as const), pageIds };
  });
  for (const pageId of outcome.pageIds) deps.statusChanged(pageId);
  return outcome.kind;
}

/** The level's resolved template, naming the components customers see (the page's title if none is left). */
function resolvedText(
  level: ImpactLevel,
  components: readonly StatusComponentRecord[],
  pageTitle: string,
): string {
  return fillPublicUpdateTemplate(PUBLIC_UPDATE_TEMPLATES[level].resolved, {
    serviceName: pageTitle,
    componentNames: [...new Set(components.map((c) => c.name))],
  });
}
