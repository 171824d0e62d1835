import type { Tx } from "../ports/store.js";
import { armExpirySweep, resolveAlertRecord } from "./ingest-alert-events.js";
import { IngestBatch } from "./ingest-batch.js";

const WHY = "not refreshed before its end time";
// An alert that expires looks like a fix, but a sender that stopped (Prometheus down, a network
// cut) ends its alerts the same way: the incident says which it may be.
const INCIDENT_WHY =
  "Resolved: its last alert was not refreshed before its end time (fixed, or the sender stopped sending; check it is still up)";

/** Alerts one sweep resolves at most; more re-arm it at once (bounded transactions). */
const MAX_EXPIRED_PER_SWEEP = 500;

/**
 * The `alerts.expire-due` timer of a service: every Alertmanager API v2 alert that was not refreshed
 * before its endsAt resolves, then the timer re-arms for the next expiry. A refresh moves an alert's
 * expiry, so the sweep simply finds it not yet due.
 */
export async function expireDueAlerts(realTx: Tx, serviceId: string, now: Date): Promise<void> {
  const batch = new IngestBatch(realTx);
  const { tx } = batch;
  const service = await tx.services.findById(serviceId);
  if (!service) return;
  let expired = await tx.alerts.listExpiredFiring(serviceId, now, MAX_EXPIRED_PER_SWEEP);
  const keys = new Set(expired.map((a) => a.groupingKey));
  if (expired.length > 0 && (await tx.services.lockAlertGroups(serviceId, [...keys]))) {
    // Read again under the locks; one that moved under another key waits for the next sweep.
    expired = (await tx.alerts.listExpiredFiring(serviceId, now, MAX_EXPIRED_PER_SWEEP)).filter((a) =>
      keys.has(a.groupingKey),
    );
  }
  for (const alert of expired) await resolveAlertRecord(tx, service, alert, now, WHY, INCIDENT_WHY);
  const next = await tx.alerts.nextExpiry(serviceId);
  if (next) await armExpirySweep(tx, serviceId, next < now ? now : next, "replace");
  await batch.flush();
}

/**
 * The `alert.expire` timer of one alert, armed before expiry sweeps: still run for rows queued by an
 * older version. Fenced by the expiry it was armed for: a refresh since then moved it.
 */
export async function expireAlert(tx: Tx, alertId: string, expiresAtMs: number, now: Date): Promise<void> {
  const alert = await tx.alerts.findById(alertId);
  if (!alert || alert.status !== "firing" || alert.expiresAt?.getTime() !== expiresAtMs) return;
  const service = await tx.services.findById(alert.serviceId);
  if (!service) return;
  await resolveAlertRecord(tx, service, alert, now, WHY, INCIDENT_WHY);
}
