import type { EscalationTarget } from "../../core/escalation/policy.js";
import { personPagePlan } from "../notifications/plan-deliveries.js";
import type { Tx } from "../ports/store.js";
import { onCallUserId } from "../schedules/on-call-person.js";

/** Why a page misses a person, after their name: the words of the timeline, `page` and the on-call read. */
export const PERSON_IS_DISABLED = "is disabled";
export const PERSON_HAS_NO_CONTACT_METHODS = "has no contact methods";

const personProblem = (user: { name: string; disabledAt: Date | null }, where = ""): string =>
  `${user.name}${where} ${user.disabledAt ? PERSON_IS_DISABLED : PERSON_HAS_NO_CONTACT_METHODS}`;

/**
 * Why a page at `at` would reach this person by no contact method (as pagePeople decides it), in the
 * words above without the name; null when one would reach them.
 */
export async function whyPageMissesPerson(
  tx: Tx,
  person: { id: string; disabled: boolean },
  at: Date,
): Promise<string | null> {
  if (person.disabled) return PERSON_IS_DISABLED;
  return (await personPagePlan(tx, person.id, at)).length === 0 ? PERSON_HAS_NO_CONTACT_METHODS : null;
}

/** Why one target of a step reached nobody at `at`, in words for the incident's timeline. */
async function whyTargetPagedNobody(tx: Tx, target: EscalationTarget, at: Date): Promise<string> {
  switch (target.kind) {
    case "user": {
      const user = await tx.users.findById(target.userId);
      return user ? personProblem(user) : `user ${target.userId} does not exist`;
    }
    case "team": {
      const team = await tx.teams.findById(target.teamId);
      if (!team) return `team ${target.teamId} does not exist`;
      const members = await tx.teams.listMembers(target.teamId);
      return members.length === 0
        ? `team ${team.name} has no members`
        : `no member of team ${team.name} can be reached (disabled or no contact methods)`;
    }
    case "schedule": {
      const schedule = await tx.schedules.findById(target.scheduleId);
      if (!schedule) return `schedule ${target.scheduleId} does not exist`;
      const userId = await onCallUserId(tx, target.scheduleId, at);
      const user = userId === null ? undefined : await tx.users.findById(userId);
      return user
        ? personProblem(user, `, on call in schedule ${schedule.name},`)
        : `nobody is on call in schedule ${schedule.name}`;
    }
    default:
      return "unknown target";
  }
}

/**
 * Why a step whose targets paged nobody reached nobody: one reason per target, so the timeline
 * tells the reader what to fix in the policy, the team or the schedule.
 */
export async function explainNobodyPaged(
  tx: Tx,
  targets: readonly EscalationTarget[],
  at: Date,
): Promise<string[]> {
  const reasons: string[] = [];
  for (const target of targets) {
    const reason = await whyTargetPagedNobody(tx, target, at);
    if (!reasons.includes(reason)) reasons.push(reason);
  }
  return reasons;
}
