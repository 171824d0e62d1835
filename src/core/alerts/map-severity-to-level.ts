import type { AlertLevel } from "./alert-event.js";

/**
 * The words senders use for how bad something is, and the level each one means here. Beyond the usual
 * critical/warning/info this covers priority scales (P1–P5, SEV1–SEV5) and high/medium/low.
 */
const LEVEL_BY_SEVERITY: Readonly<Record<string, AlertLevel>> = {
  critical: "page",
  crit: "page",
  fatal: "page",
  error: "page",
  page: "page",
  high: "page",
  p1: "page",
  p2: "page",
  sev1: "page",
  sev2: "page",
  warning: "notify",
  warn: "notify",
  notify: "notify",
  medium: "notify",
  p3: "notify",
  sev3: "notify",
  info: "ticket",
  informational: "ticket",
  ticket: "ticket",
  low: "ticket",
  p4: "ticket",
  p5: "ticket",
  sev4: "ticket",
  sev5: "ticket",
};

/** The level a severity word means (case and surrounding spaces ignored); `fallback` for unknown or missing words. */
export function levelForSeverity(severity: string | null, fallback: AlertLevel): AlertLevel {
  if (severity === null) return fallback;
  const key = severity.trim().toLowerCase();
  return Object.hasOwn(LEVEL_BY_SEVERITY, key) ? (LEVEL_BY_SEVERITY[key] as AlertLevel) : fallback;
}
