import { failFixAfterRegression } from "../../core/response/fixes.js";
import { decideWatch, type WatchDecision } from "../../core/response/post-fix-watch.js";
import { phaseChange } from "../../core/response/response-phase.js";
import type { TimelineDraft } from "../../core/response/response-action.js";
import { retriggerIncident } from "../incidents/incident-lifecycle.js";
import { SYSTEM_TIMELINE_ACTOR } from "../notifications/plan-deliveries.js";
import type { Tx } from "../ports/store.js";
import { planPersonNotice } from "./response-notices.js";
import { effectivePhase } from "./response-views.js";
import { involvedPeople } from "./incident-channel-jobs.js";
import { loadWarRoomOf, saveResponse, writeTimeline } from "./war-room.js";

/**
 * The regression rule: an alert of the incident that fires inside the watch after fix #n fails that fix,
 * takes the incident back to investigating ("Regression after fix #n" on the timeline) and pages its
 * people again. The ingest calls this in its transaction when an alert joins (or fires again on) an
 * incident; the `response.watch-end` job calls it with the earliest such alert it finds.
 */
export async function noteAlertFiredDuringResponse(
  tx: Tx,
  incidentId: string,
  firedAt: Date,
  now: Date = firedAt,
): Promise<WatchDecision["outcome"] | "no-watch"> {
  const record = await tx.incidentResponses.find(incidentId);
  const incident = await tx.incidents.findById(incidentId);
  if (!record?.watch || !incident || incident.state === "resolved") return "no-watch";
  const decision = decideWatch({
    watchStartedAtMs: record.watch.startedAtMs,
    watchMinutes: record.watch.watchMinutes,
    fixNumber: record.watch.fixNumber,
    alertFiredAtMs: firedAt.getTime(),
    nowMs: Math.max(firedAt.getTime(), now.getTime()),
  });
  if (decision.outcome !== "regression") return decision.outcome;

  const atMs = now.getTime();
  const room = await loadWarRoomOf(tx, incident, atMs);
  const fixNumber = decision.fixNumber;
  const fix = (await tx.incidentFixes.listForIncident(incidentId)).find((f) => f.number === fixNumber);
  const drafts: TimelineDraft[] = [...decision.timeline];
  if (fix) {
    const followUp = (await tx.fixFollowUps.find(incidentId, fixNumber)) ?? null;
    const failed = failFixAfterRegression(fix, atMs, followUp);
    if (failed.fix !== fix) await tx.incidentFixes.update(incidentId, failed.fix);
    if (followUp && failed.followUp && failed.followUp !== followUp)
      await tx.fixFollowUps.update({ ...failed.followUp, incidentId });
    drafts.push(...failed.timeline);
  }
  const from = effectivePhase(incident, record.phase);
  if (from !== decision.phase)
    drafts.push(phaseChange(from, decision.phase, `after a regression of fix #${fixNumber}`));
  await saveResponse(tx, room, { ...record, phase: decision.phase, watch: null }, atMs);
  await writeTimeline(tx, incident, drafts, SYSTEM_TIMELINE_ACTOR, now);

  // Page again from the first step: the fix did not hold, so whoever is on call now must know.
  await retriggerIncident(tx, incident, `Paged again: regression after fix #${fixNumber}`, now);
  const text = {
    title: `INC-${incident.number}: regression after fix #${fixNumber}`,
    details: [
      { label: "Incident", value: incident.title },
      { label: "What happened", value: decision.timeline[0]?.message ?? "an alert fired during the watch" },
    ],
  };
  for (const userId of involvedPeople(record))
    await planPersonNotice(tx, incident, userId, text, `regression:${incidentId}:${fixNumber}`, now);
  return "regression";
}
