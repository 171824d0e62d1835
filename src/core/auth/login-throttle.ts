/**
 * Fixed-window throttle for failed sign-ins, keyed by whatever the caller chooses (email + address).
 * Pure: the caller keeps the entries and passes `nowMs`.
 */
export interface ThrottlePolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
}

export interface ThrottleEntry {
  readonly windowStartMs: number;
  readonly failures: number;
}

export type ThrottleDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export const DEFAULT_LOGIN_THROTTLE: ThrottlePolicy = { maxFailures: 10, windowMs: 15 * 60_000 };

const isExpired = (entry: ThrottleEntry, policy: ThrottlePolicy, nowMs: number): boolean =>
  nowMs - entry.windowStartMs >= policy.windowMs;

export function checkThrottle(
  entry: ThrottleEntry | undefined,
  policy: ThrottlePolicy,
  nowMs: number,
): ThrottleDecision {
  if (!entry || isExpired(entry, policy, nowMs) || entry.failures < policy.maxFailures)
    return { allowed: true };
  const retryAfterMs = entry.windowStartMs + policy.windowMs - nowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

export function recordFailure(
  entry: ThrottleEntry | undefined,
  policy: ThrottlePolicy,
  nowMs: number,
): ThrottleEntry {
  if (!entry || isExpired(entry, policy, nowMs)) return { windowStartMs: nowMs, failures: 1 };
  return { windowStartMs: entry.windowStartMs, failures: entry.failures + 1 };
}
