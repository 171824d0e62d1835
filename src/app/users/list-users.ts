import { requireRole } from "../../core/auth/actor.js";
import { toPublicUser, type PublicUser } from "../../core/auth/records.js";
import type { AppDeps, Caller } from "../deps.js";

export async function listUsers(deps: AppDeps, caller: Caller): Promise<PublicUser[]> {
  requireRole(caller.actor, "viewer");
  const users = await deps.uow.run((tx) => tx.users.list());
  return users.map(toPublicUser);
}
