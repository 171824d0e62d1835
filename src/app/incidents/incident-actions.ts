import type { AuditActor } from "../../core/audit/audit-entry.js";
import type { Actor } from "../../core/auth/actor.js";
import { requireRole } from "../../core/auth/actor.js";
import type { Incident } from "../../core/incidents/incident.js";
import { notFound } from "../../core/errors.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import {
  acknowledgeIncident,
  escalateIncidentNow,
  reassignIncident,
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

async function act(deps: AppDeps, caller: Caller, ref: string, action: Action): Promise<Incident> {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const actor = asTimelineActor(caller.actor);
    // The timeline is read by people: a person appears by name (the audit log keeps the email).
    const person = caller.actor.kind === "user" ? await tx.users.findById(caller.actor.id) : undefined;
    return action(tx, await findIncident(tx, ref), person ? { ...actor, label: person.name } : actor, now);
  });
}

export const acknowledge = (deps: AppDeps, caller: Caller, ref: string) =>
  act(deps, caller, ref, acknowledgeIncident);
export const resolve = (deps: AppDeps, caller: Caller, ref: string) =>
  act(deps, caller, ref, resolveIncidentByHand);
export const escalateNow = (deps: AppDeps, caller: Caller, ref: string) =>
  act(deps, caller, ref, escalateIncidentNow);
export const reassign = (deps: AppDeps, caller: Caller, ref: string, userIds: readonly string[]) =>
  act(deps, caller, ref, (tx, i, a, now) => reassignIncident(tx, i, userIds, a, now));
