import type { JobPayloads } from "../app/ports/jobs.js";
import type { Logger } from "../app/ports/logger.js";

export interface JobContext {
  readonly jobId: string;
  readonly kind: string;
  readonly key: string | null;
  /** 1 on the first run; counts runs whose lease expired too. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** When the job was enqueued: held-back sends keep their attempts for a while after it. */
  readonly enqueuedAt: Date;
  /** The instant this run works at; handlers use it instead of reading a clock. */
  readonly now: Date;
  readonly logger: Logger;
}

/** Must be idempotent: a job can run twice when a worker dies after the work and before completing. */
export type JobHandler<P> = (payload: P, context: JobContext) => Promise<void>;

/** An error a handler throws when trying again cannot help (bad payload, a 4xx from a receiver). */
export class PermanentJobError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/** Kind → handler, typed by the payload map (the app's JobPayloads unless a test brings its own). */
export class HandlerRegistry<M extends object = JobPayloads> {
  private readonly handlers = new Map<string, JobHandler<unknown>>();

  register<K extends keyof M & string>(kind: K, handler: JobHandler<M[K]>): this {
    if (this.handlers.has(kind)) throw new Error(`a handler for ${kind} is registered already`);
    this.handlers.set(kind, handler as JobHandler<unknown>);
    return this;
  }

  get(kind: string): JobHandler<unknown> | undefined {
    return this.handlers.get(kind);
  }

  kinds(): string[] {
    return [...this.handlers.keys()];
  }
}
