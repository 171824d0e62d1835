import { requireRole } from "../../core/auth/actor.js";
import {
  checkEscalationPolicy,
  targetId,
  type EscalationPolicy,
  type EscalationStep,
  type EscalationTarget,
} from "../../core/escalation/policy.js";
import { AppError, notFound, takenError, validationError, type FieldError } from "../../core/errors.js";
import { namedList } from "../../core/named-list.js";
import { checkVisibleName } from "../../core/visible-name.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { savingUniqueName } from "../unique-name-race.js";

export interface PolicyInput {
  readonly name: string;
  readonly steps: readonly EscalationStep[];
  readonly repeatCount: number;
}

const targetExists = async (tx: Tx, target: EscalationTarget): Promise<boolean> => {
  switch (target.kind) {
    case "user":
      return (await tx.users.findById(target.userId)) !== undefined;
    case "team":
      return (await tx.teams.findById(target.teamId)) !== undefined;
    case "schedule":
      return (await tx.schedules.findById(target.scheduleId)) !== undefined;
    default:
      return true; // an unknown kind is reported by checkEscalationPolicy
  }
};

/** The users a stored policy's steps name directly. */
const userTargetsOf = (policy: EscalationPolicy | undefined): Set<string> =>
  new Set(
    (policy?.steps ?? []).flatMap((step) =>
      step.targets.flatMap((target) => (target.kind === "user" ? [target.userId] : [])),
    ),
  );

/**
 * Shape and limits, plus that every user, team and schedule a step names exists, and that a user it
 * names is not disabled (nobody pages them). A user disabled after the policy was saved may stay
 * (`kept`): the console sends the whole policy back, so refusing them would block every later edit.
 */
async function checkPolicy(tx: Tx, input: PolicyInput, kept: ReadonlySet<string>): Promise<FieldError[]> {
  const errors = [...checkEscalationPolicy(input), ...checkVisibleName(input.name)];
  for (const [i, step] of input.steps.entries()) {
    for (const [j, target] of step.targets.entries()) {
      const path = `/steps/${i}/targets/${j}`;
      if (!(await targetExists(tx, target)))
        errors.push({ path, message: `${target.kind} ${targetId(target)} not found` });
      else if (target.kind === "user" && !kept.has(target.userId)) {
        const user = await tx.users.findById(target.userId);
        if (user?.disabledAt)
          errors.push({ path, message: `${user.name} is disabled and would never be paged` });
      }
    }
  }
  return errors;
}

/** Names are unique, compared exactly as services' are: a page names its policy, and two alike mislead. */
async function refuseTakenName(tx: Tx, name: string, ownId: string | null): Promise<void> {
  const holder = await tx.escalationPolicies.findByName(name);
  if (holder && holder.id !== ownId)
    throw takenError("/name", `an escalation policy named ${name} already exists`);
}

export async function createEscalationPolicy(
  deps: AppDeps,
  caller: Caller,
  input: PolicyInput,
): Promise<EscalationPolicy> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  const name = input.name.trim();
  const recheck = (tx: Tx) => refuseTakenName(tx, name, null);
  return savingUniqueName(deps, recheck, async (tx) => {
    const errors = await checkPolicy(tx, input, new Set());
    if (errors.length > 0) throw validationError(errors);
    await refuseTakenName(tx, name, null);
    const policy: EscalationPolicy = {
      id: newId(),
      name,
      steps: input.steps,
      repeatCount: input.repeatCount,
      updatedAt: now,
    };
    await tx.escalationPolicies.insert(policy);
    await recordChange(tx, caller, now, {
      action: "escalation_policy.create",
      entityType: "escalation_policy",
      entityId: policy.id,
      before: null,
      after: policy,
    });
    return policy;
  });
}

/** Edits apply to incidents opened from now on; open incidents keep the snapshot they started with. */
export async function updateEscalationPolicy(
  deps: AppDeps,
  caller: Caller,
  id: string,
  input: PolicyInput,
): Promise<EscalationPolicy> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  const name = input.name.trim();
  const recheck = (tx: Tx) => refuseTakenName(tx, name, id);
  return savingUniqueName(deps, recheck, async (tx) => {
    const before = await tx.escalationPolicies.findById(id);
    if (!before) throw notFound("escalation policy", id);
    const errors = await checkPolicy(tx, input, userTargetsOf(before));
    if (errors.length > 0) throw validationError(errors);
    await refuseTakenName(tx, name, id);
    const after: EscalationPolicy = {
      ...before,
      name,
      steps: input.steps,
      repeatCount: input.repeatCount,
      updatedAt: now,
    };
    await tx.escalationPolicies.update(after);
    await recordChange(tx, caller, now, {
      action: "escalation_policy.update",
      entityType: "escalation_policy",
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function listEscalationPolicies(deps: AppDeps, caller: Caller): Promise<EscalationPolicy[]> {
  requireRole(caller.actor, "viewer");
  return deps.uow.run((tx) => tx.escalationPolicies.list());
}

/**
 * Deletes a policy no service uses. Incidents under way keep the copy they started with and go on
 * escalating by it; the audit entry keeps the policy as it was.
 */
export async function deleteEscalationPolicy(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const before = await tx.escalationPolicies.findById(id);
    if (!before) throw notFound("escalation policy", id);
    const users = (await tx.services.list()).filter((s) => s.escalationPolicyId === id);
    if (users.length > 0) {
      throw new AppError(
        "CONFLICT",
        `escalation policy ${before.name} pages for ${namedList(
          "service",
          "services",
          users.map((s) => s.name),
        )}: ` + "give them another policy (or none) before deleting it",
      );
    }
    await tx.escalationPolicies.delete(id);
    await recordChange(tx, caller, now, {
      action: "escalation_policy.delete",
      entityType: "escalation_policy",
      entityId: id,
      before,
      after: null,
    });
  });
}
