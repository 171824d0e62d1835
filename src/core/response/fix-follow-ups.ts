import { AppError, type FieldError } from "../errors.js";
import type { Fix } from "./fixes.js";
import {
  checkAction,
  idAsName,
  isInstantMs,
  nameIn,
  throwIfInvalid,
  userIdErrors,
  type Changed,
  type IncidentAction,
  type NameOf,
  type TimelineDraft,
} from "./response-action.js";
import { IMPACT_LEVELS, type ImpactLevel } from "./triage.js";

/**
 * A hotfix is a stopgap: it leaves a proper-fix follow-up with a deadline by level, reminded to its owner
 * and reported ("half-done fixes") until someone closes it. One follow-up per hotfix, keyed by its number.
 */

export type FollowUpState = "open" | "done" | "cancelled";

export interface ProperFixFollowUp {
  /** The hotfix it follows (Fix.number on the same incident). */
  readonly fixNumber: number;
  readonly ownerId: string;
  readonly state: FollowUpState;
  readonly createdAtMs: number;
  readonly dueAtMs: number;
  readonly closedAtMs: number | null;
  /** Who closed it; null while open, and when Firebreak cancelled it because its hotfix failed. */
  readonly closedBy: string | null;
  readonly note: string;
}

/** Hours from the hotfix to the proper fix's deadline, per level; a service or the server may set its own. */
export type FollowUpHours = Readonly<Record<ImpactLevel, number>>;

export const DEFAULT_FOLLOW_UP_HOURS: FollowUpHours = { outage: 24, "data-corruption": 48, degradation: 72 };

export const MAX_FOLLOW_UP_HOURS = 30 * 24;
export const MAX_FOLLOW_UP_NOTE_LENGTH = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function checkFollowUpHours(hours: FollowUpHours, path = "/followUpHours"): FieldError[] {
  return IMPACT_LEVELS.flatMap((level) => {
    const value = hours?.[level];
    return Number.isInteger(value) && value >= 1 && value <= MAX_FOLLOW_UP_HOURS
      ? []
      : [
          {
            path: `${path}/${level}`,
            message: `must be a whole number of hours from 1 to ${MAX_FOLLOW_UP_HOURS}`,
          },
        ];
  });
}

/** The deadline for a hotfix logged at `fromMs`. An untriaged incident (null level) gets the shortest one. */
export function followUpDueAtMs(
  level: ImpactLevel | null,
  fromMs: number,
  hours: FollowUpHours = DEFAULT_FOLLOW_UP_HOURS,
): number {
  throwIfInvalid([
    ...checkFollowUpHours(hours),
    ...(level === null || IMPACT_LEVELS.includes(level)
      ? []
      : [{ path: "/level", message: "unknown level" }]),
    ...(isInstantMs(fromMs) ? [] : [{ path: "/fromMs", message: "must be an instant in epoch ms" }]),
  ]);
  const chosen = level === null ? Math.min(...IMPACT_LEVELS.map((l) => hours[l])) : hours[level];
  return fromMs + chosen * HOUR_MS;
}

/** The follow-up a hotfix leaves; called by startFix, so the app never forgets it. */
export function followUpForHotfix(
  hotfix: Pick<Fix, "number" | "kind" | "description" | "startedAtMs">,
  options: {
    readonly ownerId: string;
    readonly level: ImpactLevel | null;
    readonly hours?: FollowUpHours;
    readonly nameOf?: NameOf;
  },
): { readonly followUp: ProperFixFollowUp; readonly timeline: TimelineDraft } {
  throwIfInvalid(userIdErrors(options.ownerId, "/followUpOwnerId"));
  if (hotfix.kind !== "hotfix") throw new AppError("VALIDATION", `fix #${hotfix.number} is not a hotfix`);
  const dueAtMs = followUpDueAtMs(options.level, hotfix.startedAtMs, options.hours);
  const followUp: ProperFixFollowUp = {
    fixNumber: hotfix.number,
    ownerId: options.ownerId,
    state: "open",
    createdAtMs: hotfix.startedAtMs,
    dueAtMs,
    closedAtMs: null,
    closedBy: null,
    note: "",
  };
  const hours = Math.round((dueAtMs - hotfix.startedAtMs) / HOUR_MS);
  return {
    followUp,
    timeline: {
      kind: "follow-up.created",
      message: `Proper fix for hotfix #${hotfix.number} due within ${hours} h, owned by ${(options.nameOf ?? idAsName)(options.ownerId)}`,
      data: { fixNumber: hotfix.number, ownerId: options.ownerId, dueAtMs },
    },
  };
}

/** Its owner or the incident's handler closes it: done when the proper fix shipped, cancelled when not needed. */
export function closeFollowUp(
  followUp: ProperFixFollowUp,
  outcome: "done" | "cancelled",
  action: IncidentAction,
  note = "",
): Changed<ProperFixFollowUp> {
  throwIfInvalid([
    ...checkAction(action),
    ...(outcome === "done" || outcome === "cancelled"
      ? []
      : [{ path: "/outcome", message: "must be done or cancelled" }]),
    ...(typeof note === "string" && note.length <= MAX_FOLLOW_UP_NOTE_LENGTH
      ? []
      : [{ path: "/note", message: `must be text of at most ${MAX_FOLLOW_UP_NOTE_LENGTH} characters` }]),
  ]);
  if (action.actorId !== followUp.ownerId && action.actorId !== action.handlerId)
    throw new AppError(
      "FORBIDDEN",
      `only ${nameIn(action)(followUp.ownerId)}, its owner, or the Incident Handler can close this follow-up`,
    );
  if (followUp.state !== "open")
    throw new AppError(
      "PRECONDITION_FAILED",
      `the follow-up of hotfix #${followUp.fixNumber} is ${followUp.state} already`,
    );
  const late = action.atMs > followUp.dueAtMs ? " (after its deadline)" : "";
  return {
    next: { ...followUp, state: outcome, closedAtMs: action.atMs, closedBy: action.actorId, note },
    timeline: [
      {
        kind: outcome === "done" ? "follow-up.done" : "follow-up.cancelled",
        message: `Proper fix for hotfix #${followUp.fixNumber} ${outcome === "done" ? "done" : "cancelled"}${late}${note ? `: ${note}` : ""}`,
        data: { fixNumber: followUp.fixNumber, outcome, late: late !== "" },
      },
    ],
  };
}

/** A failed hotfix is no longer in production, so its follow-up goes with it (closed by Firebreak). */
export function cancelFollowUpOfFailedHotfix(
  followUp: ProperFixFollowUp,
  atMs: number,
): Changed<ProperFixFollowUp> {
  if (followUp.state !== "open") return { next: followUp, timeline: [] };
  return {
    next: { ...followUp, state: "cancelled", closedAtMs: atMs, closedBy: null, note: "the hotfix failed" },
    timeline: [
      {
        kind: "follow-up.cancelled",
        message: `Proper fix for hotfix #${followUp.fixNumber} cancelled: the hotfix failed`,
        data: { fixNumber: followUp.fixNumber, outcome: "cancelled", late: false },
      },
    ],
  };
}

export const isFollowUpOverdue = (followUp: ProperFixFollowUp, nowMs: number): boolean =>
  followUp.state === "open" && nowMs >= followUp.dueAtMs;

export type FollowUpReminderKind = "halfway" | "nearly-due" | "due" | "overdue";

export interface FollowUpReminder {
  readonly atMs: number;
  readonly kind: FollowUpReminderKind;
  /** For `overdue`: whole days past the deadline (1, 2, …); 0 otherwise. */
  readonly daysOverdue: number;
}

/**
 * The next reminder strictly after `nowMs`: at 50% and 90% of the time allowed, at the deadline, then
 * daily while overdue. Null once closed. A reminder job runs at `atMs` and asks again with that instant,
 * so a late run never repeats one; reminders missed while the server was down are skipped.
 */
export function nextFollowUpReminder(followUp: ProperFixFollowUp, nowMs: number): FollowUpReminder | null {
  if (followUp.state !== "open") return null;
  const span = followUp.dueAtMs - followUp.createdAtMs;
  const before: FollowUpReminder[] = [
    { atMs: followUp.createdAtMs + Math.round(span * 0.5), kind: "halfway", daysOverdue: 0 },
    { atMs: followUp.createdAtMs + Math.round(span * 0.9), kind: "nearly-due", daysOverdue: 0 },
    { atMs: followUp.dueAtMs, kind: "due", daysOverdue: 0 },
  ];
  const upcoming = before.find((r) => r.atMs > nowMs);
  if (upcoming) return upcoming;
  const daysOverdue = Math.floor((nowMs - followUp.dueAtMs) / DAY_MS) + 1;
  return { atMs: followUp.dueAtMs + daysOverdue * DAY_MS, kind: "overdue", daysOverdue };
}
