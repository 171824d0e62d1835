/** Wall-clock ↔ instant conversion in an IANA zone. (Being written: see final-schedule.ts.) */

export interface LocalDateTime {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
}

/** The wall clock in `timeZone` at `atMs`. */
export function localDateTimeAt(atMs: number, timeZone: string): LocalDateTime {
  void atMs;
  void timeZone;
  throw new Error("localDateTimeAt: not written yet");
}

/**
 * The instant of a local "YYYY-MM-DDTHH:MM" in `timeZone`. A time skipped by a spring-forward change
 * maps to the instant the clocks jumped to; a repeated time (fall back) maps to its first occurrence.
 */
export function instantOfLocal(localDateTime: string, timeZone: string): number {
  void localDateTime;
  void timeZone;
  throw new Error("instantOfLocal: not written yet");
}
