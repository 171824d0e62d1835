import type { Incident } from "../../core/incidents/incident.js";
import { isFollowUpOverdue } from "../../core/response/fix-follow-ups.js";
import type { Fix } from "../../core/response/fixes.js";
import { publicUpdateReminderAt } from "../../core/response/public-updates.js";
import type { NameOf } from "../../core/response/response-action.js";
import type { ResponsePhase } from "../../core/response/response-phase.js";
import type { AttackPlanTask } from "../../core/response/tasks.js";
import type {
  IncidentResponseRecord,
  ServiceResponseSettings,
  StoredFollowUp,
  StoredPublicUpdate,
} from "../ports/response-store.js";

/** What the API shows of the response records: instants as Dates (the edge turns them into ISO), people named. */

const at = (ms: number): Date => new Date(ms);
const atOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/**
 * The phase people see. The incident's own state wins: resolved through the paging flow (console,
 * Slack, links, auto-resolve) reads "resolved"; a resolved response whose incident reopened reads
 * "investigating".
 */
export function effectivePhase(incident: Pick<Incident, "state">, stored: ResponsePhase): ResponsePhase {
  if (incident.state === "resolved") return "resolved";
  return stored === "resolved" ? "investigating" : stored;
}

export function responseView(
  incident: Incident,
  r: IncidentResponseRecord,
  settings: ServiceResponseSettings,
  lastPublicUpdate: Pick<StoredPublicUpdate, "postedAtMs" | "status"> | undefined,
  nameOf: NameOf,
  nowMs: number,
) {
  const resolved = incident.state === "resolved";
  const lastPublicUpdateAtMs = lastPublicUpdate?.postedAtMs ?? null;
  return {
    incidentId: incident.id,
    phase: effectivePhase(incident, r.phase),
    severity: r.triage?.severity ?? null,
    level: r.triage?.level ?? null,
    onCallCanHandle: r.triage?.onCallCanHandle ?? null,
    callIn: r.triage?.callIn ?? [],
    triageNote: r.triage?.note ?? "",
    triagedAt: atOrNull(r.triage?.triagedAtMs ?? null),
    triagedBy: r.triage?.triagedBy ?? null,
    handlerId: r.handlerId,
    handlerName: r.handlerId === null ? null : nameOf(r.handlerId),
    commsLeadId: r.commsLeadId,
    responderIds: [...r.responderIds],
    pendingHandover: r.pendingHandover && {
      fromId: r.pendingHandover.fromId,
      toId: r.pendingHandover.toId,
      proposedAt: at(r.pendingHandover.proposedAtMs),
    },
    watch: r.watch && {
      fixNumber: r.watch.fixNumber,
      startedAt: at(r.watch.startedAtMs),
      endsAt: at(r.watch.endsAtMs),
      watchMinutes: r.watch.watchMinutes,
    },
    publicUpdateRequired:
      r.publicUpdateRequiredSinceMs !== null && !resolved && lastPublicUpdateAtMs === null,
    nextPublicUpdateReminderAt:
      r.publicUpdateRequiredSinceMs === null
        ? null
        : atOrNull(
            publicUpdateReminderAt({
              level: r.triage?.level ?? null,
              requiredSinceMs: r.publicUpdateRequiredSinceMs,
              lastPublicUpdateAtMs,
              lastPublicUpdateResolved: lastPublicUpdate?.status === "resolved",
              everyMinutes: settings.publicUpdateEveryMinutes,
              nowMs,
              resolved,
            }),
          ),
    videoCallUrl: r.videoCallUrl,
    channel: {
      kind: r.channel.kind === "pending" ? ("none" as const) : r.channel.kind,
      name: r.channel.name,
      url: r.channel.url,
    },
  };
}
export type ResponseView = ReturnType<typeof responseView>;

export const taskView = (t: AttackPlanTask, nameOf: NameOf) => ({
  id: t.id,
  title: t.title,
  ownerId: t.ownerId,
  ownerName: t.ownerId === null ? null : nameOf(t.ownerId),
  state: t.state,
  pendingHandover: t.pendingHandover && {
    fromId: t.pendingHandover.fromId,
    toId: t.pendingHandover.toId,
    requestedBy: t.pendingHandover.requestedBy,
    requestedAt: at(t.pendingHandover.requestedAtMs),
  },
  createdBy: t.createdBy,
  createdAt: at(t.createdAtMs),
  updatedAt: at(t.updatedAtMs),
});
export type TaskView = ReturnType<typeof taskView>;

export const fixView = (f: Fix, nameOf: NameOf) => ({
  id: f.id,
  number: f.number,
  kind: f.kind,
  description: f.description,
  authorId: f.authorId,
  authorName: nameOf(f.authorId),
  state: f.state,
  startedAt: at(f.startedAtMs),
  deployedAt: atOrNull(f.deployedAtMs),
  verifiedAt: atOrNull(f.verifiedAtMs),
  failedAt: atOrNull(f.failedAtMs),
  overriddenBy: f.overriddenBy,
  overrideReason: f.overrideReason,
});
export type FixView = ReturnType<typeof fixView>;

export const followUpView = (f: StoredFollowUp, incidentNumber: number, nameOf: NameOf, nowMs: number) => ({
  incidentId: f.incidentId,
  incidentNumber,
  fixNumber: f.fixNumber,
  ownerId: f.ownerId,
  ownerName: nameOf(f.ownerId),
  state: f.state,
  createdAt: at(f.createdAtMs),
  dueAt: at(f.dueAtMs),
  closedAt: atOrNull(f.closedAtMs),
  overdue: isFollowUpOverdue(f, nowMs),
});
export type FollowUpView = ReturnType<typeof followUpView>;

export const publicUpdateView = (u: StoredPublicUpdate, nameOf: NameOf) => ({
  id: u.id,
  status: u.status,
  message: u.message,
  postedBy: u.postedBy,
  postedByName: nameOf(u.postedBy),
  postedAt: at(u.postedAtMs),
  componentIds: [...u.componentIds],
});
export type PublicUpdateView = ReturnType<typeof publicUpdateView>;
