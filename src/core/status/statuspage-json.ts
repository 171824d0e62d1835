import {
  isIncidentOpen,
  maintenanceStatusAt,
  type ResolvedComponent,
  type ResolvedPage,
} from "./component-status.js";
import type {
  ComponentStatus,
  IncidentImpact,
  IncidentStatus,
  MaintenanceRecord,
  MaintenanceStatus,
  PageIndicator,
  StatusIncidentRecord,
  StatusPageSnapshot,
} from "./status-records.js";
import { localIsoDate } from "./uptime.js";

/**
 * Statuspage-compatible JSON (ecosystem §6): the exact field names and enums, every field present,
 * unknown values null. Instants are ISO 8601 (UTC, `Z`).
 */

type Iso = string;
const iso = (ms: number): Iso => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): Iso | null => (ms === null ? null : iso(ms));

export interface PageJson {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  updated_at: Iso;
}

export interface ComponentJson {
  id: string;
  name: string;
  status: ComponentStatus;
  created_at: Iso;
  updated_at: Iso;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  /** Group containers only: their components' ids. */
  components?: string[];
}

export interface AffectedComponentJson {
  code: string;
  name: string;
  old_status: ComponentStatus;
  new_status: ComponentStatus;
}

export interface IncidentUpdateJson {
  id: string;
  status: IncidentStatus | MaintenanceStatus;
  body: string;
  incident_id: string;
  created_at: Iso;
  updated_at: Iso;
  display_at: Iso;
  affected_components: AffectedComponentJson[] | null;
  deliver_notifications: boolean;
  custom_tweet: string | null;
  tweet_id: string | null;
}

export interface IncidentJson {
  id: string;
  name: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  created_at: Iso;
  updated_at: Iso;
  monitoring_at: Iso | null;
  resolved_at: Iso | null;
  started_at: Iso;
  shortlink: string;
  page_id: string;
  incident_updates: IncidentUpdateJson[];
  components: ComponentJson[];
}

export interface ScheduledMaintenanceJson extends Omit<IncidentJson, "status" | "impact"> {
  status: MaintenanceStatus;
  impact: "maintenance";
  scheduled_for: Iso;
  scheduled_until: Iso;
}

export interface StatusJson {
  indicator: PageIndicator;
  description: string;
}

export const MAX_LISTED = 50;

/** The page's `updated_at`: its record's, which every change of what it shows moves on. */
export const pageJson = (s: StatusPageSnapshot): PageJson => ({
  id: s.page.id,
  name: s.page.title,
  url: s.baseUrl,
  time_zone: s.page.timeZone,
  updated_at: iso(s.page.updatedAtMs),
});

/**
 * `start_date` is what Statuspage counts uptime from (days before it show no data): here the
 * component's creation date in the page's zone, the date the public page's "uptime since" names.
 */
export const componentJson = (c: ResolvedComponent, timeZone: string): ComponentJson => ({
  id: c.component.id,
  name: c.component.name,
  status: c.status,
  created_at: iso(c.component.createdAtMs),
  updated_at: iso(c.component.updatedAtMs),
  position: c.component.position,
  description: c.component.description,
  showcase: c.component.showcase,
  start_date: localIsoDate(c.component.createdAtMs, timeZone),
  group_id: c.component.groupId,
  page_id: c.component.pageId,
  group: false,
  only_show_if_degraded: c.component.onlyShowIfDegraded,
});

/** Groups (as containers) and components in page order, each group followed by its components. */
export function componentsJson(s: StatusPageSnapshot, page: ResolvedPage): ComponentJson[] {
  const out: ComponentJson[] = [];
  for (const entry of page.entries) {
    if (entry.kind === "component") {
      out.push(componentJson(entry, s.page.timeZone));
      continue;
    }
    const g = entry.group;
    out.push({
      id: g.id,
      name: g.name,
      status: g.status,
      created_at: iso(g.createdAtMs),
      updated_at: iso(g.updatedAtMs),
      position: g.position,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: s.page.id,
      group: true,
      only_show_if_degraded: false,
      components: g.components.map((c) => c.component.id),
    });
    for (const c of g.components) out.push(componentJson(c, s.page.timeZone));
  }
  return out;
}

const affectedJson = (s: StatusPageSnapshot, page: ResolvedPage, ids: readonly string[]): ComponentJson[] =>
  page.components.filter((c) => ids.includes(c.component.id)).map((c) => componentJson(c, s.page.timeZone));

export function incidentJson(
  s: StatusPageSnapshot,
  page: ResolvedPage,
  i: StatusIncidentRecord,
): IncidentJson {
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    impact: i.impact,
    created_at: iso(i.createdAtMs),
    updated_at: iso(i.updatedAtMs),
    monitoring_at: isoOrNull(i.monitoringAtMs),
    resolved_at: isoOrNull(i.resolvedAtMs),
    started_at: iso(i.createdAtMs),
    shortlink: `${s.baseUrl}/incidents/${encodeURIComponent(i.id)}`,
    page_id: s.page.id,
    incident_updates: [...i.updates].reverse().map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: iso(u.createdAtMs),
      updated_at: iso(u.createdAtMs),
      display_at: iso(u.createdAtMs),
      affected_components:
        u.affectedComponents.length === 0
          ? null
          : u.affectedComponents.map((a) => ({
              code: a.componentId,
              name: a.name,
              old_status: a.oldStatus,
              new_status: a.newStatus,
            })),
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: affectedJson(s, page, i.componentIds),
  };
}

/** When a maintenance finished: completed, cancelled, or its end passed. */
export const maintenanceEndedAtMs = (m: MaintenanceRecord, nowMs: number): number | null =>
  m.completedAtMs ?? m.cancelledAtMs ?? (nowMs >= m.scheduledUntilMs ? m.scheduledUntilMs : null);

export function maintenanceJson(
  s: StatusPageSnapshot,
  page: ResolvedPage,
  m: MaintenanceRecord,
  nowMs: number,
): ScheduledMaintenanceJson {
  return {
    id: m.id,
    name: m.name,
    status: maintenanceStatusAt(m, nowMs),
    impact: "maintenance",
    created_at: iso(m.createdAtMs),
    updated_at: iso(m.updatedAtMs),
    monitoring_at: null,
    resolved_at: isoOrNull(maintenanceEndedAtMs(m, nowMs)),
    started_at: iso(m.scheduledForMs),
    shortlink: `${s.baseUrl}/maintenances/${encodeURIComponent(m.id)}`,
    page_id: s.page.id,
    incident_updates: [...m.updates].reverse().map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: m.id,
      created_at: iso(u.createdAtMs),
      updated_at: iso(u.createdAtMs),
      display_at: iso(u.createdAtMs),
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: affectedJson(s, page, m.componentIds),
    scheduled_for: iso(m.scheduledForMs),
    scheduled_until: iso(m.scheduledUntilMs),
  };
}

/** The public JSON documents by their path under /api/v2/. */
export const STATUSPAGE_DOCUMENTS = [
  "summary.json",
  "status.json",
  "components.json",
  "incidents.json",
  "incidents/unresolved.json",
  "scheduled-maintenances.json",
  "scheduled-maintenances/upcoming.json",
  "scheduled-maintenances/active.json",
] as const;
export type StatuspageDocument = (typeof STATUSPAGE_DOCUMENTS)[number];

export function statuspageDocument(
  doc: StatuspageDocument,
  s: StatusPageSnapshot,
  page: ResolvedPage,
  nowMs: number,
): Record<string, unknown> {
  const head = { page: pageJson(s) };
  const status: StatusJson = { indicator: page.status.indicator, description: page.status.description };
  const incidents = (list: readonly StatusIncidentRecord[]) => list.map((i) => incidentJson(s, page, i));
  const maintenances = (list: readonly MaintenanceRecord[]) =>
    list.map((m) => maintenanceJson(s, page, m, nowMs));
  switch (doc) {
    case "summary.json":
      return {
        ...head,
        components: componentsJson(s, page),
        incidents: incidents(page.openIncidents),
        scheduled_maintenances: maintenances([...page.activeMaintenances, ...page.upcomingMaintenances]),
        status,
      };
    case "status.json":
      return { ...head, status };
    case "components.json":
      return { ...head, components: componentsJson(s, page) };
    case "incidents.json":
      return { ...head, incidents: incidents(s.incidents.slice(0, MAX_LISTED)) };
    case "incidents/unresolved.json":
      return { ...head, incidents: incidents(s.incidents.filter(isIncidentOpen)) };
    case "scheduled-maintenances.json":
      return { ...head, scheduled_maintenances: maintenances(s.maintenances.slice(0, MAX_LISTED)) };
    case "scheduled-maintenances/upcoming.json":
      return { ...head, scheduled_maintenances: maintenances(page.upcomingMaintenances) };
    case "scheduled-maintenances/active.json":
      return { ...head, scheduled_maintenances: maintenances(page.activeMaintenances) };
  }
}
