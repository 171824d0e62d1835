import type { Alert } from "../../core/alerts/records.js";

/**
 * The first alert's facts for a page, compact and bounded: what a responder needs at 3 am (severity,
 * where, the description, the labels) without letting a sender's 1 MB details blob reach a mail or
 * a chat message. Every channel also cuts to its own limits; these bounds hold for all of them.
 */

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export const FACT_LIMITS = {
  /** Rows of facts the message carries at most, "More" included. */
  rows: 16,
  labelChars: 64,
  /** A label's value: labels are identifiers (instance, pod), never prose. */
  labelValueChars: 200,
  /** An annotation or detail: a description may run to a paragraph. */
  detailValueChars: 500,
  /** All values together, so the rows cannot add up to more than a screenful. */
  totalValueChars: 2500,
} as const;

// Details that are links (rendered as links already), times the message shows, or the sender's
// bookkeeping: as rows they would push out the facts that matter.
const SKIPPED_DETAILS = new Set([
  "annotations",
  "custom_details",
  "startsAt",
  "endsAt",
  "generatorURL",
  "externalURL",
  "receiver",
  "dashboardURL",
  "panelURL",
  "silenceURL",
  "imageURL",
  "orgId",
  "client_url",
  "images",
  "timestamp",
  "fingerprint",
]);
const SKIPPED_ANNOTATIONS = new Set(["runbook_url"]);

const ELLIPSIS = "…";

/** At most `maxChars` UTF-16 units, ending with "…" when cut, never splitting a surrogate pair. */
export function cutChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars < 1) return "";
  let cut = text.slice(0, maxChars - ELLIPSIS.length);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

const STOP = Symbol("stop");

/**
 * A detail's value as text: a string as it is, anything else as compact JSON. The JSON is written
 * only up to `maxChars` (then cut), so a huge object costs no more than its first few hundred chars.
 */
export function compactValue(value: unknown, maxChars: number): string {
  if (typeof value === "string") return cutChars(value, maxChars);
  let out = "";
  const write = (text: string): void => {
    out += text;
    if (out.length > maxChars) throw STOP;
  };
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== "object") {
      const text = typeof v === "string" ? JSON.stringify(v.slice(0, maxChars + 1)) : JSON.stringify(v);
      write(text ?? "null");
      return;
    }
    if (depth >= 8) return write(Array.isArray(v) ? "[…]" : "{…}");
    if (Array.isArray(v)) {
      write("[");
      v.forEach((item: unknown, i) => {
        if (i > 0) write(",");
        walk(item, depth + 1);
      });
      return write("]");
    }
    write("{");
    let first = true;
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      if (!first) write(",");
      first = false;
      write(`${JSON.stringify(key.slice(0, maxChars + 1))}:`);
      walk((v as Record<string, unknown>)[key], depth + 1);
    }
    write("}");
  };
  try {
    walk(value, 0);
    return out;
  } catch (err) {
    if (err !== STOP) throw err;
    return cutChars(out, maxChars);
  }
}

interface Candidate {
  readonly label: string;
  readonly value: unknown;
  readonly maxChars: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const blank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** The alert's facts in the order a responder reads them; lazily, so a huge object is never walked whole. */
function* candidates(alert: Alert, title: string): Generator<Candidate> {
  const labelValues = new Set(Object.values(alert.labels));
  // Alertmanager's source is the instance or job label: shown once, as the label.
  if (alert.source !== null && alert.source.trim() !== "" && !labelValues.has(alert.source))
    yield { label: "Source", value: alert.source, maxChars: FACT_LIMITS.labelValueChars };
  for (const [name, value] of Object.entries(alert.labels)) {
    if (name === "alertname" || (name === "severity" && value === alert.severity)) continue;
    yield { label: name, value, maxChars: FACT_LIMITS.labelValueChars };
  }
  const repeatsTitle = (v: unknown) => v === title || v === alert.summary;
  const annotations = alert.details.annotations;
  if (isPlainObject(annotations)) {
    for (const name in annotations) {
      if (!Object.hasOwn(annotations, name) || SKIPPED_ANNOTATIONS.has(name)) continue;
      const value = annotations[name];
      if (blank(value) || repeatsTitle(value)) continue;
      yield { label: name, value, maxChars: FACT_LIMITS.detailValueChars };
    }
  }
  const custom = alert.details.custom_details;
  if (isPlainObject(custom)) {
    for (const name in custom) {
      if (!Object.hasOwn(custom, name) || blank(custom[name])) continue;
      yield { label: name, value: custom[name], maxChars: FACT_LIMITS.detailValueChars };
    }
  } else if (!blank(custom)) {
    yield { label: "custom_details", value: custom, maxChars: FACT_LIMITS.detailValueChars };
  }
  for (const name in alert.details) {
    if (!Object.hasOwn(alert.details, name) || SKIPPED_DETAILS.has(name)) continue;
    const value = alert.details[name];
    if (blank(value) || (name === "title" && repeatsTitle(value))) continue;
    yield { label: name, value, maxChars: FACT_LIMITS.detailValueChars };
  }
}

/**
 * The alert's severity, then `lead` (Firebreak's own facts: the alert count, the policy), then its
 * source, labels and details, each value cut, within FACT_LIMITS; a last row says how many more the
 * incident page has.
 */
export function alertFacts(alert: Alert | undefined, title: string, lead: readonly Fact[]): Fact[] {
  const facts: Fact[] = [];
  if (alert?.severity) facts.push({ label: "Severity", value: cutChars(alert.severity, 100) });
  facts.push(...lead);
  if (alert === undefined) return facts;
  let room = FACT_LIMITS.totalValueChars;
  let more = 0;
  for (const c of candidates(alert, title)) {
    // One row is kept for "More", in case later ones do not fit.
    if (more > 0 || facts.length >= FACT_LIMITS.rows - 1 || room < 20) {
      more++;
      continue;
    }
    const value = compactValue(c.value, Math.min(c.maxChars, room));
    room -= value.length;
    facts.push({ label: cutChars(c.label, FACT_LIMITS.labelChars), value });
  }
  if (more > 0)
    facts.push({
      label: "More",
      value: `${more} more label${more === 1 ? " or detail" : "s or details"} on the incident page`,
    });
  return facts;
}
