import { requireRole } from "../../core/auth/actor.js";
import { toPublicUser, type PublicUser } from "../../core/auth/records.js";
import type { AppDeps, Caller } from "../deps.js";

/** A listed user; `phone` is left out where the caller may not see it. */
export type ListedUser = Omit<PublicUser, "phone"> & { readonly phone?: string | null };

export async function listUsers(deps: AppDeps, caller: Caller): Promise<ListedUser[]> {
  requireRole(caller.actor, "viewer");
  const users = await deps.uow.run((tx) => tx.users.list());
  // Responders reach people's phones through the Directory; this list shows them only to admins,
  // who set them, and to each person for their own, so it does not widen who sees a number.
  const seesEveryPhone = caller.actor.role === "admin";
  return users.map((user) => {
    const { phone, ...rest } = toPublicUser(user);
    return seesEveryPhone || (caller.actor.kind === "user" && user.id === caller.actor.id)
      ? { ...rest, phone }
      : rest;
  });
}
