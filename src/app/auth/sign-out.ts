import type { AppDeps } from "../deps.js";

export async function signOut(deps: AppDeps, sessionId: string): Promise<void> {
  await deps.uow.run((tx) => tx.sessions.delete(sessionId));
}
