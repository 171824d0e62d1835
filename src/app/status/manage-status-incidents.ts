import { requireRole } from "../../core/auth/actor.js";
import { notFound, validationError, type FieldError } from "../../core/errors.js";
import { deriveComponentStatus } from "../../core/status/component-status.js";
import {
  checkIdList,
  checkIncidentFields,
  checkText,
  COMPONENT_STATUS_FOR_IMPACT,
  MAX_NAME_LENGTH,
} from "../../core/status/status-input.js";
import type {
  AffectedComponent,
  ComponentStatus,
  IncidentImpact,
  IncidentStatus,
  StatusIncidentRecord,
} from "../../core/status/status-records.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { requirePage, touchPage } from "./manage-status-pages.js";
import type { StatusDeps } from "./status-deps.js";
import { incidentView, type StatusIncidentView } from "./status-views.js";

/** Status incidents and their updates, posted directly (the response workflow goes through the publisher). */

const DAY_MS = 24 * 60 * 60_000;

export interface NewIncidentInput {
  readonly name: string;
  readonly status?: IncidentStatus;
  readonly impact: IncidentImpact;
  readonly componentIds?: readonly string[];
  readonly componentStatus?: ComponentStatus;
  readonly body: string;
}

export interface IncidentUpdateInput {
  readonly status: IncidentStatus;
  readonly body: string;
  readonly componentStatus?: ComponentStatus;
}

export interface IncidentPatch {
  readonly name?: string;
  readonly impact?: IncidentImpact;
  readonly componentIds?: readonly string[];
}

async function checkComponentsOnPage(
  tx: Tx,
  pageId: string,
  ids: readonly string[] | undefined,
  errors: FieldError[],
) {
  if (ids === undefined) return;
  checkIdList(errors, "/componentIds", ids);
  if (errors.length > 0) return;
  const onPage = new Set((await tx.statusComponents.listComponents(pageId)).map((c) => c.id));
  ids.forEach((id, i) => {
    if (!onPage.has(id))
      errors.push({ path: `/componentIds/${i}`, message: `component ${id} is not on this page` });
  });
}

/**
 * Writes an incident's new state and (optionally) an update in the caller's transaction: works out
 * which components change status (the update's affected components), bumps the page version and
 * plans the subscriber notifications. Used by the admin API and by the response-workflow publisher.
 */
export async function writeIncidentChange(
  tx: Tx,
  args: {
    readonly before: StatusIncidentRecord | null;
    readonly after: StatusIncidentRecord;
    readonly update: {
      readonly id: string;
      readonly status: IncidentStatus;
      readonly body: string;
      readonly componentStatus: ComponentStatus | null;
    } | null;
    readonly atMs: number;
  },
): Promise<StatusIncidentRecord> {
  const { before, after, update, atMs } = args;
  const pageId = after.pageId;
  const components = await tx.statusComponents.listComponents(pageId);
  // Unresolved incidents and unfinished maintenances (nothing is created in the future).
  const open = (await tx.statusIncidents.listForPage(pageId, { sinceMs: atMs + 1, limit: 1_000 })).filter(
    (i) => i.id !== after.id,
  );
  const maintenances = await tx.statusMaintenances.listForPage(pageId, { sinceMs: atMs + 1, limit: 1_000 });
  const statusWith = (incident: StatusIncidentRecord | null, componentId: string) =>
    deriveComponentStatus(
      components.find((c) => c.id === componentId) ?? { id: componentId, manualStatus: null },
      incident ? [...open, incident] : open,
      maintenances,
      atMs,
    );
  const touched = new Set([...(before?.componentIds ?? []), ...after.componentIds]);
  const affected: AffectedComponent[] = [...touched].flatMap((id) => {
    const oldStatus = statusWith(before, id);
    const newStatus = statusWith(after, id);
    const name = components.find((c) => c.id === id)?.name ?? id;
    return oldStatus === newStatus ? [] : [{ componentId: id, name, oldStatus, newStatus }];
  });
  if (before) await tx.statusIncidents.update(after);
  else await tx.statusIncidents.insert(after);
  let updates = after.updates;
  if (update) {
    const record = { ...update, incidentId: after.id, affectedComponents: affected, createdAtMs: atMs };
    await tx.statusIncidents.insertUpdate(record);
    updates = [...updates, record];
    await tx.jobs.enqueue(
      "status.notify-subscribers",
      { pageId, kind: "incident", itemId: after.id, updateId: update.id },
      { runAt: new Date(atMs), maxAttempts: 10 },
    );
  }
  await touchPage(tx, pageId, atMs);
  return { ...after, updates };
}

/** The incident's fields after an update with this status at `atMs`. */
export function withStatus(
  incident: StatusIncidentRecord,
  status: IncidentStatus,
  componentStatus: ComponentStatus | undefined,
  atMs: number,
): StatusIncidentRecord {
  return {
    ...incident,
    status,
    componentStatus: componentStatus ?? incident.componentStatus,
    updatedAtMs: atMs,
    monitoringAtMs: status === "monitoring" ? (incident.monitoringAtMs ?? atMs) : incident.monitoringAtMs,
    resolvedAtMs: status === "resolved" ? (incident.resolvedAtMs ?? atMs) : null,
  };
}

async function requireIncident(tx: Tx, pageId: string, incidentId: string): Promise<StatusIncidentRecord> {
  const incident = await tx.statusIncidents.findById(incidentId);
  if (!incident || incident.pageId !== pageId) throw notFound("status incident", incidentId);
  return incident;
}

export async function listStatusIncidents(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
): Promise<StatusIncidentView[]> {
  requireRole(caller.actor, "viewer");
  const nowMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => {
    await requirePage(tx, pageId);
    return (await tx.statusIncidents.listForPage(pageId, { sinceMs: nowMs - 90 * DAY_MS, limit: 500 })).map(
      incidentView,
    );
  });
}

export async function getStatusIncident(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  incidentId: string,
): Promise<StatusIncidentView> {
  requireRole(caller.actor, "viewer");
  return incidentView(await deps.uow.run((tx) => requireIncident(tx, pageId, incidentId)));
}

export async function createStatusIncident(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  input: NewIncidentInput,
): Promise<StatusIncidentView> {
  requireRole(caller.actor, "admin");
  const atMs = deps.clock.now().getTime();
  const incident = await deps.uow.run(async (tx) => {
    await requirePage(tx, pageId);
    const errors: FieldError[] = [];
    checkText(errors, "/name", input.name, 1, MAX_NAME_LENGTH);
    checkIncidentFields(errors, {
      status: input.status ?? "investigating",
      impact: input.impact,
      componentStatus: input.componentStatus,
      body: input.body,
    });
    await checkComponentsOnPage(tx, pageId, input.componentIds ?? [], errors);
    if (errors.length > 0) throw validationError(errors);
    const status = input.status ?? "investigating";
    const created = withStatus(
      {
        id: newId(),
        pageId,
        name: input.name.trim(),
        status,
        impact: input.impact,
        componentIds: [...(input.componentIds ?? [])],
        componentStatus: input.componentStatus ?? COMPONENT_STATUS_FOR_IMPACT[input.impact],
        sourceIncidentId: null,
        createdAtMs: atMs,
        updatedAtMs: atMs,
        monitoringAtMs: null,
        resolvedAtMs: null,
        updates: [],
      },
      status,
      undefined,
      atMs,
    );
    const written = await writeIncidentChange(tx, {
      before: null,
      after: created,
      update: { id: newId(), status, body: input.body.trim(), componentStatus: created.componentStatus },
      atMs,
    });
    await recordChange(tx, caller, new Date(atMs), {
      action: "status_incident.create",
      entityType: "status_page",
      entityId: pageId,
      before: null,
      after: { id: written.id, name: written.name },
    });
    return written;
  });
  deps.statusChanged(pageId);
  return incidentView(incident);
}

export async function postStatusIncidentUpdate(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  incidentId: string,
  input: IncidentUpdateInput,
): Promise<StatusIncidentView> {
  requireRole(caller.actor, "admin");
  const errors: FieldError[] = [];
  checkIncidentFields(errors, {
    status: input.status,
    body: input.body,
    componentStatus: input.componentStatus,
  });
  if (input.status === undefined) errors.push({ path: "/status", message: "is required" });
  if (errors.length > 0) throw validationError(errors);
  const atMs = deps.clock.now().getTime();
  const incident = await deps.uow.run(async (tx) => {
    const before = await requireIncident(tx, pageId, incidentId);
    const after = withStatus(before, input.status, input.componentStatus, atMs);
    const written = await writeIncidentChange(tx, {
      before,
      after,
      update: {
        id: newId(),
        status: input.status,
        body: input.body.trim(),
        componentStatus: input.componentStatus ?? null,
      },
      atMs,
    });
    await recordChange(tx, caller, new Date(atMs), {
      action: "status_incident.update",
      entityType: "status_page",
      entityId: pageId,
      before: { id: before.id, status: before.status },
      after: { id: after.id, status: after.status },
    });
    return written;
  });
  deps.statusChanged(pageId);
  return incidentView(incident);
}

export async function patchStatusIncident(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  incidentId: string,
  input: IncidentPatch,
): Promise<StatusIncidentView> {
  requireRole(caller.actor, "admin");
  const atMs = deps.clock.now().getTime();
  const incident = await deps.uow.run(async (tx) => {
    const before = await requireIncident(tx, pageId, incidentId);
    const errors: FieldError[] = [];
    if (input.name !== undefined) checkText(errors, "/name", input.name, 1, MAX_NAME_LENGTH);
    checkIncidentFields(errors, { impact: input.impact });
    await checkComponentsOnPage(tx, pageId, input.componentIds, errors);
    if (errors.length > 0) throw validationError(errors);
    const after: StatusIncidentRecord = {
      ...before,
      name: input.name?.trim() ?? before.name,
      impact: input.impact ?? before.impact,
      componentIds: input.componentIds ? [...input.componentIds] : before.componentIds,
      updatedAtMs: atMs,
    };
    const written = await writeIncidentChange(tx, { before, after, update: null, atMs });
    await recordChange(tx, caller, new Date(atMs), {
      action: "status_incident.edit",
      entityType: "status_page",
      entityId: pageId,
      before: { ...before, updates: undefined },
      after: { ...after, updates: undefined },
    });
    return written;
  });
  deps.statusChanged(pageId);
  return incidentView(incident);
}
