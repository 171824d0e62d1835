import type { AlertLevel } from "../alerts/alert-event.js";
import type { EscalationSnapshot } from "../escalation/policy.js";

export type IncidentState = "triggered" | "acknowledged" | "resolved";

export interface Incident {
  readonly id: string;
  /** Human number, shown as INC-<number>. */
  readonly number: number;
  readonly serviceId: string;
  readonly title: string;
  readonly state: IncidentState;
  readonly level: AlertLevel;
  /** Alerts with this key join the incident while it is open (see grouping). */
  readonly groupingKey: string;
  readonly openedAt: Date;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly escalation: EscalationSnapshot | null;
  readonly escalationStep: number;
  readonly escalationLoop: number;
  /**
   * Fence for escalation timers: bumped by every change to the escalation (advance, ack, resolve,
   * escalate, reassign). A timer carrying an older version does nothing.
   */
  readonly escalationVersion: number;
  /** People it was reassigned to by hand; they are paged instead of the policy's current step. */
  readonly assigneeIds: readonly string[];
  readonly updatedAt: Date;
}

export const LEVEL_RANK: Record<AlertLevel, number> = { ticket: 0, notify: 1, page: 2 };

export const higherLevel = (a: AlertLevel, b: AlertLevel): AlertLevel =>
  LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;

/** Only page-level incidents wake people; notify-level ones reach the shared channel only. */
export const pagesPeople = (incident: Pick<Incident, "level" | "state">): boolean =>
  incident.level === "page" && incident.state === "triggered";

/**
 * Whether the incident's current escalation has started (a policy step, escalate-now or a reassignment
 * paged someone): a reopen or re-trigger since begins a new one. At the same instant it has started,
 * since a reopen's first page is written right after the reopen.
 */
export function escalationUnderway(lastStartedAt: Date | null, lastRestartedAt: Date | null): boolean {
  if (lastStartedAt === null) return false;
  return lastRestartedAt === null || lastStartedAt.getTime() >= lastRestartedAt.getTime();
}

/**
 * Where a new escalation stands before any of its steps has run: step 1, first round. A reopen or a
 * re-trigger starts one, so the incident no longer shows the step an escalation that is over reached.
 */
export const NEW_ESCALATION_POSITION = { escalationStep: 0, escalationLoop: 0 } as const;

export type TransitionResult =
  | { readonly ok: true; readonly changes: Partial<Incident> }
  | { readonly ok: false; readonly reason: string };

/** triggered → acknowledged. Acknowledging twice changes nothing. */
export function acknowledge(incident: Incident, actorId: string, now: Date): TransitionResult {
  if (incident.state === "resolved") return { ok: false, reason: `INC-${incident.number} is resolved` };
  if (incident.state === "acknowledged") return { ok: true, changes: {} };
  return {
    ok: true,
    changes: {
      state: "acknowledged",
      acknowledgedAt: now,
      acknowledgedBy: actorId,
      escalationVersion: incident.escalationVersion + 1,
      updatedAt: now,
    },
  };
}

/** any open state → resolved; stops every timer by bumping the fence. Resolving twice changes nothing. */
export function resolve(incident: Incident, actorId: string, now: Date): TransitionResult {
  if (incident.state === "resolved") return { ok: true, changes: {} };
  return {
    ok: true,
    changes: {
      state: "resolved",
      resolvedAt: now,
      resolvedBy: actorId,
      escalationVersion: incident.escalationVersion + 1,
      updatedAt: now,
    },
  };
}

/** resolved → triggered again, escalation from the first step. */
export function reopen(incident: Incident, now: Date): TransitionResult {
  if (incident.state !== "resolved") return { ok: false, reason: `INC-${incident.number} is not resolved` };
  return {
    ok: true,
    changes: {
      state: "triggered",
      resolvedAt: null,
      resolvedBy: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      ...NEW_ESCALATION_POSITION,
      escalationVersion: incident.escalationVersion + 1,
      assigneeIds: [],
      updatedAt: now,
    },
  };
}
