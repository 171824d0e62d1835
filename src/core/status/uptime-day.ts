import type { ComponentStatus } from "./status-records.js";
import { formatDay, formatDuration, formatShortDay } from "./status-markup.js";

/**
 * How one day's uptime bar looks and reads, from the minutes the component spent in each status that
 * day. Statuspage colours a day by how much downtime it had, on a green → yellow → orange → red scale,
 * so a few bad minutes do not paint the day like a bad afternoon. The rule here, first match wins:
 *
 *   down = major outage minutes + 0.3 × partial outage minutes   (the uptime figure's downtime)
 *   major        down ≥ 60 minutes          red      (an hour of full outage, or 3 h 20 min partial)
 *   outage       down ≥ 10 minutes          orange
 *   degraded     degraded performance ≥ 60  amber    (slow for an hour or more, little downtime)
 *   minor        any other trouble          yellow   (a blip: a 1-minute outage, 5 minutes slow)
 *   maintenance  only planned maintenance   blue     (announced work is not trouble)
 *   operational  nothing                    green
 *   no_data      before the component existed
 *
 * The thresholds are minutes, not a share of the day, so today (which ends at now) and the day the
 * component was made are judged like any other, and a 23- or 25-hour day across a DST change too.
 */

export type DayMinutes = Readonly<Record<Exclude<ComponentStatus, "operational">, number>>;

export const DAY_LEVELS = [
  "no_data",
  "operational",
  "maintenance",
  "minor",
  "degraded",
  "outage",
  "major",
] as const;
export type DayLevel = (typeof DAY_LEVELS)[number];

/** Partial outage counts for this much of major outage, in the day's colour and the uptime figure. */
export const PARTIAL_OUTAGE_WEIGHT = 0.3;
/** Weighted minutes of downtime from which a day is orange… */
export const OUTAGE_DAY_MINUTES = 10;
/** …and red. */
export const MAJOR_DAY_MINUTES = 60;
/** Minutes of degraded performance from which a day is amber. */
export const DEGRADED_DAY_MINUTES = 60;

/** Downtime as the uptime figure counts it: degraded performance and maintenance are not downtime. */
export const downMinutes = (m: DayMinutes): number =>
  m.major_outage + PARTIAL_OUTAGE_WEIGHT * m.partial_outage;

/** The day's colour by the rule above; `null` minutes: the component did not exist yet. */
export function dayLevel(minutes: DayMinutes | null): DayLevel {
  if (minutes === null) return "no_data";
  const down = downMinutes(minutes);
  if (down >= MAJOR_DAY_MINUTES) return "major";
  if (down >= OUTAGE_DAY_MINUTES) return "outage";
  if (minutes.degraded_performance >= DEGRADED_DAY_MINUTES) return "degraded";
  if (down > 0 || minutes.degraded_performance > 0) return "minor";
  if (minutes.under_maintenance > 0) return "maintenance";
  return "operational";
}

/** Worst first, as Statuspage's tooltip lists them. */
const STATUS_ORDER = [
  ["major_outage", "Major outage"],
  ["partial_outage", "Partial outage"],
  ["degraded_performance", "Degraded performance"],
  ["under_maintenance", "Under maintenance"],
] as const;

export interface DayForWords {
  /** The day's local midnight in the page's zone. */
  readonly startMs: number;
  readonly level: DayLevel;
  readonly minutes: DayMinutes;
  /** Incidents and maintenances that touched the component that day, by name. */
  readonly related: readonly { readonly name: string }[];
}

/** "Major outage 12 minutes, partial outage 1 hour 3 minutes"; "" when nothing happened. */
export function dayDurations(minutes: DayMinutes): string {
  return STATUS_ORDER.filter(([k]) => minutes[k] > 0)
    .map(([k, words], i) => `${i === 0 ? words : words.toLowerCase()} ${formatDuration(minutes[k] * 60_000)}`)
    .join(", ");
}

/** The bar's tooltip: the date, the durations in words and the related incidents. */
export function dayTitle(day: DayForWords, timeZone: string): string {
  const date = formatShortDay(day.startMs, timeZone);
  if (day.level === "no_data") return `${date}: no data`;
  const durations = dayDurations(day.minutes);
  const related = day.related.length > 0 ? `. Related: ${day.related.map((r) => r.name).join("; ")}` : "";
  return `${date}: ${durations || "no incidents or maintenance"}${related}`;
}

/** One day in the bars' accessible description: "10 January 2021, major outage 1 hour 30 minutes". */
export const daySpoken = (day: DayForWords, timeZone: string): string =>
  `${formatDay(day.startMs, timeZone)}, ${dayDurations(day.minutes).toLowerCase()}`;
