import type { AlertEvent, ChangeEvent } from "./alert-event.js";

/** Free-form details deeper than this are cut: nobody reads them, and serialising them could overflow. */
export const MAX_DETAIL_DEPTH = 32;
const TOO_DEEP = "[nested too deep]";

const hasNul = (text: string): boolean => text.includes("\u0000");

/** U+0000 cannot be stored in PostgreSQL text; it becomes U+FFFD, as a bad byte would. */
export const withoutNul = (text: string): string =>
  hasNul(text) ? text.replaceAll("\u0000", "\uFFFD") : text;

/**
 * A JSON-like value cut at `maxDepth` levels, with NUL removed from every string. The value itself
 * when nothing in it needs that (nearly always), else a copy.
 */
export function boundedValue(value: unknown, maxDepth = MAX_DETAIL_DEPTH): unknown {
  return needsBounding(value, maxDepth) ? boundedCopy(value, maxDepth) : value;
}

/**
 * Whether `boundedCopy` would store anything other than `value` as it is: a NUL, a level too deep, or
 * an object that a copy serialises differently (another prototype, an own `__proto__` key).
 */
function needsBounding(value: unknown, maxDepth: number): boolean {
  if (typeof value === "string") return hasNul(value);
  if (value === null || typeof value !== "object") return false;
  if (maxDepth <= 0) return true;
  if (Array.isArray(value)) return value.some((item) => needsBounding(item, maxDepth - 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return true;
  for (const key of Object.keys(value)) {
    if (key === "__proto__" || hasNul(key)) return true;
    if (needsBounding((value as Record<string, unknown>)[key], maxDepth - 1)) return true;
  }
  return false;
}

function boundedCopy(value: unknown, maxDepth: number): unknown {
  if (typeof value === "string") return withoutNul(value);
  if (value === null || typeof value !== "object") return value;
  if (maxDepth <= 0) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => boundedCopy(v, maxDepth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[withoutNul(k)] = boundedCopy(v, maxDepth - 1);
  return out;
}

const boundedLinks = (links: AlertEvent["links"]) =>
  links.some((l) => hasNul(l.href) || (l.text !== null && hasNul(l.text)))
    ? links.map((l) => ({ href: withoutNul(l.href), text: l.text === null ? null : withoutNul(l.text) }))
    : links;
const boundedLabels = (labels: AlertEvent["labels"]) =>
  Object.keys(labels).some((k) => hasNul(k) || hasNul(labels[k] as string))
    ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [withoutNul(k), withoutNul(v)]))
    : labels;

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
