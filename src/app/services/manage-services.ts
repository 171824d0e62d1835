import { requireRole } from "../../core/auth/actor.js";
import type { Service } from "../../core/alerts/records.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import { checkService, SERVICE_DEFAULTS, type ServiceInput } from "./service-input.js";

export async function createService(
  deps: AppDeps,
  caller: Caller,
  input: ServiceInput & { name: string },
): Promise<Service> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const service: Service = {
      id: newId(),
      ...SERVICE_DEFAULTS,
      ...input,
      name: input.name.trim(),
      createdAt: now,
      updatedAt: now,
    };
    const errors = await checkService(tx, service);
    if (errors.length > 0) throw validationError(errors);
    if (await tx.services.findByName(service.name))
      throw new AppError("CONFLICT", `a service named ${service.name} already exists`);
    await tx.services.insert(service);
    await recordChange(tx, caller, now, {
      action: "service.create",
      entityType: "service",
      entityId: service.id,
      before: null,
      after: service,
    });
    return service;
  });
}

export async function updateService(
  deps: AppDeps,
  caller: Caller,
  id: string,
  input: ServiceInput,
): Promise<Service> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const before = await tx.services.findById(id);
    if (!before) throw notFound("service", id);
    const after: Service = { ...before, ...input, name: (input.name ?? before.name).trim(), updatedAt: now };
    const errors = await checkService(tx, after);
    if (errors.length > 0) throw validationError(errors);
    const holder = await tx.services.findByName(after.name);
    if (holder && holder.id !== id)
      throw new AppError("CONFLICT", `a service named ${after.name} already exists`);
    await tx.services.update(after);
    await recordChange(tx, caller, now, {
      action: "service.update",
      entityType: "service",
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function listServices(deps: AppDeps, caller: Caller): Promise<Service[]> {
  requireRole(caller.actor, "viewer");
  return deps.uow.run((tx) => tx.services.list());
}

/** By id, or by exact name (what the CLI passes). */
export async function getService(deps: AppDeps, caller: Caller, idOrName: string): Promise<Service> {
  requireRole(caller.actor, "viewer");
  const found = await deps.uow.run(
    async (tx) => (await tx.services.findById(idOrName)) ?? (await tx.services.findByName(idOrName)),
  );
  if (!found) throw notFound("service", idOrName);
  return found;
}
