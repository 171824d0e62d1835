import { takeTokens, type Bucket } from "../../core/rate-limit/token-bucket.js";

/**
 * Events accepted per integration per minute, counted in this process's memory. Behind several
 * instances each counts its own share; the limit guards against runaway senders, not billing.
 */
export class IngestRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes `events` tokens; undefined when allowed, else the seconds to wait. */
  take(integrationId: string, perMinute: number, events: number, nowMs: number): number | undefined {
    const result = takeTokens(this.buckets.get(integrationId), perMinute, Math.max(1, events), nowMs);
    this.buckets.set(integrationId, result.bucket);
    return result.allowed ? undefined : result.retryAfterSeconds;
  }
}
