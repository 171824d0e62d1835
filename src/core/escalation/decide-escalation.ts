import type { EscalationSnapshot, EscalationTarget } from "./policy.js";

/** Where an incident's escalation stands: which step, and how many times round the steps so far. */
export interface EscalationPosition {
  readonly stepIndex: number;
  readonly loop: number;
}

export type EscalationDecision =
  | {
      readonly kind: "notify";
      readonly position: EscalationPosition;
      readonly targets: readonly EscalationTarget[];
      /** When to move on if nobody acknowledges. */
      readonly nextAt: Date;
    }
  | { readonly kind: "exhausted" };

const minutes = (n: number) => n * 60_000;

function notifyAt(snapshot: EscalationSnapshot, position: EscalationPosition, now: Date): EscalationDecision {
  const step = snapshot.steps[position.stepIndex];
  if (!step) return { kind: "exhausted" };
  return {
    kind: "notify",
    position,
    targets: step.targets,
    nextAt: new Date(now.getTime() + minutes(step.delayMinutes)),
  };
}

/** The first step, when an incident opens (or reopens). */
export function startEscalation(snapshot: EscalationSnapshot, now: Date): EscalationDecision {
  return notifyAt(snapshot, { stepIndex: 0, loop: 0 }, now);
}

/** The step after `current` once its ack timeout has passed: the next step, round again, or done. */
export function advanceEscalation(
  snapshot: EscalationSnapshot,
  current: EscalationPosition,
  now: Date,
): EscalationDecision {
  const isLastStep = current.stepIndex >= snapshot.steps.length - 1;
  if (!isLastStep) return notifyAt(snapshot, { stepIndex: current.stepIndex + 1, loop: current.loop }, now);
  if (current.loop >= snapshot.repeatCount) return { kind: "exhausted" };
  return notifyAt(snapshot, { stepIndex: 0, loop: current.loop + 1 }, now);
}

/**
 * Where a timer or a hand escalation goes from `current`: the next step, or step 1 while no step of
 * the policy has run (`current` null), as when a notify-level incident was only reassigned by hand.
 */
export function nextEscalation(
  snapshot: EscalationSnapshot,
  current: EscalationPosition | null,
  now: Date,
): EscalationDecision {
  return current ? advanceEscalation(snapshot, current, now) : startEscalation(snapshot, now);
}
