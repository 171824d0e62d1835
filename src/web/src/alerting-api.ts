// The alert pipeline's API as the console uses it: services and their integrations, escalation
// policies, teams, shared channels, my contact methods and rules, and incidents. Shapes follow
// src/http/schemas.ts; dates arrive as ISO strings.
import { request } from "./api";

export type Level = "page" | "notify" | "ticket";
export type IncidentState = "triggered" | "acknowledged" | "resolved";
export type GroupingMode = "group-key" | "labels" | "none";

export interface Grouping {
  mode: GroupingMode;
  labels: string[];
  windowMinutes: number | null;
}

export interface Service {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  escalationPolicyId: string | null;
  channelId: string | null;
  grouping: Grouping;
  autoResolve: boolean;
  reopenWindowMinutes: number;
  createdAt: string;
  updatedAt: string;
  /** Listings only (GET list and one): a maintenance window holds its pages back until then. */
  maintenanceUntil?: string | null;
  /** Listings only: its integrations, disabled ones included. */
  integrationCount?: number;
  /** Listings only: those of its integrations that take alerts (not disabled). */
  enabledIntegrationCount?: number;
}

/** What a listing adds to a service's settings; a create or change answers the settings alone. */
type ServiceState = "maintenanceUntil" | "integrationCount" | "enabledIntegrationCount";

export type ServiceChanges = Partial<Omit<Service, "id" | "createdAt" | "updatedAt" | ServiceState>>;

export type IntegrationKind = "alertmanager" | "prometheus" | "pagerduty" | "webhook" | "heartbeat";

export interface Snippet {
  id: string;
  title: string;
  format: "yaml" | "shell" | "text";
  text: string;
}

export interface Integration {
  id: string;
  serviceId: string;
  kind: IntegrationKind;
  name: string;
  key: string;
  url: string;
  snippets: Snippet[];
  defaultLevel: Level;
  rateLimitPerMinute: number;
  heartbeatIntervalSeconds: number | null;
  heartbeatGraceSeconds: number | null;
  lastCheckInAt: string | null;
  /** Heartbeat: a check-in by then is on time; null: no pending check would alert. */
  nextCheckDueAt: string | null;
  disabledAt: string | null;
  createdAt: string;
  rotatedAt: string | null;
}

export interface NewIntegration {
  kind: IntegrationKind;
  name?: string;
  heartbeatIntervalSeconds?: number;
  heartbeatGraceSeconds?: number;
}

export type EscalationTarget =
  | { kind: "user"; userId: string }
  | { kind: "team"; teamId: string }
  | { kind: "schedule"; scheduleId: string };

export interface EscalationStep {
  delayMinutes: number;
  targets: EscalationTarget[];
}

export interface EscalationPolicy {
  id: string;
  name: string;
  steps: EscalationStep[];
  repeatCount: number;
  updatedAt: string;
}

export type PolicyInput = Pick<EscalationPolicy, "name" | "steps" | "repeatCount">;

export interface Team {
  id: string;
  name: string;
  createdAt: string;
}

export interface TeamMembership {
  teamId: string;
  userId: string;
  role: "member" | "manager";
  createdAt: string;
}

/** One of the signed-in person's teams, as GET /api/v1/me/teams lists them. */
export interface MyTeam {
  teamId: string;
  teamName: string;
  role: TeamMembership["role"];
}

export interface Channel {
  id: string;
  name: string;
  kind: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface ContactMethod {
  id: string;
  userId: string;
  kind: string;
  label: string;
  description: string;
  createdAt: string;
}

export interface NotificationRule {
  id: string;
  userId: string;
  contactMethodId: string;
  delayMinutes: number;
}

export interface TestOutcome {
  delivered: boolean;
  error?: string;
  retryable?: boolean;
}

/** What a page by hand sends: at most one of `userIds` and `escalationPolicyId`. */
export interface PageSomeoneBody {
  service: string;
  summary: string;
  userIds?: string[];
  escalationPolicyId?: string;
}

/** A page by hand's answer: the incident, whom it reached, and why nobody when so. */
export interface PagedIncident extends Incident {
  paged?: string[];
  pagedNobody?: boolean;
  warning?: string;
}

export interface Incident {
  id: string;
  number: number;
  serviceId: string;
  title: string;
  state: IncidentState;
  level: Level;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  escalation: {
    policyId: string;
    policyName: string;
    policyUpdatedAt: string;
    steps: EscalationStep[];
    repeatCount: number;
  } | null;
  escalationStep: number;
  escalationLoop: number;
  assigneeIds: string[];
  updatedAt: string;
}

/** A row of the incident list. */
export interface IncidentListItem extends Incident {
  /** When the escalation pages next, as the incident's page says; null when nothing is pending (older servers: absent). */
  nextEscalationAt?: string | null;
}

export interface Link {
  href: string;
  text: string | null;
}

export interface Alert {
  id: string;
  integrationId: string;
  dedupKey: string;
  status: "firing" | "resolved";
  level: Level;
  suppressed: boolean;
  summary: string;
  severity: string | null;
  labels: Record<string, string>;
  details: Record<string, unknown>;
  source: string | null;
  links: Link[];
  startedAt: string;
  lastEventAt: string;
  expiresAt: string | null;
  resolvedAt: string | null;
  eventCount: number;
}

export interface TimelineEntry {
  id: string;
  at: string;
  kind: string;
  actor: { kind: string; id: string; label: string } | null;
  message: string;
  data: Record<string, unknown>;
}

export interface Delivery {
  id: string;
  event: string;
  recipientKind: "user" | "channel";
  recipientId: string;
  status: "pending" | "sent" | "failed" | "skipped";
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** The person's name, or the channel's; null once removed (older servers leave it out). */
  recipientName?: string | null;
  /** How: "webhook (Ops hook)", "email"…; null once the contact method or channel is removed. */
  via?: string | null;
}

export interface ChangeEvent {
  id: string;
  summary: string;
  source: string | null;
  occurredAt: string;
  details: Record<string, unknown>;
  links: Link[];
}

/** How many alerts an incident has (the detail lists only the first 100). */
export interface AlertCounts {
  total: number;
  firing: number;
}

export interface IncidentDetail {
  incident: Incident;
  /** When the escalation moves on if nobody acknowledges; null when nothing is pending (older servers: absent). */
  nextEscalationAt?: string | null;
  serviceName: string;
  alerts: Alert[];
  alertCounts: AlertCounts;
  timeline: TimelineEntry[];
  /** "Alert added/resolved" entries past the first 100, left out (an alert storm). */
  omittedTimelineEntries: number;
  deliveries: Delivery[];
  recentChanges: ChangeEvent[];
}

/** What the live stream says about an incident that opened or changed. */
export interface IncidentEvent {
  id: string;
  number: number;
  state: IncidentState;
  title: string;
  serviceId: string;
  updatedAt: string;
}

export type IncidentVerb = "acknowledge" | "resolve" | "escalate";

/** Acknowledge, resolve and reopen say whether they changed the incident (older servers: absent). */
export interface ActionOutcome {
  changed?: boolean;
}
export type IntegrationVerb = "rotate-key" | "disable" | "enable";

const id = encodeURIComponent;

export const alerting = {
  listServices: () => request<Service[]>("GET", "/api/v1/services"),
  getService: (ref: string) => request<Service>("GET", `/api/v1/services/${id(ref)}`),
  createService: (body: ServiceChanges & { name: string }) =>
    request<Service>("POST", "/api/v1/services", body),
  updateService: (ref: string, body: ServiceChanges) =>
    request<Service>("PATCH", `/api/v1/services/${id(ref)}`, body),
  deleteService: (ref: string) => request<void>("DELETE", `/api/v1/services/${id(ref)}`),

  listIntegrations: (serviceId: string) =>
    request<Integration[]>("GET", `/api/v1/services/${id(serviceId)}/integrations`),
  createIntegration: (serviceId: string, body: NewIntegration) =>
    request<Integration>("POST", `/api/v1/services/${id(serviceId)}/integrations`, body),
  changeIntegration: (integrationId: string, verb: IntegrationVerb) =>
    request<Integration>("POST", `/api/v1/integrations/${id(integrationId)}/${verb}`),
  deleteIntegration: (integrationId: string) =>
    request<void>("DELETE", `/api/v1/integrations/${id(integrationId)}`),

  listPolicies: () => request<EscalationPolicy[]>("GET", "/api/v1/escalation-policies"),
  createPolicy: (body: PolicyInput) => request<EscalationPolicy>("POST", "/api/v1/escalation-policies", body),
  updatePolicy: (policyId: string, body: PolicyInput) =>
    request<EscalationPolicy>("PUT", `/api/v1/escalation-policies/${id(policyId)}`, body),
  deletePolicy: (policyId: string) => request<void>("DELETE", `/api/v1/escalation-policies/${id(policyId)}`),

  listTeams: () => request<Team[]>("GET", "/api/v1/teams"),
  createTeam: (body: { name: string }) => request<Team>("POST", "/api/v1/teams", body),
  deleteTeam: (teamId: string) => request<void>("DELETE", `/api/v1/teams/${id(teamId)}`),
  /** Adds a person to a team with this role, or changes their role in it (the same PUT). */
  setTeamMember: (teamId: string, userId: string, role: TeamMembership["role"]) =>
    request<TeamMembership>("PUT", `/api/v1/teams/${id(teamId)}/members/${id(userId)}`, { role }),
  removeTeamMember: (teamId: string, userId: string) =>
    request<void>("DELETE", `/api/v1/teams/${id(teamId)}/members/${id(userId)}`),

  listChannels: () => request<Channel[]>("GET", "/api/v1/channels"),
  createChannel: (body: { name: string; kind: string; config: Record<string, unknown> }) =>
    request<Channel>("POST", "/api/v1/channels", body),
  testChannel: (channelId: string) => request<TestOutcome>("POST", `/api/v1/channels/${id(channelId)}/test`),

  // Quiet about 401: asked while the session loads, and the session decides whether anyone is signed in.
  myTeams: () => request<MyTeam[]>("GET", "/api/v1/me/teams", undefined, { expectUnauthenticated: true }),

  listContactMethods: () => request<ContactMethod[]>("GET", "/api/v1/me/contact-methods"),
  addContactMethod: (body: { kind: string; label: string; config: Record<string, unknown> }) =>
    request<ContactMethod>("POST", "/api/v1/me/contact-methods", body),
  removeContactMethod: (methodId: string) =>
    request<void>("DELETE", `/api/v1/me/contact-methods/${id(methodId)}`),
  testContactMethod: (methodId: string) =>
    request<TestOutcome>("POST", `/api/v1/me/contact-methods/${id(methodId)}/test`),
  listRules: () => request<NotificationRule[]>("GET", "/api/v1/me/notification-rules"),
  setRules: (rules: Array<{ contactMethodId: string; delayMinutes: number }>) =>
    request<NotificationRule[]>("PUT", "/api/v1/me/notification-rules", { rules }),

  listIncidents: (filter: { states?: readonly IncidentState[]; service?: string; limit?: number }) => {
    const query = new URLSearchParams();
    if (filter.states?.length) query.set("state", filter.states.join(","));
    if (filter.service) query.set("service", filter.service);
    if (filter.limit) query.set("limit", String(filter.limit));
    const qs = query.toString();
    return request<IncidentListItem[]>("GET", `/api/v1/incidents${qs ? `?${qs}` : ""}`);
  },
  getIncident: (ref: string) => request<IncidentDetail>("GET", `/api/v1/incidents/${id(ref)}`),
  listIncidentAlerts: (ref: string, offset: number, limit: number) =>
    request<AlertCounts & { items: Alert[] }>(
      "GET",
      `/api/v1/incidents/${id(ref)}/alerts?offset=${offset}&limit=${limit}`,
    ),
  actOnIncident: (ref: string, verb: IncidentVerb) =>
    request<Incident & ActionOutcome>("POST", `/api/v1/incidents/${id(ref)}/${verb}`),
  /** Triggers a resolved incident again, paged from step 1; an open one is answered as it is. */
  reopenIncident: (ref: string, reason: string) =>
    request<Incident & ActionOutcome>(
      "POST",
      `/api/v1/incidents/${id(ref)}/reopen`,
      reason.trim() ? { reason: reason.trim() } : {},
    ),
  reassign: (ref: string, userIds: string[]) =>
    request<Incident>("POST", `/api/v1/incidents/${id(ref)}/reassign`, { userIds }),
  /** Pages the service's on-call, or instead the chosen people (`userIds`) or policy (`escalationPolicyId`). */
  pageSomeone: (body: PageSomeoneBody) => request<PagedIncident>("POST", "/api/v1/incidents", body),
};

export const STATE_LABEL: Record<IncidentState, string> = {
  triggered: "Triggered",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
};

export const LEVEL_LABEL: Record<Level, string> = { page: "Page", notify: "Notify", ticket: "Ticket" };

export const LEVEL_HELP: Record<Level, string> = {
  page: "wakes the on-call person",
  notify: "posts to the service's channel",
  ticket: "only recorded",
};

/** Only web links may become <a href>: alert and change links come from outside. */
export function safeHref(href: string): string | undefined {
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
