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

/**
 * Delay before running again a job whose attempt was given back because only writing its outcome
 * is left (see retry-decision.ts): its attempt count stays put, so the wait grows with the job's age
 * instead: between a quarter of the age and all of it, from the first retry's delay up to the cap.
 */
export function retryDelayByAgeMs(
  ageMs: number,
  random01: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const doublings = ageMs > policy.baseMs ? Math.floor(Math.log2(ageMs / policy.baseMs)) : 0;
  return retryDelayMs(doublings + 1, random01, policy);
}
