import { checkEmail, normalizeEmail } from "../../core/auth/credentials.js";
import { toPublicUser, type PublicUser } from "../../core/auth/records.js";
import { AppError, validationError } from "../../core/errors.js";
import type { AppDeps } from "../deps.js";
import type { LoginAttempts } from "./login-attempts.js";
import { verifyAgainstDecoy, verifyPassword } from "./secrets.js";
import { startSession, type StartedSession } from "./start-session.js";

export interface SignInInput {
  readonly email: string;
  readonly password: string;
  /** The client's address, part of the throttle key. */
  readonly clientAddress: string;
}

const INVALID = "email or password is not correct";

/** Checks a password and opens a session; failures are throttled per address and email. */
export async function signIn(
  deps: AppDeps,
  attempts: LoginAttempts,
  input: SignInInput,
): Promise<StartedSession & { user: PublicUser }> {
  const fieldErrors = checkEmail(input.email);
  if (input.password.length === 0) fieldErrors.push({ path: "/password", message: "is required" });
  if (fieldErrors.length > 0) throw validationError(fieldErrors);

  const email = normalizeEmail(input.email);
  const now = deps.clock.now();
  const throttleKey = `${input.clientAddress}|${email}`;
  const decision = attempts.check(throttleKey, now.getTime());
  if (!decision.allowed) {
    throw new AppError("RATE_LIMITED", "too many failed sign-ins; try again later", {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }

  const user = await deps.uow.run((tx) => tx.users.findByEmail(email));
  // Hash outside any transaction: scrypt is slow and SQLite has one writer.
  const passwordOk =
    user && user.passwordHash && !user.disabledAt
      ? await verifyPassword(input.password, user.passwordHash)
      : await verifyAgainstDecoy(input.password);
  if (!user || !passwordOk) {
    attempts.recordFailure(throttleKey, now.getTime());
    deps.logger.info({ event: "auth.sign_in_failed", clientAddress: input.clientAddress }, "sign-in failed");
    throw new AppError("UNAUTHENTICATED", INVALID);
  }
  attempts.clear(throttleKey);
  const started = await deps.uow.run((tx) => startSession(tx, deps.auth, user.id, now));
  return { ...started, user: toPublicUser(user) };
}
