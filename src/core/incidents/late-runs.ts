/**
 * How the timeline says that something came later than it was due: an escalation step whose timer
 * ran late, or a message that went out only after failed tries. Timeline messages carry no clock
 * times (the console shows each entry's time in the reader's zone), so only the lateness is worded;
 * the due instant goes in the entry's data.
 */

/**
 * Past this, a timer that ran late is worth a word. The engine claims a due job within its poll (1 s
 * by default, 60 s at most by configuration), so up to a minute is ordinary scheduling; beyond it the
 * engine was stopped or behind. Escalation steps wait whole minutes: a minute late is what people notice.
 */
export const LATE_AFTER_MS = 60_000;

/** The structured fact behind a "late" note, for an entry's `data`. */
export interface Lateness {
  /** When it was due, as an ISO instant. */
  readonly dueAt: string;
  readonly lateMs: number;
}

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [86_400, "d"],
  [3_600, "h"],
  [60, "min"],
  [1, "s"],
];

/** "45 s", "3 min 20 s", "2 h 5 min", "1 d 3 h": the two largest units, rounded down. */
export function formatLateness(ms: number): string {
  let seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < 1) return "less than a second";
  const parts: Array<[number, string]> = UNITS.map(([size, unit]) => {
    const n = Math.floor(seconds / size);
    seconds -= n * size;
    return [n, unit];
  });
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(" ");
}

/** How late a run at `ranAt` was for `dueAt`; null when within LATE_AFTER_MS (or early). */
export function latenessOf(dueAt: Date, ranAt: Date): Lateness | null {
  const lateMs = ranAt.getTime() - dueAt.getTime();
  return lateMs > LATE_AFTER_MS ? { dueAt: dueAt.toISOString(), lateMs } : null;
}

/** A timer's entry ("Step 2: paged Bob"), saying why it came late when it did. */
export function withLateRun(message: string, late: Lateness | null): string {
  if (!late) return message;
  return `${message} (ran ${formatLateness(late.lateMs)} after it was due: Firebreak was not running or was behind)`;
}

export interface DeliveredFacts {
  /** The receiver's real tries, this one included (held-back sends are not tries). */
  readonly attempts: number;
  /** When the message was due to go out first. */
  readonly dueAt: Date;
  readonly sentAt: Date;
  /** The error of the try (or hold-back) before this one, if any. */
  readonly lastError: string | null;
}

/**
 * What "Notified Alice by webhook (Ops hook)" adds when the message did not go out on its first try
 * and on time: how many tries, how long after it was due, and why. One entry for the whole delivery,
 * so a flapping receiver does not flood the timeline; the last error goes in `data`.
 */
export function deliveredNote(facts: DeliveredFacts): {
  readonly suffix: string;
  readonly data: Readonly<Record<string, unknown>>;
} {
  const lateMs = Math.max(0, facts.sentAt.getTime() - facts.dueAt.getTime());
  const retried = facts.attempts > 1;
  if (!retried && lateMs <= LATE_AFTER_MS) return { suffix: "", data: {} };
  const data = {
    dueAt: facts.dueAt.toISOString(),
    lateMs,
    ...(facts.lastError !== null && { lastError: facts.lastError }),
  };
  const after = `${formatLateness(lateMs)} after it was due`;
  if (retried) return { suffix: ` after ${facts.attempts} tries, ${after}`, data };
  // One try, late: either sends were held back (the receiver was not answering) or nothing ran them.
  const why =
    facts.lastError !== null
      ? "held back while the receiver was not answering"
      : "Firebreak was not running or was behind";
  return { suffix: `, ${after} (${why})`, data };
}
