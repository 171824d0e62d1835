import type { Actor } from "../../core/auth/actor.js";
import type { Session, User } from "../../core/auth/records.js";
import { weakerRole } from "../../core/auth/roles.js";
import { AppError } from "../../core/errors.js";
import type { AppDeps } from "../deps.js";
import { hashToken } from "./secrets.js";

// Writing last_used_at on every request would make each API call a write; once a minute is plenty.
const LAST_USED_RESOLUTION_MS = 60_000;

const unauthenticated = (why: string) => new AppError("UNAUTHENTICATED", why);

/** Resolves a session cookie to its user. Expired sessions and disabled users are refused. */
export async function authenticateSession(
  deps: AppDeps,
  token: string,
): Promise<{ actor: Actor; session: Session; user: User }> {
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const session = await tx.sessions.findByTokenHash(hashToken(token));
    if (!session || session.expiresAt.getTime() <= now.getTime())
      throw unauthenticated("session expired; sign in again");
    const user = await tx.users.findById(session.userId);
    if (!user || user.disabledAt) throw unauthenticated("session expired; sign in again");
    return { actor: { kind: "user", id: user.id, role: user.role, label: user.email }, session, user };
  });
}

/** Resolves a bearer API key to an actor with the key's role. */
export async function authenticateApiKey(deps: AppDeps, token: string): Promise<Actor> {
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const key = await tx.apiKeys.findByTokenHash(hashToken(token));
    if (!key || key.revokedAt) throw unauthenticated("API key is not valid");
    // A key never grants more than its creator holds now: demoting or disabling them limits their keys.
    let role = key.role;
    let label = `API key ${key.name}`;
    if (key.createdBy !== null) {
      const creator = await tx.users.findById(key.createdBy);
      if (!creator || creator.disabledAt)
        throw unauthenticated("API key is not valid: the user who created it is disabled");
      role = weakerRole(key.role, creator.role);
      // The timeline and audit log then say who acted ("Dee Dawson (API key laptop)"), not only which key.
      label = `${creator.name} (${label})`;
    }
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await tx.apiKeys.touchLastUsed(key.id, now);
    }
    return { kind: "api_key", id: key.id, role, label };
  });
}
