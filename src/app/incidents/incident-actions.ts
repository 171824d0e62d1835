import type { AuditActor } from "../../core/audit/audit-entry.js";
import type { Actor } from "../../core/auth/actor.js";
import { requireRole } from "../../core/auth/actor.js";
import type { Incident } from "../../core/incidents/incident.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import {
  acknowledgeIncident,
  escalateIncidentNow,
  lockedIncident,
  reassignIncident,
  reopenIncident,
  resolveIncidentByHand,
} from "./incident-lifecycle.js";

/** People act on incidents from the console, the CLI, Slack and signed links: all come through here. */

const asTimelineActor = (actor: Actor): AuditActor => ({
  kind: actor.kind,
  id: actor.id,
  label: actor.label,
});

/** By id, or by human number ("42" or "INC-42"). */
export async function findIncident(tx: Tx, ref: string): Promise<Incident> {
  const number = /^(?:INC-)?(\d{1,9})$/i.exec(ref.trim());
  const incident = number
    ? await tx.incidents.findByNumber(Number(number[1]))
    : await tx.incidents.findById(ref);
  if (!incident) throw notFound("incident", ref);
  return incident;
}

type Action = (tx: Tx, incident: Incident, actor: AuditActor, now: Date) => Promise<Incident>;

/** The incident after an action, and whether the action changed it (acknowledging twice does not). */
export interface ActionOutcome {
  readonly incident: Incident;
  readonly changed: boolean;
}

async function act(deps: AppDeps, caller: Caller, ref: string, action: Action): Promise<ActionOutcome> {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const actor = asTimelineActor(caller.actor);
    // The timeline is read by people: a person appears by name (the audit log keeps the email).
    const person = caller.actor.kind === "user" ? await tx.users.findById(caller.actor.id) : undefined;
    // Read under the incident's lock, so "changed" is about this action, not one racing it.
    const before = await lockedIncident(tx, await findIncident(tx, ref));
    const incident = await action(tx, before, person ? { ...actor, label: person.name } : actor, now);
    // Every change an action makes to an incident bumps its escalation fence.
    return { incident, changed: incident.escalationVersion !== before.escalationVersion };
  });
}

const incidentOf = async (outcome: Promise<ActionOutcome>) => (await outcome).incident;

export const acknowledgeWithOutcome = (deps: AppDeps, caller: Caller, ref: string) =>
  act(deps, caller, ref, acknowledgeIncident);
export const acknowledge = (deps: AppDeps, caller: Caller, ref: string) =>
  incidentOf(acknowledgeWithOutcome(deps, caller, ref));
export const resolveWithOutcome = (deps: AppDeps, caller: Caller, ref: string) =>
  act(deps, caller, ref, resolveIncidentByHand);
export const resolve = (deps: AppDeps, caller: Caller, ref: string) =>
  incidentOf(resolveWithOutcome(deps, caller, ref));
export const escalateNow = (deps: AppDeps, caller: Caller, ref: string) =>
  incidentOf(act(deps, caller, ref, escalateIncidentNow));
export const reassign = (deps: AppDeps, caller: Caller, ref: string, userIds: readonly string[]) =>
  incidentOf(act(deps, caller, ref, (tx, i, a, now) => reassignIncident(tx, i, userIds, a, now)));

export const MAX_REOPEN_REASON_LENGTH = 1024;

/**
 * A person reopens a resolved incident (the fix did not hold): triggered again, paged from step 1 as
 * an alert firing again reopens it. An open incident is left as it is. No time limit: a person decides.
 */
export async function reopenByHand(
  deps: AppDeps,
  caller: Caller,
  ref: string,
  reason?: string,
): Promise<ActionOutcome> {
  const why = reason?.trim() ?? "";
  if (why.length > MAX_REOPEN_REASON_LENGTH)
    throw validationError([
      { path: "/reason", message: `must be at most ${MAX_REOPEN_REASON_LENGTH} characters` },
    ]);
  return act(deps, caller, ref, async (tx, incident, actor, now) => {
    if (incident.state !== "resolved") return incident;
    // A deleted service takes no new incidents and cannot be deleted while one is open: page it again.
    const service = await tx.services.findById(incident.serviceId);
    if (!service || service.archivedAt)
      throw new AppError(
        "PRECONDITION_FAILED",
        `INC-${incident.number}'s service ${service?.name ?? incident.serviceId} was deleted: page someone on another service instead`,
      );
    return reopenIncident(tx, incident, `Reopened by ${actor.label}${why ? `: ${why}` : ""}`, now, actor);
  });
}
