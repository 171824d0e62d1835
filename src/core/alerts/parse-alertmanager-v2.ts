/**
 * Alertmanager API v2 `POST /api/v2/alerts`: the JSON array of `postableAlert` that Prometheus, vmalert
 * and the other rulers push (ecosystem §2). Mirrors Alertmanager's own handling:
 *
 * - label pairs with an empty value are dropped, then at least one label must remain;
 * - label names must be non-empty (UTF-8 names are accepted, as Alertmanager ≥ 0.28 and Prometheus 3 do);
 * - `startsAt` defaults to `endsAt`, else to now; `endsAt` must not be before `startsAt`;
 * - an alert whose `endsAt` is at or before now is resolved; otherwise it fires until `endsAt`, or until
 *   now + resolve timeout when no `endsAt` is given (it then resolves by itself unless re-sent).
 *
 * The alert's identity is its label fingerprint. Invalid items become errors (at `/3/labels`) and the
 * valid ones are still returned, as Alertmanager stores the valid alerts and answers 400. Never throws.
 */
import type { FieldError } from "../errors.js";
import type { AlertAction, AlertEvent, ParsedEvents } from "./alert-event.js";
import {
  alertmanagerLinks,
  alertmanagerSeverity,
  alertmanagerSource,
  alertmanagerSummary,
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
  setOwn,
  type StringMapResult,
} from "./json-input.js";
import { isoTimestamp, isUnsetTime, parseTimestamp } from "./parse-timestamp.js";

/** Alertmanager's default `global.resolve_timeout`. */
export const DEFAULT_RESOLVE_TIMEOUT_MS = 5 * 60_000;

export function parsePostableAlerts(
  body: unknown,
  now: Date,
  resolveTimeoutMs: number = DEFAULT_RESOLVE_TIMEOUT_MS,
): ParsedEvents {
  if (!Array.isArray(body))
    return { events: [], errors: [fieldError(ROOT_PATH, "must be a JSON array of alerts")] };
  const timeoutMs =
    Number.isFinite(resolveTimeoutMs) && resolveTimeoutMs >= 0
      ? resolveTimeoutMs
      : DEFAULT_RESOLVE_TIMEOUT_MS;
  const events: AlertEvent[] = [];
  const errors: FieldError[] = [];
  body.forEach((item: unknown, index) => {
    const result = parsePostableAlert(item, fieldPath("", index), now, timeoutMs);
    if (result.ok) events.push(result.event);
    else errors.push(...result.errors);
  });
  return { events, errors: limitErrors(errors) };
}

type AlertResult =
  { readonly ok: true; readonly event: AlertEvent } | { readonly ok: false; readonly errors: FieldError[] };

function parsePostableAlert(item: unknown, path: string, now: Date, resolveTimeoutMs: number): AlertResult {
  if (!isJsonObject(item)) return { ok: false, errors: [fieldError(path, "must be an object")] };
  const errors: FieldError[] = [];

  const labels = readLabels(own(item, "labels"), fieldPath(path, "labels"));
  if (!labels.ok) errors.push(labels.error);

  const annotations = readOptionalStringMap(own(item, "annotations"), fieldPath(path, "annotations"));
  if (!annotations.ok) errors.push(annotations.error);
  else if (Object.hasOwn(annotations.map, ""))
    errors.push(fieldError(fieldPath(path, "annotations"), "names must not be empty"));

  const givenStartsAt = readTime(own(item, "startsAt"), fieldPath(path, "startsAt"), errors);
  const endsAt = readTime(own(item, "endsAt"), fieldPath(path, "endsAt"), errors);
  const startsAt = givenStartsAt ?? endsAt ?? now;
  if (endsAt !== null && endsAt.getTime() < startsAt.getTime()) {
    errors.push(fieldError(fieldPath(path, "endsAt"), "must not be before startsAt"));
  }

  const generatorURL = own(item, "generatorURL");
  if (!isAbsent(generatorURL) && typeof generatorURL !== "string") {
    errors.push(fieldError(fieldPath(path, "generatorURL"), "must be a string"));
  }

  if (errors.length > 0 || !labels.ok || !annotations.ok) return { ok: false, errors };
  const { map: labelSet } = labels;

  const resolved = endsAt !== null && endsAt.getTime() <= now.getTime();
  const action: AlertAction = resolved ? "resolve" : "trigger";
  const event: AlertEvent = {
    action,
    dedupKey: alertmanagerFingerprint(labelSet),
    groupKey: null,
    summary: alertmanagerSummary(labelSet, annotations.map),
    level: null,
    severity: alertmanagerSeverity(labelSet),
    labels: labelSet,
    details: definedEntries({
      annotations: annotations.map,
      generatorURL: typeof generatorURL === "string" && generatorURL !== "" ? generatorURL : undefined,
      startsAt: isoTimestamp(startsAt),
      endsAt: endsAt === null ? undefined : isoTimestamp(endsAt),
    }),
    source: alertmanagerSource(labelSet),
    occurredAt: resolved ? endsAt : startsAt,
    expiresAt: resolved ? null : (endsAt ?? new Date(now.getTime() + resolveTimeoutMs)),
    links: alertmanagerLinks(generatorURL, annotations.map),
  };
  return { ok: true, event };
}

/** The label set without empty values, or the error naming what is wrong with it. */
function readLabels(value: unknown, path: string): StringMapResult {
  const refused = (message: string) => ({ ok: false as const, error: fieldError(path, message) });
  if (isAbsent(value)) return refused("at least one label is required");
  const read = readStringMap(value, path);
  if (!read.ok) return read;
  const labels = Object.values(read.map).includes("") ? withoutEmptyValues(read.map) : read.map;
  if (Object.hasOwn(labels, "")) return refused("label names must not be empty");
  if (Object.keys(labels).length === 0) return refused("at least one label is required");
  return { ok: true, map: labels };
}

function withoutEmptyValues(map: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const key of Object.keys(map)) if (map[key] !== "") setOwn(kept, key, map[key] as string);
  return kept;
}

/** An optional RFC 3339 time: null when absent or Go's zero time; an error when present and malformed. */
function readTime(value: unknown, path: string, errors: FieldError[]): Date | null {
  if (isAbsent(value) || value === "") return null;
  const date = parseTimestamp(value);
  if (date === null) {
    errors.push(fieldError(path, "must be an RFC 3339 date-time"));
    return null;
  }
  return isUnsetTime(date) ? null : date;
}
