import { requireRole } from "../../core/auth/actor.js";
import { validationError } from "../../core/errors.js";
import {
  planFollowTheSun,
  type FollowTheSunInput,
  type FollowTheSunPlan,
} from "../../core/schedules/follow-the-sun.js";
import type { AppDeps, Caller } from "../deps.js";

/** A follow-the-sun plan for the editor to show; saving it is adding each layer draft (nothing is saved here). */
export async function previewFollowTheSun(
  deps: AppDeps,
  caller: Caller,
  input: FollowTheSunInput,
): Promise<FollowTheSunPlan> {
  requireRole(caller.actor, "viewer");
  const missing = await deps.uow.run(async (tx) => {
    const errors = [];
    for (const [i, member] of input.members.entries()) {
      const user = await tx.users.findById(member.userId);
      if (!user || user.disabledAt)
        errors.push({ path: `/members/${i}/userId`, message: `user ${member.userId} not found or disabled` });
    }
    return errors;
  });
  if (missing.length > 0) throw validationError(missing);
  return planFollowTheSun(input);
}
