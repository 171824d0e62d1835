import { requireRole } from "../../core/auth/actor.js";
import { AppError, notFound } from "../../core/errors.js";
import { policyTargetsTeam } from "../../core/escalation/policy.js";
import { namedList } from "../../core/named-list.js";
import { recordChange } from "../audit/record-change.js";
import type { AppDeps, Caller } from "../deps.js";

/**
 * Deletes a team with its memberships, unless a service belongs to it or an escalation policy pages
 * it: then the 409 names them, so the admin knows what to move first. Schedules it owned stay.
 */
export async function deleteTeam(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const team = await tx.teams.findById(id);
    if (!team) throw notFound("team", id);
    const services = (await tx.services.list()).filter((s) => s.teamId === id);
    const policies = (await tx.escalationPolicies.list()).filter((p) => policyTargetsTeam(p, id));
    const blockers: string[] = [];
    if (services.length > 0)
      blockers.push(
        `owns ${namedList(
          "service",
          "services",
          services.map((s) => s.name),
        )}`,
      );
    if (policies.length > 0)
      blockers.push(
        `is paged by ${namedList(
          "escalation policy",
          "escalation policies",
          policies.map((p) => p.name),
        )}`,
      );
    if (blockers.length > 0) {
      throw new AppError(
        "CONFLICT",
        `team ${team.name} ${blockers.join(" and ")}: move them to another team first`,
      );
    }
    const members = await tx.teams.listMembers(id);
    await tx.teams.delete(id);
    await recordChange(tx, caller, now, {
      action: "team.delete",
      entityType: "team",
      entityId: id,
      before: { ...team, members: members.map((m) => ({ userId: m.userId, role: m.role })) },
      after: null,
    });
  });
}
