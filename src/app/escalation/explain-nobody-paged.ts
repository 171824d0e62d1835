import type { EscalationTarget } from "../../core/escalation/policy.js";
import type { Tx } from "../ports/store.js";
import { onCallUserId } from "../schedules/on-call-person.js";

const personProblem = (user: { name: string; disabledAt: Date | null }, where = ""): string =>
  `${user.name}${where} ${user.disabledAt ? "is disabled" : "has no contact methods"}`;

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
