/**
 * Whether a failed job runs again: one decision for the runner and for the handlers that record a
 * failure themselves when it will not.
 *
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

/** An error that says trying again cannot help (`retryable: false`, as NotifyError and PermanentJobError do). */
export const isPermanent = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { retryable?: unknown }).retryable === false;

/** The error says the work was not tried at all (duck-typed: `notAttempted: true`). */
export function wasNotAttempted(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && (error as { notAttempted?: unknown }).notAttempted === true
  );
}

/**
 * The error says the work was done (or failed for good) and only writing its outcome is left, which
 * the next run does without doing the work again (duck-typed: `recordPending: true`).
 */
export function wasRecordPending(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { recordPending?: unknown }).recordPending === true
  );
}

/**
 * False for a held-back send within its allowance: the runner gives the attempt back. Never true for
 * an outcome whose record is pending: counting it could end the job with its outcome unwritten.
 */
export function countsAsAttempt(error: unknown, enqueuedAt: Date | undefined, now: Date): boolean {
  if (wasRecordPending(error)) return false;
  if (!wasNotAttempted(error) || enqueuedAt === undefined) return true;
  return now.getTime() - enqueuedAt.getTime() >= HELD_BACK_ALLOWANCE_MS;
}

/** Whether the runner will run a job again if its handler throws this error now. */
export function willRetry(error: unknown, attempt: AttemptInfo, now: Date): boolean {
  if (isPermanent(error)) return false;
  return !countsAsAttempt(error, attempt.enqueuedAt, now) || attempt.attempt < attempt.maxAttempts;
}
