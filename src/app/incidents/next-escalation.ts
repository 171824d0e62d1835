import { escalationUnderway, type Incident } from "../../core/incidents/incident.js";
import type { Tx } from "../ports/store.js";

/**
 * Entries written in the same instant as the escalation timer is armed (incident-lifecycle.ts: a
 * policy step paged, or a reassignment). The timer is due that instant plus the current step's delay.
 */
const TIMER_ARMED_BY = ["escalation.started", "incident.escalated", "incident.reassigned"];
const RESTARTED_BY = ["incident.reopened", "incident.retriggered"];

/**
 * When the escalation timer of a triggered incident moves on (pages the next step, or the policy
 * after a reassignment's people), as incident-lifecycle.ts armed it: the last paging instant plus the
 * current step's delay. Null while nothing is pending: acknowledged, resolved, no policy, a notify-level
 * escalation that has not started, or one that ran out. In the past while the engine is late.
 */
export async function nextEscalationAt(tx: Tx, incident: Incident): Promise<Date | null> {
  if (incident.state !== "triggered" || !incident.escalation) return null;
  const armedAt = await tx.timeline.lastEntryAt(incident.id, TIMER_ARMED_BY);
  if (armedAt === null) return null;
  if (!escalationUnderway(armedAt, await tx.timeline.lastEntryAt(incident.id, RESTARTED_BY))) return null;
  // The last step paged nobody and no step was left: written in the same instant, after the step.
  const exhaustedAt = await tx.timeline.lastEntryAt(incident.id, ["escalation.exhausted"]);
  if (exhaustedAt !== null && exhaustedAt.getTime() >= armedAt.getTime()) return null;
  // A reassignment before any policy step ran gets step 1's delay; escalationStep is 0 then.
  const delayMinutes = incident.escalation.steps[incident.escalationStep]?.delayMinutes;
  return delayMinutes === undefined ? null : new Date(armedAt.getTime() + delayMinutes * 60_000);
}
