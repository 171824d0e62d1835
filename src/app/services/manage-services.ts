import { requireRole } from "../../core/auth/actor.js";
import { requireTeamManagerRole } from "../../core/auth/team-management.js";
import type { MaintenanceWindowRecord, Service } from "../../core/alerts/records.js";
import { AppError, notFound, takenError, validationError } from "../../core/errors.js";
import { activeMaintenanceEndsAt } from "../../core/maintenance/maintenance-window.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import type { IntegrationCounts } from "../ports/alerting-store.js";
import type { Tx } from "../ports/store.js";
import { requireTeamManager } from "../teams/team-manager.js";
import { savingUniqueName } from "../unique-name-race.js";
import { checkService, SERVICE_DEFAULTS, type ServiceInput } from "./service-input.js";

/**
 * Among live services only: an archived one gave its name up (its `name` holds a placeholder). A
 * name differing only in case is taken too: "checkout api" beside "Checkout API" is a typo that
 * would then catch every `--service "checkout api"` and page nobody.
 */
async function refuseTakenName(tx: Tx, name: string, ownId: string | null): Promise<void> {
  const holder = (await tx.services.findByName(name)) ?? (await sameNameIgnoringCase(tx, name, ownId))[0];
  if (holder && holder.id !== ownId)
    throw takenError("/name", `a service named ${holder.name} already exists`);
}

const sameNameIgnoringCase = async (tx: Tx, name: string, ownId: string | null) =>
  (await tx.services.list()).filter((s) => s.id !== ownId && s.name.toLowerCase() === name.toLowerCase());

export async function createService(
  deps: AppDeps,
  caller: Caller,
  input: ServiceInput & { name: string },
): Promise<Service> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  const recheck = (tx: Tx) => refuseTakenName(tx, input.name.trim(), null);
  return savingUniqueName(deps, recheck, async (tx) => {
    // A team manager may add services to a team they manage; one without a team is for admins.
    await requireTeamManager(tx, caller, `creating service ${input.name.trim()}`, input.teamId ?? null);
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
    await refuseTakenName(tx, service.name, null);
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
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  // An update that leaves the name alone cannot have lost a race for one.
  const recheck = async (tx: Tx) => {
    if (input.name !== undefined) await refuseTakenName(tx, input.name.trim(), id);
  };
  return savingUniqueName(deps, recheck, async (tx) => {
    const before = await tx.services.findById(id);
    if (!before || before.archivedAt) throw notFound("service", id);
    await requireTeamManager(tx, caller, `changing service ${before.name}`, before.teamId);
    // Handing it to another team needs a manager of that one too; taking it out of every team, an admin.
    if (input.teamId !== undefined && input.teamId !== before.teamId) {
      const doing =
        input.teamId === null
          ? `leaving service ${before.name} without a team`
          : `moving service ${before.name} to another team`;
      await requireTeamManager(tx, caller, doing, input.teamId);
    }
    const after: Service = { ...before, ...input, name: (input.name ?? before.name).trim(), updatedAt: now };
    const errors = await checkService(tx, after);
    if (errors.length > 0) throw validationError(errors);
    await refuseTakenName(tx, after.name, id);
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

/**
 * A service as listings show it: whether a maintenance window holds its pages back now, and until
 * when; and how many integrations it has, so a list can say which services take no alerts without
 * reading each one's integrations.
 */
export interface ServiceView extends Service {
  /** When the maintenance in force ends, by the server's clock; null: none is. */
  readonly maintenanceUntil: Date | null;
  /** Its integrations, disabled ones included (not deleted ones, nor the system's "manual" one). */
  readonly integrationCount: number;
  /** Those of them not disabled: the ones that take alerts. */
  readonly enabledIntegrationCount: number;
}

const NO_INTEGRATIONS: IntegrationCounts = { total: 0, enabled: 0 };

function serviceView(
  service: Service,
  windows: readonly MaintenanceWindowRecord[],
  integrations: ReadonlyMap<string, IntegrationCounts>,
  now: Date,
): ServiceView {
  const own = windows.filter((w) => w.serviceId === service.id).map((w) => w.window);
  const counts = integrations.get(service.id) ?? NO_INTEGRATIONS;
  return {
    ...service,
    maintenanceUntil: activeMaintenanceEndsAt(own, now),
    integrationCount: counts.total,
    enabledIntegrationCount: counts.enabled,
  };
}

export interface ListServicesOptions {
  /** Also the deleted services, after the live ones, so an old incident's service can be named. */
  readonly includeArchived?: boolean;
}

/** With deleted ones asked for, each service says whether it is one: archivedAt, null when live. */
export async function listServices(
  deps: AppDeps,
  caller: Caller,
  options: ListServicesOptions = {},
): Promise<ServiceView[]> {
  requireRole(caller.actor, "viewer");
  const now = deps.clock.now();
  return deps.uow.read(async (tx) => {
    const services = await tx.services.list();
    const windows = await tx.maintenance.listAll();
    const integrations = await tx.integrations.countByService();
    const live = services.map((service) => serviceView(service, windows, integrations, now));
    if (options.includeArchived !== true) return live;
    const archived = await tx.services.listArchived();
    return [
      ...live.map((service) => ({ ...service, archivedAt: null })),
      // A deleted service holds no pages back and has no integrations left: nothing there is in force.
      ...archived.map((service) => ({
        ...service,
        maintenanceUntil: null,
        integrationCount: 0,
        enabledIntegrationCount: 0,
        archivedAt: service.archivedAt ?? null,
      })),
    ];
  });
}

/** `getService` with the service's maintenance state and integration counts, as its page shows it. */
export async function getServiceView(deps: AppDeps, caller: Caller, idOrName: string): Promise<ServiceView> {
  const service = await getService(deps, caller, idOrName);
  const now = deps.clock.now();
  return deps.uow.read(async (tx) => {
    const windows = await tx.maintenance.listForService(service.id);
    const integrations = await tx.integrations.countByService(service.id);
    return serviceView(service, windows, integrations, now);
  });
}

/**
 * A service that is not deleted, by id, by exact name (what the CLI passes), or by the one name that
 * differs only in case ("checkout api" at 3 am for "Checkout API"); two such names find neither.
 */
async function findLiveService(tx: Tx, idOrName: string): Promise<Service | undefined> {
  const found = (await tx.services.findById(idOrName)) ?? (await tx.services.findByName(idOrName));
  if (found) return found.archivedAt ? undefined : found;
  const alike = await sameNameIgnoringCase(tx, idOrName, null);
  return alike.length === 1 ? alike[0] : undefined;
}

/** By id, or by exact name (what the CLI passes). */
export async function getService(deps: AppDeps, caller: Caller, idOrName: string): Promise<Service> {
  requireRole(caller.actor, "viewer");
  const found = await deps.uow.run((tx) => findLiveService(tx, idOrName));
  if (!found) throw notFound("service", idOrName);
  return found;
}

/**
 * The service an incident filter names: by id even when deleted (its incidents are history worth
 * reading), by exact name only among live ones (a deleted service gave its name up).
 */
export async function getServiceForHistory(
  deps: AppDeps,
  caller: Caller,
  idOrName: string,
): Promise<Service> {
  requireRole(caller.actor, "viewer");
  const found = await deps.uow.read(
    // findByName sees live services only.
    async (tx) => (await tx.services.findById(idOrName)) ?? (await tx.services.findByName(idOrName)),
  );
  if (!found) throw notFound("service", idOrName);
  return found;
}

/** How many open incidents, or status-page components, a refusal names before "and more". */
const NAMED_AT_MOST = 5;

/**
 * Refuses to delete a service that still matters: an unresolved incident would lose its service, and
 * a status-page component linked to it would go on showing "operational" for a service that is gone.
 */
async function refuseServiceInUse(tx: Tx, service: Service): Promise<void> {
  const open = await tx.incidents.list({
    states: ["triggered", "acknowledged"],
    serviceId: service.id,
    limit: NAMED_AT_MOST + 1,
  });
  if (open.length > 0) {
    const named = open.slice(0, NAMED_AT_MOST).map((i) => `INC-${i.number}`);
    const more = open.length > NAMED_AT_MOST ? " and more" : "";
    throw new AppError(
      "CONFLICT",
      `service ${service.name} has unresolved incidents (${named.join(", ")}${more}): resolve them before deleting it`,
    );
  }
  const components = await tx.statusComponents.listForService(service.id);
  if (components.length > 0) {
    const shown = components.slice(0, NAMED_AT_MOST);
    const pageIds = [...new Set(shown.map((c) => c.pageId))];
    const titles = new Map<string, string>();
    for (const pageId of pageIds)
      titles.set(pageId, (await tx.statusPages.findById(pageId))?.title ?? pageId);
    const named = shown.map((c) => `${c.name} (page ${titles.get(c.pageId)})`).join(", ");
    const more = components.length > NAMED_AT_MOST ? " and more" : "";
    const one = components.length === 1;
    throw new AppError(
      "CONFLICT",
      `service ${service.name} is shown on status page ${one ? "component" : "components"} ${named}${more}: ` +
        `remove it from ${one ? "that component" : "them"} before deleting it`,
    );
  }
}

/**
 * Deletes a service that has no unresolved incident and no status-page component: archived, not
 * removed, so its incidents keep their history and name; its integrations stop taking alerts and its
 * name is free again.
 */
export async function deleteService(deps: AppDeps, caller: Caller, idOrName: string): Promise<void> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const service = await findLiveService(tx, idOrName);
    if (!service) throw notFound("service", idOrName);
    await refuseServiceInUse(tx, service);
    const integrations = await tx.integrations.listForService(service.id);
    for (const integration of integrations) await tx.integrations.archive(integration.id, now);
    await tx.services.archive(service.id, now);
    await recordChange(tx, caller, now, {
      action: "service.delete",
      entityType: "service",
      entityId: service.id,
      before: { ...service, integrationIds: integrations.map((i) => i.id) },
      after: null,
    });
  });
}
