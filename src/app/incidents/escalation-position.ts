import type { EscalationPosition } from "../../core/escalation/decide-escalation.js";
import { escalationUnderway, type Incident } from "../../core/incidents/incident.js";
import type { Tx } from "../ports/store.js";

/**
 * Where an incident's current escalation stands, read from its timeline: whether it paged anyone yet
 * and which step of the policy it reached. A reopen or re-trigger begins a new escalation.
 */

/** A step of the policy paged (or tried to): the escalation has a place in the policy. */
const POLICY_STEP_RAN = ["escalation.started", "incident.escalated"];
/** A reassignment pages people too, but outside the policy: its step 1 has not been paged. */
const ESCALATION_BEGAN = [...POLICY_STEP_RAN, "incident.reassigned"];

/**
 * Whether the incident's current escalation paged anyone yet (a notify-level one starts without); one
 * from before a reopen or re-trigger is over.
 */
export async function escalationStarted(
  tx: Tx,
  incidentId: string,
  started = ESCALATION_BEGAN,
): Promise<boolean> {
  const startedAt = await tx.timeline.lastEntryAt(incidentId, started);
  if (startedAt === null) return false;
  const restarted = ["incident.reopened", "incident.retriggered"];
  return escalationUnderway(startedAt, await tx.timeline.lastEntryAt(incidentId, restarted));
}

/** The step and round the incident's escalation last reached, as stored. */
export const storedPosition = (incident: Incident): EscalationPosition => ({
  stepIndex: incident.escalationStep,
  loop: incident.escalationLoop,
});

/**
 * Where the incident stands in its policy, or null while no policy step has run in its current
 * escalation (a notify-level incident only reassigned by hand): step 1 is still to be paged.
 */
export async function policyPosition(tx: Tx, incident: Incident): Promise<EscalationPosition | null> {
  return (await escalationStarted(tx, incident.id, POLICY_STEP_RAN)) ? storedPosition(incident) : null;
}
