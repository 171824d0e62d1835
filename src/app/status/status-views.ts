import type {
  ComponentGroupRecord,
  ComponentStatus,
  MaintenanceRecord,
  StatusComponentRecord,
  StatusIncidentRecord,
  StatusPageRecord,
  StatusPageSnapshot,
} from "../../core/status/status-records.js";
import { maintenanceStatusAt } from "../../core/status/component-status.js";
import { UPTIME_DAYS } from "../../core/status/uptime.js";
import type { Tx } from "../ports/store.js";

/** What the admin API returns (the contract in notes/status-api.md), and loading a page's snapshot. */

const DAY_MS = 24 * 60 * 60_000;
/** Incidents and maintenances a snapshot holds at most (90 days of a busy page). */
export const SNAPSHOT_LIMIT = 500;

/** Where customers see the page: its custom domain (https unless Firebreak itself is http), else /status/:slug. */
export function pageBaseUrl(
  page: Pick<StatusPageRecord, "slug" | "customDomain">,
  publicUrl: string,
): string {
  if (page.customDomain)
    return `${publicUrl.startsWith("http://") ? "http" : "https"}://${page.customDomain}`;
  return `${publicUrl}/status/${page.slug}`;
}

export interface StatusPageView {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly logoUrl: string | null;
  readonly brandColor: string;
  readonly customDomain: string | null;
  readonly private: boolean;
  /** Only in the answer to create and rotate: the private page's secret link token. */
  readonly secretLinkToken?: string;
  readonly timeZone: string;
  readonly publicUrl: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const statusPageView = (
  page: StatusPageRecord,
  publicUrl: string,
  secretLinkToken?: string,
): StatusPageView => ({
  id: page.id,
  slug: page.slug,
  title: page.title,
  logoUrl: page.logoUrl,
  brandColor: page.brandColor,
  customDomain: page.customDomain,
  private: page.private,
  ...(secretLinkToken !== undefined && { secretLinkToken }),
  timeZone: page.timeZone,
  publicUrl: pageBaseUrl(page, publicUrl),
  createdAt: new Date(page.createdAtMs),
  updatedAt: new Date(page.updatedAtMs),
});

export interface ComponentGroupView {
  readonly id: string;
  readonly pageId: string;
  readonly name: string;
  readonly position: number;
}

export const groupView = (g: ComponentGroupRecord): ComponentGroupView => ({
  id: g.id,
  pageId: g.pageId,
  name: g.name,
  position: g.position,
});

export interface ComponentView {
  readonly id: string;
  readonly pageId: string;
  readonly groupId: string | null;
  readonly name: string;
  readonly description: string | null;
  readonly position: number;
  readonly serviceIds: string[];
  readonly manualStatus: ComponentStatus | null;
  readonly status: ComponentStatus;
  readonly onlyShowIfDegraded: boolean;
  readonly showcase: boolean;
}

export const componentView = (c: StatusComponentRecord, status: ComponentStatus): ComponentView => ({
  id: c.id,
  pageId: c.pageId,
  groupId: c.groupId,
  name: c.name,
  description: c.description,
  position: c.position,
  serviceIds: [...c.serviceIds],
  manualStatus: c.manualStatus,
  status,
  onlyShowIfDegraded: c.onlyShowIfDegraded,
  showcase: c.showcase,
});

export interface UpdateView {
  readonly id: string;
  readonly status: string;
  readonly body: string;
  readonly createdAt: Date;
}

export interface StatusIncidentView {
  readonly id: string;
  readonly pageId: string;
  readonly name: string;
  readonly status: StatusIncidentRecord["status"];
  readonly impact: StatusIncidentRecord["impact"];
  readonly componentIds: readonly string[];
  readonly componentStatus: ComponentStatus;
  readonly sourceIncidentId: string | null;
  readonly updates: readonly UpdateView[];
  readonly createdAt: Date;
  readonly resolvedAt: Date | null;
}

const updateView = (u: { id: string; status: string; body: string; createdAtMs: number }): UpdateView => ({
  id: u.id,
  status: u.status,
  body: u.body,
  createdAt: new Date(u.createdAtMs),
});

export const incidentView = (i: StatusIncidentRecord): StatusIncidentView => ({
  id: i.id,
  pageId: i.pageId,
  name: i.name,
  status: i.status,
  impact: i.impact,
  componentIds: i.componentIds,
  componentStatus: i.componentStatus,
  sourceIncidentId: i.sourceIncidentId,
  updates: i.updates.map(updateView),
  createdAt: new Date(i.createdAtMs),
  resolvedAt: i.resolvedAtMs === null ? null : new Date(i.resolvedAtMs),
});

export interface MaintenanceView {
  readonly id: string;
  readonly pageId: string;
  readonly name: string;
  readonly body: string;
  readonly componentIds: readonly string[];
  readonly scheduledFor: Date;
  readonly scheduledUntil: Date;
  readonly status: MaintenanceRecord["status"];
  readonly cancelled: boolean;
  readonly updates: readonly UpdateView[];
  readonly createdAt: Date;
}

export const maintenanceView = (m: MaintenanceRecord, nowMs: number): MaintenanceView => ({
  id: m.id,
  pageId: m.pageId,
  name: m.name,
  body: m.body,
  componentIds: m.componentIds,
  scheduledFor: new Date(m.scheduledForMs),
  scheduledUntil: new Date(m.scheduledUntilMs),
  status: maintenanceStatusAt(m, nowMs),
  cancelled: m.cancelledAtMs !== null,
  updates: m.updates.map(updateView),
  createdAt: new Date(m.createdAtMs),
});

/** Everything the public side of a page shows: 90 days of incidents and maintenance plus what is open. */
export async function loadSnapshot(
  tx: Tx,
  page: StatusPageRecord,
  publicUrl: string,
  nowMs: number,
): Promise<StatusPageSnapshot> {
  const sinceMs = nowMs - (UPTIME_DAYS + 1) * DAY_MS;
  const [groups, components, incidents, maintenances] = [
    await tx.statusComponents.listGroups(page.id),
    await tx.statusComponents.listComponents(page.id),
    await tx.statusIncidents.listForPage(page.id, { sinceMs, limit: SNAPSHOT_LIMIT }),
    await tx.statusMaintenances.listForPage(page.id, { sinceMs, limit: SNAPSHOT_LIMIT }),
  ];
  return { page, baseUrl: pageBaseUrl(page, publicUrl), groups, components, incidents, maintenances };
}
