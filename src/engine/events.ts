import { EventEmitter } from "node:events";
import type { JobRecord } from "../app/ports/jobs.js";

/** Lifecycle events of the engine, for metrics, logs and tests that wait instead of sleeping. */
export interface EngineEventMap {
  "job:claimed": { job: JobRecord };
  "job:succeeded": { job: JobRecord; durationMs: number };
  "job:retried": { job: JobRecord; error: string; runAt: Date };
  "job:failed": { job: JobRecord; error: string };
  /** The job finished but another worker holds it now: its lease expired mid-run. */
  "job:lease-lost": { job: JobRecord };
  /**
   * A renewal found that the lease of a job still running here is no longer this runner's (a stall
   * outlasted it and another worker took it). The job's outcome write will then be refused.
   */
  "lease:lost": { job: JobRecord; workerId: string };
  "watchdog:checked": { overdue: readonly JobRecord[]; now: Date };
  /** Leases of engine processes on this host that are gone were expired at once (`jobs` rows). */
  "leases:expired": { workerIds: readonly string[]; jobs: number };
  "runner:error": { error: unknown };
  /** The loop found no more work it can take and sleeps until nudged or polled. */
  "runner:idle": { workerId: string };
}

export class EngineEvents {
  private readonly emitter = new EventEmitter();

  on<E extends keyof EngineEventMap>(event: E, listener: (payload: EngineEventMap[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  emit<E extends keyof EngineEventMap>(event: E, payload: EngineEventMap[E]): void {
    this.emitter.emit(event, payload);
  }

  /** Resolves with the next event of this kind that matches. */
  next<E extends keyof EngineEventMap>(
    event: E,
    matches: (p: EngineEventMap[E]) => boolean = () => true,
  ): Promise<EngineEventMap[E]> {
    return new Promise((resolve) => {
      const off = this.on(event, (payload) => {
        if (!matches(payload)) return;
        off();
        resolve(payload);
      });
    });
  }
}
