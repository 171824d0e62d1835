import { requireTeamManagerRole } from "../../core/auth/team-management.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import { endLayerAt } from "../../core/schedules/end-layer.js";
import { editRotation } from "../../core/schedules/final-schedule.js";
import type { LayerRecord, ScheduleRecord } from "../../core/schedules/records.js";
import { recordChange } from "../audit/record-change.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { requireTeamManager } from "../teams/team-manager.js";
import { armScheduleJobs } from "./arm-schedule-jobs.js";
import { findSchedule } from "./load-schedule.js";
import { newRotationLayer } from "./manage-schedules.js";
import {
  checkLayerFields,
  checkLayerInput,
  checkRotationInput,
  rotationSettings,
  type LayerInput,
  type RotationInput,
} from "./schedule-input.js";
import { layerView, type LayerView } from "./schedule-views.js";

/** Layers of a schedule. The past never changes: edits and ends take effect at the server's now. */

export interface EditLayerInput {
  readonly name?: string;
  readonly priority?: number;
  readonly rotation?: RotationInput;
}

/** Above every layer there is, so a new layer is seen unless the caller says otherwise. */
export const nextPriority = (layers: readonly LayerRecord[]): number =>
  layers.reduce((top, l) => Math.max(top, l.layer.priority), 0) + 1;

/** A schedule's layers are its team's managers' to change, and admins'. */
const requireLayerEditor = (tx: Tx, caller: Caller, schedule: ScheduleRecord) =>
  requireTeamManager(tx, caller, `changing the layers of schedule ${schedule.name}`, schedule.teamId);

async function findLayer(tx: Tx, schedule: ScheduleRecord, layerId: string): Promise<LayerRecord> {
  const found = (await tx.schedules.listLayers(schedule.id)).find((l) => l.layer.id === layerId);
  if (!found) throw notFound("layer", layerId);
  return found;
}

export async function addLayer(
  deps: AppDeps,
  caller: Caller,
  scheduleIdOrName: string,
  input: LayerInput,
): Promise<LayerView> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const schedule = await findSchedule(tx, scheduleIdOrName);
    await requireLayerEditor(tx, caller, schedule);
    const errors = await checkLayerInput(tx, input, "");
    if (errors.length > 0) throw validationError(errors);
    const layers = await tx.schedules.listLayers(schedule.id);
    const record = newRotationLayer(input, input.priority ?? nextPriority(layers), now.getTime());
    await tx.schedules.insertLayer(schedule.id, record, now.getTime());
    const view = layerView(record, now.getTime());
    await armScheduleJobs(tx, tx.jobs, schedule.id, now);
    await recordChange(tx, caller, now, {
      action: "schedule.layer_add",
      entityType: "schedule",
      entityId: schedule.id,
      before: null,
      after: view,
    });
    return view;
  });
}

/** A rotation change is a new version from now on; a name or priority change applies as is. */
export async function editLayer(
  deps: AppDeps,
  caller: Caller,
  scheduleIdOrName: string,
  layerId: string,
  input: EditLayerInput,
): Promise<LayerView> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const schedule = await findSchedule(tx, scheduleIdOrName);
    await requireLayerEditor(tx, caller, schedule);
    const before = await findLayer(tx, schedule, layerId);
    if (before.endedAtMs !== null)
      throw new AppError("CONFLICT", `layer ${before.layer.name} has ended; add a new one`);
    const errors = checkLayerFields(input, "");
    if (input.rotation !== undefined) {
      if (before.layer.source !== "rotation")
        errors.push({
          path: "/rotation",
          message: "an imported layer has no rotation to change; import it again",
        });
      else errors.push(...(await checkRotationInput(tx, input.rotation, "/rotation")));
    }
    if (errors.length > 0) throw validationError(errors);
    const renamed = {
      ...before.layer,
      name: input.name?.trim() ?? before.layer.name,
      priority: input.priority ?? before.layer.priority,
    };
    const layer =
      renamed.source === "rotation" && input.rotation !== undefined
        ? editRotation(renamed, rotationSettings(input.rotation), now.getTime())
        : renamed;
    const after: LayerRecord = { layer, endedAtMs: null };
    await tx.schedules.updateLayer(schedule.id, after);
    const view = layerView(after, now.getTime());
    await armScheduleJobs(tx, tx.jobs, schedule.id, now);
    await recordChange(tx, caller, now, {
      action: "schedule.layer_edit",
      entityType: "schedule",
      entityId: schedule.id,
      before: layerView(before, now.getTime()),
      after: view,
    });
    return view;
  });
}

/** Ends a layer now: the shifts it gave before stay on the record, it gives none after. */
export async function endLayer(
  deps: AppDeps,
  caller: Caller,
  scheduleIdOrName: string,
  layerId: string,
): Promise<void> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const schedule = await findSchedule(tx, scheduleIdOrName);
    await requireLayerEditor(tx, caller, schedule);
    const before = await findLayer(tx, schedule, layerId);
    if (before.endedAtMs !== null)
      throw new AppError("CONFLICT", `layer ${before.layer.name} has ended already`);
    const after: LayerRecord = { layer: endLayerAt(before.layer, now.getTime()), endedAtMs: now.getTime() };
    await tx.schedules.updateLayer(schedule.id, after);
    await armScheduleJobs(tx, tx.jobs, schedule.id, now);
    await recordChange(tx, caller, now, {
      action: "schedule.layer_end",
      entityType: "schedule",
      entityId: schedule.id,
      before: layerView(before, now.getTime()),
      after: layerView(after, now.getTime()),
    });
  });
}
