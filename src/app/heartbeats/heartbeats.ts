import type { AlertEvent } from "../../core/alerts/alert-event.js";
import {
  heartbeatCheckAt,
  heartbeatCheckOutcome,
  heartbeatDeadline,
} from "../../core/alerts/heartbeat-rule.js";
import type { Integration } from "../../core/alerts/records.js";
import { AppError, notFound } from "../../core/errors.js";
import { formatDuration } from "../../core/status/status-markup.js";
import type { AppDeps } from "../deps.js";
import type { JobKeyMode } from "../ports/jobs.js";
import type { Tx } from "../ports/store.js";
import { ingestAlertEvents } from "../alerts/ingest-alert-events.js";
import { heartbeatCheckJobKey } from "./heartbeat-check-key.js";

export const heartbeatDedupKey = (integrationId: string) => `heartbeat:${integrationId}`;
const lastCheckInMs = (integration: Integration) => integration.lastCheckInAt?.getTime() ?? null;

export { heartbeatDeadline };

/**
 * Arms the timer that raises the alert if no check-in follows `from` within interval + grace. A heartbeat
 * waiting for its first check-in gets none (core/alerts/heartbeat-rule.ts): its first check-in arms it.
 */
export async function armHeartbeatCheck(
  tx: Tx,
  integration: Integration,
  from: Date,
  keyMode: JobKeyMode = "replace",
): Promise<void> {
  const runAt = heartbeatCheckAt(integration, from);
  if (!runAt) return;
  await tx.jobs.enqueue(
    "heartbeat.check",
    { integrationId: integration.id, checkInAtMs: lastCheckInMs(integration), clockFromMs: from.getTime() },
    { runAt, key: heartbeatCheckJobKey(integration.id), keyMode },
  );
}

/**
 * Enabled again: the timer that ran while it was disabled raised nothing and is gone, so start the clock
 * afresh from now (a timer still waiting from before keeps its earlier deadline). Still waiting for its
 * first check-in: nothing to arm.
 */
export function armHeartbeatAfterEnable(tx: Tx, integration: Integration, now: Date): Promise<void> {
  return armHeartbeatCheck(tx, integration, now, "keep-earliest");
}

/** "45 seconds", "6 minutes", "2 hours 5 minutes", "3 days 1 hour". */
const durationWords = (ms: number): string =>
  ms < 60_000
    ? `${Math.round(ms / 1000)} second${Math.round(ms / 1000) === 1 ? "" : "s"}`
    : formatDuration(ms);

/**
 * The missed alert's title: which heartbeat, how long it has been silent and how far past due it is.
 * Only a heartbeat that has checked in alerts, so the silence runs from its last check-in. Its clock
 * runs from `clockFrom`: the last check-in, or a later enable (the time it was disabled is not overdue).
 */
export function missedHeartbeatSummary(integration: Integration, now: Date, clockFrom?: Date): string {
  const lastCheckIn = integration.lastCheckInAt ?? integration.createdAt;
  const silentMs = now.getTime() - lastCheckIn.getTime();
  const intervalMs = (integration.heartbeatIntervalSeconds ?? 0) * 1000;
  const silence = `no check-in for ${durationWords(silentMs)}`;
  // A timer kept from before a short disable runs before a clock restarted at the enable would end.
  const restartedClock = clockFrom && heartbeatDeadline(integration, clockFrom) < now ? clockFrom : undefined;
  const restartedMs = restartedClock ? restartedClock.getTime() - lastCheckIn.getTime() : 0;
  const restarted =
    restartedClock && restartedMs >= 1000
      ? `enabled again ${durationWords(now.getTime() - restartedClock.getTime())} ago; `
      : "";
  const overdueMs = silentMs - Math.max(restartedMs, 0) - intervalMs;
  const overdue = overdueMs < 1000 ? "due just now" : `${durationWords(overdueMs)} overdue`;
  return `Heartbeat "${integration.name}" missed: ${silence}, expected every ${durationWords(intervalMs)} (${restarted}${overdue})`;
}

const missedEvent = (
  integration: Integration,
  action: "trigger" | "resolve",
  now: Date,
  clockFrom?: Date,
): AlertEvent => ({
  action,
  dedupKey: heartbeatDedupKey(integration.id),
  groupKey: null,
  summary: missedHeartbeatSummary(integration, now, clockFrom),
  level: null,
  severity: null,
  labels: { heartbeat: integration.name },
  details: {
    lastCheckInAt: integration.lastCheckInAt?.toISOString() ?? null,
    intervalSeconds: integration.heartbeatIntervalSeconds,
    graceSeconds: integration.heartbeatGraceSeconds,
  },
  source: "firebreak heartbeat",
  occurredAt: now,
  expiresAt: null,
  links: [],
});

/** A cron job called its URL: note the time, resolve a missed-heartbeat alert, arm the next check. */
export async function recordCheckIn(deps: AppDeps, integrationId: string): Promise<void> {
  const now = deps.clock.now();
  const integration = await deps.uow.run(async (tx) => {
    const found = await tx.integrations.findForChange(integrationId);
    if (!found || found.kind !== "heartbeat") throw notFound("heartbeat", integrationId);
    if (found.disabledAt) throw new AppError("FORBIDDEN", `heartbeat ${found.name} is disabled`);
    const checkedIn = { ...found, lastCheckInAt: now };
    await tx.integrations.update(checkedIn);
    await armHeartbeatCheck(tx, checkedIn, now);
    return checkedIn;
  });
  await ingestAlertEvents(deps, integration.id, [missedEvent(integration, "resolve", now)]);
}

const stillMissed = (
  integration: Integration | undefined,
  checkInAtMs: number | null,
): integration is Integration => heartbeatCheckOutcome(integration, checkInAtMs) === "alert";

/**
 * The `heartbeat.check` timer: no newer check-in than the one it was armed after → the alert fires. A
 * timer armed at creation before heartbeats waited for their first check-in finds none and does nothing.
 * `clockFromMs` is when its clock started (absent on timers armed before it was recorded).
 */
export async function checkHeartbeat(
  deps: AppDeps,
  integrationId: string,
  checkInAtMs: number | null,
  clockFromMs?: number,
): Promise<void> {
  const now = deps.clock.now();
  const integration = await deps.uow.run((tx) => tx.integrations.findById(integrationId));
  if (!stillMissed(integration, checkInAtMs)) return;
  // Looked again in the alert's transaction, under the row lock a check-in takes: a check-in that
  // committed first means no alert (and no page); one that comes later waits, then resolves it.
  const stillMissedNow = async (tx: Tx) =>
    stillMissed(await tx.integrations.findForChange(integrationId), checkInAtMs);
  const clockFrom = clockFromMs === undefined ? undefined : new Date(clockFromMs);
  const missed = missedEvent(integration, "trigger", now, clockFrom);
  await ingestAlertEvents(deps, integration.id, [missed], stillMissedNow);
}
