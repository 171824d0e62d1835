import { systemActor } from "../../core/auth/actor.js";
import { checkEmail, checkPassword, normalizeEmail } from "../../core/auth/credentials.js";
import { toPublicUser, type User } from "../../core/auth/records.js";
import { isAppError, validationError } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import { hashPassword, hashToken, newId, newToken } from "../auth/secrets.js";
import type { AppDeps } from "../deps.js";
import type { Tx } from "../ports/store.js";

/** The placeholder address of a first admin who has not claimed the sign-in link yet. */
export const UNCLAIMED_ADMIN_EMAIL = "admin@firebreak.invalid";

/** The first start's placeholder admin, while nobody has claimed it. */
const unclaimedPlaceholder = (users: readonly User[]) =>
  users.find((u) => u.email === UNCLAIMED_ADMIN_EMAIL && u.passwordHash === null && !u.disabledAt);

/**
 * Whether a start prints a setup link: no users yet, or the placeholder admin is unclaimed and no
 * other admin can sign in (other users may exist, made with an API key; the owner still needs a way in).
 */
export function firstAdminSetupPending(users: readonly User[]): boolean {
  if (users.length === 0) return true;
  const usableAdmin = users.some((u) => u.role === "admin" && u.passwordHash !== null && !u.disabledAt);
  return unclaimedPlaceholder(users) !== undefined && !usableAdmin;
}

export type FirstAdminOutcome =
  | { readonly kind: "already-set-up" }
  | { readonly kind: "created-from-config"; readonly email: string }
  | { readonly kind: "sign-in-link"; readonly token: string; readonly expiresAt: Date };

/**
 * On an empty database, creates the first admin: from the given email and password when an automated
 * install supplies them, otherwise as an unclaimed account with a one-time sign-in link.
 * While that account stays unclaimed each start issues a fresh link, so a lost terminal never locks
 * the owner out, and leaves the earlier ones valid until they expire: several instances starting
 * together (or a rolling restart) each print a link, and any of them works. The first one used
 * voids the others (claimSignInLink).
 */
export async function ensureFirstAdmin(
  deps: AppDeps,
  input: { email?: string | undefined; password?: string | undefined },
): Promise<FirstAdminOutcome> {
  const fromConfig = input.email !== undefined || input.password !== undefined;
  if (fromConfig) {
    const errors = [
      ...(input.email === undefined
        ? [{ path: "FIREBREAK_ADMIN_EMAIL", message: "is required" }]
        : checkEmail(input.email, "FIREBREAK_ADMIN_EMAIL")),
      ...(input.password === undefined
        ? [{ path: "FIREBREAK_ADMIN_PASSWORD", message: "is required with FIREBREAK_ADMIN_EMAIL" }]
        : checkPassword(input.password, "FIREBREAK_ADMIN_PASSWORD")),
    ];
    if (errors.length > 0) throw validationError(errors);
  }
  const passwordHash = fromConfig ? await hashPassword(input.password as string) : null;
  const now = deps.clock.now();
  const caller = { actor: systemActor("first start"), requestId: null };

  try {
    return await firstAdminOnce();
  } catch (err) {
    // Instances started together on an empty database: another one made the admin first, and the
    // unique email refused this one's. Once more now sees that admin (and its link, if unclaimed).
    if (isAppError(err) && err.code === "CONFLICT") return firstAdminOnce();
    throw err;
  }

  function firstAdminOnce(): Promise<FirstAdminOutcome> {
    return deps.uow.run(firstAdminIn);
  }

  async function firstAdminIn(tx: Tx): Promise<FirstAdminOutcome> {
    const users = await tx.users.list();
    if (!firstAdminSetupPending(users)) return { kind: "already-set-up" };
    const placeholder = unclaimedPlaceholder(users);

    if (users.length === 0) {
      const admin: User = {
        id: newId(),
        email: fromConfig ? normalizeEmail(input.email as string) : UNCLAIMED_ADMIN_EMAIL,
        name: "Administrator",
        role: "admin",
        passwordHash,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await tx.users.insert(admin);
      await recordChange(tx, caller, now, {
        action: "user.create",
        entityType: "user",
        entityId: admin.id,
        before: null,
        after: toPublicUser(admin),
      });
      if (fromConfig) return { kind: "created-from-config", email: admin.email };
      return issueLink(admin.id);
    }
    // An unclaimed admin and no configured credentials: issue a fresh link, unless a claim got there
    // first. Writing the account's row (its role, which a claim leaves alone) holds it against a claim
    // until this transaction ends, so a claim either committed before (read below) or waits and then
    // voids this link with the others.
    const unclaimed = placeholder as User;
    await tx.users.update(unclaimed.id, { role: unclaimed.role });
    const current = await tx.users.findById(unclaimed.id);
    if (!current || current.passwordHash !== null || current.disabledAt) return { kind: "already-set-up" };
    return issueLink(unclaimed.id);

    async function issueLink(userId: string): Promise<FirstAdminOutcome> {
      // Earlier links stay valid: another instance may have just printed one.
      const token = newToken("fbl");
      const expiresAt = new Date(now.getTime() + deps.auth.signInLinkTtlMs);
      await tx.signInLinks.insert({
        id: newId(),
        tokenHash: hashToken(token),
        userId,
        createdAt: now,
        expiresAt,
        usedAt: null,
      });
      return { kind: "sign-in-link", token, expiresAt };
    }
  }
}
