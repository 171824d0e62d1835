import { sql } from "kysely";
import type { JobCounts, JobStore } from "../app/ports/jobs.js";
import { jobStore } from "../store/job-store.js";
import type { KyselyStore } from "../store/kysely-store.js";

/**
 * The job queue's figures as GET /api/v1/system/jobs and /metrics give them. They are read from the
 * database at each ask, so they are database-wide: every instance, whatever its role, says the same.
 */
export interface JobFigures extends JobCounts {
  /** Jobs due longer than the watchdog's overdue time ago that no live lease holds. */
  readonly overdue: number;
}

/**
 * Reads the figures: two statements, each a count, however long the queue. A database that cannot
 * work now is UNAVAILABLE (`store.read`). With `statementTimeoutMs`, PostgreSQL cancels each statement
 * that runs longer (behind another session's lock on the jobs table, say), so a reader that gave up
 * does not hold a pool connection meanwhile.
 */
export function readJobFigures(
  store: KyselyStore,
  now: Date,
  overdueMs: number,
  options: { statementTimeoutMs?: number } = {},
): Promise<JobFigures> {
  const { handle } = store;
  const timeoutMs = options.statementTimeoutMs;
  return store.read(async () => {
    // SQLite's statements are not cancelled (and its transactions take the write lock): a plain read.
    if (timeoutMs === undefined || handle.caps.dialect !== "postgres")
      return figuresOf(store.jobs, now, overdueMs);
    return handle.db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = ${sql.lit(Math.max(1, Math.round(timeoutMs)))}`.execute(trx);
      const noListeners = () => () => undefined;
      return figuresOf(jobStore(trx, handle.caps, noListeners, trx), now, overdueMs);
    });
  });
}

/** Both counts through one connection: the pool's, or the one transaction's. */
async function figuresOf(jobs: JobStore, now: Date, overdueMs: number): Promise<JobFigures> {
  const counts = await jobs.counts(now);
  const overdue = await jobs.countOverdue({ now, overdueMs });
  return { ...counts, overdue };
}
