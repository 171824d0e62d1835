import type { FieldError } from "../errors.js";
import { isInstantMs, throwIfInvalid, type TimelineDraft } from "./response-action.js";
import type { ResponsePhase } from "./response-phase.js";

/**
 * The watch after a fix: deploying fix #n puts the incident into monitoring for a set time. An alert on
 * the incident inside that window is a regression of fix #n; a quiet window asks the handler to resolve.
 * The window is [startedAtMs, endsAtMs): an alert at exactly the end is after it.
 */

export const DEFAULT_WATCH_MINUTES = 30;
export const MAX_WATCH_MINUTES = 24 * 60;
const MINUTE_MS = 60_000;

export interface PostFixWatch {
  readonly fixNumber: number;
  readonly startedAtMs: number;
  readonly watchMinutes: number;
  /** When the quiet check runs (a job at this instant carrying fixNumber as its fence). */
  readonly endsAtMs: number;
}

export function checkWatchMinutes(watchMinutes: unknown, path = "/watchMinutes"): FieldError[] {
  return Number.isInteger(watchMinutes) &&
    (watchMinutes as number) >= 1 &&
    (watchMinutes as number) <= MAX_WATCH_MINUTES
    ? []
    : [{ path, message: `must be a whole number of minutes from 1 to ${MAX_WATCH_MINUTES}` }];
}

export function startWatch(
  fixNumber: number,
  startedAtMs: number,
  watchMinutes = DEFAULT_WATCH_MINUTES,
): PostFixWatch {
  throwIfInvalid([
    ...(Number.isInteger(fixNumber) && fixNumber >= 1
      ? []
      : [{ path: "/fixNumber", message: "must be 1 or more" }]),
    ...(isInstantMs(startedAtMs)
      ? []
      : [{ path: "/startedAtMs", message: "must be an instant in epoch ms" }]),
    ...checkWatchMinutes(watchMinutes),
  ]);
  return { fixNumber, startedAtMs, watchMinutes, endsAtMs: startedAtMs + watchMinutes * MINUTE_MS };
}

export type WatchDecision =
  | {
      readonly outcome: "regression";
      readonly fixNumber: number;
      readonly alertFiredAtMs: number;
      /** Back to investigating; page the incident's people again; fail the fix (failFixAfterRegression). */
      readonly phase: ResponsePhase;
      readonly repage: true;
      readonly timeline: readonly TimelineDraft[];
    }
  | {
      readonly outcome: "quiet";
      readonly fixNumber: number;
      /** Ask the handler to resolve; the phase stays monitoring until someone does. */
      readonly promptHandlerToResolve: true;
      readonly timeline: readonly TimelineDraft[];
    }
  | { readonly outcome: "watching"; readonly fixNumber: number; readonly untilMs: number };

export interface WatchInput {
  readonly watchStartedAtMs: number;
  readonly watchMinutes: number;
  readonly fixNumber: number;
  /** The first alert that fired (or fired again) on the incident since the watch started; null: none. */
  readonly alertFiredAtMs: number | null;
  readonly nowMs: number;
}

/**
 * Called when an alert fires during the watch and by the job at the window's end. An alert inside the
 * window wins even when the check runs late; alerts before the watch began are not regressions.
 */
export function decideWatch(input: WatchInput): WatchDecision {
  const watch = startWatch(input.fixNumber, input.watchStartedAtMs, input.watchMinutes);
  throwIfInvalid([
    ...(isInstantMs(input.nowMs) ? [] : [{ path: "/nowMs", message: "must be an instant in epoch ms" }]),
    ...(input.alertFiredAtMs === null || isInstantMs(input.alertFiredAtMs)
      ? []
      : [{ path: "/alertFiredAtMs", message: "must be an instant in epoch ms or null" }]),
  ]);
  const fired = input.alertFiredAtMs;
  if (fired !== null && fired >= watch.startedAtMs && fired < watch.endsAtMs) {
    const minutesIn = Math.floor((fired - watch.startedAtMs) / MINUTE_MS);
    return {
      outcome: "regression",
      fixNumber: watch.fixNumber,
      alertFiredAtMs: fired,
      phase: "investigating",
      repage: true,
      timeline: [
        {
          kind: "fix.regression",
          message: `Regression after fix #${watch.fixNumber}: an alert fired ${minutesIn} min into the ${watch.watchMinutes}-min watch`,
          data: { fixNumber: watch.fixNumber, alertFiredAtMs: fired, watchMinutes: watch.watchMinutes },
        },
      ],
    };
  }
  if (input.nowMs >= watch.endsAtMs)
    return {
      outcome: "quiet",
      fixNumber: watch.fixNumber,
      promptHandlerToResolve: true,
      timeline: [
        {
          kind: "watch.quiet",
          message: `No alert in the ${watch.watchMinutes} min after fix #${watch.fixNumber}: resolve the incident if it is over`,
          data: { fixNumber: watch.fixNumber, watchMinutes: watch.watchMinutes },
        },
      ],
    };
  return { outcome: "watching", fixNumber: watch.fixNumber, untilMs: watch.endsAtMs };
}
