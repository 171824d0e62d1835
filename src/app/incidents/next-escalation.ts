import type { Incident } from "../../core/incidents/incident.js";
import type { Tx } from "../ports/store.js";

type EscalationTimer = { readonly runAt: Date; readonly version: number };

/** Whether the incident can have a timer that moves its escalation on: triggered, with a policy. */
const mayEscalate = (incident: Incident) => incident.state === "triggered" && incident.escalation !== null;

/** The timer's run time when it was armed for the incident's current escalation version, else null. */
const runAtIfCurrent = (incident: Incident, timer: EscalationTimer | undefined): Date | null =>
  mayEscalate(incident) && timer && timer.version === incident.escalationVersion ? timer.runAt : null;

/**
 * When the escalation moves on if nobody acknowledges (pages the next step, the policy again after a
 * reassignment's people, or runs out): the run time of the incident's waiting `escalation.advance`
 * timer, read from the job itself rather than worked out again. Only a timer armed for the incident's
 * current escalation version counts (an older one does nothing when it runs). Null while nothing is
 * pending: acknowledged, resolved, no policy, a notify-level escalation not started, or one that ran out.
 * In the past while the engine is late.
 */
export async function nextEscalationAt(tx: Tx, incident: Incident): Promise<Date | null> {
  if (!mayEscalate(incident)) return null;
  return runAtIfCurrent(incident, await tx.incidents.pendingEscalationTimer(incident.id));
}

/**
 * nextEscalationAt for a page of incidents, by incident id, with one read of the timers of those that
 * can have one (none: no read), so a list costs one query more, not one per incident.
 */
export async function nextEscalationsAt(
  tx: Tx,
  incidents: readonly Incident[],
): Promise<Map<string, Date | null>> {
  const escalating = incidents.filter(mayEscalate);
  const timers =
    escalating.length === 0
      ? new Map<string, EscalationTimer>()
      : await tx.incidents.pendingEscalationTimers(escalating.map((i) => i.id));
  return new Map(incidents.map((i) => [i.id, runAtIfCurrent(i, timers.get(i.id))]));
}
