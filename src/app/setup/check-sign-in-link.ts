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
 * A token no link has (made up, or its row already purged after it expired): nothing is left to say
 * which, so the answer covers both.
 */
export const unusableSignInLink = (): AppError =>
  new AppError("UNAUTHENTICATED", "this sign-in link has expired or was already used");

/** This link, or another link of the same account, was used: the account is claimed. */
export const spentSignInLink = (): AppError =>
  new AppError("UNAUTHENTICATED", "a sign-in link was already used for this account");

export const expiredSignInLink = (): AppError =>
  new AppError("UNAUTHENTICATED", "this sign-in link has expired");

/**
 * Whether the account was claimed with this link or another since this link could last be used: a
 * claim marks its link used and ends the account's other links at the claim's time, which is also
 * the account's last change then. Comparing with the account, not the clock, holds even for a claim
 * that read its clock before another claim committed.
 */
function spentForAccount(link: SignInLink, user: User | undefined): boolean {
  if (link.usedAt) return true;
  return (
    user !== undefined && user.passwordHash !== null && link.expiresAt.getTime() <= user.updatedAt.getTime()
  );
}

/**
 * The link and its person while the link can still be claimed at `now`; else why not: used (this
 * link or another of the account), expired, or unknown.
 */
export async function usableSignInLink(
  tx: Tx,
  token: string,
  now: Date,
): Promise<{ link: SignInLink; user: User }> {
  const link = await tx.signInLinks.findByTokenHash(hashToken(token));
  if (!link) throw unusableSignInLink();
  const user = await tx.users.findById(link.userId);
  if (spentForAccount(link, user)) throw spentSignInLink();
  if (link.expiresAt.getTime() <= now.getTime()) throw expiredSignInLink();
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
