/**
 * PagerDuty Events API v2 (ecosystem §3): `POST /v2/enqueue` alert events and `POST /v2/change/enqueue`
 * change events, so that anything able to page PagerDuty (Alertmanager `pagerduty_configs`, Grafana,
 * Uptime Kuma, scripts) can point its URL at us. Error strings follow PagerDuty's wording
 * (`'payload.severity' is invalid (…)`); the shell answers them as `{"status":"invalid event", errors}`.
 *
 * Leniency where losing a page would be worse than a cosmetic flaw: a summary longer than 1024 is cut
 * (Alertmanager cuts at 1024 *characters*, which may be more UTF-16 units), severity is matched
 * case-insensitively, and an unreadable `payload.timestamp` falls back to `now` (kept raw in details).
 * Never throws.
 */
import type { AlertAction, AlertEvent, ChangeEvent } from "./alert-event.js";
import { httpLink, uniqueLinks, type EventLink } from "./event-links.js";
import { summaryLine, withoutGroupStatusPrefix } from "./event-text.js";
import {
  definedEntries,
  isAbsent,
  isJsonObject,
  nonBlankString,
  own,
  type JsonObject,
} from "./json-input.js";
import { parseOptionalTimestamp } from "./parse-timestamp.js";

export const PAGERDUTY_SEVERITIES = ["critical", "error", "warning", "info"] as const;
export const MAX_DEDUP_KEY_LENGTH = 255;

const ACTIONS: readonly AlertAction[] = ["trigger", "acknowledge", "resolve"];

export type ParsedPagerDutyEvent = { readonly routingKey: string | null } & (
  | {
      readonly ok: true;
      readonly event: AlertEvent;
      /** True for a trigger without `dedup_key`: `event.dedupKey` is "" and the caller must generate one. */
      readonly dedupKeyGenerated: boolean;
    }
  | { readonly ok: false; readonly errors: string[] }
);

export type ParsedPagerDutyChangeEvent = { readonly routingKey: string | null } & (
  { readonly ok: true; readonly event: ChangeEvent } | { readonly ok: false; readonly errors: string[] }
);

/** Parses a `/v2/enqueue` body (already JSON-decoded). */
export function parsePagerDutyEvent(body: unknown, now: Date): ParsedPagerDutyEvent {
  if (!isJsonObject(body)) {
    return { routingKey: null, ok: false, errors: ["Event object is invalid (must be a JSON object)"] };
  }
  const errors: string[] = [];
  const routingKey = readRoutingKey(body, errors);
  const action = readAction(own(body, "event_action"), errors);
  const dedupKey = readDedupKey(own(body, "dedup_key"), errors);
  if (action !== null && action !== "trigger" && dedupKey === null) {
    errors.push("'dedup_key' is missing or blank");
  }

  const payloadValue = own(body, "payload");
  const payload = isJsonObject(payloadValue) ? payloadValue : null;
  const summary = payload === null ? null : nonBlankString(own(payload, "summary"));
  const source = payload === null ? null : nonBlankString(own(payload, "source"));
  const severity = payload === null ? null : readSeverity(own(payload, "severity"));
  if (action === "trigger") {
    if (payload === null) errors.push("'payload' is missing or not an object");
    else validateTriggerPayload(payload, errors);
  }
  if (errors.length > 0 || action === null) return { routingKey, ok: false, errors };

  const timestamp = payload === null ? undefined : own(payload, "timestamp");
  const givenTime = parseOptionalTimestamp(timestamp);
  const event: AlertEvent = {
    action,
    dedupKey: dedupKey ?? "",
    groupKey: null,
    summary: summaryLine(
      withoutGroupStatusPrefix(summary ?? (action === "acknowledge" ? "Acknowledged" : "Resolved")),
    ),
    level: null,
    severity,
    labels: {},
    details: eventDetails(body, payload, givenTime === null ? timestamp : undefined),
    source,
    occurredAt: givenTime ?? now,
    expiresAt: null,
    links: eventLinks(body),
  };
  return { routingKey, ok: true, event, dedupKeyGenerated: dedupKey === null };
}

/** Parses a `/v2/change/enqueue` body (already JSON-decoded). */
export function parsePagerDutyChangeEvent(body: unknown, now: Date): ParsedPagerDutyChangeEvent {
  if (!isJsonObject(body)) {
    return { routingKey: null, ok: false, errors: ["Event object is invalid (must be a JSON object)"] };
  }
  const errors: string[] = [];
  const routingKey = readRoutingKey(body, errors);
  const payloadValue = own(body, "payload");
  const payload = isJsonObject(payloadValue) ? payloadValue : null;
  if (payload === null) errors.push("'payload' is missing or not an object");
  const summary = payload === null ? null : readRequiredText(payload, "summary", errors);
  if (payload === null || summary === null || errors.length > 0) return { routingKey, ok: false, errors };

  const timestamp = own(payload, "timestamp");
  const givenTime = parseOptionalTimestamp(timestamp);
  const event: ChangeEvent = {
    summary: summaryLine(summary),
    source: nonBlankString(own(payload, "source")),
    occurredAt: givenTime ?? now,
    details: definedEntries({
      custom_details: own(payload, "custom_details") ?? undefined,
      // A timestamp we could not read is kept as sent, so nothing the sender said is lost.
      timestamp: givenTime === null ? (timestamp ?? undefined) : undefined,
    }),
    links: eventLinks(body),
  };
  return { routingKey, ok: true, event };
}

function readRoutingKey(body: JsonObject, errors: string[]): string | null {
  const value = own(body, "routing_key");
  if (typeof value === "string" && value.trim() !== "") return value;
  errors.push("'routing_key' is missing or blank");
  return null;
}

function readAction(value: unknown, errors: string[]): AlertAction | null {
  if (isAbsent(value) || (typeof value === "string" && value.trim() === "")) {
    errors.push("'event_action' is missing or blank");
    return null;
  }
  const action = ACTIONS.find((candidate) => candidate === value);
  if (action === undefined) errors.push(`'event_action' is invalid (must be one of: ${ACTIONS.join(", ")})`);
  return action ?? null;
}

/** The dedup key exactly as sent (it is opaque), or null when absent or blank. */
function readDedupKey(value: unknown, errors: string[]): string | null {
  if (isAbsent(value)) return null;
  if (typeof value !== "string") {
    errors.push("'dedup_key' is invalid (must be a string)");
    return null;
  }
  if (value.trim() === "") return null;
  if (value.length > MAX_DEDUP_KEY_LENGTH) {
    errors.push(`'dedup_key' is too long (must be at most ${MAX_DEDUP_KEY_LENGTH} characters)`);
    return null;
  }
  return value;
}

function validateTriggerPayload(payload: JsonObject, errors: string[]): void {
  readRequiredText(payload, "summary", errors);
  readRequiredText(payload, "source", errors);
  const severity = own(payload, "severity");
  if (nonBlankString(severity) === null) errors.push("'payload.severity' is missing or blank");
  else if (readSeverity(severity) === null) {
    errors.push(`'payload.severity' is invalid (must be one of: ${PAGERDUTY_SEVERITIES.join(", ")})`);
  }
}

function readRequiredText(payload: JsonObject, key: string, errors: string[]): string | null {
  const value = own(payload, key);
  const text = nonBlankString(value);
  if (text !== null) return text;
  errors.push(
    isAbsent(value) || typeof value === "string"
      ? `'payload.${key}' is missing or blank`
      : `'payload.${key}' is invalid (must be a string)`,
  );
  return null;
}

function readSeverity(value: unknown): string | null {
  const text = nonBlankString(value)?.toLowerCase();
  return PAGERDUTY_SEVERITIES.find((severity) => severity === text) ?? null;
}

/** `unreadTimestamp`: the `payload.timestamp` we could not read, kept as sent (undefined when none). */
function eventDetails(
  body: JsonObject,
  payload: JsonObject | null,
  unreadTimestamp: unknown,
): Record<string, unknown> {
  const text = (object: JsonObject | null, key: string): string | undefined =>
    object === null ? undefined : (nonBlankString(own(object, key)) ?? undefined);
  const images = readImages(own(body, "images"));
  return definedEntries({
    custom_details: payload === null ? undefined : (own(payload, "custom_details") ?? undefined),
    component: text(payload, "component"),
    group: text(payload, "group"),
    class: text(payload, "class"),
    client: text(body, "client"),
    client_url: text(body, "client_url"),
    images: images.length > 0 ? images : undefined,
    timestamp: unreadTimestamp ?? undefined,
  });
}

/** `links[]` that are http(s) URLs, then the sending tool's own page (`client_url`, titled by `client`). */
function eventLinks(body: JsonObject): EventLink[] {
  const links = own(body, "links");
  const given = Array.isArray(links)
    ? links.map((link: unknown) =>
        isJsonObject(link) ? httpLink(own(link, "href"), own(link, "text")) : null,
      )
    : [];
  return uniqueLinks([...given, httpLink(own(body, "client_url"), own(body, "client"))]);
}

/** `images[]` entries with an http(s) `src`; `href` kept only when it is an http(s) URL too. */
function readImages(value: unknown): { src: string; href: string | null; alt: string | null }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((image: unknown) => {
    if (!isJsonObject(image)) return [];
    const src = httpLink(own(image, "src"), own(image, "alt"));
    if (src === null) return [];
    return [{ src: src.href, href: httpLink(own(image, "href"), null)?.href ?? null, alt: src.text }];
  });
}
