/**
 * One normalised event from any source (Alertmanager, Prometheus, PagerDuty, webhooks, heartbeats).
 * The ingest use case turns it into alert and incident changes; sources only parse and validate.
 */
import type { FieldError } from "../errors.js";

export type AlertLevel = "page" | "notify" | "ticket";

export const ALERT_LEVELS: readonly AlertLevel[] = ["page", "notify", "ticket"];

export type AlertAction = "trigger" | "acknowledge" | "resolve";

export interface AlertEvent {
  readonly action: AlertAction;
  /** Identity of the alert within its service: Alertmanager fingerprint, PagerDuty dedup_key, … */
  readonly dedupKey: string;
  /** Groups related alerts into one incident (Alertmanager groupKey); null groups by dedup key or labels. */
  readonly groupKey: string | null;
  /** One line a person reads first. At most 1024 characters. */
  readonly summary: string;
  /** page wakes people; notify reaches the shared channel only; ticket is recorded only. Null: the integration's default. */
  readonly level: AlertLevel | null;
  /** The source's own severity word (critical, warning, …), kept for display and mapping. */
  readonly severity: string | null;
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations, custom details, links: shown on the incident, never interpreted. */
  readonly details: Readonly<Record<string, unknown>>;
  /** Where it came from (host, job, tool name). */
  readonly source: string | null;
  /** When the source says it happened; the ingest time when it does not say. */
  readonly occurredAt: Date;
  /**
   * For trigger events that expire (Alertmanager API v2): the alert resolves by itself at this
   * instant unless refreshed. Null: it stays firing until resolved.
   */
  readonly expiresAt: Date | null;
  readonly links: readonly { readonly href: string; readonly text: string | null }[];
}

/** A change event (deploy, config change): shown on incidents as recent changes, never pages. */
export interface ChangeEvent {
  readonly summary: string;
  readonly source: string | null;
  readonly occurredAt: Date;
  readonly details: Readonly<Record<string, unknown>>;
  readonly links: readonly { readonly href: string; readonly text: string | null }[];
}

/** Result of parsing one source payload: the events it holds, and what was wrong with the rest. */
export interface ParsedEvents {
  readonly events: readonly AlertEvent[];
  /** What was wrong with the rest, each at its field's JSON Pointer: `{path: "/alerts/2/labels", …}`. */
  readonly errors: readonly FieldError[];
}
