import type { AuditActor } from "../audit/audit-entry.js";
import type { GroupingRule } from "../incidents/grouping.js";
import type { MaintenanceWindow } from "../maintenance/maintenance-window.js";
import type { AlertLevel } from "./alert-event.js";

/** Records of the alert pipeline, as the app and the store exchange them. Instants are Dates. */

export interface Service {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly teamId: string | null;
  readonly escalationPolicyId: string | null;
  /** The shared channel that gets every page- and notify-level incident. */
  readonly channelId: string | null;
  readonly grouping: GroupingRule;
  /** Resolve the incident when all its alerts have resolved. */
  readonly autoResolve: boolean;
  /** A new alert within this many minutes of the incident's resolution reopens it (0: never). */
  readonly reopenWindowMinutes: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Deleted by a person: hidden from lists, kept so its incidents still show its name. */
  readonly archivedAt?: Date | null;
}

/**
 * What sends to an integration. "manual" is the one the system makes for paging by hand: no sender
 * outside Firebreak uses its key, and the integration lists leave it out.
 */
export type IntegrationKind =
  "alertmanager" | "prometheus" | "pagerduty" | "webhook" | "heartbeat" | "manual";
/** The kinds people create, each with its own sender format. */
export const INTEGRATION_KINDS: readonly IntegrationKind[] = [
  "alertmanager",
  "prometheus",
  "pagerduty",
  "webhook",
  "heartbeat",
];

export interface Integration {
  readonly id: string;
  readonly serviceId: string;
  readonly kind: IntegrationKind;
  readonly name: string;
  /** The secret that authenticates senders (in the URL or the PagerDuty routing_key). */
  readonly key: string;
  /** Level of alerts whose source says nothing that maps to one. */
  readonly defaultLevel: AlertLevel;
  /** Events accepted per minute before 429. */
  readonly rateLimitPerMinute: number;
  readonly heartbeatIntervalSeconds: number | null;
  readonly heartbeatGraceSeconds: number | null;
  readonly lastCheckInAt: Date | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  readonly rotatedAt: Date | null;
  /** Deleted by a person: its key no longer works; kept because its alerts refer to it. */
  readonly archivedAt?: Date | null;
}

export type AlertStatus = "firing" | "resolved";

export interface Alert {
  readonly id: string;
  readonly serviceId: string;
  readonly integrationId: string;
  readonly dedupKey: string;
  readonly groupingKey: string;
  readonly status: AlertStatus;
  readonly level: AlertLevel;
  /** Recorded during a maintenance window: it paged nobody. */
  readonly suppressed: boolean;
  readonly summary: string;
  readonly severity: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, unknown>>;
  readonly source: string | null;
  readonly links: readonly { readonly href: string; readonly text: string | null }[];
  readonly startedAt: Date;
  readonly lastEventAt: Date;
  /** Resolves by itself at this instant unless refreshed (Alertmanager API v2 endsAt). */
  readonly expiresAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly incidentId: string | null;
  readonly eventCount: number;
  readonly createdAt: Date;
}

export interface TimelineEntry {
  readonly id: string;
  readonly incidentId: string;
  readonly at: Date;
  /** `entity.verb`: incident.triggered, incident.escalated, notification.failed, alert.added, … */
  readonly kind: string;
  readonly actor: AuditActor | null;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface ContactMethod {
  readonly id: string;
  readonly userId: string;
  /** A notifier kind: email, webhook, slack, teams, discord, ntfy. */
  readonly kind: string;
  readonly label: string;
  /** The notifier's settings; may hold secrets (a webhook URL), never shown in logs. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

export interface StoredNotificationRule {
  readonly id: string;
  readonly userId: string;
  readonly contactMethodId: string;
  readonly delayMinutes: number;
}

export interface NotificationChannel {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type DeliveryStatus = "pending" | "sent" | "failed" | "skipped";

/** One message to one receiver: the outbox row, and afterwards the delivery log. */
export interface Delivery {
  readonly id: string;
  readonly incidentId: string;
  readonly event: "triggered" | "escalated" | "acknowledged" | "resolved" | "reopened" | "test";
  readonly recipientKind: "user" | "channel";
  readonly recipientId: string;
  /** The contact method (for a user) or null (for a channel). */
  readonly contactMethodId: string | null;
  readonly channelId: string | null;
  /** Sent to the receiver with every attempt; unique, so a delivery is never planned twice. */
  readonly idempotencyKey: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly externalId: string | null;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
}

export interface ChangeEventRecord {
  readonly id: string;
  readonly serviceId: string;
  readonly integrationId: string;
  readonly summary: string;
  readonly source: string | null;
  readonly occurredAt: Date;
  readonly details: Readonly<Record<string, unknown>>;
  readonly links: readonly { readonly href: string; readonly text: string | null }[];
  readonly createdAt: Date;
}

export interface MaintenanceWindowRecord {
  readonly id: string;
  readonly serviceId: string;
  readonly window: MaintenanceWindow;
  readonly reason: string;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}
