import type { Clock } from "../app/ports/clock.js";
import type { JobRecord, JobStore } from "../app/ports/jobs.js";
import { lazyChildLogger, type Logger } from "../app/ports/logger.js";
import {
  DEFAULT_BACKOFF,
  retryDelayByAgeMs,
  retryDelayMs,
  type BackoffPolicy,
} from "../core/jobs/retry-backoff.js";
import { countsAsAttempt, isPermanent, wasRecordPending, willRetry } from "../core/jobs/retry-decision.js";
import { ClaimFailureLog } from "./claim-failure-log.js";
import { EngineEvents } from "./events.js";
import type { HandlerRegistry } from "./handler-registry.js";
import { expireLeasesOfDeadWorkers, workerIdOfThisProcess } from "./lease-holders.js";
import { LeaseRenewals } from "./lease-renewals.js";
import { writeOutcomeWhileLeased, type OutcomeWrite } from "./outcome-writes.js";
import { WakeSignal } from "./wake-signal.js";

export interface JobRunnerOptions {
  /**
   * Names this runner in leases; unique per process. By default it names this process (host, pid,
   * start time), so that an engine starting later on this host can free the leases of one that died.
   */
  readonly workerId?: string;
  /**
   * How long a claim holds a job before another worker may take it. Renewed every third of it while
   * the handler runs, so it bounds how long a dead runner's jobs wait, not how long a handler may run.
   */
  readonly leaseMs?: number;
  /** Longest sleep between claims when nothing nudges. */
  readonly pollMs?: number;
  /** Jobs run at once by this runner. */
  readonly concurrency?: number;
  /**
   * Slots beside `concurrency` that take only urgent jobs (pages), and only while the others cannot
   * take everything due: a slow shared channel holding every slot must not hold a page back.
   */
  readonly urgentSlots?: number;
  readonly backoff?: BackoffPolicy;
  /** Source of jitter, in [0, 1). */
  readonly random?: () => number;
}

export interface RunSummary {
  succeeded: number;
  retried: number;
  failed: number;
}

/**
 * Claims due jobs with a lease and runs their handlers: poll plus nudge, bounded concurrency,
 * retry with backoff and jitter, permanent failure recorded with its reason.
 */
export class JobRunner {
  readonly events: EngineEvents;
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly urgentSlots: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly wake = new WakeSignal();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** The ids in `inFlight` that run in the urgent slots. */
  private readonly urgentInFlight = new Set<string>();
  /** An urgent job may be due that no claim has taken yet (one was enqueued, or a claim came back full). */
  private urgentWaiting = false;
  private readonly claimFailures: ClaimFailureLog;
  private readonly leases: LeaseRenewals;
  private loopDone: Promise<void> | undefined;
  private stopping = false;
  /** performance.now() of the last claim (a monotonic clock: it only paces claims). */
  private lastClaimAt = 0;
  private lastUrgentClaimAt = 0;
  private unsubscribe: (() => void) | undefined;
  /** Aborted when a shutdown deadline passes: outcome writes still being retried stop, and stop() releases. */
  private shutdown = new AbortController();

  constructor(
    private readonly store: JobStore,
    private readonly registry: HandlerRegistry<object>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: JobRunnerOptions = {},
    events?: EngineEvents,
  ) {
    this.events = events ?? new EngineEvents();
    this.workerId = options.workerId ?? workerIdOfThisProcess();
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.concurrency = options.concurrency ?? 8;
    this.urgentSlots = options.urgentSlots ?? Math.ceil(this.concurrency / 8);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.claimFailures = new ClaimFailureLog(logger);
    this.leases = new LeaseRenewals(store, clock, logger, this.events, this.workerId, this.leaseMs);
  }

  /**
   * Renews, in one statement, the leases of the jobs running now (a timer does it every third of the
   * lease). For tests that move the clock; returns how many were renewed. Never throws.
   */
  renewLeases(): Promise<number> {
    return this.leases.renew();
  }

  /**
   * Runs everything due at `now`, including jobs that those jobs enqueue for `now` or earlier,
   * then returns. For tests and `firebreak engine tick`; never sleeps.
   */
  async runDueOnce(args: { now?: Date; maxRounds?: number } = {}): Promise<RunSummary> {
    const now = args.now ?? this.clock.now();
    const summary: RunSummary = { succeeded: 0, retried: 0, failed: 0 };
    for (let round = 0; round < (args.maxRounds ?? 1_000); round++) {
      const jobs = await this.store.claimDue({
        now,
        limit: this.concurrency,
        leaseMs: this.leaseMs,
        workerId: this.workerId,
      });
      if (jobs.length === 0) break;
      const outcomes = await Promise.all(jobs.map((job) => this.execute(job, now)));
      for (const outcome of outcomes) summary[outcome]++;
    }
    return summary;
  }

  start(): void {
    if (this.loopDone) return;
    this.stopping = false;
    this.unsubscribe = this.store.onEnqueued(({ urgent }) => {
      if (urgent) this.urgentWaiting = true;
      this.wake.notify();
    });
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets running jobs finish until `deadlineMs`, then hands the rest back. */
  async stop({ deadlineMs = 10_000 }: { deadlineMs?: number } = {}): Promise<void> {
    if (!this.loopDone) return;
    this.stopping = true;
    this.unsubscribe?.();
    this.wake.notify();
    await this.loopDone;
    this.loopDone = undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), deadlineMs);
    });
    const finished = await Promise.race([
      Promise.allSettled(this.inFlight.values()).then(() => "done" as const),
      deadline,
    ]);
    clearTimeout(timer);
    if (finished === "deadline" && this.inFlight.size > 0) {
      const ids = [...this.inFlight.keys()];
      this.shutdown.abort();
      this.leases.letGoOfAll();
      this.logger.warn(
        { jobIds: ids },
        "shutdown deadline passed; handing unfinished jobs back to the queue",
      );
      await this.store
        .release({ ids, workerId: this.workerId })
        .catch((error) =>
          this.logger.error({ err: error }, "could not release jobs; their leases will expire"),
        );
      // Later runs (runDueOnce, a new start) retry their writes again.
      this.shutdown = new AbortController();
    }
  }

  private async loop(): Promise<void> {
    // A process of this host killed mid-job (kill -9, out of memory) left leases that need not run out.
    await expireLeasesOfDeadWorkers(this.store, this.clock.now(), this.logger, this.events);
    while (!this.stopping) {
      const free = this.concurrency - (this.inFlight.size - this.urgentInFlight.size);
      let claimed: number | undefined;
      // While many jobs run, wait until a quarter of the slots are free and claim them together:
      // one claim per job finished would cost a statement (and a commit) per job. A poll interval
      // without a claim claims anyway, so jobs that hang never hold the rest back.
      const sinceClaimMs = performance.now() - this.lastClaimAt;
      const worthClaiming =
        free === this.concurrency || free >= Math.ceil(this.concurrency / 4) || sinceClaimMs >= this.pollMs;
      // Whether jobs may be due that the ordinary slots cannot take now (false after a failed claim).
      let backlog = true;
      if (free > 0 && worthClaiming) {
        this.lastClaimAt = performance.now();
        claimed = await this.claim(free, false);
        backlog = claimed === free;
        // Everything due was taken, urgent jobs with the rest.
        if (claimed !== undefined && claimed < free) this.urgentWaiting = false;
      }
      if (this.stopping) break;
      const urgentFull = await this.claimUrgentIfHeldBack(backlog);
      if (this.stopping) break;
      if ((free > 0 && claimed === free) || urgentFull) continue;
      if (worthClaiming) this.events.emit("runner:idle", { workerId: this.workerId });
      await this.wake.wait(this.pollMs);
    }
  }

  /**
   * The urgent slots claim only when the ordinary ones left jobs due (`backlog`), and then only when
   * an urgent job may be waiting or a poll interval passed (a page's delay or a timer came due).
   * True when they took as many as they had room for: more may wait.
   */
  private async claimUrgentIfHeldBack(backlog: boolean): Promise<boolean> {
    const free = this.urgentSlots - this.urgentInFlight.size;
    const sinceClaimMs = performance.now() - this.lastUrgentClaimAt;
    if (!backlog || free <= 0 || !(this.urgentWaiting || sinceClaimMs >= this.pollMs)) return false;
    this.urgentWaiting = false;
    this.lastUrgentClaimAt = performance.now();
    const claimed = await this.claim(free, true);
    if (claimed === free) this.urgentWaiting = true;
    return claimed === free;
  }

  /** Claims and starts up to `limit` jobs; undefined when the claim failed. */
  private async claim(limit: number, urgentOnly: boolean): Promise<number | undefined> {
    try {
      await this.leases.renewIfDue();
      const jobs = await this.store.claimDue({
        now: this.clock.now(),
        limit,
        leaseMs: this.leaseMs,
        workerId: this.workerId,
        ...(urgentOnly && { urgentOnly }),
      });
      this.claimFailures.worked();
      for (const job of jobs) this.track(job, urgentOnly);
      return jobs.length;
    } catch (error) {
      // The database may be restarting; the poll tries again, and leases keep the work safe.
      this.events.emit("runner:error", { error });
      this.claimFailures.failed(error);
      return undefined;
    }
  }

  private track(job: JobRecord, inUrgentSlot: boolean): void {
    // Its lease ran out while it still runs here (a stall, renewals failing), or while its outcome is
    // still being written: running it again would send twice. A handler still running keeps renewing
    // the new claim's lease; an outcome write still pending is fenced by worker id and takes the row.
    if (this.inFlight.has(job.id)) {
      this.leases.adopt(job);
      this.logger.warn(
        { jobId: job.id, jobKind: job.kind },
        "claimed a job still running here; not running it twice",
      );
      return;
    }
    const run = this.execute(job, this.clock.now())
      .then(() => undefined)
      .finally(() => {
        this.inFlight.delete(job.id);
        this.urgentInFlight.delete(job.id);
        this.wake.notify();
      });
    this.inFlight.set(job.id, run);
    if (inUrgentSlot) this.urgentInFlight.add(job.id);
  }

  private async execute(job: JobRecord, now: Date): Promise<keyof RunSummary> {
    this.events.emit("job:claimed", { job });
    const logger = lazyChildLogger(this.logger, { jobId: job.id, jobKind: job.kind, attempt: job.attempts });
    const started = performance.now();
    const lease = this.leases.hold(job);
    const leaseLeftMs = () => this.leases.leaseLeftMs(lease);
    let failure: { error: unknown } | undefined;
    try {
      const handler = this.registry.get(job.kind);
      // Retry rather than fail: during a rolling upgrade a newer instance may know this kind.
      if (!handler) throw new Error(`no handler for job kind ${job.kind} on this instance`);
      await handler(job.payload, {
        jobId: job.id,
        kind: job.kind,
        key: job.key,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
        enqueuedAt: job.createdAt,
        now,
        logger,
      });
    } catch (error) {
      failure = { error };
    } finally {
      // The outcome write is fenced and retried only while the lease lasts (outcome-writes.ts).
      this.leases.letGo(lease);
    }
    if (failure) return this.afterFailure(job, now, failure.error, logger, leaseLeftMs);
    const completed = await this.writeOutcome("mark job complete", logger, leaseLeftMs, () =>
      this.store.complete({ id: job.id, workerId: this.workerId }),
    );
    if (!completed.written)
      // The work is done but the row stays; after the lease it runs again and the handler's fence holds.
      logger.error({ err: completed.error }, `could not mark job complete; ${GAVE_UP[completed.gaveUp]}`);
    else if (completed.value)
      this.events.emit("job:succeeded", { job, durationMs: performance.now() - started });
    else this.events.emit("job:lease-lost", { job });
    return "succeeded";
  }

  private async afterFailure(
    job: JobRecord,
    now: Date,
    error: unknown,
    logger: Logger,
    leaseLeftMs: () => number,
  ): Promise<keyof RunSummary> {
    const message = error instanceof Error ? error.message : String(error);
    const attempt = { attempt: job.attempts, maxAttempts: job.maxAttempts, enqueuedAt: job.createdAt };
    if (!willRetry(error, attempt, now)) {
      const reason = isPermanent(error) ? message : `gave up after ${job.attempts} attempts: ${message}`;
      const failed = await this.writeOutcome("record job failure", logger, leaseLeftMs, () =>
        this.store.fail({ id: job.id, workerId: this.workerId, now, error: reason }),
      );
      if (!failed.written) return this.outcomeNotWritten(failed, logger);
      logger.error({ err: error }, "job failed permanently");
      this.events.emit("job:failed", { job, error: reason });
      return "failed";
    }
    // A receiver that said when to come back (Retry-After) is not asked sooner.
    const hintedMs = Number((error as { retryAfterSeconds?: unknown })?.retryAfterSeconds) * 1000 || 0;
    // An outcome whose record keeps failing gives its attempt back each time, so its wait grows with
    // the job's age rather than staying at the first attempt's second or so.
    const backoffMs = wasRecordPending(error)
      ? retryDelayByAgeMs(now.getTime() - job.createdAt.getTime(), this.random(), this.backoff)
      : retryDelayMs(job.attempts, this.random(), this.backoff);
    const runAt = new Date(now.getTime() + Math.max(backoffMs, Math.min(hintedMs, this.backoff.capMs)));
    const retried = await this.writeOutcome("record job failure", logger, leaseLeftMs, () =>
      this.store.retry({
        id: job.id,
        workerId: this.workerId,
        runAt,
        error: message,
        // Held back without being tried: the attempt is given back (see core/jobs/retry-decision).
        countAttempt: countsAsAttempt(error, job.createdAt, now),
      }),
    );
    if (!retried.written) return this.outcomeNotWritten(retried, logger);
    logger.warn({ err: error, retryAt: runAt.toISOString() }, "job failed; will retry");
    this.events.emit("job:retried", { job, error: message, runAt });
    return "retried";
  }

  private outcomeNotWritten(
    write: Extract<OutcomeWrite<unknown>, { written: false }>,
    logger: Logger,
  ): keyof RunSummary {
    logger.error({ err: write.error }, `could not record job failure; ${GAVE_UP[write.gaveUp]}`);
    return "retried";
  }

  /** Writes an outcome, trying again while this runner still holds the lease (see outcome-writes.ts). */
  private writeOutcome<T>(
    what: string,
    logger: Logger,
    leaseLeftMs: () => number,
    write: () => Promise<T>,
  ): Promise<OutcomeWrite<T>> {
    return writeOutcomeWhileLeased(write, {
      what,
      leaseLeftMs,
      leaseMs: this.leaseMs,
      signal: this.shutdown.signal,
      logger,
      events: this.events,
    });
  }
}

/** What happens to a job whose outcome could not be written, by why the runner stopped trying. */
const GAVE_UP = {
  lease: "the lease will expire and it runs again",
  shutdown: "shutting down: the job is handed back, or runs again when its lease expires",
} as const;
