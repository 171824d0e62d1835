import type { Clock } from "../app/ports/clock.js";
import type { JobRecord, JobStore } from "../app/ports/jobs.js";
import type { Logger } from "../app/ports/logger.js";
import type { EngineEvents } from "./events.js";

/** A running job's lease as this runner last wrote it. */
export interface HeldLease {
  readonly job: JobRecord;
  /** The locked_until this runner last wrote: the fence of its next renewal. */
  lockedUntil: Date;
  /** When that lease began, by the injected clock and by a monotonic one (performance.now()). */
  startedAt: Date;
  startedAtPerfMs: number;
  /** A renewal found the row no longer held by this lease: another worker may run the job. */
  lost: boolean;
  /**
   * The locked_until of renewals that failed since the last one known to have worked: a renewal can
   * commit and still fail on the client (a query timeout, a connection lost after COMMIT), so the row
   * may hold any of them. The next renewal's fence accepts each.
   */
  unconfirmed: Date[];
}

/** Failed renewals remembered per lease; older ones are long past the lease anyway. */
const MAX_UNCONFIRMED_RENEWALS = 8;

/**
 * Keeps the leases of a runner's running jobs alive: every `renewEveryMs` (a third of the lease) one
 * statement moves them all to now + leaseMs, fenced by worker and lease, so a handler that outlasts
 * the lease (a slow receiver, a long database wait) is not claimed and run again by another engine.
 * A renewal that finds a lease taken marks it lost and says so; the handler's own fence and the
 * fenced outcome write do the rest. A failed renewal is tried at the next tick, and never throws.
 */
export class LeaseRenewals {
  private readonly held = new Map<string, HeldLease>();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<number> | undefined;
  private failingSince: string | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly events: EngineEvents,
    private readonly workerId: string,
    private readonly leaseMs: number,
    private readonly renewEveryMs = Math.max(1, Math.floor(leaseMs / 3)),
  ) {}

  /** Starts renewing a job's lease, as the claim wrote it. */
  hold(job: JobRecord): HeldLease {
    const claimedAt = this.clock.now();
    const lockedUntil = job.lockedUntil ?? new Date(claimedAt.getTime() + this.leaseMs);
    const lease: HeldLease = {
      job,
      lockedUntil,
      startedAt: new Date(lockedUntil.getTime() - this.leaseMs),
      startedAtPerfMs: performance.now(),
      lost: false,
      unconfirmed: [],
    };
    this.held.set(job.id, lease);
    if (!this.timer) {
      this.timer = setInterval(() => {
        this.renew().catch((error) => this.events.emit("runner:error", { error }));
      }, this.renewEveryMs);
      // Like the poll timer: a hung handler alone does not keep the process alive.
      this.timer.unref();
    }
    return lease;
  }

  /** Stops renewing it: its handler finished (the outcome write follows) or it was handed back. */
  letGo(lease: HeldLease): void {
    if (this.held.get(lease.job.id) === lease) this.held.delete(lease.job.id);
    if (this.held.size === 0) this.stopTimer();
  }

  /** The lease of a job still running here, from another claim of it (its old lease ran out). */
  adopt(job: JobRecord): boolean {
    const lease = this.held.get(job.id);
    if (!lease || !job.lockedUntil) return false;
    lease.lockedUntil = job.lockedUntil;
    lease.startedAt = new Date(job.lockedUntil.getTime() - this.leaseMs);
    lease.startedAtPerfMs = performance.now();
    lease.lost = false;
    lease.unconfirmed = [];
    return true;
  }

  /** Stops renewing every lease (the runner hands them back). */
  letGoOfAll(): void {
    this.held.clear();
    this.stopTimer();
  }

  /** How much of the lease is left, by whichever clock says less (the injected one or a monotonic one). */
  leaseLeftMs(lease: HeldLease): number {
    const byClockMs = this.clock.now().getTime() - lease.startedAt.getTime();
    return this.leaseMs - Math.max(byClockMs, performance.now() - lease.startedAtPerfMs);
  }

  /**
   * Renews when a tick was missed (after a stall the claim may run before the timer): a runner
   * must not claim, as expired, a job it is still running.
   */
  async renewIfDue(): Promise<void> {
    const due = [...this.held.values()].some(
      (lease) => !lease.lost && this.leaseMs - this.leaseLeftMs(lease) >= this.renewEveryMs,
    );
    if (due || this.renewing) await this.renew();
  }

  /** Renews every lease held now in one statement; returns how many were renewed. Never throws. */
  renew(): Promise<number> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renewOnce(): Promise<number> {
    // Each lease with the fence sent for it: an adopt() meanwhile gives it another one.
    const leases = [...this.held.values()]
      .filter((lease) => !lease.lost)
      .map((lease) => ({ lease, fence: lease.lockedUntil }));
    if (leases.length === 0) return 0;
    const now = this.clock.now();
    const startedAtPerfMs = performance.now();
    const lockedUntil = new Date(now.getTime() + this.leaseMs);
    let renewed: Set<string>;
    try {
      const ids = await this.store.renewLeases({
        leases: leases.flatMap(({ lease, fence }) =>
          [fence, ...lease.unconfirmed].map((until) => ({ id: lease.job.id, lockedUntil: until })),
        ),
        workerId: this.workerId,
        now,
        leaseMs: this.leaseMs,
      });
      renewed = new Set(ids);
    } catch (error) {
      for (const { lease, fence } of leases)
        if (lease.lockedUntil === fence)
          lease.unconfirmed = [...lease.unconfirmed, lockedUntil].slice(-MAX_UNCONFIRMED_RENEWALS);
      this.renewalFailed(error);
      return 0;
    }
    if (this.failingSince) {
      this.logger.info({ since: this.failingSince }, "renewing job leases works again");
      this.failingSince = undefined;
    }
    for (const { lease, fence } of leases) {
      if (lease.lockedUntil !== fence) continue;
      if (renewed.has(lease.job.id)) {
        lease.lockedUntil = lockedUntil;
        lease.unconfirmed = [];
        lease.startedAt = now;
        lease.startedAtPerfMs = startedAtPerfMs;
      } else if (this.held.get(lease.job.id) === lease) {
        // Not a handler that finished meanwhile (its outcome write took the row): the lease is gone.
        lease.lost = true;
        this.logger.warn(
          { jobId: lease.job.id, jobKind: lease.job.kind, leaseUntil: lease.lockedUntil.toISOString() },
          "job lease lost while its handler runs (this process stalled or could not renew in time); another engine may run it",
        );
        this.events.emit("lease:lost", { job: lease.job, workerId: this.workerId });
      }
    }
    return renewed.size;
  }

  /** The first failure of a streak with its stack, then one line when renewing works again. */
  private renewalFailed(error: unknown): void {
    this.events.emit("runner:error", { error });
    if (this.failingSince) return;
    this.failingSince = this.clock.now().toISOString();
    this.logger.error(
      { err: error, jobs: this.held.size },
      "could not renew job leases; trying again at the next tick (a lease that runs out meanwhile may be taken)",
    );
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
