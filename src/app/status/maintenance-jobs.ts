import { systemActor } from "../../core/auth/actor.js";
import { maintenanceStatusAt } from "../../core/status/component-status.js";
import type { Caller } from "../deps.js";
import {
  createMaintenanceWindow,
  deleteMaintenanceWindow,
  listMaintenanceWindows,
} from "../maintenance/manage-maintenance-windows.js";
import type { JobPayloads } from "../ports/jobs.js";
import { addMaintenanceUpdate, TRANSITION_WORDS } from "./manage-status-maintenances.js";
import type { StatusDeps } from "./status-deps.js";

/** The maintenance jobs: its transitions by time, and holding paging for its services while it runs. */

const statusPageCaller: Caller = { actor: systemActor("status page"), requestId: null };

/** Marks the windows a maintenance made, so a later sync finds exactly its own. */
export const windowMarker = (maintenanceId: string) => `[status-maintenance:${maintenanceId}]`;

/**
 * `status.maintenance-transition`: fenced by the instant it was armed for (a rescheduled maintenance
 * re-armed another job) and by the stored status (a second run changes nothing).
 */
export async function runMaintenanceTransition(
  deps: StatusDeps,
  payload: JobPayloads["status.maintenance-transition"],
  now: Date,
): Promise<"moved" | "stale"> {
  const nowMs = now.getTime();
  const pageId = await deps.uow.run(async (tx) => {
    const m = await tx.statusMaintenances.findById(payload.maintenanceId);
    if (!m || m.cancelledAtMs !== null || m.completedAtMs !== null || m.status === "completed") return null;
    const armedFor = payload.to === "in_progress" ? m.scheduledForMs : m.scheduledUntilMs;
    if (armedFor !== payload.atMs || nowMs < payload.atMs) return null;
    if (payload.to === "in_progress" && m.status !== "scheduled") return null;
    const moved = {
      ...m,
      status:
        maintenanceStatusAt({ ...m, status: "scheduled" }, nowMs) === "completed"
          ? ("completed" as const)
          : payload.to,
      startedAtMs: m.startedAtMs ?? payload.atMs,
      completedAtMs: payload.to === "completed" ? payload.atMs : null,
      updatedAtMs: nowMs,
    };
    await tx.statusMaintenances.update(moved);
    await addMaintenanceUpdate(
      tx,
      moved,
      TRANSITION_WORDS[moved.status === "completed" ? "completed" : "in_progress"],
      nowMs,
    );
    return m.pageId;
  });
  if (pageId === null) return "stale";
  deps.statusChanged(pageId);
  return "moved";
}

/**
 * `status.maintenance-paging`: makes the one-off maintenance windows of the maintenance's services
 * match it, through the maintenance-window use cases (so ingest holds their pages, and deleting a
 * window releases what it held). Idempotent: windows are found by their marker.
 */
export async function syncMaintenancePaging(
  deps: StatusDeps,
  maintenanceId: string,
  now: Date,
): Promise<void> {
  const loaded = await deps.uow.run(async (tx) => {
    const m = await tx.statusMaintenances.findById(maintenanceId);
    const held = await tx.statusMaintenances.heldServiceIds(maintenanceId);
    if (!m) return { m, held, desired: [] as string[] };
    const components = await tx.statusComponents.listComponents(m.pageId);
    const desired = [
      ...new Set(components.filter((c) => m.componentIds.includes(c.id)).flatMap((c) => c.serviceIds)),
    ].sort();
    return { m, held, desired };
  });
  const { m } = loaded;
  const live =
    m && m.cancelledAtMs === null && m.completedAtMs === null && m.scheduledUntilMs > now.getTime();
  const wanted = live ? loaded.desired : [];
  const marker = windowMarker(maintenanceId);
  for (const serviceId of [...new Set([...loaded.held, ...loaded.desired])]) {
    const windows = (await listMaintenanceWindows(deps, statusPageCaller, serviceId).catch(() => [])).filter(
      (w) => w.reason.includes(marker),
    );
    const keep =
      m && wanted.includes(serviceId)
        ? windows.find(
            (w) =>
              w.window.kind === "one-off" &&
              w.window.startsAt.getTime() === m.scheduledForMs &&
              w.window.endsAt.getTime() === m.scheduledUntilMs,
          )
        : undefined;
    if (m && wanted.includes(serviceId) && !keep)
      await createMaintenanceWindow(deps, statusPageCaller, {
        serviceId,
        reason: `Status page maintenance: ${m.name}`.slice(0, 400) + ` ${marker}`,
        window: {
          kind: "one-off",
          startsAt: new Date(m.scheduledForMs),
          endsAt: new Date(m.scheduledUntilMs),
        },
      });
    // Old windows go only after the new one is in place: deleting first releases the held alerts, and
    // the engine could page them in between although the (rescheduled) maintenance goes on.
    for (const w of windows) if (w !== keep) await deleteMaintenanceWindow(deps, statusPageCaller, w.id);
  }
  if (m) await deps.uow.run((tx) => tx.statusMaintenances.setHeldServiceIds(maintenanceId, wanted));
}
