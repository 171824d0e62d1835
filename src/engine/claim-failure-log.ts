import type { Logger } from "../app/ports/logger.js";

/**
 * The runner's claim fails every poll while the database is away. Logging each with its stack buried
 * the outage's one useful line, so: the first failure with its stack, then at most one summary every
 * `summaryEveryMs`, and one line once claiming works again.
 */
export class ClaimFailureLog {
  private failures = 0;
  private failingSince = "";
  private lastLineAtMs = 0;

  constructor(
    private readonly logger: Logger,
    private readonly summaryEveryMs = 30_000,
    /** A monotonic clock: it only paces log lines. */
    private readonly nowMs: () => number = () => performance.now(),
    private readonly wallClock: () => Date = () => new Date(),
  ) {}

  failed(error: unknown): void {
    this.failures += 1;
    if (this.failures === 1) {
      this.failingSince = this.wallClock().toISOString();
      this.lastLineAtMs = this.nowMs();
      this.logger.error({ err: error }, "claiming jobs failed");
      return;
    }
    if (this.nowMs() - this.lastLineAtMs < this.summaryEveryMs) return;
    this.lastLineAtMs = this.nowMs();
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error(
      { failures: this.failures, since: this.failingSince, reason },
      `claiming jobs still failing: ${this.failures} times since ${this.failingSince}`,
    );
  }

  worked(): void {
    if (this.failures === 0) return;
    this.logger.info(
      { failures: this.failures, since: this.failingSince },
      `claiming jobs works again (it failed ${this.failures === 1 ? "once" : `${this.failures} times`} since ${this.failingSince})`,
    );
    this.failures = 0;
  }
}
