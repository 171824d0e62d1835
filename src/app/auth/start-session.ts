import type { Session } from "../../core/auth/records.js";
import type { AuthSettings } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { hashToken, newId, newToken } from "./secrets.js";

export interface StartedSession {
  /** The cookie value. Only its hash is stored. */
  readonly token: string;
  readonly session: Session;
}

/** Opens a console session for a user inside the caller's transaction. */
export async function startSession(
  tx: Tx,
  settings: AuthSettings,
  userId: string,
  now: Date,
): Promise<StartedSession> {
  const token = newToken("fbs");
  const session: Session = {
    id: newId(),
    tokenHash: hashToken(token),
    csrfToken: newToken("csrf"),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + settings.sessionTtlMs),
  };
  await tx.sessions.insert(session);
  return { token, session };
}
