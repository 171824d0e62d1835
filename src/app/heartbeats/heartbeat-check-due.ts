import { heartbeatCheckOutcome } from "../../core/alerts/heartbeat-rule.js";
import type { Integration } from "../../core/alerts/records.js";
import type { AppDeps } from "../deps.js";
import type { PendingHeartbeatCheck } from "../ports/alerting-store.js";

/** An integration as its API shows it: a heartbeat's with the instant its pending check is due. */
export interface IntegrationWithCheckDue extends Integration {
  /**
   * The last instant a check-in is on time: the waiting `heartbeat.check` timer runs just after it
   * and raises the alert if none came. Null when no timer would alert: another kind, waiting for the
   * first check-in, disabled, or the timer already ran (its alert is raised; the next check-in
   * resolves it).
   */
  readonly nextCheckDueAt: Date | null;
}

/**
 * When the heartbeat's pending check is due, read from the timer itself rather than worked out from
 * the last check-in: after a disable and an enable the timer runs from the enable (or keeps its
 * earlier deadline), which the last check-in does not tell. The timer is counted only when the
 * engine's own rule (core/alerts/heartbeat-rule.ts) says running it now would alert.
 */
export function nextCheckDueAt(
  integration: Integration,
  pending: PendingHeartbeatCheck | undefined,
): Date | null {
  if (!pending || heartbeatCheckOutcome(integration, pending.checkInAtMs) !== "alert") return null;
  // heartbeatCheckAt arms the timer 1 ms after the deadline, so that a check-in at the deadline is on time.
  return new Date(pending.runAt.getTime() - 1);
}

/** These integrations with `nextCheckDueAt`, in one read of their heartbeats' timers. */
export async function withNextCheckDue(
  deps: AppDeps,
  integrations: readonly Integration[],
): Promise<IntegrationWithCheckDue[]> {
  const heartbeatIds = integrations.filter((i) => i.kind === "heartbeat").map((i) => i.id);
  const pending =
    heartbeatIds.length === 0
      ? new Map<string, PendingHeartbeatCheck>()
      : await deps.uow.read((tx) => tx.integrations.pendingHeartbeatChecks(heartbeatIds));
  return integrations.map((i) => ({ ...i, nextCheckDueAt: nextCheckDueAt(i, pending.get(i.id)) }));
}
