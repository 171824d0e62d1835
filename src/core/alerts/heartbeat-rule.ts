import type { Integration } from "./records.js";

/**
 * When a heartbeat alerts. A heartbeat that has never checked in is waiting for its first check-in and
 * never alerts (as GoAlert's "inactive" monitors and Healthchecks.io's "new" checks): whoever adds it
 * must not be paged before the cron line is in place. From its first check-in on, a check-in missing
 * for longer than interval + grace alerts, and the next check-in resolves it.
 */
export type HeartbeatFacts = Pick<
  Integration,
  "kind" | "heartbeatIntervalSeconds" | "heartbeatGraceSeconds" | "lastCheckInAt" | "disabledAt"
>;

/** The last instant a check-in following `from` is on time: interval + grace later. */
export function heartbeatDeadline(heartbeat: HeartbeatFacts, from: Date): Date {
  const waitMs = ((heartbeat.heartbeatIntervalSeconds ?? 0) + (heartbeat.heartbeatGraceSeconds ?? 0)) * 1000;
  return new Date(from.getTime() + waitMs);
}

/**
 * When the `heartbeat.check` timer armed at `from` runs: just after the deadline, so a check-in at the
 * deadline itself is on time. Null while it waits for its first check-in: no timer, nothing to miss.
 */
export function heartbeatCheckAt(heartbeat: HeartbeatFacts, from: Date): Date | null {
  if (heartbeat.kind !== "heartbeat" || heartbeat.lastCheckInAt === null) return null;
  return new Date(heartbeatDeadline(heartbeat, from).getTime() + 1);
}

/** What a `heartbeat.check` timer does: alert, or why not. */
export type HeartbeatCheckOutcome =
  | "alert"
  /** Deleted, or not a heartbeat (any more). */
  | "gone"
  | "disabled"
  /** Never checked in: a timer armed before heartbeats waited for their first check-in raises nothing. */
  | "waiting-for-first-check-in"
  /** A check-in came after the one the timer was armed after: that one re-armed the timer. */
  | "checked-in-since";

/** The rule of a timer armed after the check-in at `armedAfterCheckInMs` (null: armed at creation). */
export function heartbeatCheckOutcome(
  heartbeat: HeartbeatFacts | undefined,
  armedAfterCheckInMs: number | null,
): HeartbeatCheckOutcome {
  if (!heartbeat || heartbeat.kind !== "heartbeat") return "gone";
  if (heartbeat.disabledAt) return "disabled";
  if (heartbeat.lastCheckInAt === null) return "waiting-for-first-check-in";
  if (heartbeat.lastCheckInAt.getTime() !== armedAfterCheckInMs) return "checked-in-since";
  return "alert";
}
