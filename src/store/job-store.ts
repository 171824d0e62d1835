import { sql, type Kysely, type Selectable } from "kysely";
import { GroupCommit } from "../app/group-commit.js";
import type {
  EnqueueOptions,
  EnqueueRequest,
  EnqueueSignal,
  JobQueue,
  JobRecord,
  JobStore,
} from "../app/ports/jobs.js";
import type { DialectCapabilities } from "./capabilities.js";
import { fromMs, fromMsOrNull, toMs } from "./repositories/instants.js";
import { insertRows } from "./repositories/multi-row.js";
import type { Database, JobsTable } from "./schema.js";

export const JOBS_NOTIFY_CHANNEL = "firebreak_jobs";
/** The NOTIFY payload of a transaction that enqueued an urgent job; any other payload is not urgent. */
export const URGENT_NOTIFY_PAYLOAD = "urgent";
export const DEFAULT_MAX_ATTEMPTS = 25;
const MAX_ERROR_LENGTH = 2_000;

const toJob = (row: Selectable<JobsTable>): JobRecord => ({
  id: String(row.id),
  kind: row.kind,
  payload: JSON.parse(row.payload_json),
  runAt: fromMs(row.run_at),
  attempts: Number(row.attempts),
  maxAttempts: Number(row.max_attempts),
  key: row.job_key,
  lockedBy: row.locked_by,
  lockedUntil: fromMsOrNull(row.locked_until),
  lastError: row.last_error,
  failedAt: fromMsOrNull(row.failed_at),
  createdAt: fromMs(row.created_at),
  urgent: Number(row.urgent) === 1,
});

const clip = (text: string) =>
  text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;

/**
 * The JobQueue of one transaction. `onEnqueue` lets the unit of work wake runners after commit; on
 * PostgreSQL a NOTIFY inside the transaction reaches other instances when it commits (a second one,
 * "urgent", once an urgent job joins).
 */
export function transactionJobQueue(
  trx: Kysely<Database>,
  caps: DialectCapabilities,
  createdAt: () => Date,
  onEnqueue: (signal: EnqueueSignal) => void,
): JobQueue {
  let notified = false;
  let notifiedUrgent = false;
  const notifyOnce = async (urgent: boolean) => {
    if (notifiedUrgent || (notified && !urgent)) return;
    notified = true;
    notifiedUrgent = urgent;
    onEnqueue({ urgent });
    if (caps.listenNotify) {
      const payload = urgent ? URGENT_NOTIFY_PAYLOAD : "";
      await sql`select pg_notify(${JOBS_NOTIFY_CHANNEL}, ${payload})`.execute(trx);
    }
  };
  return {
    async enqueue(kind, payload, options) {
      const id = await insertOrMerge(trx, caps, kind, JSON.stringify(payload), options, createdAt());
      await notifyOnce(options.urgent === true);
      return { id };
    },
    async enqueueMany(jobs) {
      if (jobs.length === 0) return;
      const at = createdAt();
      const unkeyed = jobs.filter((job) => job.options.key === undefined);
      await insertRows(
        trx,
        "jobs",
        unkeyed.map((job) => jobRow(job.kind, JSON.stringify(job.payload), job.options, at)),
      );
      for (const job of mergeByKey(jobs)) {
        await insertOrMerge(trx, caps, job.kind, JSON.stringify(job.payload), job.options, at);
      }
      await notifyOnce(jobs.some((job) => job.options.urgent === true));
    },
  };
}

/**
 * Keyed jobs folded per key the way enqueueing them one after another would fold them in the table:
 * the later payload wins; its run time wins unless it keeps the earliest. The result replaces the
 * row's run time if any of them replaced it.
 */
function mergeByKey(jobs: ReadonlyArray<EnqueueRequest>): EnqueueRequest[] {
  const byKey = new Map<string, EnqueueRequest>();
  for (const job of jobs) {
    const key = job.options.key;
    if (key === undefined) continue;
    const earlier = byKey.get(key);
    if (!earlier) {
      byKey.set(key, job);
      continue;
    }
    const keepsEarliest = job.options.keyMode === "keep-earliest";
    const runAt =
      keepsEarliest && earlier.options.runAt < job.options.runAt ? earlier.options.runAt : job.options.runAt;
    const keyMode =
      keepsEarliest && earlier.options.keyMode === "keep-earliest" ? "keep-earliest" : "replace";
    byKey.set(key, { ...job, options: { ...job.options, runAt, keyMode } } as EnqueueRequest);
  }
  return [...byKey.values()];
}

function jobRow(kind: string, payloadJson: string, options: EnqueueOptions, createdAt: Date) {
  return {
    kind,
    payload_json: payloadJson,
    run_at: toMs(options.runAt),
    attempts: 0,
    max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    job_key: options.key ?? null,
    created_at: toMs(createdAt),
    urgent: options.urgent === true ? 1 : 0,
  };
}

async function insertOrMerge(
  trx: Kysely<Database>,
  caps: DialectCapabilities,
  kind: string,
  payloadJson: string,
  options: EnqueueOptions,
  createdAt: Date,
): Promise<string> {
  const row = jobRow(kind, payloadJson, options, createdAt);
  if (options.key === undefined) {
    const inserted = await trx.insertInto("jobs").values(row).returning("id").executeTakeFirstOrThrow();
    return String(inserted.id);
  }
  // New, or merged into a waiting row, in one statement; a running row is left alone (nothing returned).
  const keepsEarliest = options.keyMode === "keep-earliest";
  const merged = await trx
    .insertInto("jobs")
    .values(row)
    .onConflict((oc) =>
      oc
        .column("job_key")
        .doUpdateSet((eb) => ({
          kind: eb.ref("excluded.kind"),
          payload_json: eb.ref("excluded.payload_json"),
          run_at: keepsEarliest
            ? eb
                .case()
                .when(
                  eb.and([
                    eb("jobs.failed_at", "is", null),
                    eb("jobs.run_at", "<", eb.ref("excluded.run_at")),
                  ]),
                )
                .then(eb.ref("jobs.run_at"))
                .else(eb.ref("excluded.run_at"))
                .end()
            : eb.ref("excluded.run_at"),
          attempts: 0,
          max_attempts: eb.ref("excluded.max_attempts"),
          urgent: eb.ref("excluded.urgent"),
          last_error: null,
          failed_at: null,
        }))
        .where("jobs.locked_by", "is", null),
    )
    .returning("id")
    .executeTakeFirst();
  if (merged) return String(merged.id);

  const existing = await trx
    .selectFrom("jobs")
    .selectAll()
    .where("job_key", "=", options.key)
    .$if(caps.skipLocked, (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
  if (existing.locked_by !== null) {
    // Running now: let it finish, and queue the new one beside it under the key.
    await trx.updateTable("jobs").set({ job_key: null }).where("id", "=", existing.id).execute();
    const fresh = await trx.insertInto("jobs").values(row).returning("id").executeTakeFirstOrThrow();
    return String(fresh.id);
  }
  const keepEarlier = options.keyMode === "keep-earliest" && existing.failed_at === null;
  await trx
    .updateTable("jobs")
    .set({
      kind,
      payload_json: payloadJson,
      run_at: keepEarlier ? Math.min(Number(existing.run_at), row.run_at) : row.run_at,
      attempts: 0,
      max_attempts: row.max_attempts,
      urgent: row.urgent,
      last_error: null,
      failed_at: null,
    })
    .where("id", "=", existing.id)
    .execute();
  return String(existing.id);
}

/**
 * Jobs due longer than `overdueMs` ago that no live lease holds: the watchdog's rows and the overdue
 * gauge's count, one predicate so that the two always agree. Its run_at range uses jobs_due.
 */
const overdueJobs = (db: Kysely<Database>, now: Date, overdueMs: number) => {
  const nowMs = toMs(now);
  return db
    .selectFrom("jobs")
    .where("failed_at", "is", null)
    .where("run_at", "<", nowMs - overdueMs)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", nowMs)]));
};

/** Lets completions that were already on their way join the group (see GroupCommit). */
const nextTurnOfEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The engine's view of the jobs table. */
export function jobStore(
  db: Kysely<Database>,
  caps: DialectCapabilities,
  subscribe: (listener: (signal: EnqueueSignal) => void) => () => void,
  /** Claims and completions need not wait for the disk (see DatabaseHandle.engineDb). */
  engineDb: Kysely<Database>,
): JobStore {
  const claimable = (now: number) =>
    engineDb
      .selectFrom("jobs")
      .select("id")
      .where("failed_at", "is", null)
      .where("run_at", "<=", now)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]));

  // Completions of one worker that pile up while a delete commits go in the next delete together.
  // Fenced per job by locked_by as before. Claims and completions go through engineDb: a crash that
  // loses one only runs a job again, as a crash just before it would.
  const completions = new GroupCommit<{ id: string; workerId: string }, boolean>(
    async (requests) => {
      const done = new Set<string>();
      for (const workerId of new Set(requests.map((r) => r.workerId))) {
        const ids = requests.filter((r) => r.workerId === workerId).map((r) => Number(r.id));
        const rows = await engineDb
          .deleteFrom("jobs")
          .where("id", "in", ids)
          .where("locked_by", "=", workerId)
          .returning("id")
          .execute();
        for (const row of rows) done.add(`${workerId}/${row.id}`);
      }
      return requests.map((r) => done.has(`${r.workerId}/${r.id}`));
    },
    async ({ id, workerId }) => {
      const r = await engineDb
        .deleteFrom("jobs")
        .where("id", "=", Number(id))
        .where("locked_by", "=", workerId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    500,
    () => 1,
    nextTurnOfEventLoop,
  );

  return {
    async claimDue({ now, limit, leaseMs, workerId, urgentOnly = false }) {
      const nowMs = toMs(now);
      const rows = await engineDb
        .updateTable("jobs")
        .set((eb) => ({
          locked_by: workerId,
          locked_until: nowMs + leaseMs,
          attempts: eb("attempts", "+", 1),
        }))
        .where(
          "id",
          "in",
          claimable(nowMs)
            // The terms of jobs_urgent_due's WHERE, as literals, so that both databases use that index.
            .$if(urgentOnly, (q) => q.where("urgent", "=", sql.lit(1)))
            .orderBy("run_at")
            .orderBy("id")
            .limit(limit)
            .$if(caps.skipLocked, (q) => q.forUpdate().skipLocked()),
        )
        .returningAll()
        .execute();
      return rows
        .map(toJob)
        .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || Number(a.id) - Number(b.id));
    },
    async renewLeases({ leases, workerId, now, leaseMs }) {
      if (leases.length === 0) return [];
      // Plain ORs rather than a row-value IN: both databases take them as they are, by primary key.
      const rows = await engineDb
        .updateTable("jobs")
        .set({ locked_until: toMs(now) + leaseMs })
        .where("locked_by", "=", workerId)
        .where((eb) =>
          eb.or(
            leases.map((lease) =>
              eb.and([eb("id", "=", Number(lease.id)), eb("locked_until", "=", toMs(lease.lockedUntil))]),
            ),
          ),
        )
        .returning("id")
        .execute();
      return rows.map((row) => String(row.id));
    },
    complete: (job) => completions.submit(job),
    async retry({ id, workerId, runAt, error, countAttempt = true }) {
      const r = await db
        .updateTable("jobs")
        .set((eb) => ({
          locked_by: null,
          locked_until: null,
          run_at: toMs(runAt),
          last_error: clip(error),
          ...(countAttempt ? {} : { attempts: eb("attempts", "-", 1) }),
        }))
        .where("id", "=", Number(id))
        .where("locked_by", "=", workerId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async fail({ id, workerId, now, error }) {
      const r = await db
        .updateTable("jobs")
        .set({ locked_by: null, locked_until: null, failed_at: toMs(now), last_error: clip(error) })
        .where("id", "=", Number(id))
        .where("locked_by", "=", workerId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async release({ ids, workerId }) {
      if (ids.length === 0) return;
      await db
        .updateTable("jobs")
        .set((eb) => ({ locked_by: null, locked_until: null, attempts: eb("attempts", "-", 1) }))
        .where("id", "in", ids.map(Number))
        .where("locked_by", "=", workerId)
        .execute();
    },
    async leaseHolders(now) {
      const rows = await db
        .selectFrom("jobs")
        .select("locked_by")
        .distinct()
        .where("locked_until", ">=", toMs(now))
        .where("locked_by", "is not", null)
        .execute();
      return rows.map((row) => row.locked_by as string);
    },
    async expireLeasesOf({ workerIds, now }) {
      if (workerIds.length === 0) return 0;
      const nowMs = toMs(now);
      // An expired lease keeps its holder and its counted attempt; only locked_until moves (to just
      // before now), so the claim, keyed enqueues and counts treat the row as if its lease ran out.
      const r = await db
        .updateTable("jobs")
        .set({ locked_until: nowMs - 1 })
        .where("locked_by", "in", [...workerIds])
        .where("locked_until", ">=", nowMs)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async findOverdue({ now, overdueMs, limit }) {
      const rows = await overdueJobs(db, now, overdueMs).selectAll().orderBy("run_at").limit(limit).execute();
      return rows.map(toJob);
    },
    async countOverdue({ now, overdueMs }) {
      const row = await overdueJobs(db, now, overdueMs)
        .select((eb) => eb.fn.countAll<number | string>().as("overdue"))
        .executeTakeFirstOrThrow();
      return Number(row.overdue);
    },
    async counts(now) {
      const nowMs = toMs(now);
      const row = await db
        .selectFrom("jobs")
        .select((eb) => [
          eb.fn.sum<number>(eb.case().when("failed_at", "is not", null).then(1).else(0).end()).as("failed"),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(eb.and([eb("failed_at", "is", null), eb("locked_until", ">=", nowMs)]))
                .then(1)
                .else(0)
                .end(),
            )
            .as("running"),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(
                  eb.and([
                    eb("failed_at", "is", null),
                    eb("urgent", "=", sql.lit(1)),
                    eb("run_at", "<=", nowMs),
                    eb.or([eb("locked_until", "is", null), eb("locked_until", "<", nowMs)]),
                  ]),
                )
                .then(1)
                .else(0)
                .end(),
            )
            .as("urgentWaiting"),
          eb.fn.countAll<number>().as("total"),
        ])
        .executeTakeFirstOrThrow();
      const failed = Number(row.failed ?? 0);
      const running = Number(row.running ?? 0);
      return {
        failed,
        running,
        queued: Number(row.total) - failed - running,
        urgentWaiting: Number(row.urgentWaiting ?? 0),
      };
    },
    onEnqueued: subscribe,
  };
}
