import {
  abandoned,
  admit,
  CLOSED,
  DEFAULT_BREAKER_POLICY,
  reachable,
  unreachable,
  type BreakerPolicy,
  type BreakerState,
} from "../core/notifications/receiver-breaker.js";
import { NotifyError } from "./contract.js";

export type GateOutcome = "reachable" | "unreachable" | "abandoned";

/** What a send that may not go is told. */
export interface HeldBack {
  /** How long until a send to this receiver may be tried again. */
  readonly retryAfterMs: number;
  /** Sends in a row that got no answer. */
  readonly failures: number;
}

/**
 * The breakers of every receiver this process sends to, by origin (scheme, host and port). Only
 * receivers that failed lately are kept: one that answers is forgotten.
 */
export class ReceiverGate {
  private readonly states = new Map<string, BreakerState>();

  constructor(
    private readonly policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** undefined: go ahead, and report the outcome with `settle`. */
  enter(origin: string): HeldBack | undefined {
    const state = this.states.get(origin);
    if (state === undefined) return undefined;
    const nowMs = this.nowMs();
    const admission = admit(state, nowMs, this.policy);
    this.states.set(origin, admission.state);
    if (admission.send) return undefined;
    return { retryAfterMs: Math.max(0, admission.retryAtMs - nowMs), failures: admission.state.failures };
  }

  settle(origin: string, outcome: GateOutcome): void {
    const state = this.states.get(origin) ?? CLOSED;
    const next =
      outcome === "reachable"
        ? reachable()
        : outcome === "unreachable"
          ? unreachable(state, this.nowMs(), this.policy)
          : abandoned(state, this.nowMs());
    if (next === CLOSED) this.states.delete(origin);
    else this.states.set(origin, next);
  }

  /**
   * How many receivers a send would be held back from now (open, or a trial send out), for
   * firebreak_notification_receivers_held_back. Read-only: asking moves no breaker. Only a count: a
   * series per origin would put people's and customers' hosts in the metrics, and grow with them.
   */
  heldBackCount(): number {
    const nowMs = this.nowMs();
    let count = 0;
    for (const state of this.states.values()) if (!admit(state, nowMs, this.policy).send) count++;
    return count;
  }
}

/** The process's one gate: every HTTP notifier shares it, so a dead host is known to all of them. */
export const sharedReceiverGate = new ReceiverGate();

/** The error of a send held back: retryable, and not before the receiver may be tried again. */
export function heldBackError(where: string, heldBack: HeldBack): NotifyError {
  const seconds = Math.max(1, Math.ceil(heldBack.retryAfterMs / 1000));
  return new NotifyError(
    `${where}: not tried: the last ${heldBack.failures} sends got no answer; next try in ${seconds} s`,
    { retryable: true, reason: "not_tried", retryAfterSeconds: seconds },
  );
}
