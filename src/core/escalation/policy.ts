import type { FieldError } from "../errors.js";

/**
 * Who a step pages: a person, every member of a team, or whoever is on call in a schedule's final
 * schedule at the moment the step runs (the snapshot keeps the schedule id, not the person).
 */
export type EscalationTarget =
  | { readonly kind: "user"; readonly userId: string }
  | { readonly kind: "team"; readonly teamId: string }
  | { readonly kind: "schedule"; readonly scheduleId: string };

/** The id a target names, whatever its kind. */
export const targetId = (target: EscalationTarget): string =>
  target.kind === "user" ? target.userId : target.kind === "team" ? target.teamId : target.scheduleId;

/** Whether any step of the policy pages through this schedule. */
export const policyTargetsSchedule = (
  policy: { steps: readonly EscalationStep[] },
  scheduleId: string,
): boolean =>
  policy.steps.some((step) => step.targets.some((t) => t.kind === "schedule" && t.scheduleId === scheduleId));

/** Whether any step of the policy pages this team. */
export const policyTargetsTeam = (policy: { steps: readonly EscalationStep[] }, teamId: string): boolean =>
  policy.steps.some((step) => step.targets.some((t) => t.kind === "team" && t.teamId === teamId));

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

/**
 * The escalation of a page by hand to chosen people: one step paging them all, no repeat. It names
 * no stored policy (empty `policyId`); its name says who was chosen, for the incident page and messages.
 */
export const snapshotForPeople = (
  people: ReadonlyArray<{ id: string; name: string }>,
  ackTimeoutMinutes: number,
  at: Date,
): EscalationSnapshot => ({
  policyId: "",
  policyName: `Chosen by hand: ${people.map((p) => p.name).join(", ")}`,
  policyUpdatedAt: at.toISOString(),
  steps: [{ delayMinutes: ackTimeoutMinutes, targets: people.map((p) => ({ kind: "user", userId: p.id })) }],
  repeatCount: 0,
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
    step.targets.forEach((target, j) => {
      if (!["user", "team", "schedule"].includes(target.kind))
        errors.push({ path: `/steps/${i}/targets/${j}/kind`, message: "must be user, team or schedule" });
      else if (typeof targetId(target) !== "string" || targetId(target).trim().length === 0)
        errors.push({ path: `/steps/${i}/targets/${j}`, message: `needs a ${target.kind} id` });
    });
  });
  return errors;
}
