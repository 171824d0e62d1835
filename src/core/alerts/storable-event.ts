import type { AlertEvent, ChangeEvent } from "./alert-event.js";

/** Free-form details deeper than this are cut: nobody reads them, and serialising them could overflow. */
export const MAX_DETAIL_DEPTH = 32;
const TOO_DEEP = "[nested too deep]";

/** U+0000 cannot be stored in PostgreSQL text; it becomes U+FFFD, as a bad byte would. */
export const withoutNul = (text: string): string =>
  text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;

/** A copy of a JSON-like value cut at `maxDepth` levels, with NUL removed from every string. */
export function boundedValue(value: unknown, maxDepth = MAX_DETAIL_DEPTH): unknown {
  if (typeof value === "string") return withoutNul(value);
  if (value === null || typeof value !== "object") return value;
  if (maxDepth <= 0) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => boundedValue(v, maxDepth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[withoutNul(k)] = boundedValue(v, maxDepth - 1);
  return out;
}

const boundedLinks = (links: AlertEvent["links"]) =>
  links.map((l) => ({ href: withoutNul(l.href), text: l.text === null ? null : withoutNul(l.text) }));
const boundedLabels = (labels: AlertEvent["labels"]) =>
  Object.fromEntries(Object.entries(labels).map(([k, v]) => [withoutNul(k), withoutNul(v)]));

/** An event as both databases can store it, whatever the sender put in it. */
export function storableEvent(event: AlertEvent): AlertEvent {
  return {
    ...event,
    dedupKey: withoutNul(event.dedupKey),
    groupKey: event.groupKey === null ? null : withoutNul(event.groupKey),
    summary: withoutNul(event.summary),
    severity: event.severity === null ? null : withoutNul(event.severity),
    source: event.source === null ? null : withoutNul(event.source),
    labels: boundedLabels(event.labels),
    details: boundedValue(event.details) as AlertEvent["details"],
    links: boundedLinks(event.links),
  };
}

export function storableChangeEvent(event: ChangeEvent): ChangeEvent {
  return {
    ...event,
    summary: withoutNul(event.summary),
    source: event.source === null ? null : withoutNul(event.source),
    details: boundedValue(event.details) as ChangeEvent["details"],
    links: boundedLinks(event.links),
  };
}
