import type { Clock } from "../../src/app/ports/clock.js";

/** 2021-01-01T00:00:00Z, a fixed reference instant for tests (graphile-worker's convention). */
export const REFERENCE_TIME = Date.parse("2021-01-01T00:00:00.000Z");

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** A clock that moves only when the test moves it. */
export class FakeClock implements Clock {
  constructor(private ms: number = REFERENCE_TIME) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): Date {
    this.ms += ms;
    return this.now();
  }
  set(at: Date | number): void {
    this.ms = typeof at === "number" ? at : at.getTime();
  }
}
