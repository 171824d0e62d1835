import type { AlertEvent } from "../../core/alerts/alert-event.js";
import type { Integration } from "../../core/alerts/records.js";
import { AppError, notFound } from "../../core/errors.js";
import type { AppDeps } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { ingestAlertEvents } from "../alerts/ingest-alert-events.js";

const CHECK_KEY = (integrationId: string) => `heartbeat:${integrationId}`;
export const heartbeatDedupKey = (integrationId: string) => `heartbeat:${integrationId}`;

/** Arms the timer that raises the alert if no check-in follows `from` within interval + grace. */
export function armHeartbeatCheck(tx: Tx, integration: Integration, from: Date) {
  const waitMs =
    ((integration.heartbeatIntervalSeconds ?? 0) + (integration.heartbeatGraceSeconds ?? 0)) * 1000;
  return tx.jobs.enqueue(
    "heartbeat.check",
    { integrationId: integration.id, checkInAtMs: integration.lastCheckInAt?.getTime() ?? null },
    { runAt: new Date(from.getTime() + waitMs), key: CHECK_KEY(integration.id), keyMode: "replace" },
  );
}

const missedEvent = (integration: Integration, action: "trigger" | "resolve", now: Date): AlertEvent => ({
  action,
  dedupKey: heartbeatDedupKey(integration.id),
  groupKey: null,
  summary: `Heartbeat "${integration.name}" missed: no check-in for ${integration.heartbeatIntervalSeconds} s (+${integration.heartbeatGraceSeconds} s grace)`,
  level: null,
  severity: null,
  labels: { heartbeat: integration.name },
  details: { lastCheckInAt: integration.lastCheckInAt?.toISOString() ?? null },
  source: "firebreak heartbeat",
  occurredAt: now,
  expiresAt: null,
  links: [],
});

/** A cron job called its URL: note the time, resolve a missed-heartbeat alert, arm the next check. */
export async function recordCheckIn(deps: AppDeps, integrationId: string): Promise<void> {
  const now = deps.clock.now();
  const integration = await deps.uow.run(async (tx) => {
    const found = await tx.integrations.findById(integrationId);
    if (!found || found.kind !== "heartbeat") throw notFound("heartbeat", integrationId);
    if (found.disabledAt) throw new AppError("FORBIDDEN", `heartbeat ${found.name} is disabled`);
    const checkedIn = { ...found, lastCheckInAt: now };
    await tx.integrations.update(checkedIn);
    await armHeartbeatCheck(tx, checkedIn, now);
    return checkedIn;
  });
  await ingestAlertEvents(deps, integration.id, [missedEvent(integration, "resolve", now)]);
}

/** The `heartbeat.check` timer: no newer check-in than the one it was armed after → the alert fires. */
export async function checkHeartbeat(
  deps: AppDeps,
  integrationId: string,
  checkInAtMs: number | null,
): Promise<void> {
  const now = deps.clock.now();
  const integration = await deps.uow.run((tx) => tx.integrations.findById(integrationId));
  if (!integration || integration.disabledAt || integration.kind !== "heartbeat") return;
  if ((integration.lastCheckInAt?.getTime() ?? null) !== checkInAtMs) return;
  await ingestAlertEvents(deps, integration.id, [missedEvent(integration, "trigger", now)]);
}
