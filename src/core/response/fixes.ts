import { AppError } from "../errors.js";
import {
  cancelFollowUpOfFailedHotfix,
  followUpForHotfix,
  type FollowUpHours,
  type ProperFixFollowUp,
} from "./fix-follow-ups.js";
import { DEFAULT_WATCH_MINUTES, startWatch, type PostFixWatch } from "./post-fix-watch.js";
import {
  checkAction,
  isNonEmptyId,
  nameIn,
  throwIfInvalid,
  userIdErrors,
  type Changed,
  type IncidentAction,
  type TimelineDraft,
} from "./response-action.js";
import type { ImpactLevel } from "./triage.js";

/**
 * The fix log, and its one rule: one fix in flight at a time, so the team learns whether each fix worked
 * before trying the next. Only the handler may break the rule, with a reason that stays on the record.
 */

export type FixKind = "rollback" | "hotfix" | "proper-fix";
export type FixState = "in-progress" | "deployed" | "verified" | "failed";

export const FIX_KINDS: readonly FixKind[] = ["rollback", "hotfix", "proper-fix"];

export interface Fix {
  readonly id: string;
  /** Per incident, from 1: shown as "fix #n" and named by regressions and follow-ups. */
  readonly number: number;
  readonly kind: FixKind;
  readonly description: string;
  readonly authorId: string;
  readonly state: FixState;
  readonly startedAtMs: number;
  readonly deployedAtMs: number | null;
  readonly verifiedAtMs: number | null;
  readonly failedAtMs: number | null;
  /** Set when the handler started this fix while another was in flight. */
  readonly overriddenBy: string | null;
  readonly overrideReason: string | null;
}

export const MAX_FIX_DESCRIPTION_LENGTH = 500;
export const MAX_OVERRIDE_REASON_LENGTH = 500;

/** In flight: in progress, or deployed and not yet verified or failed. */
export const isFixInFlight = (fix: Fix): boolean => fix.state === "in-progress" || fix.state === "deployed";

export const fixesInFlight = (fixes: readonly Fix[]): Fix[] =>
  fixes.filter(isFixInFlight).sort((a, b) => a.number - b.number);

export const nextFixNumber = (fixes: readonly Fix[]): number =>
  Math.max(0, ...fixes.map((f) => f.number)) + 1;

/** "Fix #2 (hotfix: raise the pool size)", the description cut to 60 characters. */
export function describeFix(fix: Pick<Fix, "number" | "kind" | "description">): string {
  const text = fix.description.length > 60 ? `${fix.description.slice(0, 59)}…` : fix.description;
  return `Fix #${fix.number} (${fix.kind}: ${text})`;
}

/** Why a new fix would break the one-fix rule, for the console to show before anyone submits; null: it would not. */
export function oneFixRuleBlock(
  fixes: readonly Fix[],
): { readonly reason: string; readonly inFlight: Fix[] } | null {
  const inFlight = fixesInFlight(fixes);
  const [first, ...others] = inFlight;
  if (!first) return null;
  const more = others.length > 0 ? ` (and ${others.map((f) => `#${f.number}`).join(", ")})` : "";
  return { reason: `${describeFix(first)}${more} is still in flight: verify or fail it first`, inFlight };
}

export interface StartFixInput {
  readonly id: string;
  readonly kind: FixKind;
  readonly description: string;
  /** The handler's reason to start this fix while another is in flight; ignored when none is. */
  readonly override: { readonly reason: string } | null;
}

export interface FollowUpOptions {
  /** The incident's level now; null (untriaged) gets the shortest deadline. */
  readonly level: ImpactLevel | null;
  /** Who owns the proper fix; the hotfix's author when absent. */
  readonly ownerId?: string;
  readonly hours?: FollowUpHours;
}

/**
 * Logs a new fix, in progress. Refused (CONFLICT, naming the fix in flight) while another is in flight,
 * unless the handler overrides with a reason. A hotfix also yields its proper-fix follow-up.
 */
export function startFix(
  fixes: readonly Fix[],
  input: StartFixInput,
  action: IncidentAction,
  followUpOptions: FollowUpOptions,
): {
  readonly fix: Fix;
  readonly followUp: ProperFixFollowUp | null;
  readonly timeline: readonly TimelineDraft[];
} {
  throwIfInvalid([
    ...checkAction(action),
    ...(isNonEmptyId(input.id) ? [] : [{ path: "/id", message: "needs a fix id" }]),
    ...(FIX_KINDS.includes(input.kind)
      ? []
      : [{ path: "/kind", message: "must be rollback, hotfix or proper-fix" }]),
    ...(typeof input.description === "string" &&
    input.description.trim().length > 0 &&
    input.description.length <= MAX_FIX_DESCRIPTION_LENGTH
      ? []
      : [{ path: "/description", message: `must be 1 to ${MAX_FIX_DESCRIPTION_LENGTH} characters` }]),
    ...(input.override === null ||
    (typeof input.override?.reason === "string" &&
      input.override.reason.trim().length > 0 &&
      input.override.reason.length <= MAX_OVERRIDE_REASON_LENGTH)
      ? []
      : [{ path: "/override/reason", message: `must be 1 to ${MAX_OVERRIDE_REASON_LENGTH} characters` }]),
    ...(followUpOptions.ownerId === undefined
      ? []
      : userIdErrors(followUpOptions.ownerId, "/followUpOwnerId")),
  ]);
  const name = nameIn(action);
  const block = oneFixRuleBlock(fixes);
  if (block && input.override === null)
    throw new AppError("CONFLICT", block.reason, {
      fields: [
        { path: "/override", message: "only the Incident Handler can start another fix, with a reason" },
      ],
    });
  if (block && action.actorId !== action.handlerId)
    throw new AppError(
      "FORBIDDEN",
      `${block.reason}; only the Incident Handler (${name(action.handlerId)}) can override the one-fix rule`,
    );
  const overrideReason = block !== null && input.override !== null ? input.override.reason.trim() : null;
  const fix: Fix = {
    id: input.id,
    number: nextFixNumber(fixes),
    kind: input.kind,
    description: input.description.trim(),
    authorId: action.actorId,
    state: "in-progress",
    startedAtMs: action.atMs,
    deployedAtMs: null,
    verifiedAtMs: null,
    failedAtMs: null,
    overriddenBy: overrideReason !== null ? action.actorId : null,
    overrideReason,
  };
  const timeline: TimelineDraft[] = [];
  if (block && overrideReason !== null)
    timeline.push({
      kind: "fix.rule-overridden",
      message: `${name(action.actorId)} overrode the one-fix rule to start fix #${fix.number} while ${block.inFlight.map(describeFix).join(" and ")} ${block.inFlight.length > 1 ? "are" : "is"} in flight. Reason: ${overrideReason}`,
      data: { fixNumber: fix.number, inFlight: block.inFlight.map((f) => f.number), reason: overrideReason },
    });
  timeline.push({
    kind: "fix.started",
    message: `${describeFix(fix)} started by ${name(action.actorId)}`,
    data: { fixNumber: fix.number, kind: fix.kind, description: fix.description },
  });
  if (fix.kind !== "hotfix") return { fix, followUp: null, timeline };
  const created = followUpForHotfix(fix, {
    ownerId: followUpOptions.ownerId ?? fix.authorId,
    level: followUpOptions.level,
    hours: followUpOptions.hours,
    nameOf: name,
  });
  return { fix, followUp: created.followUp, timeline: [...timeline, created.timeline] };
}

/** Fix moves: in-progress → deployed → verified | failed, and in-progress → failed. */
export const FIX_MOVES: Readonly<Record<FixState, readonly FixState[]>> = {
  "in-progress": ["deployed", "failed"],
  deployed: ["verified", "failed"],
  verified: [],
  failed: [],
};

function requireMove(fix: Fix, to: FixState, action: IncidentAction): void {
  throwIfInvalid(checkAction(action));
  if (action.actorId !== fix.authorId && action.actorId !== action.handlerId)
    throw new AppError(
      "FORBIDDEN",
      `only ${nameIn(action)(fix.authorId)}, its author, or the Incident Handler can mark fix #${fix.number} ${to}`,
    );
  if (!FIX_MOVES[fix.state].includes(to))
    throw new AppError(
      "PRECONDITION_FAILED",
      `fix #${fix.number} is ${fix.state}: it cannot be marked ${to}`,
    );
}

/** Deployed: the watch starts (arm a job at watch.endsAtMs) and the incident goes to monitoring. */
export function markFixDeployed(
  fix: Fix,
  action: IncidentAction,
  watchMinutes = DEFAULT_WATCH_MINUTES,
): {
  readonly fix: Fix;
  readonly watch: PostFixWatch;
  readonly phase: "monitoring";
  readonly timeline: readonly TimelineDraft[];
} {
  requireMove(fix, "deployed", action);
  const watch = startWatch(fix.number, action.atMs, watchMinutes);
  return {
    fix: { ...fix, state: "deployed", deployedAtMs: action.atMs },
    watch,
    phase: "monitoring",
    timeline: [
      {
        kind: "fix.deployed",
        message: `${describeFix(fix)} deployed by ${nameIn(action)(action.actorId)}; watching for ${watchMinutes} min`,
        data: { fixNumber: fix.number, watchMinutes, watchEndsAtMs: watch.endsAtMs },
      },
    ],
  };
}

/** Verified: it worked. The watch may still run; resolving is the handler's call. */
export function markFixVerified(fix: Fix, action: IncidentAction): Changed<Fix> {
  requireMove(fix, "verified", action);
  return {
    next: { ...fix, state: "verified", verifiedAtMs: action.atMs },
    timeline: [
      {
        kind: "fix.verified",
        message: `${describeFix(fix)} verified by ${nameIn(action)(action.actorId)}`,
        data: { fixNumber: fix.number },
      },
    ],
  };
}

type FailedFix = {
  readonly fix: Fix;
  readonly followUp: ProperFixFollowUp | null;
  readonly timeline: readonly TimelineDraft[];
};

/**
 * Failed by hand. Pass the hotfix's follow-up, if any: it is cancelled with it. The incident's watch on
 * this fix ends; see phaseAfterFixFailed for the phase.
 */
export function markFixFailed(
  fix: Fix,
  action: IncidentAction,
  followUp: ProperFixFollowUp | null = null,
): FailedFix {
  requireMove(fix, "failed", action);
  return failed(fix, action.atMs, followUp, `marked failed by ${nameIn(action)(action.actorId)}`);
}

/** Failed by Firebreak: the watch saw a regression (see decideWatch). Does nothing to a fix no longer deployed. */
export function failFixAfterRegression(
  fix: Fix,
  atMs: number,
  followUp: ProperFixFollowUp | null = null,
): FailedFix {
  if (fix.state !== "deployed") return { fix, followUp, timeline: [] };
  return failed(fix, atMs, followUp, "failed: its alerts fired again during the watch");
}

function failed(fix: Fix, atMs: number, followUp: ProperFixFollowUp | null, how: string): FailedFix {
  if (followUp !== null && followUp.fixNumber !== fix.number)
    throw new AppError(
      "VALIDATION",
      `the follow-up given belongs to fix #${followUp.fixNumber}, not #${fix.number}`,
    );
  const cancelled = followUp ? cancelFollowUpOfFailedHotfix(followUp, atMs) : null;
  return {
    fix: { ...fix, state: "failed", failedAtMs: atMs },
    followUp: cancelled ? cancelled.next : null,
    timeline: [
      { kind: "fix.failed", message: `${describeFix(fix)} ${how}`, data: { fixNumber: fix.number } },
      ...(cancelled ? cancelled.timeline : []),
    ],
  };
}
