import { requireRole } from "../../core/auth/actor.js";
import type { User } from "../../core/auth/records.js";
import { notFound, validationError } from "../../core/errors.js";
import {
  markFixDeployed,
  markFixFailed,
  markFixVerified,
  startFix,
  type Fix,
  type FixKind,
} from "../../core/response/fixes.js";
import type { TimelineDraft } from "../../core/response/response-action.js";
import { phaseAfterFixFailed, phaseChange } from "../../core/response/response-phase.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { IncidentResponseRecord } from "../ports/response-store.js";
import type { Tx } from "../ports/store.js";
import { responseSettingsOf } from "./manage-response-settings.js";
import { armFollowUpReminder, armWatchEnd } from "./response-timers.js";
import { effectivePhase, fixView, followUpView } from "./response-views.js";
import {
  incidentAction,
  loadWarRoom,
  personOf,
  requireOpen,
  saveResponse,
  timelineActorOf,
  writeTimeline,
  type WarRoom,
} from "./war-room.js";

/**
 * The fix log: one fix in flight at a time (the handler may override, on the record); a hotfix leaves
 * a proper-fix follow-up with its reminders; deploying starts the watch (monitoring); failing ends it.
 */

export const MAX_FAIL_NOTE_LENGTH = 1000;

interface Session {
  readonly tx: Tx;
  readonly room: WarRoom;
  readonly person: User;
  readonly now: Date;
  readonly atMs: number;
}

async function inWarRoom<T>(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  work: (s: Session) => Promise<T>,
): Promise<T> {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const room = await loadWarRoom(tx, ref, atMs);
    requireOpen(room);
    return work({ tx, room, person, now, atMs });
  });
}

async function fixNumbered(tx: Tx, incidentId: string, number: number): Promise<Fix> {
  const fix = (await tx.incidentFixes.listForIncident(incidentId)).find((f) => f.number === number);
  if (!fix) throw notFound("fix", `#${number}`);
  return fix;
}

/** Saves the record and the entries, with a phase change entry when the phase moved. */
async function saveWithPhase(s: Session, next: IncidentResponseRecord, drafts: TimelineDraft[], why: string) {
  const from = effectivePhase(s.room.incident, s.room.record.phase);
  const to = effectivePhase(s.room.incident, next.phase);
  if (from !== to) drafts.push(phaseChange(from, to, why));
  await saveResponse(s.tx, s.room, next, s.atMs);
  await writeTimeline(s.tx, s.room.incident, drafts, timelineActorOf(s.person), s.now);
}

export async function startIncidentFix(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  input: { kind: FixKind; description: string; override?: { reason: string } | null },
) {
  return inWarRoom(deps, caller, ref, async (s) => {
    const { tx, room } = s;
    const settings = await responseSettingsOf(tx, room.service.id);
    const started = startFix(
      await tx.incidentFixes.listForIncident(room.incident.id),
      { id: newId(), kind: input.kind, description: input.description, override: input.override ?? null },
      incidentAction(room, s.person, s.atMs),
      { level: room.record.triage?.level ?? null, hours: settings.followUpHours },
    );
    await tx.incidentFixes.insert(room.incident.id, started.fix);
    const followUp = started.followUp && { ...started.followUp, incidentId: room.incident.id };
    if (followUp) {
      await tx.fixFollowUps.insert(followUp);
      await armFollowUpReminder(tx, followUp, followUp.createdAtMs);
    }
    await saveWithPhase(s, room.record, [...started.timeline], "");
    return {
      ...fixView(started.fix, room.nameOf),
      followUp: followUp && followUpView(followUp, room.incident.number, room.nameOf, s.atMs),
    };
  });
}

export const deployIncidentFix = (deps: AlertingDeps, caller: Caller, ref: string, number: number) =>
  inWarRoom(deps, caller, ref, async (s) => {
    const { tx, room } = s;
    const fix = await fixNumbered(tx, room.incident.id, number);
    const settings = await responseSettingsOf(tx, room.service.id);
    const deployed = markFixDeployed(fix, incidentAction(room, s.person, s.atMs), settings.watchMinutes);
    await tx.incidentFixes.update(room.incident.id, deployed.fix);
    await armWatchEnd(tx, room.incident.id, deployed.watch);
    await saveWithPhase(
      s,
      { ...room.record, phase: deployed.phase, watch: deployed.watch },
      [...deployed.timeline],
      `after fix #${fix.number} was deployed`,
    );
    return fixView(deployed.fix, room.nameOf);
  });

export const verifyIncidentFix = (deps: AlertingDeps, caller: Caller, ref: string, number: number) =>
  inWarRoom(deps, caller, ref, async (s) => {
    const { tx, room } = s;
    const verified = markFixVerified(
      await fixNumbered(tx, room.incident.id, number),
      incidentAction(room, s.person, s.atMs),
    );
    await tx.incidentFixes.update(room.incident.id, verified.next);
    await saveWithPhase(s, room.record, [...verified.timeline], "");
    return fixView(verified.next, room.nameOf);
  });

export const failIncidentFix = (deps: AlertingDeps, caller: Caller, ref: string, number: number, note = "") =>
  inWarRoom(deps, caller, ref, async (s) => {
    if (typeof note !== "string" || note.length > MAX_FAIL_NOTE_LENGTH)
      throw validationError([
        { path: "/note", message: `must be text of at most ${MAX_FAIL_NOTE_LENGTH} characters` },
      ]);
    const { tx, room } = s;
    const fix = await fixNumbered(tx, room.incident.id, number);
    const followUp = (await tx.fixFollowUps.find(room.incident.id, number)) ?? null;
    const failed = markFixFailed(fix, incidentAction(room, s.person, s.atMs), followUp);
    await tx.incidentFixes.update(room.incident.id, failed.fix);
    if (followUp && failed.followUp)
      await tx.fixFollowUps.update({ ...failed.followUp, incidentId: room.incident.id });
    const drafts = failed.timeline.map((d, i) =>
      i === 0 && note.trim()
        ? { ...d, message: `${d.message}: ${note.trim()}`, data: { ...d.data, note: note.trim() } }
        : d,
    );
    const watchEnds = room.record.watch?.fixNumber === number;
    await saveWithPhase(
      s,
      {
        ...room.record,
        // Back to identified only when the watch was this fix's (another fix's watch goes on).
        phase:
          watchEnds || room.record.watch === null
            ? phaseAfterFixFailed(room.record.phase)
            : room.record.phase,
        watch: watchEnds ? null : room.record.watch,
      },
      drafts,
      `after fix #${number} failed`,
    );
    return fixView(failed.fix, room.nameOf);
  });
