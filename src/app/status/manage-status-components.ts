import { requireRole } from "../../core/auth/actor.js";
import { notFound, validationError, type FieldError } from "../../core/errors.js";
import { resolvePage } from "../../core/status/component-status.js";
import {
  checkEnum,
  checkIdList,
  checkPosition,
  checkText,
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
} from "../../core/status/status-input.js";
import {
  COMPONENT_STATUSES,
  type ComponentGroupRecord,
  type StatusComponentRecord,
} from "../../core/status/status-records.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { requirePage, touchPage } from "./manage-status-pages.js";
import type { StatusDeps } from "./status-deps.js";
import {
  componentView,
  groupView,
  loadSnapshot,
  type ComponentGroupView,
  type ComponentView,
} from "./status-views.js";

/** Component groups and components of a page; components link to services and may be set by hand. */

export const MAX_SERVICES_PER_COMPONENT = 20;

export interface GroupInput {
  readonly name?: string;
  readonly position?: number;
}

export interface ComponentInput {
  readonly groupId?: string | null;
  readonly name?: string;
  readonly description?: string | null;
  readonly position?: number;
  readonly serviceIds?: readonly string[];
  readonly manualStatus?: StatusComponentRecord["manualStatus"];
  readonly onlyShowIfDegraded?: boolean;
  readonly showcase?: boolean;
}

async function requireGroup(tx: Tx, pageId: string, groupId: string): Promise<ComponentGroupRecord> {
  const group = await tx.statusComponents.findGroup(groupId);
  if (!group || group.pageId !== pageId) throw notFound("component group", groupId);
  return group;
}

async function requireComponent(tx: Tx, pageId: string, componentId: string): Promise<StatusComponentRecord> {
  const c = await tx.statusComponents.findComponent(componentId);
  if (!c || c.pageId !== pageId) throw notFound("component", componentId);
  return c;
}

/** Runs one change of a page's components in a transaction: audit, version bump, cache nudge. */
async function changeComponents<T>(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  action: string,
  work: (tx: Tx, atMs: number) => Promise<{ result: T; entityId: string; before: unknown; after: unknown }>,
): Promise<T> {
  requireRole(caller.actor, "admin");
  const atMs = deps.clock.now().getTime();
  const result = await deps.uow.run(async (tx) => {
    await requirePage(tx, pageId);
    const done = await work(tx, atMs);
    await touchPage(tx, pageId, atMs);
    await recordChange(tx, caller, new Date(atMs), {
      action,
      entityType: "status_page",
      entityId: pageId,
      before: done.before,
      after: done.after,
    });
    return done.result;
  });
  deps.statusChanged(pageId);
  return result;
}

function checkGroup(input: GroupInput, creating: boolean): void {
  const errors: FieldError[] = [];
  if (input.name !== undefined || creating) checkText(errors, "/name", input.name, 1, MAX_NAME_LENGTH);
  if (input.position !== undefined) checkPosition(errors, "/position", input.position);
  if (errors.length > 0) throw validationError(errors);
}

export async function listGroups(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
): Promise<ComponentGroupView[]> {
  requireRole(caller.actor, "viewer");
  return deps.uow.run(async (tx) => {
    await requirePage(tx, pageId);
    return (await tx.statusComponents.listGroups(pageId)).map(groupView);
  });
}

export const createGroup = (deps: StatusDeps, caller: Caller, pageId: string, input: GroupInput) =>
  changeComponents(deps, caller, pageId, "status_group.create", async (tx, atMs) => {
    checkGroup(input, true);
    const position = input.position ?? (await tx.statusComponents.listGroups(pageId)).length;
    const group: ComponentGroupRecord = {
      id: newId(),
      pageId,
      name: (input.name ?? "").trim(),
      position,
      createdAtMs: atMs,
      updatedAtMs: atMs,
    };
    await tx.statusComponents.insertGroup(group);
    return { result: groupView(group), entityId: group.id, before: null, after: group };
  });

export const updateGroup = (
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  groupId: string,
  input: GroupInput,
) =>
  changeComponents(deps, caller, pageId, "status_group.update", async (tx, atMs) => {
    checkGroup(input, false);
    const before = await requireGroup(tx, pageId, groupId);
    const after = {
      ...before,
      name: input.name?.trim() ?? before.name,
      position: input.position ?? before.position,
      updatedAtMs: atMs,
    };
    await tx.statusComponents.updateGroup(after);
    return { result: groupView(after), entityId: groupId, before, after };
  });

export const deleteGroup = (deps: StatusDeps, caller: Caller, pageId: string, groupId: string) =>
  changeComponents(deps, caller, pageId, "status_group.delete", async (tx) => {
    const before = await requireGroup(tx, pageId, groupId);
    await tx.statusComponents.deleteGroup(groupId);
    return { result: undefined, entityId: groupId, before, after: null };
  });

async function checkComponent(
  tx: Tx,
  pageId: string,
  input: ComponentInput,
  creating: boolean,
): Promise<void> {
  const errors: FieldError[] = [];
  if (input.name !== undefined || creating) checkText(errors, "/name", input.name, 1, MAX_NAME_LENGTH);
  if (input.description !== undefined && input.description !== null)
    checkText(errors, "/description", input.description, 0, MAX_DESCRIPTION_LENGTH);
  if (input.position !== undefined) checkPosition(errors, "/position", input.position);
  if (input.manualStatus !== undefined && input.manualStatus !== null)
    checkEnum(errors, "/manualStatus", input.manualStatus, COMPONENT_STATUSES);
  if (input.serviceIds !== undefined) {
    checkIdList(errors, "/serviceIds", input.serviceIds, MAX_SERVICES_PER_COMPONENT);
    if (errors.length === 0)
      for (const [i, id] of input.serviceIds.entries()) {
        const service = await tx.services.findById(id);
        // A deleted service is kept for its incidents' history; a component showing it would stay green.
        if (!service || service.archivedAt)
          errors.push({ path: `/serviceIds/${i}`, message: `service ${id} not found` });
      }
  }
  if (input.groupId !== undefined && input.groupId !== null) {
    const group = await tx.statusComponents.findGroup(input.groupId);
    if (!group || group.pageId !== pageId)
      errors.push({ path: "/groupId", message: `group ${input.groupId} is not on this page` });
  }
  if (errors.length > 0) throw validationError(errors);
}

/** The components with the status customers see now. */
export async function listComponents(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
): Promise<ComponentView[]> {
  requireRole(caller.actor, "viewer");
  const nowMs = deps.clock.now().getTime();
  const snapshot = await deps.uow.run(async (tx) =>
    loadSnapshot(tx, await requirePage(tx, pageId), deps.publicUrl, nowMs),
  );
  return resolvePage(snapshot, nowMs).components.map((c) => componentView(c.component, c.status));
}

async function componentWithStatus(
  tx: Tx,
  deps: StatusDeps,
  pageId: string,
  id: string,
  nowMs: number,
): Promise<ComponentView> {
  const snapshot = await loadSnapshot(tx, await requirePage(tx, pageId), deps.publicUrl, nowMs);
  const resolved = resolvePage(snapshot, nowMs).components.find((c) => c.component.id === id);
  if (!resolved) throw notFound("component", id);
  return componentView(resolved.component, resolved.status);
}

export const createComponent = (deps: StatusDeps, caller: Caller, pageId: string, input: ComponentInput) =>
  changeComponents(deps, caller, pageId, "status_component.create", async (tx, atMs) => {
    await checkComponent(tx, pageId, input, true);
    const component: StatusComponentRecord = {
      id: newId(),
      pageId,
      groupId: input.groupId ?? null,
      name: (input.name ?? "").trim(),
      description: input.description?.trim() || null,
      position: input.position ?? (await tx.statusComponents.listComponents(pageId)).length,
      serviceIds: [...(input.serviceIds ?? [])],
      manualStatus: input.manualStatus ?? null,
      onlyShowIfDegraded: input.onlyShowIfDegraded ?? false,
      showcase: input.showcase ?? true,
      createdAtMs: atMs,
      updatedAtMs: atMs,
    };
    await tx.statusComponents.insertComponent(component);
    return {
      result: await componentWithStatus(tx, deps, pageId, component.id, atMs),
      entityId: component.id,
      before: null,
      after: component,
    };
  });

export const updateComponent = (
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  componentId: string,
  input: ComponentInput,
) =>
  changeComponents(deps, caller, pageId, "status_component.update", async (tx, atMs) => {
    const before = await requireComponent(tx, pageId, componentId);
    await checkComponent(tx, pageId, input, false);
    const after: StatusComponentRecord = {
      ...before,
      groupId: input.groupId === undefined ? before.groupId : input.groupId,
      name: input.name?.trim() ?? before.name,
      description: input.description === undefined ? before.description : input.description?.trim() || null,
      position: input.position ?? before.position,
      serviceIds: input.serviceIds ? [...input.serviceIds] : before.serviceIds,
      manualStatus: input.manualStatus === undefined ? before.manualStatus : input.manualStatus,
      onlyShowIfDegraded: input.onlyShowIfDegraded ?? before.onlyShowIfDegraded,
      showcase: input.showcase ?? before.showcase,
      updatedAtMs: atMs,
    };
    await tx.statusComponents.updateComponent(after);
    return {
      result: await componentWithStatus(tx, deps, pageId, componentId, atMs),
      entityId: componentId,
      before,
      after,
    };
  });

export const deleteComponent = (deps: StatusDeps, caller: Caller, pageId: string, componentId: string) =>
  changeComponents(deps, caller, pageId, "status_component.delete", async (tx) => {
    const before = await requireComponent(tx, pageId, componentId);
    await tx.statusComponents.deleteComponent(componentId);
    return { result: undefined, entityId: componentId, before, after: null };
  });
