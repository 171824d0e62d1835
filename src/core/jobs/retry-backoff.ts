export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60 * 60_000 };

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential, capped, with "equal jitter"
 * so that a burst of failures does not retry in lock-step. `random01` is in [0, 1).
 */
export function retryDelayMs(
  attempt: number,
  random01: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const half = ceiling / 2;
  return Math.round(half + half * random01);
}
