/**
 * Firebreak's generic alert webhook: a small JSON format for any tool with a "send a webhook" setting.
 *
 * The body is one event, or an array of at most 1000 events:
 *
 * ```json
 * {
 *   "summary": "Disk almost full on db-7",
 *   "dedup_key": "db-7/disk",
 *   "status": "firing",
 *   "level": "page",
 *   "severity": "critical",
 *   "source": "db-7.example.net",
 *   "labels": { "team": "storage", "env": "prod" },
 *   "details": { "used_percent": 97.5 },
 *   "links": [{ "href": "https://runbooks.example.net/disk", "text": "Runbook" }],
 *   "occurred_at": "2025-03-02T09:14:05Z"
 * }
 * ```
 *
 * | Field         | Type                              | Required | Meaning |
 * |---------------|-----------------------------------|----------|---------|
 * | `summary`     | string                            | yes      | The line people read first. Longer than 1024 characters is cut. |
 * | `dedup_key`   | string, ≤ 255 characters          | no       | Identity of the alert: events with the same key update one alert. Default: a hash of `summary`, `source` and `labels`, so resending the same event is harmless — but a summary that changes (say, with a number in it) then makes a new alert each time, so send a key for those. |
 * | `status`      | `"firing"` \| `"resolved"`        | no       | Default `"firing"`. `"resolved"` closes the alert with that key. |
 * | `level`       | `"page"` \| `"notify"` \| `"ticket"` | no    | `page` wakes the on-call person, `notify` posts to the team's channel, `ticket` only records. Default: the integration's setting (which may map `severity`). |
 * | `severity`    | string                            | no       | The sender's own word (critical, warning, P2…), shown and used for mapping. |
 * | `source`      | string                            | no       | Host, service or tool the event is about. |
 * | `labels`      | object of strings                 | no       | Used for routing and grouping. |
 * | `details`     | object                            | no       | Anything; shown on the incident as sent. |
 * | `links`       | array of `{ "href", "text"? }`    | no       | Absolute http(s) URLs shown on the incident. |
 * | `occurred_at` | RFC 3339 / ISO 8601 with an offset | no      | When it happened. Default: when we received it. |
 *
 * Other fields are ignored. `status` and `level` are matched case-insensitively. Each invalid event is
 * reported at the field at fault (`/2/summary` "is required"; for a single object, `/summary`) while the
 * valid events of the same array are accepted. Never throws.
 */
import type { FieldError } from "../errors.js";
import type { AlertEvent, ParsedEvents } from "./alert-event.js";
import { ALERT_LEVELS } from "./alert-event.js";
import { httpLink, type EventLink } from "./event-links.js";
import { summaryLine } from "./event-text.js";
import { fnv1a64Hex } from "./fnv1a64.js";
import {
  fieldError,
  fieldPath,
  isAbsent,
  isJsonObject,
  limitErrors,
  nonBlankString,
  own,
  readOptionalStringMap,
  ROOT_PATH,
  type JsonObject,
} from "./json-input.js";
import { parseTimestamp } from "./parse-timestamp.js";

export const MAX_GENERIC_EVENTS = 1000;
export const MAX_GENERIC_DEDUP_KEY_LENGTH = 255;

/** Parses a generic webhook body (already JSON-decoded): one event object or an array of them. */
export function parseGenericWebhook(body: unknown, now: Date): ParsedEvents {
  if (isJsonObject(body)) {
    const result = parseGenericEvent(body, "", now);
    return result.ok
      ? { events: [result.event], errors: [] }
      : { events: [], errors: limitErrors(result.errors) };
  }
  if (!Array.isArray(body)) {
    return { events: [], errors: [fieldError(ROOT_PATH, "must be a JSON object or an array of objects")] };
  }
  if (body.length > MAX_GENERIC_EVENTS) {
    return {
      events: [],
      errors: [
        fieldError(ROOT_PATH, `must hold at most ${MAX_GENERIC_EVENTS} events (it holds ${body.length})`),
      ],
    };
  }
  const events: AlertEvent[] = [];
  const errors: FieldError[] = [];
  body.forEach((item: unknown, index) => {
    const path = fieldPath("", index);
    if (!isJsonObject(item)) {
      errors.push(fieldError(path, "must be an object"));
      return;
    }
    const result = parseGenericEvent(item, path, now);
    if (result.ok) events.push(result.event);
    else errors.push(...result.errors);
  });
  return { events, errors: limitErrors(errors) };
}

/**
 * The dedup key used when the sender gives none: FNV-1a 64 of summary, source and the sorted labels,
 * as 16 hex digits. Stable across restarts and versions (it is stored), so do not change it.
 */
export function defaultGenericDedupKey(
  summary: string,
  source: string | null,
  labels: Readonly<Record<string, string>>,
): string {
  const sortedLabels = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return fnv1a64Hex(JSON.stringify([summary, source, sortedLabels]));
}

type EventResult =
  { readonly ok: true; readonly event: AlertEvent } | { readonly ok: false; readonly errors: FieldError[] };

function parseGenericEvent(item: JsonObject, path: string, now: Date): EventResult {
  const errors: FieldError[] = [];
  const at = (key: string): string => fieldPath(path, key);

  const summary = readSummary(own(item, "summary"), at("summary"), errors);

  const dedupKey = readDedupKey(own(item, "dedup_key"), at("dedup_key"), errors);
  const action = readChoice(own(item, "status"), at("status"), STATUSES, errors);
  const level = readChoice(own(item, "level"), at("level"), ALERT_LEVELS, errors);
  const severity = readOptionalText(own(item, "severity"), at("severity"), errors);
  const source = readOptionalText(own(item, "source"), at("source"), errors);

  const labels = readOptionalStringMap(own(item, "labels"), at("labels"));
  if (!labels.ok) errors.push(labels.error);

  const detailsValue = own(item, "details");
  if (!isAbsent(detailsValue) && !isJsonObject(detailsValue)) {
    errors.push(fieldError(at("details"), "must be an object"));
  }
  const links = readLinks(own(item, "links"), at("links"), errors);

  const occurredAtValue = own(item, "occurred_at");
  const occurredAt = isAbsent(occurredAtValue) ? now : parseTimestamp(occurredAtValue);
  if (occurredAt === null)
    errors.push(fieldError(at("occurred_at"), "must be an RFC 3339 date-time with an offset"));

  if (errors.length > 0 || summary === null || !labels.ok || occurredAt === null) {
    return { ok: false, errors };
  }
  const event: AlertEvent = {
    action: action === "resolved" ? "resolve" : "trigger",
    dedupKey: dedupKey ?? defaultGenericDedupKey(summary, source, labels.map),
    groupKey: null,
    summary: summaryLine(summary),
    level,
    severity,
    labels: labels.map,
    details: isJsonObject(detailsValue) ? detailsValue : {},
    source,
    occurredAt,
    expiresAt: null,
    links,
  };
  return { ok: true, event };
}

const STATUSES = ["firing", "resolved"] as const;

/** One of `choices` (case-insensitive), null when absent; an error when present and not one of them. */
function readChoice<T extends string>(
  value: unknown,
  path: string,
  choices: readonly T[],
  errors: FieldError[],
): T | null {
  if (isAbsent(value)) return null;
  const text = typeof value === "string" ? value.trim().toLowerCase() : null;
  const choice = choices.find((candidate) => candidate === text);
  if (choice === undefined) errors.push(fieldError(path, `must be one of ${choices.join(", ")}`));
  return choice ?? null;
}

function readSummary(value: unknown, path: string, errors: FieldError[]): string | null {
  const summary = nonBlankString(value);
  if (summary !== null) return summary;
  if (isAbsent(value)) errors.push(fieldError(path, "is required"));
  else errors.push(fieldError(path, typeof value === "string" ? "must not be blank" : "must be a string"));
  return null;
}

function readDedupKey(value: unknown, path: string, errors: FieldError[]): string | null {
  if (isAbsent(value)) return null;
  if (typeof value !== "string") {
    errors.push(fieldError(path, "must be a string"));
    return null;
  }
  if (value.trim() === "") return null;
  if (value.length > MAX_GENERIC_DEDUP_KEY_LENGTH) {
    errors.push(fieldError(path, `must be at most ${MAX_GENERIC_DEDUP_KEY_LENGTH} characters`));
    return null;
  }
  return value;
}

function readOptionalText(value: unknown, path: string, errors: FieldError[]): string | null {
  if (isAbsent(value)) return null;
  if (typeof value !== "string") errors.push(fieldError(path, "must be a string"));
  return nonBlankString(value);
}

function readLinks(value: unknown, path: string, errors: FieldError[]): EventLink[] {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) {
    errors.push(fieldError(path, "must be an array of { href, text? }"));
    return [];
  }
  const links: EventLink[] = [];
  value.forEach((item: unknown, index) => {
    const itemPath = fieldPath(path, index);
    if (!isJsonObject(item)) {
      errors.push(fieldError(itemPath, "must be an object with an href"));
      return;
    }
    const text = own(item, "text");
    if (!isAbsent(text) && typeof text !== "string")
      errors.push(fieldError(fieldPath(itemPath, "text"), "must be a string"));
    const link = httpLink(own(item, "href"), text);
    if (link === null)
      errors.push(fieldError(fieldPath(itemPath, "href"), "must be an absolute http(s) URL"));
    else links.push(link);
  });
  return links;
}
