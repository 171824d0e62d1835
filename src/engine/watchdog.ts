import type { Clock } from "../app/ports/clock.js";
import type { JobRecord, JobStore } from "../app/ports/jobs.js";
import type { Logger } from "../app/ports/logger.js";
import type { EngineEvents } from "./events.js";
import { expireLeasesOfDeadWorkers } from "./lease-holders.js";

export interface WatchdogOptions {
  /** A job due longer ago than this, and not held by a live lease, is overdue. */
  readonly overdueMs?: number;
  readonly intervalMs?: number;
}

/**
 * Looks at the jobs table from outside the queue (a watchdog that were itself a job would stop with
 * the queue it watches) and reports overdue jobs: a log line, an event, the metric.
 */
export class Watchdog {
  private timer: NodeJS.Timeout | undefined;
  private readonly overdueMs: number;
  private readonly intervalMs: number;
  lastOverdueCount = 0;

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly events: EngineEvents,
    options: WatchdogOptions = {},
  ) {
    this.overdueMs = options.overdueMs ?? 5 * 60_000;
    this.intervalMs = options.intervalMs ?? 60_000;
  }

  async checkOnce(now: Date = this.clock.now()): Promise<readonly JobRecord[]> {
    // An engine on this host that died without a restart (one of several on PostgreSQL) frees its jobs here.
    await expireLeasesOfDeadWorkers(this.store, now, this.logger, this.events);
    const overdue = await this.store.findOverdue({ now, overdueMs: this.overdueMs, limit: 100 });
    this.lastOverdueCount = overdue.length;
    if (overdue.length > 0) {
      const oldest = overdue[0] as JobRecord;
      this.logger.warn(
        {
          event: "watchdog.overdue_jobs",
          count: overdue.length,
          oldestJobId: oldest.id,
          oldestKind: oldest.kind,
          overdueByMs: now.getTime() - oldest.runAt.getTime(),
        },
        `${overdue.length} job(s) overdue by more than ${Math.round(this.overdueMs / 1000)} s`,
      );
    }
    this.events.emit("watchdog:checked", { overdue, now });
    return overdue;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.checkOnce().catch((err) => this.logger.error({ err }, "watchdog check failed"));
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
