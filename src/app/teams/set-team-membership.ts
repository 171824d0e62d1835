import { requireRole } from "../../core/auth/actor.js";
import type { Membership, MembershipRole } from "../../core/auth/records.js";
import { notFound } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import type { AppDeps, Caller } from "../deps.js";

/** Adds a user to a team, or changes their role in it. */
export async function putTeamMember(
  deps: AppDeps,
  caller: Caller,
  input: { teamId: string; userId: string; role: MembershipRole },
): Promise<Membership> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    if (!(await tx.teams.findById(input.teamId))) throw notFound("team", input.teamId);
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

export async function removeTeamMember(
  deps: AppDeps,
  caller: Caller,
  input: { teamId: string; userId: string },
) {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
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
