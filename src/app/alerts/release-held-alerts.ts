import { activeMaintenanceEndsAt } from "../../core/maintenance/maintenance-window.js";
import type { Tx } from "../ports/store.js";
import { armRelease, attachToIncident } from "./ingest-alert-events.js";
import { IngestBatch } from "./ingest-batch.js";

/**
 * The `maintenance.release` timer: once no window holds the service, alerts recorded during the
 * maintenance that still fire open (or join) incidents and page, without waiting for their sources to
 * send them again. Still in maintenance (a window was extended, or another began): check again at its end.
 */
export async function releaseHeldAlerts(realTx: Tx, serviceId: string, now: Date): Promise<void> {
  const batch = new IngestBatch(realTx);
  const { tx } = batch;
  const service = await tx.services.findById(serviceId);
  if (!service) return;
  const windows = (await tx.maintenance.listForService(service.id)).map((w) => w.window);
  const endsAt = activeMaintenanceEndsAt(windows, now);
  if (endsAt) {
    await armRelease(tx, service.id, endsAt, "replace");
    await batch.flush();
    return;
  }
  let held = await tx.alerts.listSuppressedFiring(service.id);
  const keys = new Set(held.map((a) => a.groupingKey));
  if (held.length > 0 && (await tx.services.lockAlertGroups(service.id, [...keys]))) {
    // Read again under the locks; one that moved under another key is left for the next release.
    held = (await tx.alerts.listSuppressedFiring(service.id)).filter((a) => keys.has(a.groupingKey));
  }
  const resolvedSince =
    service.reopenWindowMinutes > 0 ? new Date(now.getTime() - service.reopenWindowMinutes * 60_000) : null;
  // A held alert's key is its integration's own (another integration may fire the same key).
  const dedupKeysByIntegration = new Map<string, string[]>();
  for (const a of held) {
    const keysOfIntegration = dedupKeysByIntegration.get(a.integrationId);
    if (keysOfIntegration) keysOfIntegration.push(a.dedupKey);
    else dedupKeysByIntegration.set(a.integrationId, [a.dedupKey]);
  }
  await batch.load(service.id, dedupKeysByIntegration, [...keys], resolvedSince);
  for (const alert of held) {
    const integration = await tx.integrations.findById(alert.integrationId);
    if (!integration) continue;
    const released = { ...alert, suppressed: false };
    await tx.alerts.update(released);
    if (released.level === "ticket") continue;
    await attachToIncident(
      {
        tx,
        service,
        integration,
        inMaintenance: false,
        maintenanceEndsAt: null,
        now,
        actor: {
          kind: "system",
          id: integration.id,
          label: `${integration.name} (${integration.kind}), held during maintenance`,
        },
        opened: 0,
      },
      released,
    );
  }
  await batch.flush();
}
