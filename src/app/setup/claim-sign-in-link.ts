import { checkDisplayName, checkEmail, checkPassword, normalizeEmail } from "../../core/auth/credentials.js";
import { toPublicUser, type PublicUser } from "../../core/auth/records.js";
import { validationError } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import { hashPassword, hashToken } from "../auth/secrets.js";
import { startSession, type StartedSession } from "../auth/start-session.js";
import type { AppDeps } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { savingUniqueName } from "../unique-name-race.js";
import { refuseTakenEmail } from "../users/create-user.js";
import { spentSignInLink, unusableSignInLink, usableSignInLink } from "./check-sign-in-link.js";

export interface ClaimSignInLinkInput {
  readonly token: string;
  /** For the audit entry. */
  readonly requestId?: string | null;
  readonly email: string;
  readonly name: string;
  readonly password: string;
}

/**
 * Redeems a first-admin link: sets the admin's email, name and password and signs them in. Several
 * links may be live at once (each start of an instance prints one); the first one used voids the
 * others, so the account is claimed once.
 */
export async function claimSignInLink(
  deps: AppDeps,
  input: ClaimSignInLinkInput,
): Promise<StartedSession & { user: PublicUser }> {
  const errors = [
    ...checkEmail(input.email),
    ...checkDisplayName(input.name),
    ...checkPassword(input.password),
  ];
  if (errors.length > 0) throw validationError(errors);
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const email = normalizeEmail(input.email);
  // The claim rolled back, so the link is still there to say whose email it was.
  const recheck = async (tx: Tx) => {
    const link = await tx.signInLinks.findByTokenHash(hashToken(input.token));
    await refuseTakenEmail(tx, email, link?.userId ?? null);
  };

  return savingUniqueName(deps, recheck, async (tx) => {
    const found = await tx.signInLinks.findByTokenHash(hashToken(input.token));
    if (!found) throw unusableSignInLink();
    // The fence for the account: writing its row holds it until this transaction ends (SQLite's one
    // writer does the same), so of two claims at once, of this link or another of the account's,
    // the second reads below what the first committed and is refused. It writes the role, which a
    // claim leaves alone, so a value read before the wait cannot undo the other claim's changes.
    const holder = await tx.users.findById(found.userId);
    if (holder) await tx.users.update(holder.id, { role: holder.role });
    const { link, user } = await usableSignInLink(tx, input.token, now);
    await refuseTakenEmail(tx, email, user.id);
    if (!(await tx.signInLinks.markUsed(link.id, now))) throw spentSignInLink();
    // One-time for the account: the links other starts printed stop working now.
    await tx.signInLinks.expireForUser(user.id, now);
    await tx.users.update(user.id, { email, name: input.name.trim(), passwordHash, updatedAt: now });
    const after = { ...user, email, name: input.name.trim(), passwordHash, updatedAt: now };
    const caller = {
      actor: { kind: "user", id: user.id, role: user.role, label: email } as const,
      requestId: input.requestId ?? null,
    };
    await recordChange(tx, caller, now, {
      action: "user.claim",
      entityType: "user",
      entityId: user.id,
      before: toPublicUser(user),
      after: toPublicUser(after),
    });
    const started = await startSession(tx, deps.auth, user.id, now);
    return { ...started, user: toPublicUser(after) };
  });
}
