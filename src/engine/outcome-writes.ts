import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../app/ports/logger.js";
import {
  DEFAULT_OUTCOME_WRITE_POLICY,
  nextOutcomeWriteInMs,
  type OutcomeWritePolicy,
} from "../core/jobs/outcome-write-retry.js";
import type { EngineEvents } from "./events.js";

export type OutcomeWrite<T> =
  | { readonly written: true; readonly value: T }
  /** `lease`: too little of the lease was left to try again; `shutdown`: the runner's deadline passed. */
  | { readonly written: false; readonly error: unknown; readonly gaveUp: "lease" | "shutdown" };

export interface OutcomeWriteContext {
  /** What the write does, for the log: "mark job complete". */
  readonly what: string;
  /** How much of the job's lease is left now (it may already be negative). */
  readonly leaseLeftMs: () => number;
  readonly leaseMs: number;
  /** Aborted when the runner's shutdown deadline passes: the runner then releases what it holds. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly events: EngineEvents;
  readonly policy?: OutcomeWritePolicy;
}

/**
 * Writes a job's outcome (complete, retry or fail), trying again with a short backoff while the
 * lease lasts (core/jobs/outcome-write-retry.ts). Only the job's own slot waits: other slots and the
 * claim loop go on. Each failed try is a `runner:error`.
 */
export async function writeOutcomeWhileLeased<T>(
  write: () => Promise<T>,
  context: OutcomeWriteContext,
): Promise<OutcomeWrite<T>> {
  const policy = context.policy ?? DEFAULT_OUTCOME_WRITE_POLICY;
  for (let failures = 0; ;) {
    try {
      const value = await write();
      if (failures > 0)
        context.logger.info({ failedTries: failures }, `${context.what}: done after retrying`);
      return { written: true, value };
    } catch (error) {
      failures++;
      context.events.emit("runner:error", { error });
      const waitMs = context.signal.aborted
        ? undefined
        : nextOutcomeWriteInMs(
            { failures, leaseLeftMs: context.leaseLeftMs(), leaseMs: context.leaseMs },
            policy,
          );
      if (waitMs === undefined)
        return { written: false, error, gaveUp: context.signal.aborted ? "shutdown" : "lease" };
      if (failures === 1)
        context.logger.warn({ err: error }, `could not ${context.what}; trying again while the lease lasts`);
      const slept = await sleep(waitMs, true, { signal: context.signal }).catch(() => false);
      if (!slept) return { written: false, error, gaveUp: "shutdown" };
    }
  }
}
