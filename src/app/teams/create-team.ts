import { requireRole } from "../../core/auth/actor.js";
import type { Team } from "../../core/auth/records.js";
import { takenError, validationError } from "../../core/errors.js";
import { checkName } from "../../core/visible-name.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { savingUniqueName } from "../unique-name-race.js";

async function refuseTakenName(tx: Tx, name: string): Promise<void> {
  if (await tx.teams.findByName(name)) throw takenError("/name", `a team named ${name} already exists`);
}

export async function createTeam(deps: AppDeps, caller: Caller, input: { name: string }): Promise<Team> {
  requireRole(caller.actor, "admin");
  const name = input.name.trim();
  const errors = checkName(name);
  if (errors.length > 0) throw validationError(errors);
  const now = deps.clock.now();
  const recheck = (tx: Tx) => refuseTakenName(tx, name);
  return savingUniqueName(deps, recheck, async (tx) => {
    await refuseTakenName(tx, name);
    const team: Team = { id: newId(), name, createdAt: now };
    await tx.teams.insert(team);
    await recordChange(tx, caller, now, {
      action: "team.create",
      entityType: "team",
      entityId: team.id,
      before: null,
      after: team,
    });
    return team;
  });
}
