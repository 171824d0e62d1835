import { checkDisplayName } from "../../core/auth/credentials.js";
import { toPublicUser, type PublicUser, type User } from "../../core/auth/records.js";
import { checkPhone, phoneAfter } from "../../core/auth/phone-number.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import type { AppDeps, Caller } from "../deps.js";
import { checkUserTimeZone } from "./user-time-zone.js";

/** What a signed-in person may change about themselves (any role). */
export interface OwnProfileInput {
  readonly name?: string;
  readonly timeZone?: string | null;
  /** Shown to responders in an incident's Directory; "" or null clears it. */
  readonly phone?: string | null;
}

export async function updateOwnProfile(
  deps: AppDeps,
  caller: Caller,
  input: OwnProfileInput,
): Promise<PublicUser> {
  if (caller.actor.kind !== "user") throw new AppError("FORBIDDEN", "only a signed-in user has a profile");
  const errors = [
    ...(input.name === undefined ? [] : checkDisplayName(input.name)),
    ...checkUserTimeZone(input.timeZone),
    ...checkPhone(input.phone),
  ];
  if (errors.length > 0) throw validationError(errors);
  const userId = caller.actor.id;
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const user = await tx.users.findById(userId);
    if (!user) throw notFound("user", userId);
    const updated: User = {
      ...user,
      name: input.name?.trim() ?? user.name,
      timeZone: input.timeZone === undefined ? (user.timeZone ?? null) : input.timeZone,
      phone: phoneAfter(user.phone, input.phone),
      updatedAt: now,
    };
    await tx.users.update(userId, {
      name: updated.name,
      timeZone: updated.timeZone ?? null,
      phone: updated.phone ?? null,
      updatedAt: now,
    });
    const after = toPublicUser(updated);
    await recordChange(tx, caller, now, {
      action: "user.update_profile",
      entityType: "user",
      entityId: userId,
      before: toPublicUser(user),
      after,
    });
    return after;
  });
}
