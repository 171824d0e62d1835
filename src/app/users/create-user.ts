import { requireRole } from "../../core/auth/actor.js";
import { checkDisplayName, checkEmail, checkPassword, normalizeEmail } from "../../core/auth/credentials.js";
import { checkPhone, phoneAfter } from "../../core/auth/phone-number.js";
import { toPublicUser, type PublicUser, type User } from "../../core/auth/records.js";
import type { Role } from "../../core/auth/roles.js";
import { takenError, validationError } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import { hashPassword, newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { savingUniqueName } from "../unique-name-race.js";

export interface CreateUserInput {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly password: string;
  /** Shown to responders in an incident's Directory; absent, "" or null: none. */
  readonly phone?: string | null;
}

/** An email (normalised) names one user: it is how they sign in. */
export async function refuseTakenEmail(tx: Tx, email: string, ownId: string | null): Promise<void> {
  const holder = await tx.users.findByEmail(email);
  if (holder && holder.id !== ownId) throw takenError("/email", `a user with email ${email} already exists`);
}

export async function createUser(deps: AppDeps, caller: Caller, input: CreateUserInput): Promise<PublicUser> {
  requireRole(caller.actor, "admin");
  const errors = [
    ...checkEmail(input.email),
    ...checkDisplayName(input.name),
    ...checkPassword(input.password),
    ...checkPhone(input.phone),
  ];
  if (errors.length > 0) throw validationError(errors);
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const email = normalizeEmail(input.email);

  const recheck = (tx: Tx) => refuseTakenEmail(tx, email, null);
  return savingUniqueName(deps, recheck, async (tx) => {
    await refuseTakenEmail(tx, email, null);
    const user: User = {
      id: newId(),
      email,
      name: input.name.trim(),
      role: input.role,
      passwordHash,
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
      phone: phoneAfter(null, input.phone),
    };
    await tx.users.insert(user);
    const after = toPublicUser(user);
    await recordChange(tx, caller, now, {
      action: "user.create",
      entityType: "user",
      entityId: user.id,
      before: null,
      after,
    });
    return after;
  });
}
