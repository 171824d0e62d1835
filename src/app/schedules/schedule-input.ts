import type { FieldError } from "../../core/errors.js";
import { checkName } from "../../core/visible-name.js";
import { isTimeZone } from "../../core/maintenance/maintenance-window.js";
import { checkRotation } from "../../core/schedules/final-schedule.js";
import type { ShiftUnit, TimeWindow } from "../../core/schedules/schedule.js";
import type { Tx } from "../ports/store.js";
import type { RotationView } from "./schedule-views.js";

/** What callers send to create or change schedules and layers, and the checks that name each field. */

export interface RotationInput {
  readonly memberIds: readonly string[];
  readonly shiftLength: number;
  readonly shiftUnit: ShiftUnit;
  readonly startLocal: string;
  readonly restrictions?: readonly TimeWindow[];
}

export interface LayerInput {
  readonly name: string;
  readonly priority?: number;
  readonly rotation: RotationInput;
}

export interface ScheduleFields {
  readonly name?: string;
  readonly description?: string;
  readonly timeZone?: string;
  readonly teamId?: string | null;
}

export const MAX_PRIORITY = 1000;
export const MAX_DESCRIPTION_LENGTH = 5000;

export const rotationSettings = (input: RotationInput): RotationView => ({
  memberIds: [...input.memberIds],
  shiftLength: input.shiftLength,
  shiftUnit: input.shiftUnit,
  startLocal: input.startLocal,
  restrictions: [...(input.restrictions ?? [])],
});

export function checkTimeZone(timeZone: string, path: string): FieldError[] {
  return timeZone.length <= 100 && isTimeZone(timeZone)
    ? []
    : [{ path, message: "must be an IANA time zone, such as Europe/Berlin" }];
}

/** The rotation's settings (the maths' checks) and that every member is an enabled user. */
export async function checkRotationInput(tx: Tx, input: RotationInput, path: string): Promise<FieldError[]> {
  const errors = [...checkRotation(rotationSettings(input), path)];
  for (const [i, userId] of input.memberIds.entries()) {
    const user = await tx.users.findById(userId);
    if (!user) errors.push({ path: `${path}/memberIds/${i}`, message: `user ${userId} not found` });
    else if (user.disabledAt)
      errors.push({ path: `${path}/memberIds/${i}`, message: `${user.name} is disabled` });
  }
  return errors;
}

export function checkLayerFields(input: { name?: string; priority?: number }, path: string): FieldError[] {
  const errors = input.name === undefined ? [] : checkName(input.name, `${path}/name`);
  if (
    input.priority !== undefined &&
    (!Number.isInteger(input.priority) || Math.abs(input.priority) > MAX_PRIORITY)
  )
    errors.push({
      path: `${path}/priority`,
      message: `must be a whole number from -${MAX_PRIORITY} to ${MAX_PRIORITY}`,
    });
  return errors;
}

export async function checkLayerInput(tx: Tx, input: LayerInput, path: string): Promise<FieldError[]> {
  return [
    ...checkLayerFields(input, path),
    ...(await checkRotationInput(tx, input.rotation, `${path}/rotation`)),
  ];
}

export async function checkScheduleFields(tx: Tx, fields: ScheduleFields): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (fields.name !== undefined) errors.push(...checkName(fields.name, "/name"));
  if (fields.timeZone !== undefined) errors.push(...checkTimeZone(fields.timeZone, "/timeZone"));
  if (fields.description !== undefined && fields.description.length > MAX_DESCRIPTION_LENGTH)
    errors.push({ path: "/description", message: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` });
  // Null (or left out) means no team; "" too must name one, or the insert fails on the foreign key (a 500).
  if (fields.teamId !== null && fields.teamId !== undefined) {
    if (fields.teamId.trim() === "")
      errors.push({ path: "/teamId", message: "can't be empty: send null for no team" });
    else if (!(await tx.teams.findById(fields.teamId)))
      errors.push({ path: "/teamId", message: `team ${fields.teamId} not found` });
  }
  return errors;
}
