import {
  COMPONENT_STATUS_RANK,
  worstComponentStatus,
  type ComponentStatus,
  type IncidentImpact,
  type MaintenanceRecord,
  type MaintenanceStatus,
  type PageIndicator,
  type StatusComponentRecord,
  type StatusIncidentRecord,
  type StatusPageSnapshot,
} from "./status-records.js";

/**
 * What customers see: each component's status, each group's, and the page's rollup. Pure; the
 * maintenance status is worked out by time as well as read from the record, so a page rendered a
 * moment before the transition job runs is still right.
 */

/** A maintenance's status at `nowMs`: scheduled → in_progress → completed by time; verifying is set by people. */
export function maintenanceStatusAt(m: MaintenanceRecord, nowMs: number): MaintenanceStatus {
  if (m.cancelledAtMs !== null || m.completedAtMs !== null || m.status === "completed") return "completed";
  if (nowMs >= m.scheduledUntilMs) return "completed";
  if (nowMs >= m.scheduledForMs) return m.status === "verifying" ? "verifying" : "in_progress";
  return "scheduled";
}

export const isMaintenanceActive = (status: MaintenanceStatus): boolean =>
  status === "in_progress" || status === "verifying";

export const isIncidentOpen = (i: Pick<StatusIncidentRecord, "status">): boolean => i.status !== "resolved";

/**
 * A component's status: a manual override wins; otherwise the worst of its open incidents' component
 * status, and under_maintenance while a maintenance of it runs (an outage during maintenance shows
 * the outage).
 */
export function deriveComponentStatus(
  component: Pick<StatusComponentRecord, "id" | "manualStatus">,
  incidents: readonly Pick<StatusIncidentRecord, "status" | "componentIds" | "componentStatus">[],
  maintenances: readonly MaintenanceRecord[],
  nowMs: number,
): ComponentStatus {
  if (component.manualStatus !== null) return component.manualStatus;
  const statuses: ComponentStatus[] = [];
  for (const i of incidents)
    if (isIncidentOpen(i) && i.componentIds.includes(component.id)) statuses.push(i.componentStatus);
  for (const m of maintenances)
    if (m.componentIds.includes(component.id) && isMaintenanceActive(maintenanceStatusAt(m, nowMs)))
      statuses.push("under_maintenance");
  return worstComponentStatus(statuses);
}

export interface PageStatus {
  readonly indicator: PageIndicator;
  readonly description: string;
}

const INDICATOR_RANK: Readonly<Record<PageIndicator, number>> = {
  none: 0,
  maintenance: 1,
  minor: 2,
  major: 3,
  critical: 4,
};

const COMPONENT_INDICATOR: Readonly<Record<ComponentStatus, PageIndicator>> = {
  operational: "none",
  under_maintenance: "maintenance",
  degraded_performance: "minor",
  partial_outage: "major",
  major_outage: "critical",
};

const IMPACT_INDICATOR: Readonly<Record<IncidentImpact, PageIndicator>> = {
  none: "none",
  minor: "minor",
  major: "major",
  critical: "critical",
};

/**
 * The page's rollup (ecosystem §6): the worst of the open incidents' impacts and the components'
 * statuses; maintenance alone reads "maintenance". "minor" says "Partially Degraded Service" when it
 * comes from degraded components, "Minor Service Outage" when from an incident's impact alone.
 */
export function rollUpPageStatus(
  componentStatuses: readonly ComponentStatus[],
  openIncidentImpacts: readonly IncidentImpact[],
): PageStatus {
  let indicator: PageIndicator = "none";
  const raise = (next: PageIndicator) => {
    if (INDICATOR_RANK[next] > INDICATOR_RANK[indicator]) indicator = next;
  };
  for (const s of componentStatuses) raise(COMPONENT_INDICATOR[s]);
  for (const impact of openIncidentImpacts) raise(IMPACT_INDICATOR[impact]);
  const degraded = componentStatuses.includes("degraded_performance");
  const description: Record<PageIndicator, string> = {
    none: "All Systems Operational",
    maintenance: "Service Under Maintenance",
    minor: degraded ? "Partially Degraded Service" : "Minor Service Outage",
    major: "Partial System Outage",
    critical: "Major Service Outage",
  };
  return { indicator, description: description[indicator] };
}

export interface ResolvedComponent {
  readonly component: StatusComponentRecord;
  readonly status: ComponentStatus;
}

export interface ResolvedGroup {
  readonly id: string;
  readonly name: string;
  readonly position: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** The worst of its components'. */
  readonly status: ComponentStatus;
  readonly components: readonly ResolvedComponent[];
}

/** The page as customers see it now: top-level entries (groups and ungrouped components) in order. */
export interface ResolvedPage {
  readonly status: PageStatus;
  readonly components: readonly ResolvedComponent[];
  readonly entries: ReadonlyArray<
    | { readonly kind: "group"; readonly group: ResolvedGroup }
    | ({ readonly kind: "component" } & ResolvedComponent)
  >;
  readonly openIncidents: readonly StatusIncidentRecord[];
  readonly activeMaintenances: readonly MaintenanceRecord[];
  readonly upcomingMaintenances: readonly MaintenanceRecord[];
}

const byPosition = <T extends { position: number; name: string }>(a: T, b: T) =>
  a.position - b.position || a.name.localeCompare(b.name);

export function resolvePage(snapshot: StatusPageSnapshot, nowMs: number): ResolvedPage {
  const components = [...snapshot.components].sort(byPosition).map((component) => ({
    component,
    status: deriveComponentStatus(component, snapshot.incidents, snapshot.maintenances, nowMs),
  }));
  const groups = [...snapshot.groups].sort(byPosition).map((g): ResolvedGroup => {
    const members = components.filter((c) => c.component.groupId === g.id);
    return {
      id: g.id,
      name: g.name,
      position: g.position,
      createdAtMs: g.createdAtMs,
      updatedAtMs: g.updatedAtMs,
      status: worstComponentStatus(members.map((m) => m.status)),
      components: members,
    };
  });
  const groupIds = new Set(groups.map((g) => g.id));
  const entries = [
    ...groups.map((group) => ({ kind: "group" as const, group, position: group.position, name: group.name })),
    ...components
      .filter((c) => c.component.groupId === null || !groupIds.has(c.component.groupId))
      .map((c) => ({
        kind: "component" as const,
        ...c,
        position: c.component.position,
        name: c.component.name,
      })),
  ].sort(byPosition);
  const openIncidents = snapshot.incidents.filter(isIncidentOpen);
  const withStatus = snapshot.maintenances.map((m) => ({ m, status: maintenanceStatusAt(m, nowMs) }));
  return {
    status: rollUpPageStatus(
      components.map((c) => c.status),
      openIncidents.map((i) => i.impact),
    ),
    components,
    entries: entries.map(({ position: _p, name: _n, ...e }) => e),
    openIncidents,
    activeMaintenances: withStatus.filter((x) => isMaintenanceActive(x.status)).map((x) => x.m),
    upcomingMaintenances: withStatus
      .filter((x) => x.status === "scheduled")
      .map((x) => x.m)
      .sort((a, b) => a.scheduledForMs - b.scheduledForMs),
  };
}

/** True when the component is shown on the HTML page (only-if-degraded components hide while fine). */
export const isComponentShown = (c: ResolvedComponent): boolean =>
  !c.component.onlyShowIfDegraded || COMPONENT_STATUS_RANK[c.status] > COMPONENT_STATUS_RANK.operational;
