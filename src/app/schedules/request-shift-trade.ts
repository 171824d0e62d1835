import { requireRole } from "../../core/auth/actor.js";
import { AppError, validationError, type FieldError } from "../../core/errors.js";
import { finalShifts } from "../../core/schedules/final-schedule.js";
import type { ShiftTrade, TradeKind, TradeState } from "../../core/schedules/records.js";
import type { TimeRange } from "../../core/schedules/schedule.js";
import { effectiveTradeState, holdsWholeRange } from "../../core/schedules/shift-trade.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { eligibleForOpenCover, findSchedule, loadSchedule } from "./load-schedule.js";
import { isAdmin, requireSelfOrAdmin } from "./manage-overrides.js";
import { actingPersonId } from "./override-notices.js";
import { peopleBook, tradeView, type TradeView } from "./schedule-views.js";
import { planTradeNotice } from "./trade-notices.js";

/** Asking for a swap or a cover, and listing trades. Deciding on one is decide-shift-trade.ts. */

export interface TradeRequestInput {
  readonly kind: TradeKind;
  readonly shift: { readonly start: Date; readonly end: Date };
  readonly offeredTo?: string | null;
  readonly swapWith?: { readonly start: Date; readonly end: Date } | null;
  /** Managers may ask on someone's behalf. */
  readonly requesterId?: string;
  readonly note?: string;
}

export const MAX_TRADE_DAYS = 31;
export const MAX_NOTE_LENGTH = 1000;
const DAY_MS = 24 * 60 * 60_000;

function checkShiftRange(range: { start: Date; end: Date }, path: string, nowMs: number): FieldError[] {
  const startMs = range.start.getTime();
  const endMs = range.end.getTime();
  if (Number.isNaN(startMs)) return [{ path: `${path}/start`, message: "must be a date and time" }];
  if (Number.isNaN(endMs)) return [{ path: `${path}/end`, message: "must be a date and time" }];
  if (endMs <= startMs) return [{ path: `${path}/end`, message: "must be after start" }];
  if (endMs <= nowMs) return [{ path: `${path}/end`, message: "must be in the future: the shift is over" }];
  if (endMs - startMs > MAX_TRADE_DAYS * DAY_MS)
    return [{ path: `${path}/end`, message: `must be at most ${MAX_TRADE_DAYS} days after start` }];
  return [];
}

const toRange = (r: { start: Date; end: Date }): TimeRange => ({
  startMs: r.start.getTime(),
  endMs: r.end.getTime(),
});

/** Whether `userId` holds all of `range` in the schedule's final schedule now. */
export async function holdsShift(
  tx: Tx,
  scheduleId: string,
  userId: string,
  range: TimeRange,
): Promise<boolean> {
  const record = await tx.schedules.findById(scheduleId);
  if (!record) return false;
  const loaded = await loadSchedule(tx, record, range);
  return holdsWholeRange(finalShifts(loaded.schedule, range), userId, range);
}

export async function requestShiftTrade(
  deps: AlertingDeps,
  caller: Caller,
  scheduleIdOrName: string,
  input: TradeRequestInput,
): Promise<TradeView> {
  requireRole(caller.actor, "responder");
  if (input.requesterId === undefined && caller.actor.kind !== "user")
    throw validationError([{ path: "/requesterId", message: "is required when an API key asks" }]);
  const requesterId = input.requesterId ?? caller.actor.id;
  requireSelfOrAdmin(caller.actor, requesterId, "ask for a trade");
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const offeredTo = input.offeredTo ?? null;
  return deps.uow.run(async (tx) => {
    const schedule = await findSchedule(tx, scheduleIdOrName);
    const errors: FieldError[] = checkShiftRange(input.shift, "/shift", nowMs);
    if (input.kind === "swap" && offeredTo === null)
      errors.push({ path: "/offeredTo", message: "a swap needs the person to swap with" });
    if (input.kind === "cover" && input.swapWith)
      errors.push({ path: "/swapWith", message: "only a swap takes a shift in return" });
    if (input.swapWith) errors.push(...checkShiftRange(input.swapWith, "/swapWith", nowMs));
    if ((input.note ?? "").length > MAX_NOTE_LENGTH)
      errors.push({ path: "/note", message: `must be at most ${MAX_NOTE_LENGTH} characters` });
    const requester = await tx.users.findById(requesterId);
    if (!requester) errors.push({ path: "/requesterId", message: `user ${requesterId} not found` });
    const partner = offeredTo === null ? undefined : await tx.users.findById(offeredTo);
    if (offeredTo !== null && (!partner || partner.disabledAt))
      errors.push({ path: "/offeredTo", message: `user ${offeredTo} not found or disabled` });
    if (offeredTo !== null && offeredTo === requesterId)
      errors.push({ path: "/offeredTo", message: "must be someone other than the requester" });
    if (errors.length > 0) throw validationError(errors);
    const shift = toRange(input.shift);
    const swapWith = input.swapWith ? toRange(input.swapWith) : null;
    if (!(await holdsShift(tx, schedule.id, requesterId, shift)))
      throw validationError([
        { path: "/shift", message: `is not ${requester!.name}'s shift in the final schedule` },
      ]);
    if (swapWith && !(await holdsShift(tx, schedule.id, offeredTo as string, swapWith)))
      throw validationError([
        { path: "/swapWith", message: `is not ${partner!.name}'s shift in the final schedule` },
      ]);
    const pending = await tx.shiftTrades.list({ scheduleId: schedule.id, state: "pending", limit: 500 });
    if (
      pending.some(
        (t) =>
          t.requesterId === requesterId &&
          t.shift.startMs < shift.endMs &&
          shift.startMs < t.shift.endMs &&
          effectiveTradeState(t, nowMs) === "pending",
      )
    )
      throw new AppError("CONFLICT", "a pending trade for this shift exists already; cancel it first");
    const trade: ShiftTrade = {
      id: newId(),
      scheduleId: schedule.id,
      kind: input.kind,
      state: "pending",
      requesterId,
      shift,
      swapWith,
      offeredTo,
      acceptedBy: null,
      note: (input.note ?? "").trim(),
      overrideIds: [],
      createdAtMs: nowMs,
      decidedAtMs: null,
    };
    await tx.shiftTrades.insert(trade);
    await recordChange(tx, caller, now, {
      action: "shift_trade.request",
      entityType: "schedule",
      entityId: schedule.id,
      before: null,
      after: trade,
    });
    const people = await peopleBook(tx);
    // An open cover goes to everyone who could take it; anything else to the one person asked.
    const askedIds =
      offeredTo !== null
        ? [offeredTo]
        : [...(await eligibleForOpenCover(tx, await loadSchedule(tx, schedule, shift)))];
    // The requester hears the answer, not her own request, unless someone else asked in her name.
    const askedFor = (await actingPersonId(tx, caller.actor)) !== requesterId ? [requesterId] : [];
    const recipients = [...askedFor, ...askedIds.filter((id) => id !== requesterId)].map((id) => ({
      id,
      name: people.name(id),
    }));
    const headline =
      input.kind === "swap"
        ? `${people.name(requesterId)} asks ${people.name(offeredTo as string)} to swap a shift on ${schedule.name}`
        : `${people.name(requesterId)} asks ${offeredTo ? people.name(offeredTo) : "the team"} to cover a shift on ${schedule.name}`;
    await planTradeNotice(tx, { trade, schedule, event: "requested", headline, recipients }, now);
    return tradeView(trade, "pending", people);
  });
}

export interface TradeListQuery {
  readonly state?: TradeState;
  readonly scheduleId?: string;
  /** Requested by me, offered to me, or open covers I could take. */
  readonly mine?: boolean;
}

export async function listShiftTrades(
  deps: AlertingDeps,
  caller: Caller,
  query: TradeListQuery,
): Promise<TradeView[]> {
  requireRole(caller.actor, "viewer");
  if (query.mine && caller.actor.kind !== "user")
    throw validationError([{ path: "/mine", message: "needs a signed-in user; an API key has no trades" }]);
  const nowMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => {
    const scheduleId =
      query.scheduleId === undefined ? undefined : (await findSchedule(tx, query.scheduleId)).id;
    // Expiry is worked out on read, so "pending" and "expired" both come from stored pending rows.
    const storedState = query.state === "expired" ? "pending" : query.state;
    const trades = (
      await tx.shiftTrades.list({
        limit: 500,
        ...(storedState && { state: storedState }),
        ...(scheduleId && { scheduleId }),
      })
    )
      .map((t) => ({ trade: t, state: effectiveTradeState(t, nowMs) }))
      .filter(({ state }) => query.state === undefined || state === query.state);
    const me = caller.actor.id;
    const eligible = new Map<string, Set<string>>();
    const mine: typeof trades = [];
    for (const entry of trades) {
      const t = entry.trade;
      if (!query.mine || t.requesterId === me || t.offeredTo === me || t.acceptedBy === me) {
        mine.push(entry);
        continue;
      }
      if (t.kind !== "cover" || t.offeredTo !== null || entry.state !== "pending") continue;
      if (!eligible.has(t.scheduleId)) {
        const record = await tx.schedules.findById(t.scheduleId);
        eligible.set(
          t.scheduleId,
          record ? await eligibleForOpenCover(tx, await loadSchedule(tx, record, t.shift)) : new Set(),
        );
      }
      if (eligible.get(t.scheduleId)!.has(me) || isAdmin(caller.actor)) mine.push(entry);
    }
    const people = await peopleBook(tx);
    return mine.map(({ trade, state }) => tradeView(trade, state, people));
  });
}
