/**
 * A circuit breaker per receiver (a host that notifications are POSTed to). When sends to a host keep
 * failing to get any answer (timeouts, refused or reset connections), further sends to it are not
 * tried for a while: each one would hold one of the engine's job slots until its timeout, and pages
 * to people on other hosts would wait behind a dead chat webhook. Pure: time is passed in.
 *
 * closed → (failuresToOpen unreachable in a row) → open → (openMs passed) → trial: one send goes;
 * an answer of any status closes it, no answer opens it again for twice as long (up to maxOpenMs).
 */

export interface BreakerPolicy {
  /** Unreachable outcomes in a row that open the breaker. */
  readonly failuresToOpen: number;
  /** The first open period; each failed trial doubles it. */
  readonly firstOpenMs: number;
  readonly maxOpenMs: number;
  /** A trial that has not reported after this long is taken as lost, and another may go. */
  readonly trialTimeoutMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  failuresToOpen: 5,
  firstOpenMs: 10_000,
  maxOpenMs: 5 * 60_000,
  trialTimeoutMs: 60_000,
};

export type BreakerState =
  | { readonly mode: "closed"; readonly failures: number }
  | { readonly mode: "open"; readonly untilMs: number; readonly openMs: number; readonly failures: number }
  | { readonly mode: "trial"; readonly sinceMs: number; readonly openMs: number; readonly failures: number };

export const CLOSED: BreakerState = { mode: "closed", failures: 0 };

export type Admission =
  | { readonly send: true; readonly state: BreakerState }
  | {
      readonly send: false;
      readonly state: BreakerState;
      /** When a send to this receiver may be tried again. */
      readonly retryAtMs: number;
    };

/** Whether a send may go now. A send that goes must report `reachable`, `unreachable` or `abandoned`. */
export function admit(state: BreakerState, nowMs: number, policy: BreakerPolicy): Admission {
  switch (state.mode) {
    case "closed":
      return { send: true, state };
    case "open":
      if (nowMs < state.untilMs) return { send: false, state, retryAtMs: state.untilMs };
      return {
        send: true,
        state: { mode: "trial", sinceMs: nowMs, openMs: state.openMs, failures: state.failures },
      };
    case "trial":
      if (nowMs - state.sinceMs >= policy.trialTimeoutMs)
        return { send: true, state: { ...state, sinceMs: nowMs } };
      return { send: false, state, retryAtMs: nowMs + policy.firstOpenMs };
  }
}

/** The receiver answered (any HTTP status: it is there). */
export function reachable(): BreakerState {
  return CLOSED;
}

/** No answer: a timeout, or a connection refused or reset. */
export function unreachable(state: BreakerState, nowMs: number, policy: BreakerPolicy): BreakerState {
  const failures = state.failures + 1;
  switch (state.mode) {
    case "closed":
      return failures < policy.failuresToOpen
        ? { mode: "closed", failures }
        : { mode: "open", untilMs: nowMs + policy.firstOpenMs, openMs: policy.firstOpenMs, failures };
    case "open":
      // A send that went before the breaker opened; the open period stands.
      return { ...state, failures };
    case "trial": {
      const openMs = Math.min(state.openMs * 2, policy.maxOpenMs);
      return { mode: "open", untilMs: nowMs + openMs, openMs, failures };
    }
  }
}

/** The send stopped without an outcome (its caller cancelled): the next admission may try again. */
export function abandoned(state: BreakerState, nowMs: number): BreakerState {
  return state.mode === "trial"
    ? { mode: "open", untilMs: nowMs, openMs: state.openMs, failures: state.failures }
    : state;
}
