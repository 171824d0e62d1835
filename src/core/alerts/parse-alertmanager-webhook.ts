/**
 * Alertmanager's `webhook_configs` payload (version "4") and Grafana's webhook contact point (version
 * "1", the same shape plus a few fields), on one endpoint. See docs/reference ecosystem §1.
 *
 * One AlertEvent per entry of `alerts[]`: `firing` triggers, `resolved` resolves, keyed by the alert's
 * fingerprint (computed from its labels when the sender gave none or a malformed one) and grouped by the
 * message's `groupKey`. Unknown fields are ignored; a malformed entry becomes an error naming its field
 * while the other entries still come through. Never throws.
 */
import type { FieldError } from "../errors.js";
import type { AlertAction, AlertEvent, ParsedEvents } from "./alert-event.js";
import {
  alertmanagerLinks,
  alertmanagerSeverity,
  alertmanagerSource,
  alertmanagerSummary,
  type ExtraLink,
} from "./alertmanager-alert-fields.js";
import { alertmanagerFingerprint } from "./fingerprint.js";
import {
  definedEntries,
  fieldError,
  fieldPath,
  isAbsent,
  isJsonObject,
  limitErrors,
  own,
  readOptionalStringMap,
  readStringMap,
  ROOT_PATH,
  type JsonObject,
} from "./json-input.js";
import { parseOptionalTimestamp } from "./parse-timestamp.js";

export interface ParsedAlertmanagerWebhook extends ParsedEvents {
  /** The message's `groupKey` (`{}/{team="db"}:{alertname="DiskFull"}`), or null when it has none. */
  readonly groupKey: string | null;
  /** Alerts the sender left out because of its `max_alerts` setting; they are not in `events`. */
  readonly truncatedAlerts: number;
}

const FINGERPRINT = /^[0-9a-fA-F]{16}$/;

/** Per-alert fields Grafana adds; copied into the details when present. */
const GRAFANA_ALERT_FIELDS = [
  "dashboardURL",
  "panelURL",
  "silenceURL",
  "imageURL",
  "values",
  "valueString",
  "orgId",
  "ruleUID",
];

/** Parses a webhook body (already JSON-decoded). `now` stands in for timestamps the body does not give. */
export function parseAlertmanagerWebhook(body: unknown, now: Date): ParsedAlertmanagerWebhook {
  if (!isJsonObject(body)) {
    const errors = [fieldError(ROOT_PATH, "must be a JSON object")];
    return { events: [], errors, groupKey: null, truncatedAlerts: 0 };
  }
  const groupKeyValue = own(body, "groupKey");
  const groupKey = typeof groupKeyValue === "string" && groupKeyValue !== "" ? groupKeyValue : null;
  const truncatedAlerts = readCount(own(body, "truncatedAlerts"));
  const alerts = own(body, "alerts");
  if (!Array.isArray(alerts)) {
    const errors = [fieldError("/alerts", isAbsent(alerts) ? "is required" : "must be an array")];
    return { events: [], errors, groupKey, truncatedAlerts };
  }

  const message = messageDetails(body);
  const events: AlertEvent[] = [];
  const errors: FieldError[] = [];
  alerts.forEach((alert: unknown, index) => {
    const result = parseAlert(alert, fieldPath("/alerts", index), { groupKey, message, now });
    if (result.ok) events.push(result.event);
    else errors.push(...result.errors);
  });
  return { events, errors: limitErrors(errors), groupKey, truncatedAlerts };
}

interface AlertContext {
  readonly groupKey: string | null;
  readonly message: Record<string, unknown>;
  readonly now: Date;
}

type AlertResult =
  { readonly ok: true; readonly event: AlertEvent } | { readonly ok: false; readonly errors: FieldError[] };

function parseAlert(alert: unknown, path: string, context: AlertContext): AlertResult {
  if (!isJsonObject(alert)) return { ok: false, errors: [fieldError(path, "must be an object")] };
  const errors: FieldError[] = [];

  const labelsValue = own(alert, "labels");
  const labels = isAbsent(labelsValue)
    ? { ok: false as const, error: fieldError(fieldPath(path, "labels"), "is required") }
    : readStringMap(labelsValue, fieldPath(path, "labels"));
  if (!labels.ok) errors.push(labels.error);
  const annotations = readOptionalStringMap(own(alert, "annotations"), fieldPath(path, "annotations"));
  if (!annotations.ok) errors.push(annotations.error);

  const startsAt = parseOptionalTimestamp(own(alert, "startsAt"));
  const endsAt = parseOptionalTimestamp(own(alert, "endsAt"));
  const action = alertAction(own(alert, "status"), endsAt, context.now);
  if (action === null) errors.push(fieldError(fieldPath(path, "status"), "must be one of firing, resolved"));

  if (!labels.ok || !annotations.ok || action === null) return { ok: false, errors };

  const fingerprint = own(alert, "fingerprint");
  const dedupKey =
    typeof fingerprint === "string" && FINGERPRINT.test(fingerprint)
      ? fingerprint.toLowerCase()
      : alertmanagerFingerprint(labels.map);
  const generatorURL = own(alert, "generatorURL");
  const occurredAt = (action === "resolve" ? endsAt : startsAt) ?? context.now;

  const event: AlertEvent = {
    action,
    dedupKey,
    groupKey: context.groupKey,
    summary: alertmanagerSummary(labels.map, annotations.map),
    level: null,
    severity: alertmanagerSeverity(labels.map),
    labels: labels.map,
    details: alertDetails(alert, annotations.map, startsAt, endsAt, context.message),
    source: alertmanagerSource(labels.map),
    occurredAt,
    expiresAt: null,
    links: alertmanagerLinks(generatorURL, annotations.map, grafanaLinks(alert)),
  };
  return { ok: true, event };
}

/**
 * `firing` → trigger, `resolved` → resolve. With no status at all, decide as Alertmanager does: resolved
 * once a real end time has passed. Any other status is malformed (null).
 */
function alertAction(status: unknown, endsAt: Date | null, now: Date): AlertAction | null {
  if (status === "firing") return "trigger";
  if (status === "resolved") return "resolve";
  if (isAbsent(status)) return endsAt !== null && endsAt.getTime() <= now.getTime() ? "resolve" : "trigger";
  return null;
}

function alertDetails(
  alert: JsonObject,
  annotations: Readonly<Record<string, string>>,
  startsAt: Date | null,
  endsAt: Date | null,
  message: Record<string, unknown>,
): Record<string, unknown> {
  const generatorURL = own(alert, "generatorURL");
  const grafana = Object.fromEntries(GRAFANA_ALERT_FIELDS.map((key) => [key, own(alert, key) ?? undefined]));
  return definedEntries({
    annotations,
    generatorURL: typeof generatorURL === "string" && generatorURL !== "" ? generatorURL : undefined,
    startsAt: startsAt?.toISOString(),
    endsAt: endsAt?.toISOString(),
    ...message,
    ...grafana,
  });
}

/** Message-level fields worth keeping on each alert: where it came from and, for Grafana, its title. */
function messageDetails(body: JsonObject): Record<string, unknown> {
  const text = (key: string): string | undefined => {
    const value = own(body, key);
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  return definedEntries({
    externalURL: text("externalURL"),
    receiver: text("receiver"),
    title: text("title"),
  });
}

function grafanaLinks(alert: JsonObject): ExtraLink[] {
  return [
    [own(alert, "dashboardURL"), "Dashboard"],
    [own(alert, "panelURL"), "Panel"],
    [own(alert, "silenceURL"), "Silence"],
  ];
}

function readCount(value: unknown): number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : 0;
}
