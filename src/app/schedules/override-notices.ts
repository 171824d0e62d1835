import type { Actor } from "../../core/auth/actor.js";
import { finalShifts } from "../../core/schedules/final-schedule.js";
import { onCallChanges } from "../../core/schedules/on-call-changes.js";
import { overrideNoticeText } from "../../core/schedules/override-notice-text.js";
import type { OverrideRecord, ScheduleRecord, ShiftTrade } from "../../core/schedules/records.js";
import type { Shift, TimeRange } from "../../core/schedules/schedule.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { loadSchedule } from "./load-schedule.js";
import { planPersonNotice } from "./schedule-notices.js";
import { peopleBook } from "./schedule-views.js";

/**
 * Notices to the people whose time on call an override's creation or removal changed, when someone
 * else made the change (a take-over, an admin's edit, a cover withdrawn). They are `schedule.notice`
 * jobs planned in the transaction of the change, like the handoff notices.
 */

/** The person an actor acts for: a signed-in user, or whoever created the API key; null for none. */
export async function actingPersonId(tx: Tx, actor: Actor): Promise<string | null> {
  if (actor.kind === "user") return actor.id;
  if (actor.kind === "api_key") return (await tx.apiKeys.findById(actor.id))?.createdBy ?? null;
  return null;
}

/** The final schedule over `window`, to compare before and after a change of overrides there. */
export async function onCallOver(tx: Tx, record: ScheduleRecord, window: TimeRange): Promise<Shift[]> {
  if (window.endMs <= window.startMs) return [];
  return finalShifts((await loadSchedule(tx, record, window)).schedule, window);
}

export interface OverrideChange {
  readonly record: ScheduleRecord;
  readonly override: OverrideRecord;
  readonly change: "created" | "removed";
  /** The part of the override the change concerns; `before` was loaded over it before the change. */
  readonly window: TimeRange;
  readonly before: readonly Shift[];
  readonly trade?: ShiftTrade | null;
}

/** Plans a notice for each person whose time changed, except the person who made the change. */
export async function planOverrideNotices(
  tx: Tx,
  caller: Caller,
  now: Date,
  input: OverrideChange,
): Promise<void> {
  const after = await onCallOver(tx, input.record, input.window);
  const changes = onCallChanges(input.before, after);
  const actorPerson = await actingPersonId(tx, caller.actor);
  const recipients = changes.filter((c) => c.userId !== actorPerson);
  if (recipients.length === 0) return;
  const people = await peopleBook(tx);
  const { override, trade } = input;
  const facts = {
    change: input.change,
    source: override.source,
    scheduleName: input.record.name,
    timeZone: input.record.timeZone,
    nowMs: now.getTime(),
    actorName: actorPerson === null ? caller.actor.label : people.name(actorPerson),
    ownerName: people.name(override.userId),
    actorIsOwner: actorPerson === override.userId,
    window: input.window,
    trade:
      trade && trade.acceptedBy
        ? {
            kind: trade.kind,
            requesterName: people.name(trade.requesterId),
            acceptorName: people.name(trade.acceptedBy),
          }
        : null,
  };
  const losers = changes.filter((c) => c.lost.length > 0).map((c) => people.name(c.userId));
  for (const change of recipients) {
    const text = overrideNoticeText(facts, {
      isOwner: change.userId === override.userId,
      gained: change.gained,
      lost: change.lost,
      replacedNames: losers.filter((name) => name !== people.name(change.userId)),
    });
    // One notice per change of one override and person: a retried job keeps its key.
    const idempotencyBase = `schedule-override:${override.id}:${input.change}:${change.userId}`;
    await planPersonNotice(tx, { schedule: input.record, text, idempotencyBase, now }, change.userId);
  }
}
