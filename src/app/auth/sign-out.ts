import type { AppDeps } from "../deps.js";

/** Ends the session; its live streams, on every instance, end with it. */
export async function signOut(deps: AppDeps, sessionId: string): Promise<void> {
  await deps.uow.run(async (tx) => {
    await tx.sessions.delete(sessionId);
    await tx.credentialChanges.announce({ kind: "session", id: sessionId });
  });
}
