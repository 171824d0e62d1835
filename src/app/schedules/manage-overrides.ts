import { requireRole, type Actor } from "../../core/auth/actor.js";
import { roleAllows } from "../../core/auth/roles.js";
import { AppError, notFound, validationError, type FieldError } from "../../core/errors.js";
import { gapAt, onCallAt } from "../../core/schedules/final-schedule.js";
import { overlapWarnings } from "../../core/schedules/override-overlaps.js";
import type {
  OverrideRecord,
  OverrideSource,
  ScheduleRecord,
  ShiftTrade,
} from "../../core/schedules/records.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { armScheduleJobs } from "./arm-schedule-jobs.js";
import { findSchedule, loadSchedule, rangeAround } from "./load-schedule.js";
import { actingPersonId, onCallOver, planOverrideNotices } from "./override-notices.js";
import { overrideView, peopleBook, type OverrideView } from "./schedule-views.js";
import { checkedRange } from "./time-range-input.js";

/** One-off overrides ("X covers [start, end)") and the emergency take-over. Never in the past. */

export const MAX_OVERRIDE_DAYS = 90;
/** A start this little before the server's now is taken as "now" (the console's clock may lag). */
const START_SLACK_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export const isAdmin = (actor: Actor): boolean => roleAllows(actor.role, "admin");

/** Responders act for themselves only; admins (managers) for anyone. */
export function requireSelfOrAdmin(actor: Actor, userId: string, what: string): void {
  requireRole(actor, "responder");
  if (isAdmin(actor) || (actor.kind === "user" && actor.id === userId)) return;
  throw new AppError("FORBIDDEN", `only an admin may ${what} for someone else`);
}

async function checkPerson(tx: Tx, userId: string, path: string): Promise<FieldError[]> {
  if (userId.trim() === "") return [{ path, message: "can't be empty" }];
  const user = await tx.users.findById(userId);
  if (!user) return [{ path, message: `user ${userId} not found` }];
  return user.disabledAt ? [{ path, message: `${user.name} is disabled` }] : [];
}

function checkWindow(startMs: number, endMs: number, nowMs: number): FieldError[] {
  if (Number.isNaN(startMs) || Number.isNaN(endMs))
    return [{ path: Number.isNaN(startMs) ? "/start" : "/end", message: "must be a date and time" }];
  if (endMs <= startMs) return [{ path: "/end", message: "must be after start" }];
  if (endMs <= nowMs) return [{ path: "/end", message: "must be in the future" }];
  if (startMs < nowMs - START_SLACK_MS) return [{ path: "/start", message: "must not be in the past" }];
  if (endMs - startMs > MAX_OVERRIDE_DAYS * DAY_MS)
    return [{ path: "/end", message: `must be at most ${MAX_OVERRIDE_DAYS} days after start` }];
  return [];
}

/** Writes the override with its audit entry, and tells the people it moves (unless they made it). */
export async function insertOverride(
  tx: Tx,
  caller: Caller,
  now: Date,
  schedule: ScheduleRecord,
  fields: Omit<OverrideRecord, "id" | "scheduleId" | "createdBy" | "createdAtMs">,
  action: string,
): Promise<OverrideRecord> {
  const record: OverrideRecord = {
    ...fields,
    id: newId(),
    scheduleId: schedule.id,
    createdBy: caller.actor.id,
    createdAtMs: now.getTime(),
  };
  const window = { startMs: record.startMs, endMs: record.endMs };
  const before = await onCallOver(tx, schedule, window);
  await tx.scheduleOverrides.insert(record);
  await planOverrideNotices(tx, caller, now, {
    record: schedule,
    override: record,
    change: "created",
    window,
    before,
  });
  await armScheduleJobs(tx, tx.jobs, record.scheduleId, now);
  await recordChange(tx, caller, now, {
    action,
    entityType: "schedule",
    entityId: record.scheduleId,
    before: null,
    after: record,
  });
  return record;
}

export interface OverrideInput {
  readonly userId: string;
  readonly start: Date;
  readonly end: Date;
  readonly replacesUserId?: string | null;
}

/** A created override, with what the caller should know: the person's other overrides it overlaps. */
export type CreatedOverrideView = OverrideView & { readonly warnings: string[] };

export async function createOverride(
  deps: AppDeps,
  caller: Caller,
  scheduleIdOrName: string,
  input: OverrideInput,
  source: OverrideSource = "manual",
): Promise<CreatedOverrideView> {
  requireSelfOrAdmin(caller.actor, input.userId, "put someone on call");
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const schedule = await findSchedule(tx, scheduleIdOrName);
    const startMs = Math.max(input.start.getTime(), now.getTime());
    const errors = [
      ...checkWindow(input.start.getTime(), input.end.getTime(), now.getTime()),
      ...(await checkPerson(tx, input.userId, "/userId")),
      // Null means it replaces nobody in particular; "" names nobody and must not be stored as a person.
      ...(input.replacesUserId !== null && input.replacesUserId !== undefined
        ? await checkPerson(tx, input.replacesUserId, "/replacesUserId")
        : []),
    ];
    if (errors.length > 0) throw validationError(errors);
    const endMs = input.end.getTime();
    // Read before the insert, so the new override is not among them.
    const ownBefore = (await tx.scheduleOverrides.listOverlapping(schedule.id, startMs, endMs)).filter(
      (o) => o.userId === input.userId,
    );
    const record = await insertOverride(
      tx,
      caller,
      now,
      schedule,
      { userId: input.userId, startMs, endMs, replacesUserId: input.replacesUserId ?? null, source },
      "schedule.override_create",
    );
    const people = await peopleBook(tx);
    const warnings = overlapWarnings(
      people.name(input.userId),
      { startMs, endMs },
      ownBefore,
      schedule.timeZone,
      now.getTime(),
    );
    return { ...overrideView(record, people), warnings };
  });
}

const fromTrade = (override: OverrideRecord) => override.source === "swap" || override.source === "cover";

/** The accepted trade that made a swap or cover override (found among the schedule's latest ones). */
async function tradeOf(tx: Tx, override: OverrideRecord): Promise<ShiftTrade | null> {
  if (!fromTrade(override)) return null;
  const accepted = await tx.shiftTrades.list({
    scheduleId: override.scheduleId,
    state: "accepted",
    limit: 500,
  });
  return accepted.find((t) => t.overrideIds.includes(override.id)) ?? null;
}

/**
 * Two people agreed a trade, so one of them alone does not undo it (as neither alone makes one):
 * the way back is another trade the other person accepts, or an admin.
 */
async function agreedInTrade(tx: Tx, caller: Caller, override: OverrideRecord, trade: ShiftTrade | null) {
  const me = await actingPersonId(tx, caller.actor);
  const parties = trade
    ? [trade.requesterId, trade.acceptedBy ?? override.userId]
    : [override.userId, override.replacesUserId ?? override.userId];
  const otherId = parties.find((id) => id !== me) ?? parties[0]!;
  const other = (await tx.users.findById(otherId))?.name ?? "the other person";
  return new AppError(
    "CONFLICT",
    `this ${override.source} was agreed with ${other} in a shift trade, so it stays unless both agree: ` +
      `ask ${other} to take the shift back (send them a cover request), or ask an admin to remove it`,
  );
}

/**
 * A future override goes; one in progress ends now (its past stays on the record); a past one stays.
 * One made by an accepted trade goes only by an admin. Whoever it gives time back to is told.
 */
export async function deleteOverride(
  deps: AppDeps,
  caller: Caller,
  scheduleIdOrName: string,
  overrideId: string,
): Promise<void> {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const nowMs = now.getTime();
  await deps.uow.run(async (tx) => {
    const schedule = await findSchedule(tx, scheduleIdOrName);
    const before = await tx.scheduleOverrides.findById(overrideId);
    if (!before || before.scheduleId !== schedule.id) throw notFound("override", overrideId);
    const own = caller.actor.id === before.userId || caller.actor.id === before.createdBy;
    if (!own && !isAdmin(caller.actor))
      throw new AppError("FORBIDDEN", "only an admin may remove someone else's override");
    if (before.endMs <= nowMs)
      throw new AppError("CONFLICT", "this override is over; the past stays as it was");
    const trade = await tradeOf(tx, before);
    if (fromTrade(before) && !isAdmin(caller.actor)) throw await agreedInTrade(tx, caller, before, trade);
    const window = { startMs: Math.max(before.startMs, nowMs), endMs: before.endMs };
    const shiftsBefore = await onCallOver(tx, schedule, window);
    if (before.startMs < nowMs) await tx.scheduleOverrides.setEnd(before.id, nowMs);
    else await tx.scheduleOverrides.delete(before.id);
    await planOverrideNotices(tx, caller, now, {
      record: schedule,
      override: before,
      change: "removed",
      window,
      before: shiftsBefore,
      trade,
    });
    await armScheduleJobs(tx, tx.jobs, schedule.id, now);
    await recordChange(tx, caller, now, {
      action: "schedule.override_delete",
      entityType: "schedule",
      entityId: schedule.id,
      before,
      after: before.startMs < nowMs ? { ...before, endMs: nowMs } : null,
    });
  });
}

export async function listOverrides(
  deps: AppDeps,
  caller: Caller,
  scheduleIdOrName: string,
  window: { start: Date; end: Date },
): Promise<OverrideView[]> {
  requireRole(caller.actor, "viewer");
  const range = checkedRange(window.start, window.end, { maxDays: 366 });
  return deps.uow.run(async (tx) => {
    const schedule = await findSchedule(tx, scheduleIdOrName);
    const people = await peopleBook(tx);
    return (await tx.scheduleOverrides.listOverlapping(schedule.id, range.startMs, range.endMs)).map((o) =>
      overrideView(o, people),
    );
  });
}

/** Emergency: `userId` (default: the caller) is on call from now until `end` (default: the current shift's end). */
export async function takeOver(
  deps: AppDeps,
  caller: Caller,
  scheduleIdOrName: string,
  input: { userId?: string; end?: Date },
): Promise<OverrideView> {
  if (input.userId === undefined && caller.actor.kind !== "user")
    throw validationError([{ path: "/userId", message: "is required when an API key asks" }]);
  const userId = input.userId ?? caller.actor.id;
  requireSelfOrAdmin(caller.actor, userId, "take over a shift");
  const now = deps.clock.now();
  const nowMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const schedule = await findSchedule(tx, scheduleIdOrName);
    const range = rangeAround(nowMs);
    const loaded = (await loadSchedule(tx, schedule, range)).schedule;
    const current = onCallAt(loaded, nowMs);
    // An uncovered slot (a disabled person's shift, a gap between rotations) is taken until someone
    // is on call again, if that is within the overrides loaded: beyond, the gap's end is not known.
    const gapEndMs = current ? undefined : gapAt(loaded, nowMs)?.endMs;
    const endMs =
      input.end?.getTime() ??
      current?.endMs ??
      (gapEndMs !== undefined && gapEndMs < range.endMs ? gapEndMs : undefined);
    if (endMs === undefined)
      throw validationError([
        {
          path: "/end",
          message: "is required: nobody is on call now and nobody is scheduled to be soon, so say until when",
        },
      ]);
    const errors = [...checkWindow(nowMs, endMs, nowMs), ...(await checkPerson(tx, userId, "/userId"))];
    if (errors.length > 0) throw validationError(errors);
    if (current?.userId === userId && input.end === undefined)
      throw new AppError("CONFLICT", "that person is on call already; give an end to extend their time");
    const record = await insertOverride(
      tx,
      caller,
      now,
      schedule,
      {
        userId,
        startMs: nowMs,
        endMs,
        replacesUserId: current?.userId ?? null,
        source: "take-over",
      },
      "schedule.take_over",
    );
    return overrideView(record, await peopleBook(tx));
  });
}
