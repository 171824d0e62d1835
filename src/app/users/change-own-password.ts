import { checkPassword } from "../../core/auth/credentials.js";
import { toPublicUser } from "../../core/auth/records.js";
import { AppError, validationError } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import { hashPassword, verifyPassword } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";

export async function changeOwnPassword(
  deps: AppDeps,
  caller: Caller,
  input: { currentPassword: string; newPassword: string; currentSessionId?: string | undefined },
): Promise<void> {
  if (caller.actor.kind !== "user")
    throw new AppError("FORBIDDEN", "only a signed-in user can change their password");
  const errors = checkPassword(input.newPassword, "/newPassword");
  if (errors.length > 0) throw validationError(errors);
  const userId = caller.actor.id;
  const user = await deps.uow.run((tx) => tx.users.findById(userId));
  if (!user?.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw validationError([{ path: "/currentPassword", message: "is not correct" }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    await tx.users.update(userId, { passwordHash, updatedAt: now });
    // Whoever else knew the old password is signed out; this session stays.
    await tx.sessions.deleteForUser(userId, input.currentSessionId);
    await tx.credentialChanges.announce({ kind: "user", id: userId });
    const publicUser = toPublicUser(user);
    await recordChange(tx, caller, now, {
      action: "user.change_password",
      entityType: "user",
      entityId: userId,
      before: publicUser,
      after: { ...publicUser, hasPassword: true },
    });
  });
}
