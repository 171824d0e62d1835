import type { Tx } from "../ports/store.js";
import { resolveAlertRecord } from "./ingest-alert-events.js";

/**
 * The `alert.expire` timer: an Alertmanager API v2 alert that was not refreshed before its endsAt
 * resolves. Fenced by the expiry it was armed for: a refresh since then moved it.
 */
export async function expireAlert(tx: Tx, alertId: string, expiresAtMs: number, now: Date): Promise<void> {
  const alert = await tx.alerts.findById(alertId);
  if (!alert || alert.status !== "firing" || alert.expiresAt?.getTime() !== expiresAtMs) return;
  const service = await tx.services.findById(alert.serviceId);
  if (!service) return;
  await resolveAlertRecord(tx, service, alert, now, "not refreshed before its end time");
}
