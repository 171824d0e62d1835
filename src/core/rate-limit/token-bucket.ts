/**
 * A token bucket that refills continuously at `perMinute` and holds at most `perMinute` tokens
 * (a minute's worth of burst). Pure: the caller keeps the state and passes `nowMs`.
 */
export interface Bucket {
  readonly tokens: number;
  readonly updatedAtMs: number;
}

export type TakeResult =
  | { readonly allowed: true; readonly bucket: Bucket }
  | { readonly allowed: false; readonly bucket: Bucket; readonly retryAfterSeconds: number };

export function takeTokens(
  bucket: Bucket | undefined,
  perMinute: number,
  cost: number,
  nowMs: number,
): TakeResult {
  const capacity = perMinute;
  const refillPerMs = perMinute / 60_000;
  const before = bucket ?? { tokens: capacity, updatedAtMs: nowMs };
  const tokens = Math.min(capacity, before.tokens + Math.max(0, nowMs - before.updatedAtMs) * refillPerMs);
  if (tokens >= cost) return { allowed: true, bucket: { tokens: tokens - cost, updatedAtMs: nowMs } };
  // A request bigger than the bucket can ever hold is let through once the bucket is full.
  if (cost > capacity && tokens >= capacity)
    return { allowed: true, bucket: { tokens: 0, updatedAtMs: nowMs } };
  const missing = Math.min(cost, capacity) - tokens;
  return {
    allowed: false,
    bucket: { tokens, updatedAtMs: nowMs },
    retryAfterSeconds: Math.max(1, Math.ceil(missing / refillPerMs / 1000)),
  };
}
