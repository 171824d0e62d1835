import { requireRole } from "../../core/auth/actor.js";
import { requireTeamManagerRole } from "../../core/auth/team-management.js";
import { AppError, takenError, validationError } from "../../core/errors.js";
import { policyTargetsSchedule } from "../../core/escalation/policy.js";
import type { LayerRecord, ScheduleRecord } from "../../core/schedules/records.js";
import { canonicalTimeZone } from "../../core/schedules/time-zone-name.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { requireTeamManager } from "../teams/team-manager.js";
import { savingUniqueName } from "../unique-name-race.js";
import { armScheduleJobs } from "./arm-schedule-jobs.js";
import { findSchedule } from "./load-schedule.js";
import {
  checkLayerInput,
  checkScheduleFields,
  rotationSettings,
  type LayerInput,
  type ScheduleFields,
} from "./schedule-input.js";
import { scheduleView, type ScheduleView } from "./schedule-views.js";

export interface CreateScheduleInput extends ScheduleFields {
  readonly name: string;
  readonly timeZone: string;
  readonly layers?: readonly LayerInput[];
}

/** A new rotation layer takes effect when it is created: adding a layer does not rewrite the past. */
export const newRotationLayer = (input: LayerInput, priority: number, nowMs: number): LayerRecord => ({
  layer: {
    id: newId(),
    name: input.name.trim(),
    priority,
    source: "rotation",
    versions: [{ ...rotationSettings(input.rotation), effectiveFromMs: nowMs, effectiveUntilMs: null }],
  },
  endedAtMs: null,
});

/** A checked zone as the tz database spells it, whatever case it was typed in (API, CLI, console). */
const storedTimeZone = (timeZone: string): string => canonicalTimeZone(timeZone) ?? timeZone;

async function refuseTakenName(tx: Tx, name: string, ownId: string | null): Promise<void> {
  const holder = await tx.schedules.findByName(name);
  if (holder && holder.id !== ownId) throw takenError("/name", `a schedule named ${name} already exists`);
}

export async function createSchedule(
  deps: AppDeps,
  caller: Caller,
  input: CreateScheduleInput,
): Promise<ScheduleView> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  const recheck = (tx: Tx) => refuseTakenName(tx, input.name.trim(), null);
  return savingUniqueName(deps, recheck, async (tx) => {
    const errors = await checkScheduleFields(tx, input);
    for (const [i, layer] of (input.layers ?? []).entries())
      errors.push(...(await checkLayerInput(tx, layer, `/layers/${i}`)));
    if (errors.length > 0) throw validationError(errors);
    const name = input.name.trim();
    await refuseTakenName(tx, name, null);
    const record: ScheduleRecord = {
      id: newId(),
      name,
      description: input.description ?? "",
      timeZone: storedTimeZone(input.timeZone),
      teamId: input.teamId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await tx.schedules.insert(record);
    // Later layers in the list sit above earlier ones unless a priority says otherwise.
    const layers = (input.layers ?? []).map((layer, i) =>
      newRotationLayer(layer, layer.priority ?? i + 1, now.getTime()),
    );
    for (const layer of layers) await tx.schedules.insertLayer(record.id, layer, now.getTime());
    const view = scheduleView(record, layers, now.getTime());
    await armScheduleJobs(tx, tx.jobs, record.id, now);
    await recordChange(tx, caller, now, {
      action: "schedule.create",
      entityType: "schedule",
      entityId: record.id,
      before: null,
      after: view,
    });
    return view;
  });
}

export async function updateSchedule(
  deps: AppDeps,
  caller: Caller,
  idOrName: string,
  input: ScheduleFields,
): Promise<ScheduleView> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  // An update that leaves the name alone cannot have lost a race for one.
  const recheck = async (tx: Tx) => {
    if (input.name === undefined) return;
    await refuseTakenName(tx, input.name.trim(), (await findSchedule(tx, idOrName)).id);
  };
  return savingUniqueName(deps, recheck, async (tx) => {
    const before = await findSchedule(tx, idOrName);
    await requireTeamManager(tx, caller, `changing schedule ${before.name}`, before.teamId);
    // Handing it to another team needs a manager of that one too; taking it out of every team, an admin.
    if (input.teamId !== undefined && input.teamId !== before.teamId) {
      const doing =
        input.teamId === null
          ? `leaving schedule ${before.name} without a team`
          : `moving schedule ${before.name} to another team`;
      await requireTeamManager(tx, caller, doing, input.teamId);
    }
    const errors = await checkScheduleFields(tx, input);
    if (errors.length > 0) throw validationError(errors);
    const after: ScheduleRecord = {
      ...before,
      name: input.name?.trim() ?? before.name,
      description: input.description ?? before.description,
      timeZone: input.timeZone === undefined ? before.timeZone : storedTimeZone(input.timeZone),
      teamId: input.teamId === undefined ? before.teamId : input.teamId,
      updatedAt: now,
    };
    await refuseTakenName(tx, after.name, before.id);
    await tx.schedules.update(after);
    await armScheduleJobs(tx, tx.jobs, before.id, now);
    await recordChange(tx, caller, now, {
      action: "schedule.update",
      entityType: "schedule",
      entityId: before.id,
      before,
      after,
    });
    return scheduleView(after, await tx.schedules.listLayers(after.id), now.getTime());
  });
}

/** Refused while an escalation policy pages through the schedule: paging must not silently stop. */
export async function deleteSchedule(deps: AppDeps, caller: Caller, idOrName: string): Promise<void> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const before = await findSchedule(tx, idOrName);
    const users = (await tx.escalationPolicies.list()).filter((p) => policyTargetsSchedule(p, before.id));
    if (users.length > 0)
      throw new AppError(
        "CONFLICT",
        `escalation ${users.length === 1 ? "policy" : "policies"} ${users.map((p) => `"${p.name}"`).join(", ")} still ${users.length === 1 ? "pages" : "page"} through schedule ${before.name}; change ${users.length === 1 ? "it" : "them"} first`,
      );
    const layers = await tx.schedules.listLayers(before.id);
    await tx.schedules.delete(before.id);
    await recordChange(tx, caller, now, {
      action: "schedule.delete",
      entityType: "schedule",
      entityId: before.id,
      before: scheduleView(before, layers, now.getTime()),
      after: null,
    });
  });
}

export async function getSchedule(deps: AppDeps, caller: Caller, idOrName: string): Promise<ScheduleView> {
  requireRole(caller.actor, "viewer");
  const nowMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => {
    const record = await findSchedule(tx, idOrName);
    return scheduleView(record, await tx.schedules.listLayers(record.id), nowMs);
  });
}

export async function listSchedules(deps: AppDeps, caller: Caller): Promise<ScheduleView[]> {
  requireRole(caller.actor, "viewer");
  const nowMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => {
    const views: ScheduleView[] = [];
    for (const record of await tx.schedules.list())
      views.push(scheduleView(record, await tx.schedules.listLayers(record.id), nowMs));
    return views;
  });
}
