import { requireRole } from "../../core/auth/actor.js";
import { oneFixRuleBlock } from "../../core/response/fixes.js";
import { draftPublicUpdate } from "../../core/response/public-update-templates.js";
import {
  IMPACT_LEVEL_DEFINITIONS,
  IMPACT_LEVEL_PLAYBOOKS,
  IMPACT_LEVELS,
  SEVERITIES,
  SEVERITY_MEANINGS,
} from "../../core/response/triage.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { responseSettingsOf } from "./manage-response-settings.js";
import {
  effectivePhase,
  fixView,
  followUpView,
  publicUpdateView,
  responseView,
  taskView,
} from "./response-views.js";
import { loadWarRoom, publicNamesOf, type WarRoom } from "./war-room.js";
import { INCIDENT_DETAIL_ALERTS } from "../incidents/read-incidents.js";

/** The war room as the console shows it: GET /incidents/:id/response. */

const RECENT_CHANGES_BEFORE_MS = 6 * 60 * 60_000;

/** The choices triage offers, each with its meaning, in order. */
export const triageChoices = () => ({
  severities: SEVERITIES.map((id) => ({ id, ...SEVERITY_MEANINGS[id] })),
  levels: IMPACT_LEVELS.map((id) => ({ id, ...IMPACT_LEVEL_DEFINITIONS[id] })),
});

/** The response part alone (what most actions answer with). */
export async function responseViewOf(tx: Tx, room: WarRoom, nowMs: number) {
  const settings = await responseSettingsOf(tx, room.service.id);
  const updates = await tx.publicUpdates.listForIncident(room.incident.id);
  return responseView(room.incident, room.record, settings, updates.at(-1), room.nameOf, nowMs);
}

export async function warRoomView(tx: Tx, room: WarRoom, nowMs: number) {
  const { incident, record, nameOf } = room;
  const settings = await responseSettingsOf(tx, room.service.id);
  const tasks = await tx.incidentTasks.listForIncident(incident.id);
  const fixes = await tx.incidentFixes.listForIncident(incident.id);
  const followUps = await tx.fixFollowUps.listForIncident(incident.id);
  const updates = await tx.publicUpdates.listForIncident(incident.id);
  const block = oneFixRuleBlock(fixes);
  const level = record.triage?.level ?? null;
  const phase = effectivePhase(incident, record.phase);
  const until = incident.resolvedAt ?? new Date(nowMs);
  return {
    incident,
    response: responseView(incident, record, settings, updates.at(-1), nameOf, nowMs),
    tasks: tasks.map((t) => taskView(t, nameOf)),
    fixes: fixes.map((f) => fixView(f, nameOf)),
    followUps: followUps.map((f) => followUpView(f, incident.number, nameOf, nowMs)),
    publicUpdates: updates.map((u) => publicUpdateView(u, nameOf)),
    diagnosis: {
      runbookUrl: settings.runbookUrl,
      dashboards: settings.dashboards.map((d) => ({ ...d })),
      links: settings.links.map((l) => ({ ...l })),
      recentChanges: await tx.changeEvents.listForService(
        incident.serviceId,
        new Date(incident.openedAt.getTime() - RECENT_CHANGES_BEFORE_MS),
        until,
        20,
      ),
      alerts: await tx.alerts.listForIncident(incident.id, { limit: INCIDENT_DETAIL_ALERTS }),
      alertCounts: await tx.alerts.countForIncident(incident.id),
    },
    playbook: level === null ? null : { level, steps: [...IMPACT_LEVEL_PLAYBOOKS[level]] },
    ...triageChoices(),
    oneFixBlock: block && { reason: block.reason, fixNumber: block.inFlight[0]!.number },
    publicUpdateDraft:
      level === null
        ? null
        : {
            status: phase,
            message: draftPublicUpdate(level, phase, await publicNamesOf(tx, room.service)),
          },
  };
}
export type WarRoomView = Awaited<ReturnType<typeof warRoomView>>;

export async function getWarRoom(deps: AppDeps, caller: Caller, ref: string): Promise<WarRoomView> {
  requireRole(caller.actor, "viewer");
  const nowMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => warRoomView(tx, await loadWarRoom(tx, ref, nowMs), nowMs));
}
