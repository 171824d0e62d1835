import type { AlertEvent } from "../alerts/alert-event.js";
import { fnv1a64Hex } from "../alerts/fnv1a64.js";
import type { FieldError } from "../errors.js";

/**
 * How a service groups alerts into incidents:
 * - `group-key`: by the source's group (Alertmanager groupKey), else by the alert's own key;
 * - `labels`: by the values of the named labels (e.g. alertname + cluster);
 * - `none`: every alert opens its own incident.
 * An alert joins an open incident with the same key that opened (or was reopened) less than
 * `windowMinutes` ago (null: however long ago).
 */
export interface GroupingRule {
  readonly mode: "group-key" | "labels" | "none";
  readonly labels: readonly string[];
  readonly windowMinutes: number | null;
}

export const DEFAULT_GROUPING: GroupingRule = { mode: "group-key", labels: [], windowMinutes: null };

/** Longer keys are hashed: they are indexed, and PostgreSQL refuses index rows over 2,704 bytes. */
export const MAX_GROUPING_KEY_LENGTH = 200;

export function groupingKeyFor(
  rule: GroupingRule,
  event: Pick<AlertEvent, "groupKey" | "dedupKey" | "labels">,
): string {
  const [kind, key] = rawGroupingKey(rule, event);
  const full = `${kind}:${key}`;
  return full.length <= MAX_GROUPING_KEY_LENGTH ? full : `${kind}-fnv:${fnv1a64Hex(key)}:${key.length}`;
}

function rawGroupingKey(
  rule: GroupingRule,
  event: Pick<AlertEvent, "groupKey" | "dedupKey" | "labels">,
): [string, string] {
  switch (rule.mode) {
    case "group-key":
      return event.groupKey !== null && event.groupKey !== ""
        ? ["group", event.groupKey]
        : ["alert", event.dedupKey];
    case "labels":
      return ["labels", JSON.stringify(rule.labels.map((name) => event.labels[name] ?? ""))];
    case "none":
      return ["alert", event.dedupKey];
  }
}

export interface GroupCandidate {
  readonly id: string;
  readonly openedAt: Date;
  /** When it was last reopened, if it was: a reopened incident's window starts again then. */
  readonly reopenedAt?: Date | null;
}

/** The open incident (same service and key) an alert should join, if any: the newest that qualifies. */
export function incidentToJoin<T extends GroupCandidate>(
  rule: GroupingRule,
  openWithSameKey: readonly T[],
  now: Date,
): T | undefined {
  // "Less than N minutes ago": one opened exactly N minutes ago is outside the window.
  const windowStart = rule.windowMinutes === null ? -Infinity : now.getTime() - rule.windowMinutes * 60_000;
  const startOf = (incident: T) => Math.max(incident.openedAt.getTime(), incident.reopenedAt?.getTime() ?? 0);
  return [...openWithSameKey]
    .filter((incident) => startOf(incident) > windowStart)
    .sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime())[0];
}

/**
 * The earliest resolution a new alert may reopen: an incident resolved less than
 * `reopenWindowMinutes` ago (instants are whole milliseconds). Null: the service never reopens.
 */
export function reopenableSince(reopenWindowMinutes: number, now: Date): Date | null {
  return reopenWindowMinutes > 0 ? new Date(now.getTime() - reopenWindowMinutes * 60_000 + 1) : null;
}

export function checkGroupingRule(rule: GroupingRule, path = "/grouping"): FieldError[] {
  const errors: FieldError[] = [];
  if (rule.mode === "labels" && rule.labels.length === 0)
    errors.push({ path: `${path}/labels`, message: "name at least one label to group by" });
  if (rule.labels.length > 20) errors.push({ path: `${path}/labels`, message: "at most 20 labels" });
  if (
    rule.windowMinutes !== null &&
    (!Number.isInteger(rule.windowMinutes) || rule.windowMinutes < 1 || rule.windowMinutes > 7 * 24 * 60)
  ) {
    errors.push({
      path: `${path}/windowMinutes`,
      message: "must be a whole number of minutes from 1 to 10080, or null",
    });
  }
  return errors;
}
