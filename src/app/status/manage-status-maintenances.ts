import { requireRole } from "../../core/auth/actor.js";
import { AppError, notFound, validationError, type FieldError } from "../../core/errors.js";
import { maintenanceStatusAt } from "../../core/status/component-status.js";
import {
  checkEnum,
  checkIdList,
  checkMaintenanceWindowTimes,
  checkText,
  MAX_BODY_LENGTH,
  MAX_NAME_LENGTH,
} from "../../core/status/status-input.js";
import type { MaintenanceRecord, MaintenanceStatus } from "../../core/status/status-records.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { requirePage, touchPage } from "./manage-status-pages.js";
import type { StatusDeps } from "./status-deps.js";
import { maintenanceView, type MaintenanceView } from "./status-views.js";

/**
 * Scheduled maintenance: it moves itself scheduled → in_progress → completed by jobs at its start and
 * end, holds paging for its components' services while it runs (through maintenance windows, made by
 * the `status.maintenance-paging` job), and tells subscribers.
 */

const DAY_MS = 24 * 60 * 60_000;

export interface MaintenanceInput {
  readonly name?: string;
  readonly body?: string;
  readonly componentIds?: readonly string[];
  readonly scheduledFor?: Date;
  readonly scheduledUntil?: Date;
  /** Set by people: verifying while checking, completed to end it early. */
  readonly status?: MaintenanceStatus;
}

export const maintenanceStartKey = (id: string) => `status-maintenance-start:${id}`;
export const maintenanceEndKey = (id: string) => `status-maintenance-end:${id}`;

/** Words of the updates the transitions write. */
export const TRANSITION_WORDS: Readonly<Record<"in_progress" | "completed", string>> = {
  in_progress: "The scheduled maintenance is in progress. We will post updates here as it goes.",
  completed: "The scheduled maintenance has completed.",
};

/** Arms the start and end transitions (keyed: re-arming after a change replaces them) and the paging sync. */
export async function armMaintenanceJobs(tx: Tx, m: MaintenanceRecord, nowMs: number): Promise<void> {
  const status = maintenanceStatusAt(m, nowMs);
  if (status === "scheduled")
    await tx.jobs.enqueue(
      "status.maintenance-transition",
      { maintenanceId: m.id, to: "in_progress", atMs: m.scheduledForMs },
      { runAt: new Date(m.scheduledForMs), key: maintenanceStartKey(m.id), keyMode: "replace" },
    );
  if (status !== "completed")
    await tx.jobs.enqueue(
      "status.maintenance-transition",
      { maintenanceId: m.id, to: "completed", atMs: m.scheduledUntilMs },
      { runAt: new Date(m.scheduledUntilMs), key: maintenanceEndKey(m.id), keyMode: "replace" },
    );
  await tx.jobs.enqueue(
    "status.maintenance-paging",
    { maintenanceId: m.id },
    { runAt: new Date(nowMs), key: `status-maintenance-paging:${m.id}`, keyMode: "replace", maxAttempts: 10 },
  );
}

/** Adds an update to the maintenance, bumps the page and plans the subscriber notifications. */
export async function addMaintenanceUpdate(
  tx: Tx,
  m: MaintenanceRecord,
  body: string,
  atMs: number,
): Promise<MaintenanceRecord> {
  const update = {
    id: newId(),
    maintenanceId: m.id,
    status: maintenanceStatusAt(m, atMs),
    body,
    createdAtMs: atMs,
  };
  await tx.statusMaintenances.insertUpdate(update);
  await tx.jobs.enqueue(
    "status.notify-subscribers",
    { pageId: m.pageId, kind: "maintenance", itemId: m.id, updateId: update.id },
    { runAt: new Date(atMs), maxAttempts: 10 },
  );
  await touchPage(tx, m.pageId, atMs);
  return { ...m, updates: [...m.updates, update] };
}

async function requireMaintenance(tx: Tx, pageId: string, id: string): Promise<MaintenanceRecord> {
  const m = await tx.statusMaintenances.findById(id);
  if (!m || m.pageId !== pageId) throw notFound("maintenance", id);
  return m;
}

/** An admin's change to a page's maintenances in one transaction; subscribers of the page's stream hear of it. */
async function changeMaintenances(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  work: (tx: Tx, nowMs: number) => Promise<MaintenanceRecord>,
): Promise<MaintenanceView> {
  requireRole(caller.actor, "admin");
  const nowMs = deps.clock.now().getTime();
  const m = await deps.uow.run((tx) => work(tx, nowMs));
  deps.statusChanged(pageId);
  return maintenanceView(m, nowMs);
}

/** Loads a maintenance that may still change: once over, it is history. */
async function requireOpenMaintenance(
  tx: Tx,
  pageId: string,
  id: string,
  nowMs: number,
  overMessage: string,
): Promise<MaintenanceRecord> {
  const m = await requireMaintenance(tx, pageId, id);
  if (maintenanceStatusAt(m, nowMs) === "completed")
    throw new AppError("CONFLICT", `maintenance ${id} ${overMessage}`);
  return m;
}

/** Writes the maintenance (inserts it when there is no `before`), re-arms its jobs and audits the change. */
async function saveMaintenance(
  tx: Tx,
  caller: Caller,
  action: string,
  before: MaintenanceRecord | null,
  after: MaintenanceRecord,
  nowMs: number,
): Promise<void> {
  if (before === null) await tx.statusMaintenances.insert(after);
  else await tx.statusMaintenances.update(after);
  await armMaintenanceJobs(tx, after, nowMs);
  await recordChange(tx, caller, new Date(nowMs), {
    action,
    entityType: "status_page",
    entityId: after.pageId,
    before: before && { ...before, updates: undefined },
    after: { ...after, updates: undefined },
  });
}

async function checkMaintenance(
  tx: Tx,
  m: MaintenanceRecord,
  input: MaintenanceInput,
  nowMs: number,
  creating: boolean,
): Promise<void> {
  const errors: FieldError[] = [];
  if (input.name !== undefined || creating) checkText(errors, "/name", input.name, 1, MAX_NAME_LENGTH);
  if (input.body !== undefined || creating) checkText(errors, "/body", input.body, 1, MAX_BODY_LENGTH);
  if (creating && input.scheduledFor === undefined)
    errors.push({ path: "/scheduledFor", message: "is required" });
  if (creating && input.scheduledUntil === undefined)
    errors.push({ path: "/scheduledUntil", message: "is required" });
  if (input.scheduledFor !== undefined || input.scheduledUntil !== undefined)
    checkMaintenanceWindowTimes(
      errors,
      input.scheduledFor?.getTime() ?? m.scheduledForMs,
      input.scheduledUntil?.getTime() ?? m.scheduledUntilMs,
      nowMs,
    );
  if (input.status !== undefined)
    checkEnum(errors, "/status", input.status, ["in_progress", "verifying", "completed"]);
  if (input.componentIds !== undefined) {
    checkIdList(errors, "/componentIds", input.componentIds);
    if (errors.length === 0) {
      const onPage = new Set((await tx.statusComponents.listComponents(m.pageId)).map((c) => c.id));
      input.componentIds.forEach((id, i) => {
        if (!onPage.has(id))
          errors.push({ path: `/componentIds/${i}`, message: `component ${id} is not on this page` });
      });
    }
  }
  if (errors.length > 0) throw validationError(errors);
}

export async function listMaintenances(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
): Promise<MaintenanceView[]> {
  requireRole(caller.actor, "viewer");
  const nowMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => {
    await requirePage(tx, pageId);
    return (
      await tx.statusMaintenances.listForPage(pageId, { sinceMs: nowMs - 90 * DAY_MS, limit: 500 })
    ).map((m) => maintenanceView(m, nowMs));
  });
}

export async function getMaintenance(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  id: string,
): Promise<MaintenanceView> {
  requireRole(caller.actor, "viewer");
  const nowMs = deps.clock.now().getTime();
  return maintenanceView(await deps.uow.run((tx) => requireMaintenance(tx, pageId, id)), nowMs);
}

export async function createMaintenance(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  input: MaintenanceInput,
): Promise<MaintenanceView> {
  return changeMaintenances(deps, caller, pageId, async (tx, nowMs) => {
    await requirePage(tx, pageId);
    const draft: MaintenanceRecord = {
      id: newId(),
      pageId,
      name: (input.name ?? "").trim(),
      body: (input.body ?? "").trim(),
      componentIds: [...(input.componentIds ?? [])],
      scheduledForMs: input.scheduledFor?.getTime() ?? NaN,
      scheduledUntilMs: input.scheduledUntil?.getTime() ?? NaN,
      status: "scheduled",
      startedAtMs: null,
      completedAtMs: null,
      cancelledAtMs: null,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      updates: [],
    };
    await checkMaintenance(tx, draft, input, nowMs, true);
    const status = maintenanceStatusAt(draft, nowMs);
    const created = { ...draft, status, startedAtMs: status === "in_progress" ? nowMs : null };
    await saveMaintenance(tx, caller, "status_maintenance.create", null, created, nowMs);
    return addMaintenanceUpdate(tx, created, created.body, nowMs);
  });
}

export async function updateMaintenance(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  id: string,
  input: MaintenanceInput,
): Promise<MaintenanceView> {
  return changeMaintenances(deps, caller, pageId, async (tx, nowMs) => {
    const before = await requireOpenMaintenance(tx, pageId, id, nowMs, "is over and can no longer change");
    await checkMaintenance(tx, before, input, nowMs, false);
    let after: MaintenanceRecord = {
      ...before,
      name: input.name?.trim() ?? before.name,
      body: input.body?.trim() ?? before.body,
      componentIds: input.componentIds ? [...input.componentIds] : before.componentIds,
      scheduledForMs: input.scheduledFor?.getTime() ?? before.scheduledForMs,
      scheduledUntilMs: input.scheduledUntil?.getTime() ?? before.scheduledUntilMs,
      updatedAtMs: nowMs,
    };
    after = { ...after, status: maintenanceStatusAt({ ...after, status: "scheduled" }, nowMs) };
    if (input.status === "verifying" && after.status !== "scheduled")
      after = { ...after, status: "verifying" };
    if (input.status === "completed") after = { ...after, status: "completed", completedAtMs: nowMs };
    if (after.status === "in_progress" && after.startedAtMs === null)
      after = { ...after, startedAtMs: nowMs };
    await saveMaintenance(tx, caller, "status_maintenance.update", before, after, nowMs);
    if (after.status !== before.status && (after.status === "verifying" || after.status === "completed"))
      return addMaintenanceUpdate(
        tx,
        after,
        after.status === "completed"
          ? TRANSITION_WORDS.completed
          : "We are verifying that everything works after the maintenance.",
        nowMs,
      );
    await touchPage(tx, pageId, nowMs);
    return after;
  });
}

/** Cancels it (DELETE): it stays in the history as cancelled; paging resumes at once. */
export async function cancelMaintenance(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  id: string,
): Promise<MaintenanceView> {
  return changeMaintenances(deps, caller, pageId, async (tx, nowMs) => {
    const before = await requireOpenMaintenance(tx, pageId, id, nowMs, "is over already");
    const after: MaintenanceRecord = {
      ...before,
      status: "completed",
      cancelledAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    await saveMaintenance(tx, caller, "status_maintenance.cancel", before, after, nowMs);
    return addMaintenanceUpdate(tx, after, "This maintenance was cancelled.", nowMs);
  });
}

export async function postMaintenanceUpdate(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  id: string,
  input: { body: string },
): Promise<MaintenanceView> {
  return changeMaintenances(deps, caller, pageId, async (tx, nowMs) => {
    const errors: FieldError[] = [];
    checkText(errors, "/body", input.body, 1, MAX_BODY_LENGTH);
    if (errors.length > 0) throw validationError(errors);
    return addMaintenanceUpdate(tx, await requireMaintenance(tx, pageId, id), input.body.trim(), nowMs);
  });
}
