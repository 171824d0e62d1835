import type { Tx } from "../ports/store.js";

export const SESSION_PURGE_INTERVAL_MS = 60 * 60_000;
export const SESSION_PURGE_JOB_KEY = "sessions.purge";

/** Deletes expired sessions and sign-in links, then re-arms itself an hour later (same transaction). */
export async function purgeExpiredSessions(tx: Tx, now: Date): Promise<{ sessions: number; links: number }> {
  const sessions = await tx.sessions.deleteExpired(now);
  const links = await tx.signInLinks.deleteExpired(now);
  await armSessionPurge(tx, now);
  return { sessions, links };
}

/** Idempotent: the job key keeps one purge timer however often this runs. */
export function armSessionPurge(tx: Tx, now: Date) {
  return tx.jobs.enqueue(
    "sessions.purge",
    {},
    {
      runAt: new Date(now.getTime() + SESSION_PURGE_INTERVAL_MS),
      key: SESSION_PURGE_JOB_KEY,
      keyMode: "keep-earliest",
    },
  );
}
