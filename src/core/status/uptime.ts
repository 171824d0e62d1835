import {
  COMPONENT_STATUS_RANK,
  type ComponentStatus,
  type MaintenanceRecord,
  type StatusIncidentRecord,
} from "./status-records.js";
import { formatDateTime, formatShortDay } from "./status-markup.js";
import { type DayLevel, type DayMinutes, dayLevel, PARTIAL_OUTAGE_WEIGHT } from "./uptime-day.js";

export { PARTIAL_OUTAGE_WEIGHT };

/**
 * 90 days of history per component, computed from incident and maintenance history: one bar per
 * local day (in the page's time zone) with the minutes spent in each non-operational status, the
 * colour those minutes give (`dayLevel` in uptime-day.ts), the worst status and what caused it.
 * Uptime = 1 − (major_outage + 0.3 × partial_outage) / tracked time, as Statuspage counts it:
 * degraded performance and maintenance are not downtime.
 *
 * Tracked time is only the time the component existed, as on Statuspage, where the days before a
 * component's start date show "no data" and do not count: the days before the one it was created on
 * are "no_data"; the day it was created counts from its creation, today up to now. So the figure is
 * over the last 90 days only for a component older than the window; for a younger one it is over the
 * time since its creation and is worded "since <date>" (`uptimeWording`), never as the 90 days'. Under
 * a day old (MIN_TRACKED_MS) there is no figure at all: three bad minutes out of seven would read as
 * "52% uptime", which says nothing about the service, so the page shows the day's bar and "tracked since".
 */

export const UPTIME_DAYS = 90;
const MINUTE_MS = 60_000;
/** A component tracked for less than this has no uptime figure yet (its day bar shows what happened). */
export const MIN_TRACKED_MS = 24 * 60 * MINUTE_MS;

export type DayStatus = ComponentStatus | "no_data";

export interface UptimeDay {
  /** Local date, YYYY-MM-DD. */
  readonly date: string;
  readonly startMs: number;
  /** Exclusive; the current day ends at now. */
  readonly endMs: number;
  readonly worst: DayStatus;
  /** The bar's colour, from the minutes (uptime-day.ts), not from the worst status alone. */
  readonly level: DayLevel;
  /** Whole minutes; a stretch under a minute counts as one, so a day with trouble never reads clean. */
  readonly minutes: DayMinutes;
  /** Incidents and maintenances that touched the component that day, oldest first. */
  readonly related: readonly RelatedEvent[];
}

export interface RelatedEvent {
  readonly kind: "incident" | "maintenance";
  readonly id: string;
  readonly name: string;
}

export interface ComponentUptime {
  readonly days: readonly UptimeDay[];
  /** Where the figure's time starts: the first day's midnight, or the component's creation if later. */
  readonly fromMs: number;
  /** The time the figure is over: from `fromMs` to now (0 if the component is not there yet). */
  readonly trackedMs: number;
  /** The component existed for the whole window, so the figure is the window's ("last 90 days"). */
  readonly wholeWindow: boolean;
  /** 0–100 over `trackedMs`; null while that is under a day (MIN_TRACKED_MS). */
  readonly uptimePercent: number | null;
}

interface Segment {
  readonly startMs: number;
  readonly endMs: number;
  readonly status: ComponentStatus;
}

interface EventSegments {
  readonly event: RelatedEvent;
  readonly firstMs: number;
  readonly segments: readonly Segment[];
}

/** The stretches of an incident, by the component status its updates set, from creation to resolution. */
export function incidentSegments(incident: StatusIncidentRecord, nowMs: number): Segment[] {
  const endMs = incident.resolvedAtMs ?? nowMs;
  const changes = incident.updates
    .filter((u) => u.componentStatus !== null)
    .map((u) => ({ atMs: u.createdAtMs, status: u.componentStatus as ComponentStatus }))
    .sort((a, b) => a.atMs - b.atMs);
  const initial = changes[0]?.status ?? incident.componentStatus;
  const points = [
    { atMs: incident.createdAtMs, status: initial },
    ...changes.filter((c) => c.atMs > incident.createdAtMs),
  ];
  const segments: Segment[] = [];
  points.forEach((p, i) => {
    const next = points[i + 1]?.atMs ?? endMs;
    const s = Math.max(p.atMs, incident.createdAtMs);
    const e = Math.min(next, endMs);
    if (e > s && p.status !== "operational") segments.push({ startMs: s, endMs: e, status: p.status });
  });
  return segments;
}

/** When a maintenance really ran: from its start to its end, completion or cancellation, up to now. */
export function maintenanceSegment(m: MaintenanceRecord, nowMs: number): Segment | null {
  const endMs = Math.min(m.scheduledUntilMs, m.completedAtMs ?? Infinity, m.cancelledAtMs ?? Infinity, nowMs);
  return endMs > m.scheduledForMs ? { startMs: m.scheduledForMs, endMs, status: "under_maintenance" } : null;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(ms: number, timeZone: string): Record<string, number> {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    partsFormatters.set(timeZone, f);
  }
  return Object.fromEntries(
    f
      .formatToParts(ms)
      .filter((p) => p.type !== "literal")
      .map((p) => [p.type, Number(p.value)]),
  );
}

/** The zone's offset from UTC at `ms` (local wall clock − UTC). */
function offsetAt(ms: number, timeZone: string): number {
  const p = partsIn(ms, timeZone);
  const wall = Date.UTC(
    p.year ?? 1970,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant of local midnight starting the local date y-m-d (twice refined across a DST change). */
export function localMidnightMs(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

export function localDateOf(ms: number, timeZone: string): { year: number; month: number; day: number } {
  const p = partsIn(ms, timeZone);
  return { year: p.year ?? 1970, month: p.month ?? 1, day: p.day ?? 1 };
}

const isoDate = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** The last `count` local days up to and including today, oldest first; today ends at now. */
export function lastLocalDays(
  nowMs: number,
  timeZone: string,
  count = UPTIME_DAYS,
): { date: string; startMs: number; endMs: number }[] {
  const today = localDateOf(nowMs, timeZone);
  const days: { date: string; startMs: number; endMs: number }[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    const next = new Date(Date.UTC(today.year, today.month - 1, today.day - back + 1));
    const startMs = localMidnightMs(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), timeZone);
    const endMs =
      back === 0
        ? nowMs
        : localMidnightMs(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone);
    days.push({ date: isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()), startMs, endMs });
  }
  return days;
}

/** Time spent in each status within [fromMs, toMs): at each instant the worst covering segment counts. */
function timeByStatus(
  segments: readonly Segment[],
  fromMs: number,
  toMs: number,
): Map<ComponentStatus, number> {
  const clipped = segments
    .map((s) => ({ ...s, startMs: Math.max(s.startMs, fromMs), endMs: Math.min(s.endMs, toMs) }))
    .filter((s) => s.endMs > s.startMs);
  const bounds = [...new Set(clipped.flatMap((s) => [s.startMs, s.endMs]))].sort((a, b) => a - b);
  const spent = new Map<ComponentStatus, number>();
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = bounds[i] as number;
    const b = bounds[i + 1] as number;
    let worst: ComponentStatus | null = null;
    for (const s of clipped)
      if (
        s.startMs <= a &&
        s.endMs >= b &&
        (worst === null || COMPONENT_STATUS_RANK[s.status] > COMPONENT_STATUS_RANK[worst])
      )
        worst = s.status;
    if (worst !== null) spent.set(worst, (spent.get(worst) ?? 0) + (b - a));
  }
  return spent;
}

export interface UptimeInput {
  readonly componentId: string;
  /** Days before the component existed have no data and do not count. */
  readonly componentCreatedAtMs: number;
  readonly incidents: readonly StatusIncidentRecord[];
  readonly maintenances: readonly MaintenanceRecord[];
  readonly timeZone: string;
  readonly nowMs: number;
  readonly days?: number;
}

const wholeMinutes = (ms: number): number => (ms > 0 ? Math.max(1, Math.round(ms / MINUTE_MS)) : 0);

export function componentUptime(input: UptimeInput): ComponentUptime {
  const events: EventSegments[] = [
    ...input.incidents
      .filter((i) => i.componentIds.includes(input.componentId))
      .map((i) => ({
        event: { kind: "incident" as const, id: i.id, name: i.name },
        firstMs: i.createdAtMs,
        segments: incidentSegments(i, input.nowMs),
      })),
    ...input.maintenances
      .filter((m) => m.componentIds.includes(input.componentId))
      .map((m) => ({
        event: { kind: "maintenance" as const, id: m.id, name: m.name },
        firstMs: m.scheduledForMs,
        segments: [maintenanceSegment(m, input.nowMs)].filter((s): s is Segment => s !== null),
      })),
  ]
    .filter((e) => e.segments.length > 0)
    .sort((a, b) => a.firstMs - b.firstMs);
  const segments = events.flatMap((e) => e.segments);
  let trackedMs = 0;
  let downMs = 0;
  const lastDays = lastLocalDays(input.nowMs, input.timeZone, input.days ?? UPTIME_DAYS);
  const days = lastDays.map((day): UptimeDay => {
    const fromMs = Math.max(day.startMs, input.componentCreatedAtMs);
    const tracked = fromMs < day.endMs;
    const spent = tracked ? timeByStatus(segments, fromMs, day.endMs) : new Map<ComponentStatus, number>();
    const ms = (s: ComponentStatus) => spent.get(s) ?? 0;
    if (tracked) {
      trackedMs += day.endMs - fromMs;
      downMs += ms("major_outage") + PARTIAL_OUTAGE_WEIGHT * ms("partial_outage");
    }
    let worst: DayStatus = tracked ? "operational" : "no_data";
    for (const [status] of spent)
      if (worst === "no_data" || COMPONENT_STATUS_RANK[status] > COMPONENT_STATUS_RANK[worst]) worst = status;
    const minutes: DayMinutes = {
      major_outage: wholeMinutes(ms("major_outage")),
      partial_outage: wholeMinutes(ms("partial_outage")),
      degraded_performance: wholeMinutes(ms("degraded_performance")),
      under_maintenance: wholeMinutes(ms("under_maintenance")),
    };
    const related = tracked
      ? events
          .filter((e) => e.segments.some((s) => s.startMs < day.endMs && s.endMs > fromMs))
          .map((e) => e.event)
      : [];
    return { ...day, worst, level: dayLevel(tracked ? minutes : null), minutes, related };
  });
  const windowStartMs = lastDays[0]?.startMs ?? input.nowMs;
  return {
    days,
    fromMs: Math.max(windowStartMs, input.componentCreatedAtMs),
    trackedMs,
    wholeWindow: input.componentCreatedAtMs <= windowStartMs,
    uptimePercent: trackedMs >= MIN_TRACKED_MS ? 100 * (1 - downMs / trackedMs) : null,
  };
}

/** "99.95%": two decimals, rounded down so that a bad minute never shows as 100%. */
export function formatUptimePercent(percent: number | null): string {
  if (percent === null) return "no data";
  const floored = Math.floor(percent * 100) / 100;
  return `${floored.toFixed(2)}%`;
}

export interface UptimeWording {
  /** Under the bars: "99.95% uptime", "99.58% uptime since 21 Mar 2025" or "Tracked since 6 Dec 2026, 23:11 UTC". */
  readonly text: string;
  /** The same for a screen reader, saying which period the figure is over. */
  readonly label: string;
}

/** What the page says about a component's uptime, naming the period the figure is really over. */
export function uptimeWording(u: ComponentUptime, timeZone: string, windowDays = UPTIME_DAYS): UptimeWording {
  const percent = formatUptimePercent(u.uptimePercent);
  if (u.uptimePercent !== null && u.wholeWindow)
    return { text: `${percent} uptime`, label: `${percent} uptime over the last ${windowDays} days` };
  if (u.uptimePercent !== null) {
    const text = `${percent} uptime since ${formatShortDay(u.fromMs, timeZone)}`;
    return { text, label: text };
  }
  const text = `Tracked since ${formatDateTime(u.fromMs, timeZone)}`;
  return { text, label: `${text}, no uptime figure before its first full day` };
}

/** The local date an instant falls on in `timeZone`, YYYY-MM-DD (Statuspage's `start_date`). */
export function localIsoDate(ms: number, timeZone: string): string {
  const d = localDateOf(ms, timeZone);
  return isoDate(d.year, d.month, d.day);
}
