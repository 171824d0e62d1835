import { requireRole } from "../../core/auth/actor.js";
import { requireTeamManagerRole } from "../../core/auth/team-management.js";
import type { MaintenanceWindowRecord } from "../../core/alerts/records.js";
import { notFound, validationError, type FieldError } from "../../core/errors.js";
import {
  checkMaintenanceWindow,
  isWithinWindow,
  type MaintenanceWindow,
} from "../../core/maintenance/maintenance-window.js";
import { canonicalTimeZone } from "../../core/schedules/time-zone-name.js";
import { armRelease } from "../alerts/ingest-alert-events.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import { requireTeamManager } from "../teams/team-manager.js";

/** Maintenance windows of a service: while one is open, its alerts are recorded but page nobody. */

export interface MaintenanceWindowInput {
  readonly serviceId: string;
  readonly reason?: string;
  readonly window: MaintenanceWindow;
}

/** A window as listings show it: whether it holds pages back right now, by the server's clock. */
export interface MaintenanceWindowView extends MaintenanceWindowRecord {
  readonly activeNow: boolean;
}

export const MAX_REASON_LENGTH = 500;
export const MAX_ONE_OFF_DAYS = 30;
const DAY_MS = 24 * 60 * 60_000;

export const maintenanceWindowView = (record: MaintenanceWindowRecord, now: Date): MaintenanceWindowView => ({
  ...record,
  activeNow: isWithinWindow(record.window, now),
});

/**
 * Weekdays once each and in order, and the zone as the tz database spells it ("europe/berlin" is
 * "Europe/Berlin"), so the same window is always stored (and shown) the same way.
 */
const normalised = (window: MaintenanceWindow): MaintenanceWindow =>
  window.kind === "weekly"
    ? {
        ...window,
        weekdays: [...new Set(window.weekdays)].sort((a, b) => a - b),
        timeZone: canonicalTimeZone(window.timeZone) ?? window.timeZone,
      }
    : window;

/** The domain's checks under `/window`, plus what only makes sense at creation time. */
function checkNewWindow(input: MaintenanceWindowInput, reason: string, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (reason.length > MAX_REASON_LENGTH)
    errors.push({ path: "/reason", message: `must be at most ${MAX_REASON_LENGTH} characters` });
  const w = input.window;
  if (w.kind === "one-off") {
    const startsAt = w.startsAt.getTime();
    const endsAt = w.endsAt.getTime();
    if (Number.isNaN(startsAt)) errors.push({ path: "/window/startsAt", message: "must be a date and time" });
    if (Number.isNaN(endsAt)) errors.push({ path: "/window/endsAt", message: "must be a date and time" });
    if (Number.isNaN(startsAt) || Number.isNaN(endsAt)) return errors;
    const shape = checkMaintenanceWindow(w, "/window");
    if (shape.length > 0) return [...errors, ...shape];
    if (endsAt <= now.getTime()) errors.push({ path: "/window/endsAt", message: "must be in the future" });
    else if (endsAt - startsAt > MAX_ONE_OFF_DAYS * DAY_MS)
      errors.push({
        path: "/window/endsAt",
        message: `must be at most ${MAX_ONE_OFF_DAYS} days after startsAt`,
      });
    return errors;
  }
  return [...errors, ...checkMaintenanceWindow(w, "/window")];
}

export async function listMaintenanceWindows(
  deps: AppDeps,
  caller: Caller,
  serviceId: string,
): Promise<MaintenanceWindowView[]> {
  requireRole(caller.actor, "viewer");
  const windows = await deps.uow.run(async (tx) => {
    if (!(await tx.services.findById(serviceId))) throw notFound("service", serviceId);
    return tx.maintenance.listForService(serviceId);
  });
  const now = deps.clock.now();
  return windows.map((w) => maintenanceWindowView(w, now));
}

export async function createMaintenanceWindow(
  deps: AppDeps,
  caller: Caller,
  input: MaintenanceWindowInput,
): Promise<MaintenanceWindowView> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  const reason = (input.reason ?? "").trim();
  const errors = checkNewWindow(input, reason, now);
  if (errors.length > 0) throw validationError(errors);
  const record = await deps.uow.run(async (tx) => {
    const service = await tx.services.findById(input.serviceId);
    // A deleted service gets no alerts to hold back: a window for it would only mislead.
    if (!service || service.archivedAt) throw notFound("service", input.serviceId);
    const doing = `adding a maintenance window to service ${service.name}`;
    await requireTeamManager(tx, caller, doing, service.teamId);
    const created: MaintenanceWindowRecord = {
      id: newId(),
      serviceId: service.id,
      window: normalised(input.window),
      reason,
      createdBy: caller.actor.id,
      createdAt: now,
    };
    await tx.maintenance.insert(created);
    await recordChange(tx, caller, now, {
      action: "maintenance_window.create",
      entityType: "service",
      entityId: service.id,
      before: null,
      after: created,
    });
    return created;
  });
  return maintenanceWindowView(record, now);
}

/** Ends a window early, or removes a recurring one; alerts it held page at once unless another window holds them. */
export async function deleteMaintenanceWindow(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const before = await tx.maintenance.findById(id);
    if (!before) throw notFound("maintenance window", id);
    const service = await tx.services.findById(before.serviceId);
    const doing = `removing a maintenance window of service ${service?.name ?? before.serviceId}`;
    await requireTeamManager(tx, caller, doing, service?.teamId ?? null);
    if (!(await tx.maintenance.delete(id))) throw notFound("maintenance window", id);
    await recordChange(tx, caller, now, {
      action: "maintenance_window.delete",
      entityType: "service",
      entityId: before.serviceId,
      before,
      after: null,
    });
    // Alerts the window held back page now (if no other window still holds the service).
    await armRelease(tx, before.serviceId, now, "replace");
  });
}
