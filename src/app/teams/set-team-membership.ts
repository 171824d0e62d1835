import type { Membership, MembershipRole } from "../../core/auth/records.js";
import { requireTeamManagerRole } from "../../core/auth/team-management.js";
import { notFound } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import type { AppDeps, Caller } from "../deps.js";
import { findTeam, requireTeamManager } from "./team-manager.js";

/** Adds a user to a team, or changes their role in it: an admin, or a manager of that team. */
export async function putTeamMember(
  deps: AppDeps,
  caller: Caller,
  input: { teamId: string; userId: string; role: MembershipRole },
): Promise<Membership> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const team = await findTeam(tx, input.teamId);
    await requireTeamManager(tx, caller, `changing the members of team ${team.name}`, team.id);
    if (!(await tx.users.findById(input.userId))) throw notFound("user", input.userId);
    const before = (await tx.teams.listMembers(input.teamId)).find((m) => m.userId === input.userId) ?? null;
    const membership: Membership = { ...input, createdAt: before?.createdAt ?? now };
    await tx.teams.upsertMember(membership);
    await recordChange(tx, caller, now, {
      action: "team.put_member",
      entityType: "team",
      entityId: input.teamId,
      before,
      after: membership,
    });
    return membership;
  });
}

/** Removes a user from a team: an admin, or a manager of that team (themselves included). */
export async function removeTeamMember(
  deps: AppDeps,
  caller: Caller,
  input: { teamId: string; userId: string },
) {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const team = await findTeam(tx, input.teamId);
    await requireTeamManager(tx, caller, `changing the members of team ${team.name}`, team.id);
    const before = (await tx.teams.listMembers(input.teamId)).find((m) => m.userId === input.userId);
    if (!before || !(await tx.teams.removeMember(input.teamId, input.userId))) {
      throw notFound("membership", `${input.teamId}/${input.userId}`);
    }
    await recordChange(tx, caller, now, {
      action: "team.remove_member",
      entityType: "team",
      entityId: input.teamId,
      before,
      after: null,
    });
  });
}
