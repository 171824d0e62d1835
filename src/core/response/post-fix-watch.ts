import type { FieldError } from "../errors.js";
import { joinNames } from "./public-update-templates.js";
import { isInstantMs, throwIfInvalid, type TimelineDraft } from "./response-action.js";
import type { ResponsePhase } from "./response-phase.js";

/**
 * The watch after a fix: deploying fix #n puts the incident into monitoring for a set time. An alert on
 * the incident inside that window is a regression of fix #n; a quiet window asks the handler to resolve.
 * A window is not quiet while one of the incident's alerts still fires, nor when another incident of
 * the service opened inside it (a possible regression, which the handler judges).
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
  | {
      readonly outcome: "not-over";
      readonly fixNumber: number;
      /** What the handler is told instead of "resolve?", e.g. `alert "X" still firing 30 min after fix #1`. */
      readonly headline: string;
      readonly stillFiringCount: number;
      /** Numbers of the service's incidents opened inside the window: possible regressions of this one. */
      readonly openedDuringWatch: readonly number[];
      /** The phase stays monitoring and the fix deployed: the handler fails it or waits for the alert to clear. */
      readonly timeline: readonly TimelineDraft[];
    }
  | { readonly outcome: "watching"; readonly fixNumber: number; readonly untilMs: number };

/** Facts read when the window ends; the ingest's call during the watch has none. */
export interface WatchEndFacts {
  /** How many of the incident's alerts fire now, and the summary of the first of them. */
  readonly stillFiring: { readonly count: number; readonly firstSummary: string | null };
  readonly serviceName: string;
  /** Other incidents of the same service, with when they opened; those inside the window count. */
  readonly otherIncidents: ReadonlyArray<{ readonly number: number; readonly openedAtMs: number }>;
}

export interface WatchInput {
  readonly watchStartedAtMs: number;
  readonly watchMinutes: number;
  readonly fixNumber: number;
  /** The first alert that fired (or fired again) on the incident since the watch started; null: none. */
  readonly alertFiredAtMs: number | null;
  readonly nowMs: number;
  readonly atEnd?: WatchEndFacts;
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
  if (input.nowMs >= watch.endsAtMs && input.atEnd) {
    const notOver = decideNotOver(watch, input.atEnd);
    if (notOver) return notOver;
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

/** A storm of new incidents is named by its first few; the rest are counted. */
const MAX_NAMED_INCIDENTS = 3;

const quoted = (summary: string) => `"${summary.length > 80 ? `${summary.slice(0, 79)}…` : summary}"`;

/** Why a window that saw no new alert of the incident is still not a quiet one; null: it is quiet. */
function decideNotOver(watch: PostFixWatch, facts: WatchEndFacts): WatchDecision | null {
  throwIfInvalid([
    ...(Number.isInteger(facts.stillFiring.count) && facts.stillFiring.count >= 0
      ? []
      : [{ path: "/atEnd/stillFiring/count", message: "must be a whole number, 0 or more" }]),
    ...facts.otherIncidents.flatMap((other, i) =>
      isInstantMs(other.openedAtMs)
        ? []
        : [{ path: `/atEnd/otherIncidents/${i}/openedAtMs`, message: "must be an instant in epoch ms" }],
    ),
  ]);
  const fix = `fix #${watch.fixNumber}`;
  const opened = facts.otherIncidents
    .filter((other) => other.openedAtMs >= watch.startedAtMs && other.openedAtMs < watch.endsAtMs)
    .map((other) => other.number)
    .sort((a, b) => a - b);
  const { count, firstSummary } = facts.stillFiring;
  if (count === 0 && opened.length === 0) return null;
  const timeline: TimelineDraft[] = [];
  let headline = "";
  if (count > 0) {
    const which =
      count === 1
        ? `alert ${firstSummary === null ? "" : `${quoted(firstSummary)} `}still firing`
        : `${count} alerts${firstSummary === null ? "" : ` (${quoted(firstSummary)} and ${count - 1} more)`} still firing`;
    headline = `${which} ${watch.watchMinutes} min after ${fix}: the fix has not worked yet`;
    timeline.push({
      kind: "watch.still-firing",
      message: `${which.charAt(0).toUpperCase()}${which.slice(1)} ${watch.watchMinutes} min after ${fix}: the fix has not worked yet`,
      data: { fixNumber: watch.fixNumber, watchMinutes: watch.watchMinutes, firingAlerts: count },
    });
  }
  if (opened.length > 0) {
    const named = opened.slice(0, MAX_NAMED_INCIDENTS).map((n) => `INC-${n}`);
    const incidents =
      opened.length > MAX_NAMED_INCIDENTS
        ? `${named.join(", ")} and ${opened.length - MAX_NAMED_INCIDENTS} more`
        : joinNames(named);
    const message = `${incidents} opened on ${facts.serviceName} during the watch after ${fix}: possibly a regression`;
    headline ||= message;
    timeline.push({
      kind: "watch.possible-regression",
      message,
      data: { fixNumber: watch.fixNumber, incidentNumbers: opened },
    });
  }
  return {
    outcome: "not-over",
    fixNumber: watch.fixNumber,
    headline,
    stillFiringCount: count,
    openedDuringWatch: opened,
    timeline,
  };
}
