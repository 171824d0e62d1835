/**
 * A send held back without being tried (its receiver stopped answering lately, see ReceiverGate)
 * does not use up one of its job's attempts: otherwise a Slack or ntfy outage of half an hour
 * exhausts the 12 attempts and the message is never sent. The allowance ends a day after the job
 * was enqueued, so a receiver that never comes back still ends in a recorded failure.
 */
export const HELD_BACK_ALLOWANCE_MS = 24 * 60 * 60_000;

/** Where a job is in its attempts, as its handler sees it. */
export interface AttemptInfo {
  /** 1 on the first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** When the job was enqueued; without it a held-back send counts as an attempt. */
  readonly enqueuedAt?: Date;
}

/** The error says the work was not tried at all (duck-typed: `notAttempted: true`). */
export function wasNotAttempted(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && (error as { notAttempted?: unknown }).notAttempted === true
  );
}

/** False for a held-back send within its allowance: the runner gives the attempt back. */
export function countsAsAttempt(error: unknown, enqueuedAt: Date | undefined, now: Date): boolean {
  if (!wasNotAttempted(error) || enqueuedAt === undefined) return true;
  return now.getTime() - enqueuedAt.getTime() >= HELD_BACK_ALLOWANCE_MS;
}

/** Whether the runner will run a job again if its handler throws this retryable error now. */
export function willRetry(error: unknown, attempt: AttemptInfo, now: Date): boolean {
  return !countsAsAttempt(error, attempt.enqueuedAt, now) || attempt.attempt < attempt.maxAttempts;
}
