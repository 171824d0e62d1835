import type { FieldError } from "../errors.js";

/**
 * Who a step pages. Schedules arrive with the on-call issue; until then a step lists people or a team
 * (every member of the team is paged).
 */
export type EscalationTarget =
  { readonly kind: "user"; readonly userId: string } | { readonly kind: "team"; readonly teamId: string };

export interface EscalationStep {
  /** How long to wait for an acknowledgement before moving to the next step. */
  readonly delayMinutes: number;
  readonly targets: readonly EscalationTarget[];
}

export interface EscalationPolicy {
  readonly id: string;
  readonly name: string;
  readonly steps: readonly EscalationStep[];
  /** How many times to go round all the steps again after the last one (0: once through). */
  readonly repeatCount: number;
  readonly updatedAt: Date;
}

/** The policy as frozen into an incident when it opens: later edits do not change it. */
export interface EscalationSnapshot {
  readonly policyId: string;
  readonly policyName: string;
  readonly policyUpdatedAt: string;
  readonly steps: readonly EscalationStep[];
  readonly repeatCount: number;
}

export const MAX_STEPS = 20;
export const MAX_TARGETS_PER_STEP = 20;
export const MAX_REPEAT = 9;
export const MAX_DELAY_MINUTES = 24 * 60;

export const snapshotOf = (policy: EscalationPolicy): EscalationSnapshot => ({
  policyId: policy.id,
  policyName: policy.name,
  policyUpdatedAt: policy.updatedAt.toISOString(),
  steps: policy.steps,
  repeatCount: policy.repeatCount,
});

/** Checks a policy's shape and limits, every problem at once, each naming its field. */
export function checkEscalationPolicy(input: {
  name: string;
  steps: readonly EscalationStep[];
  repeatCount: number;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (input.name.trim().length === 0 || input.name.length > 200)
    errors.push({ path: "/name", message: "must be 1 to 200 characters" });
  if (input.steps.length === 0) errors.push({ path: "/steps", message: "needs at least one step" });
  if (input.steps.length > MAX_STEPS) errors.push({ path: "/steps", message: `at most ${MAX_STEPS} steps` });
  if (!Number.isInteger(input.repeatCount) || input.repeatCount < 0 || input.repeatCount > MAX_REPEAT) {
    errors.push({ path: "/repeatCount", message: `must be a whole number from 0 to ${MAX_REPEAT}` });
  }
  input.steps.forEach((step, i) => {
    if (
      !Number.isInteger(step.delayMinutes) ||
      step.delayMinutes < 1 ||
      step.delayMinutes > MAX_DELAY_MINUTES
    ) {
      errors.push({
        path: `/steps/${i}/delayMinutes`,
        message: `must be a whole number of minutes from 1 to ${MAX_DELAY_MINUTES}`,
      });
    }
    if (step.targets.length === 0)
      errors.push({ path: `/steps/${i}/targets`, message: "needs at least one target" });
    if (step.targets.length > MAX_TARGETS_PER_STEP)
      errors.push({ path: `/steps/${i}/targets`, message: `at most ${MAX_TARGETS_PER_STEP} targets` });
  });
  return errors;
}
