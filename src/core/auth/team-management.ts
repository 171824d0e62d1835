import { AppError } from "../errors.js";
import type { Actor } from "./actor.js";
import { roleAllows } from "./roles.js";

/**
 * Team managers: a person with at least the responder role who manages a team may change what that
 * team owns (its members, its services with their integrations and maintenance windows, its
 * schedules). Admins may change everything; viewers nothing, whatever team they manage.
 */

/** A change whose refusal, if any, names the team: what is being done, and the team it is done for. */
export interface TeamScopedChange {
  /** What the actor is doing, as the refusal starts with it: "changing service checkout". */
  readonly doing: string;
  /** The team that owns (or would own) the record; null: no team, so only an admin may. */
  readonly team: { readonly id: string; readonly name: string } | null;
}

/**
 * The teams the person behind an actor manages: a signed-in user, or the person an API key acts for.
 * Null when the actor acts for no person (a key Firebreak made without --user): it manages no team.
 * Callers may pass only the teams that matter to the change.
 */
export type ManagedTeams = ReadonlySet<string> | null;

export type TeamManagementDecision =
  | { readonly allowed: true; readonly as: "admin" | "team manager" }
  | { readonly allowed: false; readonly reason: string };

export function decideTeamManagement(
  actor: Actor,
  managed: ManagedTeams,
  change: TeamScopedChange,
): TeamManagementDecision {
  const { doing, team } = change;
  if (roleAllows(actor.role, "admin")) return { allowed: true, as: "admin" };
  if (!roleAllows(actor.role, "responder")) {
    const manager = team ? `, or the responder role and managing team ${team.name}` : "";
    return {
      allowed: false,
      reason: `${doing} needs the admin role${manager}; ${actor.label} has ${actor.role}`,
    };
  }
  if (team === null)
    return {
      allowed: false,
      reason: `${doing} needs the admin role: a team manager may change only what their team owns, and no team owns this`,
    };
  if (managed === null)
    return {
      allowed: false,
      reason: `${doing} needs the admin role or a manager of team ${team.name}; ${actor.label} acts for no person, so it manages no team`,
    };
  if (managed.has(team.id)) return { allowed: true, as: "team manager" };
  return {
    allowed: false,
    reason: `${doing} needs the admin role or a manager of team ${team.name}; ${actor.label} does not manage team ${team.name}`,
  };
}

/**
 * The least a team manager needs before any record is loaded: the responder role. Authentication
 * checks it for routes a team manager may call; the use case then decides on the record's team.
 */
export function requireTeamManagerRole(actor: Actor): void {
  if (!roleAllows(actor.role, "responder"))
    throw new AppError(
      "FORBIDDEN",
      `this action needs the admin role, or the responder role and managing the team that owns what it changes; ${actor.label} has ${actor.role}`,
    );
}

/** Throws FORBIDDEN, naming the team, unless the actor may make the change. */
export function requireTeamManagement(actor: Actor, managed: ManagedTeams, change: TeamScopedChange): void {
  const decision = decideTeamManagement(actor, managed, change);
  if (!decision.allowed) throw new AppError("FORBIDDEN", decision.reason);
}
