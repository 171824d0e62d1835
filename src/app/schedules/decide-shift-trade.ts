import { requireRole } from "../../core/auth/actor.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import type { ScheduleRecord, ShiftTrade, TradeState } from "../../core/schedules/records.js";
import { effectiveTradeState, overridesForAcceptance } from "../../core/schedules/shift-trade.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { armScheduleJobs } from "./arm-schedule-jobs.js";
import { eligibleForOpenCover, loadSchedule } from "./load-schedule.js";
import { isAdmin } from "./manage-overrides.js";
import { holdsShift } from "./request-shift-trade.js";
import { peopleBook, tradeView, type TradeView } from "./schedule-views.js";
import { planTradeNotice, type TradeNotice } from "./trade-notices.js";

/** Accepting, declining and cancelling a trade. Only a pending trade can be decided, once. */

async function pendingTrade(
  tx: Tx,
  id: string,
  nowMs: number,
): Promise<{ trade: ShiftTrade; schedule: ScheduleRecord }> {
  const trade = await tx.shiftTrades.findById(id);
  if (!trade) throw notFound("trade", id);
  const state = effectiveTradeState(trade, nowMs);
  if (state !== "pending") throw new AppError("CONFLICT", `this trade is ${state} already`);
  const schedule = await tx.schedules.findById(trade.scheduleId);
  if (!schedule) throw notFound("schedule", trade.scheduleId);
  return { trade, schedule };
}

async function decide(
  tx: Tx,
  trade: ShiftTrade,
  state: Exclude<TradeState, "pending">,
  acceptedBy: string | null,
  nowMs: number,
  overrideIds: readonly string[] = [],
): Promise<ShiftTrade> {
  if (!(await tx.shiftTrades.decide(trade.id, { state, acceptedBy, decidedAtMs: nowMs, overrideIds })))
    throw new AppError("CONFLICT", "this trade was decided a moment ago by someone else");
  return { ...trade, state, acceptedBy, decidedAtMs: nowMs, overrideIds };
}

/** Who may accept: the person it was offered to, or for an open cover anyone on the schedule or its team. */
async function checkAcceptor(tx: Tx, caller: Caller, trade: ShiftTrade, acceptorId: string): Promise<void> {
  if (acceptorId === trade.requesterId) throw new AppError("FORBIDDEN", "nobody can take their own trade");
  if (acceptorId !== caller.actor.id && !isAdmin(caller.actor))
    throw new AppError("FORBIDDEN", "only an admin may accept a trade for someone else");
  if (trade.offeredTo !== null) {
    if (trade.offeredTo !== acceptorId)
      throw new AppError("FORBIDDEN", "this trade was offered to someone else");
    return;
  }
  const acceptor = await tx.users.findById(acceptorId);
  if (!acceptor || acceptor.disabledAt)
    throw validationError([{ path: "/userId", message: `user ${acceptorId} not found or disabled` }]);
  if (isAdmin(caller.actor)) return;
  const record = await tx.schedules.findById(trade.scheduleId);
  const eligible = record
    ? await eligibleForOpenCover(tx, await loadSchedule(tx, record, trade.shift))
    : new Set<string>();
  if (!eligible.has(acceptorId))
    throw new AppError("FORBIDDEN", "only people on this schedule or its team can take this cover");
}

export async function acceptShiftTrade(
  deps: AlertingDeps,
  caller: Caller,
  tradeId: string,
  input: { userId?: string } = {},
): Promise<TradeView> {
  requireRole(caller.actor, "responder");
  if (input.userId === undefined && caller.actor.kind !== "user")
    throw validationError([{ path: "/userId", message: "is required when an API key accepts" }]);
  const acceptorId = input.userId ?? caller.actor.id;
  const now = deps.clock.now();
  const nowMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const { trade, schedule } = await pendingTrade(tx, tradeId, nowMs);
    await checkAcceptor(tx, caller, trade, acceptorId);
    const people = await peopleBook(tx);
    const planned = overridesForAcceptance(trade, acceptorId, nowMs);
    // The schedule may have changed since the request: each side must still hold what it gives.
    const [own, inReturn] = planned;
    if (
      own &&
      !(await holdsShift(tx, schedule.id, trade.requesterId, { startMs: own.startMs, endMs: own.endMs }))
    )
      throw new AppError("CONFLICT", `the shift is no longer ${people.name(trade.requesterId)}'s; ask again`);
    if (
      inReturn &&
      !(await holdsShift(tx, schedule.id, acceptorId, { startMs: inReturn.startMs, endMs: inReturn.endMs }))
    )
      throw new AppError(
        "CONFLICT",
        `the shift offered in return is no longer ${people.name(acceptorId)}'s; ask again`,
      );
    const overrides = planned.map((p) => ({
      ...p,
      id: newId(),
      scheduleId: schedule.id,
      createdBy: caller.actor.id,
      createdAtMs: nowMs,
    }));
    const after = await decide(
      tx,
      trade,
      "accepted",
      acceptorId,
      nowMs,
      overrides.map((o) => o.id),
    );
    for (const override of overrides) await tx.scheduleOverrides.insert(override);
    // The swap or cover moves a handoff (and may close a gap): re-armed now, as every override path does.
    await armScheduleJobs(tx, tx.jobs, schedule.id, now);
    await recordChange(tx, caller, now, {
      action: "shift_trade.accept",
      entityType: "schedule",
      entityId: schedule.id,
      before: trade,
      after: { trade: after, overrides },
    });
    const notice: TradeNotice = {
      trade: after,
      schedule,
      event: "accepted",
      headline: `${people.name(acceptorId)} accepted ${people.name(trade.requesterId)}'s ${trade.kind} request on ${schedule.name}`,
      recipients: [trade.requesterId, acceptorId].map((id) => ({ id, name: people.name(id) })),
    };
    await planTradeNotice(tx, notice, now);
    return tradeView(after, "accepted", people);
  });
}

/** The person asked says no (or a manager does); an open cover is declined by a manager only. */
export async function declineShiftTrade(
  deps: AlertingDeps,
  caller: Caller,
  tradeId: string,
): Promise<TradeView> {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const nowMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const { trade, schedule } = await pendingTrade(tx, tradeId, nowMs);
    if (!isAdmin(caller.actor) && (trade.offeredTo === null || trade.offeredTo !== caller.actor.id))
      throw new AppError("FORBIDDEN", "only the person asked (or an admin) can decline this trade");
    const after = await decide(tx, trade, "declined", null, nowMs);
    await recordChange(tx, caller, now, {
      action: "shift_trade.decline",
      entityType: "schedule",
      entityId: schedule.id,
      before: trade,
      after,
    });
    const people = await peopleBook(tx);
    const notice: TradeNotice = {
      trade: after,
      schedule,
      event: "declined",
      headline: `${trade.offeredTo ? people.name(trade.offeredTo) : caller.actor.label} declined ${people.name(trade.requesterId)}'s ${trade.kind} request on ${schedule.name}`,
      recipients: [trade.requesterId, ...(trade.offeredTo ? [trade.offeredTo] : [])].map((id) => ({
        id,
        name: people.name(id),
      })),
    };
    await planTradeNotice(tx, notice, now);
    return tradeView(after, "declined", people);
  });
}

export async function cancelShiftTrade(
  deps: AlertingDeps,
  caller: Caller,
  tradeId: string,
): Promise<TradeView> {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const nowMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const { trade, schedule } = await pendingTrade(tx, tradeId, nowMs);
    if (!isAdmin(caller.actor) && trade.requesterId !== caller.actor.id)
      throw new AppError("FORBIDDEN", "only the person who asked (or an admin) can cancel this trade");
    const after = await decide(tx, trade, "cancelled", null, nowMs);
    await recordChange(tx, caller, now, {
      action: "shift_trade.cancel",
      entityType: "schedule",
      entityId: schedule.id,
      before: trade,
      after,
    });
    return tradeView(after, "cancelled", await peopleBook(tx));
  });
}
