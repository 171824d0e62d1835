import {
  checkThrottle,
  DEFAULT_LOGIN_THROTTLE,
  recordFailure,
  type ThrottleDecision,
  type ThrottleEntry,
  type ThrottlePolicy,
} from "../../core/auth/login-throttle.js";

const MAX_TRACKED_KEYS = 50_000;

/**
 * Failed sign-ins per key, in this process's memory. Behind several instances each counts its own;
 * that still bounds guessing to (instances × limit) per window.
 */
export class LoginAttempts {
  private readonly entries = new Map<string, ThrottleEntry>();

  constructor(private readonly policy: ThrottlePolicy = DEFAULT_LOGIN_THROTTLE) {}

  check(key: string, nowMs: number): ThrottleDecision {
    return checkThrottle(this.entries.get(key), this.policy, nowMs);
  }

  recordFailure(key: string, nowMs: number): void {
    if (this.entries.size >= MAX_TRACKED_KEYS) this.prune(nowMs);
    this.entries.set(key, recordFailure(this.entries.get(key), this.policy, nowMs));
  }

  clear(key: string): void {
    this.entries.delete(key);
  }

  private prune(nowMs: number): void {
    for (const [key, entry] of this.entries) {
      if (nowMs - entry.windowStartMs >= this.policy.windowMs) this.entries.delete(key);
    }
    // Still full: drop the oldest windows rather than grow without bound.
    if (this.entries.size >= MAX_TRACKED_KEYS) {
      const oldest = [...this.entries].sort((a, b) => a[1].windowStartMs - b[1].windowStartMs);
      for (const [key] of oldest.slice(0, oldest.length / 2)) this.entries.delete(key);
    }
  }
}
