// What a sender said about an alert beyond its summary: the description it gave, and the rest of
// its details as rows a person can read (the webhook docs promise they are shown as sent).
import type { Alert } from "../alerting-api";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The sender's longer explanation, when it gave one: Prometheus and Alertmanager put it in the
 * `description` annotation, a webhook may send a `description` detail.
 */
export function descriptionOf(alert: Pick<Alert, "summary" | "details">): string | undefined {
  const details = isObject(alert.details) ? alert.details : {};
  const annotations = isObject(details.annotations) ? details.annotations : {};
  const text = [annotations.description, details.description].find(
    (c): c is string => typeof c === "string" && c.trim() !== "",
  );
  return text && text.trim() !== alert.summary.trim() ? text.trim() : undefined;
}

export interface DetailRow {
  name: string;
  value: string;
}

/** Shown elsewhere on the card already: the summary, the description and the start. */
const SHOWN = new Set(["annotations.summary", "annotations.description", "description", "startsAt"]);
const MAX_ROWS = 40;

const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** The details one level deep (`annotations.runbook_url`), in the order sent, capped at 40 rows. */
export function detailRows(details: unknown): DetailRow[] {
  if (!isObject(details)) return [];
  const flat = Object.entries(details).flatMap(([key, value]) =>
    isObject(value)
      ? Object.entries(value).map(([inner, v]) => [`${key}.${inner}`, v] as const)
      : [[key, value] as const],
  );
  return flat
    .filter(([name, value]) => !SHOWN.has(name) && value !== null && value !== "")
    .slice(0, MAX_ROWS)
    .map(([name, value]) => ({ name, value: text(value) }));
}
