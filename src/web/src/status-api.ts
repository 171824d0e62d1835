// Status pages as the console uses them: pages, component groups, components, status incidents and
// their updates, scheduled maintenance, subscribers and the per-level templates. Shapes follow
// /work/notes/status-api.md (the REST contract); instants arrive as ISO strings.
import { request } from "./api";

export type ComponentStatus =
  "operational" | "degraded_performance" | "partial_outage" | "major_outage" | "under_maintenance";
export type IncidentStatus = "investigating" | "identified" | "monitoring" | "resolved";
export type IncidentImpact = "none" | "minor" | "major" | "critical";
export type MaintenanceStatus = "scheduled" | "in_progress" | "verifying" | "completed";
/** The levels the public-update templates are written for (core/response/public-update-templates). */
export type TemplateLevel = "degradation" | "data-corruption" | "outage";

export interface StatusPage {
  id: string;
  slug: string;
  title: string;
  logoUrl: string | null;
  brandColor: string;
  customDomain: string | null;
  private: boolean;
  /** Only in the answer to a create (of a private page); never again. */
  secretLinkToken?: string;
  timeZone: string;
  /** Where customers see the page. */
  publicUrl: string;
  createdAt: string;
  updatedAt: string;
}

export interface PageSettings {
  slug: string;
  title: string;
  logoUrl: string | null;
  brandColor: string;
  customDomain: string | null;
  private: boolean;
  timeZone: string;
}

export interface ComponentGroup {
  id: string;
  pageId: string;
  name: string;
  position: number;
}

export interface StatusComponent {
  id: string;
  pageId: string;
  groupId: string | null;
  name: string;
  description: string | null;
  position: number;
  serviceIds: string[];
  manualStatus: ComponentStatus | null;
  /** Derived: what customers see. */
  status: ComponentStatus;
  onlyShowIfDegraded: boolean;
  showcase: boolean;
}

export interface ComponentChanges {
  name?: string;
  description?: string | null;
  groupId?: string | null;
  position?: number;
  serviceIds?: string[];
  manualStatus?: ComponentStatus | null;
  onlyShowIfDegraded?: boolean;
  showcase?: boolean;
}

export interface StatusUpdate {
  id: string;
  status: IncidentStatus;
  body: string;
  createdAt: string;
}

export interface StatusIncident {
  id: string;
  pageId: string;
  name: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  componentIds: string[];
  /** What the affected components show while the incident is open. */
  componentStatus: ComponentStatus | null;
  sourceIncidentId: string | null;
  updates: StatusUpdate[];
  createdAt: string;
  resolvedAt: string | null;
}

export interface NewStatusIncident {
  name: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  body: string;
  componentIds: string[];
  componentStatus?: ComponentStatus;
}

export interface MaintenanceUpdate {
  id: string;
  body: string;
  createdAt: string;
  status?: MaintenanceStatus;
}

export interface StatusMaintenance {
  id: string;
  pageId: string;
  name: string;
  body: string;
  componentIds: string[];
  scheduledFor: string;
  scheduledUntil: string;
  /** Shown as completed; cancelled before or while it ran. */
  cancelled: boolean;
  status: MaintenanceStatus;
  updates: MaintenanceUpdate[];
  createdAt: string;
}

export interface NewMaintenance {
  name: string;
  body: string;
  componentIds: string[];
  scheduledFor: string;
  scheduledUntil: string;
}

export interface Subscriber {
  id: string;
  kind: "email" | "webhook";
  /** Where the confirmation (and, for email, the updates) go. */
  email: string;
  /** Webhook subscribers: where updates are POSTed. */
  webhookUrl: string | null;
  /** Null until the subscriber confirmed: only confirmed ones hear anything. */
  confirmedAt: string | null;
  createdAt: string;
}

const id = encodeURIComponent;
const base = (pageId: string) => `/api/v1/status-pages/${id(pageId)}`;

export const statusPages = {
  list: () => request<StatusPage[]>("GET", "/api/v1/status-pages"),
  get: (pageId: string) => request<StatusPage>("GET", base(pageId)),
  create: (body: Partial<PageSettings> & { slug: string; title: string }) =>
    request<StatusPage>("POST", "/api/v1/status-pages", body),
  update: (pageId: string, body: Partial<PageSettings>) => request<StatusPage>("PATCH", base(pageId), body),
  remove: (pageId: string) => request<void>("DELETE", base(pageId)),
  rotateSecretLink: (pageId: string) =>
    request<{ url: string }>("POST", `${base(pageId)}/secret-link/rotate`),

  listGroups: (pageId: string) => request<ComponentGroup[]>("GET", `${base(pageId)}/groups`),
  createGroup: (pageId: string, body: { name: string; position?: number }) =>
    request<ComponentGroup>("POST", `${base(pageId)}/groups`, body),
  updateGroup: (pageId: string, groupId: string, body: { name?: string; position?: number }) =>
    request<ComponentGroup>("PATCH", `${base(pageId)}/groups/${id(groupId)}`, body),
  removeGroup: (pageId: string, groupId: string) =>
    request<void>("DELETE", `${base(pageId)}/groups/${id(groupId)}`),

  listComponents: (pageId: string) => request<StatusComponent[]>("GET", `${base(pageId)}/components`),
  createComponent: (pageId: string, body: ComponentChanges & { name: string }) =>
    request<StatusComponent>("POST", `${base(pageId)}/components`, body),
  updateComponent: (pageId: string, componentId: string, body: ComponentChanges) =>
    request<StatusComponent>("PATCH", `${base(pageId)}/components/${id(componentId)}`, body),
  removeComponent: (pageId: string, componentId: string) =>
    request<void>("DELETE", `${base(pageId)}/components/${id(componentId)}`),

  listIncidents: (pageId: string) => request<StatusIncident[]>("GET", `${base(pageId)}/incidents`),
  getIncident: (pageId: string, incidentId: string) =>
    request<StatusIncident>("GET", `${base(pageId)}/incidents/${id(incidentId)}`),
  createIncident: (pageId: string, body: NewStatusIncident) =>
    request<StatusIncident>("POST", `${base(pageId)}/incidents`, body),
  updateIncident: (
    pageId: string,
    incidentId: string,
    body: { name?: string; impact?: IncidentImpact; componentIds?: string[] },
  ) => request<StatusIncident>("PATCH", `${base(pageId)}/incidents/${id(incidentId)}`, body),
  postIncidentUpdate: (
    pageId: string,
    incidentId: string,
    body: { status: IncidentStatus; body: string; componentStatus?: ComponentStatus },
  ) => request<StatusIncident>("POST", `${base(pageId)}/incidents/${id(incidentId)}/updates`, body),

  listMaintenances: (pageId: string) => request<StatusMaintenance[]>("GET", `${base(pageId)}/maintenances`),
  createMaintenance: (pageId: string, body: NewMaintenance) =>
    request<StatusMaintenance>("POST", `${base(pageId)}/maintenances`, body),
  updateMaintenance: (
    pageId: string,
    maintenanceId: string,
    body: Partial<NewMaintenance> & { status?: Exclude<MaintenanceStatus, "scheduled"> },
  ) => request<StatusMaintenance>("PATCH", `${base(pageId)}/maintenances/${id(maintenanceId)}`, body),
  cancelMaintenance: (pageId: string, maintenanceId: string) =>
    request<StatusMaintenance>("DELETE", `${base(pageId)}/maintenances/${id(maintenanceId)}`),
  postMaintenanceUpdate: (pageId: string, maintenanceId: string, body: { body: string }) =>
    request<StatusMaintenance>("POST", `${base(pageId)}/maintenances/${id(maintenanceId)}/updates`, body),

  listSubscribers: (pageId: string) => request<Subscriber[]>("GET", `${base(pageId)}/subscribers`),
  removeSubscriber: (pageId: string, subscriberId: string) =>
    request<void>("DELETE", `${base(pageId)}/subscribers/${id(subscriberId)}`),

  /** The level's text for `status`, {components} filled by the server ("our service" when none). */
  template: (level: TemplateLevel, status: IncidentStatus, componentNames: readonly string[]) => {
    const query = new URLSearchParams({ level, status });
    // The server splits on commas, so a name with one is sent without it.
    if (componentNames.length > 0)
      query.set("components", componentNames.map((n) => n.replaceAll(",", " ")).join(","));
    return request<{ body: string }>("GET", `/api/v1/status-pages/templates?${query.toString()}`);
  },
};

export const COMPONENT_STATUSES: readonly ComponentStatus[] = [
  "operational",
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "under_maintenance",
];

export const COMPONENT_STATUS_LABEL: Record<ComponentStatus, string> = {
  operational: "Operational",
  degraded_performance: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  under_maintenance: "Under maintenance",
};

export const INCIDENT_STATUSES: readonly IncidentStatus[] = [
  "investigating",
  "identified",
  "monitoring",
  "resolved",
];

export const INCIDENT_STATUS_LABEL: Record<IncidentStatus, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

export const IMPACTS: readonly IncidentImpact[] = ["none", "minor", "major", "critical"];

export const IMPACT_LABEL: Record<IncidentImpact, string> = {
  none: "None",
  minor: "Minor",
  major: "Major",
  critical: "Critical",
};

export const TEMPLATE_LEVELS: readonly TemplateLevel[] = ["degradation", "data-corruption", "outage"];

export const TEMPLATE_LEVEL_LABEL: Record<TemplateLevel, string> = {
  degradation: "Degradation (slow or partly failing)",
  "data-corruption": "Data corruption (working, but wrong)",
  outage: "Outage (not working)",
};

export const MAINTENANCE_STATUS_LABEL: Record<MaintenanceStatus, string> = {
  scheduled: "Scheduled",
  in_progress: "In progress",
  verifying: "Verifying",
  completed: "Completed",
};

/** The template level that fits what the affected components show, for the picker's first choice. */
export function levelFor(status: ComponentStatus | undefined): TemplateLevel {
  if (status === "major_outage" || status === "partial_outage") return "outage";
  return "degradation";
}

/** The impact Statuspage would give an incident whose components show `status`. */
export function impactFor(status: ComponentStatus): IncidentImpact {
  switch (status) {
    case "major_outage":
      return "critical";
    case "partial_outage":
      return "major";
    case "degraded_performance":
      return "minor";
    default:
      return "none";
  }
}

/** "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** Any placeholder a template still holds, filled with the chosen components' names. */
export function fillTemplate(body: string, componentNames: readonly string[]): string {
  const components = componentNames.length > 0 ? joinNames(componentNames) : "our service";
  return body.replaceAll("{components}", components).replaceAll("{service}", "our service");
}

/** Where the console's preview frame loads the page: on this host, so the session opens private pages. */
export const previewPath = (page: Pick<StatusPage, "slug">): string => `/status/${id(page.slug)}`;
