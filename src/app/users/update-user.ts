import { requireRole } from "../../core/auth/actor.js";
import { checkDisplayName, checkPassword } from "../../core/auth/credentials.js";
import { toPublicUser, type PublicUser, type User } from "../../core/auth/records.js";
import { checkPhone, phoneAfter } from "../../core/auth/phone-number.js";
import type { Role } from "../../core/auth/roles.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import { hashPassword } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import { armSchedulesOfPerson } from "../schedules/arm-schedule-jobs.js";
import { checkUserTimeZone } from "./user-time-zone.js";

export interface UpdateUserInput {
  readonly name?: string;
  readonly role?: Role;
  readonly disabled?: boolean;
  /** An admin's reset; signs the user out everywhere. */
  readonly password?: string;
  /** IANA zone for local-time display; null clears it. */
  readonly timeZone?: string | null;
  /** The number the incident Directory shows; "" or null clears it. */
  readonly phone?: string | null;
}

/** Admin edits of a user. The last enabled admin can neither be demoted nor disabled. */
export async function updateUser(
  deps: AppDeps,
  caller: Caller,
  id: string,
  input: UpdateUserInput,
): Promise<PublicUser> {
  requireRole(caller.actor, "admin");
  const errors = [
    ...(input.name === undefined ? [] : checkDisplayName(input.name)),
    ...(input.password === undefined ? [] : checkPassword(input.password)),
    ...checkUserTimeZone(input.timeZone),
    ...checkPhone(input.phone),
  ];
  if (errors.length > 0) throw validationError(errors);
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  const now = deps.clock.now();

  return deps.uow.run(async (tx) => {
    const user = await tx.users.findById(id);
    if (!user) throw notFound("user", id);
    const disabledAt =
      input.disabled === undefined ? user.disabledAt : input.disabled ? (user.disabledAt ?? now) : null;
    const updated: User = {
      ...user,
      name: input.name?.trim() ?? user.name,
      role: input.role ?? user.role,
      disabledAt,
      passwordHash: passwordHash ?? user.passwordHash,
      updatedAt: now,
      timeZone: input.timeZone === undefined ? (user.timeZone ?? null) : input.timeZone,
      phone: phoneAfter(user.phone, input.phone),
    };
    const losesAdmin =
      user.role === "admin" && !user.disabledAt && (updated.role !== "admin" || updated.disabledAt);
    if (losesAdmin && (await tx.users.countAdmins()) <= 1) {
      throw new AppError("PRECONDITION_FAILED", "this is the last admin; make another user admin first");
    }
    await tx.users.update(id, {
      name: updated.name,
      role: updated.role,
      disabledAt: updated.disabledAt,
      passwordHash: updated.passwordHash,
      updatedAt: now,
      timeZone: updated.timeZone ?? null,
      phone: updated.phone ?? null,
    });
    // Their shifts are gaps while disabled: the schedules naming them re-check their gaps now.
    if (Boolean(user.disabledAt) !== Boolean(updated.disabledAt)) await armSchedulesOfPerson(tx, id, now);
    if (passwordHash !== undefined || updated.disabledAt) {
      await tx.sessions.deleteForUser(id);
      // Their streams check again now: a reset ends the sessions', disabling the keys' ones too.
      await tx.credentialChanges.announce({ kind: "user", id });
    }
    const after = toPublicUser(updated);
    await recordChange(tx, caller, now, {
      action: "user.update",
      entityType: "user",
      entityId: id,
      before: toPublicUser(user),
      after,
    });
    return after;
  });
}
