import type { Clock } from "../app/ports/clock.js";

/** The only place the system clock is read. */
export const systemClock: Clock = { now: () => new Date() };
