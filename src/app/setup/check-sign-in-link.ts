import type { SignInLink, User } from "../../core/auth/records.js";
import { AppError } from "../../core/errors.js";
import { hashToken } from "../auth/secrets.js";
import type { AppDeps } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { UNCLAIMED_ADMIN_EMAIL } from "./ensure-first-admin.js";

/** What the claim form needs to know of a link that can still be used. */
export interface SignInLinkCheck {
  /** Null while the account holds only the placeholder the first start gave it. */
  readonly email: string | null;
  readonly name: string | null;
  readonly expiresAt: Date;
}

/**
 * One answer for a link that is expired, used, voided or made up: telling them apart would say
 * which tokens once existed.
 */
export const unusableSignInLink = (): AppError =>
  new AppError("UNAUTHENTICATED", "this sign-in link has expired or was already used");

/** The link and its person while the link can still be claimed at `now`; else the one refusal. */
export async function usableSignInLink(
  tx: Tx,
  token: string,
  now: Date,
): Promise<{ link: SignInLink; user: User }> {
  const link = await tx.signInLinks.findByTokenHash(hashToken(token));
  if (!link || link.usedAt || link.expiresAt.getTime() <= now.getTime()) throw unusableSignInLink();
  const user = await tx.users.findById(link.userId);
  if (!user) throw unusableSignInLink();
  return { link, user };
}

/** Looks at a sign-in link without using it, so the page can say it is dead before anyone types. */
export async function checkSignInLink(deps: AppDeps, token: string): Promise<SignInLinkCheck> {
  const now = deps.clock.now();
  const { link, user } = await deps.uow.read((tx) => usableSignInLink(tx, token, now));
  const placeholder = user.email === UNCLAIMED_ADMIN_EMAIL && user.passwordHash === null;
  return {
    email: placeholder ? null : user.email,
    name: placeholder ? null : user.name,
    expiresAt: link.expiresAt,
  };
}
