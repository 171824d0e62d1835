/**
 * When writing a job's outcome (done, run again at, failed for good) fails, the runner that still
 * holds the job's lease tries the write again soon: a database that restarts for two seconds must
 * not leave the job locked, and a page waiting, for the whole lease. It stops before the lease ends,
 * since past it another runner may hold the job; the lease's expiry then runs the job again.
 */
export interface OutcomeWritePolicy {
  /** The wait after the first failed write; it doubles after each further one. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * No write starts with less of the lease left than this (or a quarter of the lease, if less): a
   * write on its way when the lease ends could land on a job another claim already runs.
   */
  readonly leaseMarginMs: number;
}

export const DEFAULT_OUTCOME_WRITE_POLICY: OutcomeWritePolicy = {
  firstDelayMs: 250,
  maxDelayMs: 4_000,
  leaseMarginMs: 5_000,
};

/** The wait after `failures` failed writes in a row (1 = the first): 250 ms, 500 ms, … up to the cap. */
export function outcomeWriteDelayMs(
  failures: number,
  policy: OutcomeWritePolicy = DEFAULT_OUTCOME_WRITE_POLICY,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** exponent);
}

/**
 * How long to wait before the next try of the write, or undefined when there is no time for one:
 * the next try must start while more than the margin of the lease is left.
 */
export function nextOutcomeWriteInMs(
  args: { failures: number; leaseLeftMs: number; leaseMs: number },
  policy: OutcomeWritePolicy = DEFAULT_OUTCOME_WRITE_POLICY,
): number | undefined {
  const margin = Math.min(policy.leaseMarginMs, args.leaseMs / 4);
  const usableMs = args.leaseLeftMs - margin;
  if (!(usableMs > 0)) return undefined;
  return Math.min(outcomeWriteDelayMs(args.failures, policy), usableMs);
}
