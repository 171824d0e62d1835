import { requireRole } from "../../core/auth/actor.js";
import type { Team } from "../../core/auth/records.js";
import { notFound } from "../../core/errors.js";
import type { AppDeps, Caller } from "../deps.js";

export async function listTeams(deps: AppDeps, caller: Caller): Promise<Team[]> {
  requireRole(caller.actor, "viewer");
  return deps.uow.run((tx) => tx.teams.list());
}

export async function listTeamMembers(deps: AppDeps, caller: Caller, teamId: string) {
  requireRole(caller.actor, "viewer");
  return deps.uow.run(async (tx) => {
    if (!(await tx.teams.findById(teamId))) throw notFound("team", teamId);
    return tx.teams.listMembers(teamId);
  });
}
