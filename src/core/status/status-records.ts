/**
 * The public status page's records, with Statuspage's names for statuses and impacts
 * (ecosystem reference §6). Instants are epoch ms.
 */

export const COMPONENT_STATUSES = [
  "operational",
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "under_maintenance",
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

export const INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_IMPACTS = ["none", "minor", "major", "critical"] as const;
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number];

export const MAINTENANCE_STATUSES = ["scheduled", "in_progress", "verifying", "completed"] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

export const PAGE_INDICATORS = ["none", "maintenance", "minor", "major", "critical"] as const;
export type PageIndicator = (typeof PAGE_INDICATORS)[number];

/** How bad a component status is, for "worst of": maintenance is better than any degradation. */
export const COMPONENT_STATUS_RANK: Readonly<Record<ComponentStatus, number>> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

export const worstComponentStatus = (statuses: Iterable<ComponentStatus>): ComponentStatus => {
  let worst: ComponentStatus = "operational";
  for (const s of statuses) if (COMPONENT_STATUS_RANK[s] > COMPONENT_STATUS_RANK[worst]) worst = s;
  return worst;
};

export interface StatusPageRecord {
  readonly id: string;
  /** Lower-case letters, digits and dashes: /status/:slug. */
  readonly slug: string;
  readonly title: string;
  readonly logoUrl: string | null;
  /** "#RRGGBB". */
  readonly brandColor: string;
  /** A host name whose requests are this page (status.example.com); null: none. */
  readonly customDomain: string | null;
  readonly private: boolean;
  /** SHA-256 of the secret link's token (private pages); null: none made yet. */
  readonly secretTokenHash: string | null;
  readonly timeZone: string;
  /** Bumped in the same transaction as every change of what the page shows: the cache key. */
  readonly version: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface ComponentGroupRecord {
  readonly id: string;
  readonly pageId: string;
  readonly name: string;
  readonly position: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface StatusComponentRecord {
  readonly id: string;
  readonly pageId: string;
  readonly groupId: string | null;
  readonly name: string;
  readonly description: string | null;
  readonly position: number;
  /** Firebreak services whose incidents this component reflects. */
  readonly serviceIds: readonly string[];
  /** Set by a person: wins over everything derived. */
  readonly manualStatus: ComponentStatus | null;
  readonly onlyShowIfDegraded: boolean;
  readonly showcase: boolean;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** Which components an update changed, as Statuspage's `affected_components` names it. */
export interface AffectedComponent {
  readonly componentId: string;
  readonly name: string;
  readonly oldStatus: ComponentStatus;
  readonly newStatus: ComponentStatus;
}

export interface StatusIncidentUpdateRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly status: IncidentStatus;
  readonly body: string;
  /** What the incident's components show from this update on (null: unchanged). */
  readonly componentStatus: ComponentStatus | null;
  readonly affectedComponents: readonly AffectedComponent[];
  readonly createdAtMs: number;
}

export interface StatusIncidentRecord {
  readonly id: string;
  readonly pageId: string;
  readonly name: string;
  readonly status: IncidentStatus;
  readonly impact: IncidentImpact;
  readonly componentIds: readonly string[];
  /** What the affected components show while the incident is open. */
  readonly componentStatus: ComponentStatus;
  /** The Firebreak incident it was published from (the response workflow); null: posted directly. */
  readonly sourceIncidentId: string | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly monitoringAtMs: number | null;
  readonly resolvedAtMs: number | null;
  /** Oldest first. */
  readonly updates: readonly StatusIncidentUpdateRecord[];
}

export interface MaintenanceUpdateRecord {
  readonly id: string;
  readonly maintenanceId: string;
  readonly status: MaintenanceStatus;
  readonly body: string;
  readonly createdAtMs: number;
}

export interface MaintenanceRecord {
  readonly id: string;
  readonly pageId: string;
  readonly name: string;
  readonly body: string;
  readonly componentIds: readonly string[];
  readonly scheduledForMs: number;
  readonly scheduledUntilMs: number;
  /** As stored; moved by the transition jobs (see maintenanceStatusAt). */
  readonly status: MaintenanceStatus;
  readonly startedAtMs: number | null;
  readonly completedAtMs: number | null;
  /** Cancelled before or while it ran; shown as completed. */
  readonly cancelledAtMs: number | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** Oldest first. */
  readonly updates: readonly MaintenanceUpdateRecord[];
}

export type SubscriberKind = "email" | "webhook";

export interface StatusSubscriberRecord {
  readonly id: string;
  readonly pageId: string;
  readonly kind: SubscriberKind;
  /** Where confirmation and (for email) updates go. */
  readonly email: string;
  /** For webhook subscribers: where updates are POSTed. */
  readonly webhookUrl: string | null;
  /** SHA-256 of the confirmation token. */
  readonly confirmTokenHash: string;
  /** SHA-256 of the unsubscribe token. */
  readonly unsubscribeTokenHash: string;
  /** Null until the person clicked the confirmation link: only confirmed subscribers hear anything. */
  readonly confirmedAtMs: number | null;
  readonly createdAtMs: number;
}

/** Everything the public side of one page shows, loaded once per page version. */
export interface StatusPageSnapshot {
  readonly page: StatusPageRecord;
  /** Where customers see the page, no trailing slash (the custom domain's origin, or …/status/:slug). */
  readonly baseUrl: string;
  readonly groups: readonly ComponentGroupRecord[];
  readonly components: readonly StatusComponentRecord[];
  /** Unresolved ones and those of the last 90 days, newest first. */
  readonly incidents: readonly StatusIncidentRecord[];
  /** Upcoming, running and those of the last 90 days, newest scheduledFor first. */
  readonly maintenances: readonly MaintenanceRecord[];
}
