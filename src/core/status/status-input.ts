import type { FieldError } from "../errors.js";
import { isTimeZone } from "../maintenance/maintenance-window.js";
import type { ImpactLevel } from "../response/triage.js";
import {
  COMPONENT_STATUSES,
  INCIDENT_IMPACTS,
  INCIDENT_STATUSES,
  type ComponentStatus,
  type IncidentImpact,
} from "./status-records.js";

/** Checks of what people type about status pages; every error names its field. */

export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 1_000;
export const MAX_BODY_LENGTH = 10_000;
export const MAX_COMPONENTS_PER_ITEM = 100;
export const MAX_POSITION = 100_000;
/** A maintenance suppresses paging through one-off maintenance windows, which last at most 30 days. */
export const MAX_MAINTENANCE_DAYS = 30;
const DAY_MS = 24 * 60 * 60_000;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
// A DNS host name: labels of letters, digits and dashes, at least one dot, no port.
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

type Errors = FieldError[];

export function checkText(errors: Errors, path: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "string" || value.trim().length < min || value.length > max)
    errors.push({
      path,
      message: min > 0 ? `must be ${min} to ${max} characters` : `must be at most ${max} characters`,
    });
}

export function checkSlug(errors: Errors, path: string, slug: unknown): void {
  if (typeof slug !== "string" || !SLUG.test(slug))
    errors.push({
      path,
      message: "must be 1 to 63 lower-case letters, digits or dashes, not starting or ending with a dash",
    });
}

export function checkBrandColor(errors: Errors, path: string, color: unknown): void {
  if (typeof color !== "string" || !HEX_COLOR.test(color))
    errors.push({ path, message: 'must be a colour like "#1F6FEB"' });
}

/** Lower-cased host name, or null; errors for anything with a scheme, port, path or bad label. */
export function normaliseCustomDomain(errors: Errors, path: string, domain: unknown): string | null {
  if (domain === null || domain === undefined || domain === "") return null;
  const lowered = typeof domain === "string" ? domain.trim().toLowerCase().replace(/\.$/, "") : "";
  if (!HOST_NAME.test(lowered)) {
    errors.push({ path, message: "must be a host name like status.example.com (no scheme, port or path)" });
    return null;
  }
  return lowered;
}

export function checkHttpUrl(errors: Errors, path: string, url: unknown, max = 2_000): void {
  let ok = typeof url === "string" && url.length <= max;
  if (ok) {
    try {
      const parsed = new URL(url as string);
      ok = parsed.protocol === "https:" || parsed.protocol === "http:";
    } catch {
      ok = false;
    }
  }
  if (!ok) errors.push({ path, message: "must be an http(s) URL" });
}

export function checkTimeZone(errors: Errors, path: string, zone: unknown): void {
  if (typeof zone !== "string" || zone.length > 100 || !isTimeZone(zone))
    errors.push({ path, message: `unknown time zone ${String(zone)}` });
}

export function checkPosition(errors: Errors, path: string, position: unknown): void {
  if (!Number.isInteger(position) || (position as number) < 0 || (position as number) > MAX_POSITION)
    errors.push({ path, message: `must be a whole number from 0 to ${MAX_POSITION}` });
}

export const isComponentStatus = (s: unknown): s is ComponentStatus =>
  (COMPONENT_STATUSES as readonly unknown[]).includes(s);

export function checkEnum(errors: Errors, path: string, value: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(value as string))
    errors.push({ path, message: `must be one of: ${allowed.join(", ")}` });
}

export function checkIdList(errors: Errors, path: string, ids: unknown, max = MAX_COMPONENTS_PER_ITEM): void {
  if (!Array.isArray(ids) || ids.length > max) {
    errors.push({ path, message: `must be a list of at most ${max} ids` });
    return;
  }
  ids.forEach((id, i) => {
    if (typeof id !== "string" || id.length === 0 || id.length > 200)
      errors.push({ path: `${path}/${i}`, message: "needs an id" });
    else if (ids.indexOf(id) !== i) errors.push({ path: `${path}/${i}`, message: `${id} is listed twice` });
  });
}

export function checkIncidentFields(
  errors: Errors,
  input: { status?: unknown; impact?: unknown; componentStatus?: unknown; body?: unknown },
): void {
  if (input.status !== undefined) checkEnum(errors, "/status", input.status, INCIDENT_STATUSES);
  if (input.impact !== undefined) checkEnum(errors, "/impact", input.impact, INCIDENT_IMPACTS);
  if (input.componentStatus !== undefined && input.componentStatus !== null)
    checkEnum(errors, "/componentStatus", input.componentStatus, COMPONENT_STATUSES);
  if (input.body !== undefined) checkText(errors, "/body", input.body, 1, MAX_BODY_LENGTH);
}

export function checkMaintenanceWindowTimes(
  errors: Errors,
  scheduledForMs: number,
  scheduledUntilMs: number,
  nowMs: number,
  paths = { from: "/scheduledFor", until: "/scheduledUntil" },
): void {
  if (!Number.isFinite(scheduledForMs)) errors.push({ path: paths.from, message: "must be a date and time" });
  if (!Number.isFinite(scheduledUntilMs))
    errors.push({ path: paths.until, message: "must be a date and time" });
  if (!Number.isFinite(scheduledForMs) || !Number.isFinite(scheduledUntilMs)) return;
  if (scheduledUntilMs <= scheduledForMs)
    errors.push({ path: paths.until, message: "must be after scheduledFor" });
  else if (scheduledUntilMs <= nowMs) errors.push({ path: paths.until, message: "must be in the future" });
  else if (scheduledUntilMs - scheduledForMs > MAX_MAINTENANCE_DAYS * DAY_MS)
    errors.push({
      path: paths.until,
      message: `must be at most ${MAX_MAINTENANCE_DAYS} days after scheduledFor`,
    });
}

/** How a response-workflow incident's level shows on the page: its impact and what components show. */
export const LEVEL_ON_STATUS_PAGE: Readonly<
  Record<ImpactLevel, { readonly impact: IncidentImpact; readonly componentStatus: ComponentStatus }>
> = {
  outage: { impact: "critical", componentStatus: "major_outage" },
  "data-corruption": { impact: "major", componentStatus: "partial_outage" },
  degradation: { impact: "minor", componentStatus: "degraded_performance" },
};

/** The component status an incident's impact suggests when none is given. */
export const COMPONENT_STATUS_FOR_IMPACT: Readonly<Record<IncidentImpact, ComponentStatus>> = {
  none: "operational",
  minor: "degraded_performance",
  major: "partial_outage",
  critical: "major_outage",
};
