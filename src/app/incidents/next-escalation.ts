import type { Incident } from "../../core/incidents/incident.js";
import type { Tx } from "../ports/store.js";

/**
 * When the escalation moves on if nobody acknowledges (pages the next step, the policy again after a
 * reassignment's people, or runs out): the run time of the incident's waiting `escalation.advance`
 * timer, read from the job itself rather than worked out again. Only a timer armed for the incident's
 * current escalation version counts (an older one does nothing when it runs). Null while nothing is
 * pending: acknowledged, resolved, no policy, a notify-level escalation not started, or one that ran out.
 * In the past while the engine is late.
 */
export async function nextEscalationAt(tx: Tx, incident: Incident): Promise<Date | null> {
  if (incident.state !== "triggered" || !incident.escalation) return null;
  const timer = await tx.incidents.pendingEscalationTimer(incident.id);
  return timer && timer.version === incident.escalationVersion ? timer.runAt : null;
}
