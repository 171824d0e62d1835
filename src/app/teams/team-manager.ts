import { requireRole, type Actor } from "../../core/auth/actor.js";
import type { MembershipRole, Team } from "../../core/auth/records.js";
import { roleAllows } from "../../core/auth/roles.js";
import { requireTeamManagement, type ManagedTeams } from "../../core/auth/team-management.js";
import { notFound } from "../../core/errors.js";
import { actingPerson } from "../auth/acting-person.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";

/** The person behind an actor when team powers are asked; null: it acts for no person. */
const personIdOf = async (tx: Tx, actor: Actor): Promise<string | null> =>
  (await actingPerson(tx, actor))?.id ?? null;

/** Which of `teamIds` the caller's person manages; null when the caller acts for no person. */
async function managedAmong(tx: Tx, actor: Actor, teamIds: readonly string[]): Promise<ManagedTeams> {
  const personId = await personIdOf(tx, actor);
  if (personId === null) return null;
  const wanted = new Set(teamIds);
  const managed = new Set<string>();
  for (const m of await tx.teams.listMembershipsOf(personId))
    if (m.role === "manager" && wanted.has(m.teamId)) managed.add(m.teamId);
  return managed;
}

/**
 * FORBIDDEN, naming the team, unless the caller is an admin or a responder who manages `teamId`
 * (the team that owns, or would own, the record). Call it in the transaction that makes the change,
 * so a membership removed meanwhile cannot let it through.
 */
export async function requireTeamManager(
  tx: Tx,
  caller: Caller,
  doing: string,
  teamId: string | null,
): Promise<void> {
  const { actor } = caller;
  // An admin needs no look-up: the rule lets them through whatever they manage.
  if (roleAllows(actor.role, "admin")) return;
  const found = teamId === null ? undefined : await tx.teams.findById(teamId);
  // A team id that names no team is nobody's to manage; the refusal still names what was sent.
  const team = teamId === null ? null : { id: teamId, name: found?.name ?? teamId };
  const managed = teamId === null ? new Set<string>() : await managedAmong(tx, actor, [teamId]);
  requireTeamManagement(actor, managed, { doing, team });
}

export interface MyTeam {
  readonly teamId: string;
  readonly teamName: string;
  readonly role: MembershipRole;
}

/**
 * The teams the caller's person belongs to, with their role in each: what the console needs to show
 * a team manager the controls of their team's records. Empty for a key that acts for no person.
 */
export async function listMyTeams(deps: AppDeps, caller: Caller): Promise<MyTeam[]> {
  requireRole(caller.actor, "viewer");
  return deps.uow.read(async (tx) => {
    const personId = await personIdOf(tx, caller.actor);
    if (personId === null) return [];
    const memberships = await tx.teams.listMembershipsOf(personId);
    return memberships.map((m) => ({ teamId: m.teamId, teamName: m.teamName, role: m.role }));
  });
}

/** The team, or NOT_FOUND naming it. */
export async function findTeam(tx: Tx, teamId: string): Promise<Team> {
  const team = await tx.teams.findById(teamId);
  if (!team) throw notFound("team", teamId);
  return team;
}
