import type { AlertEvent } from "../../core/alerts/alert-event.js";
import type { Alert, Integration, Service } from "../../core/alerts/records.js";
import { systemActor } from "../../core/auth/actor.js";
import { DAY_MS } from "../../core/schedules/civil-time.js";
import { gapsWithReasons } from "../../core/schedules/final-schedule.js";
import { unplannedGaps } from "../../core/schedules/unplanned-gaps.js";
import { HANDOFF_HORIZON_MS } from "../../core/schedules/handoffs.js";
import type { ScheduleRecord } from "../../core/schedules/records.js";
import type { Schedule, TimeRange } from "../../core/schedules/schedule.js";
import { ingestAlertEvents, resolveAlertRecord } from "../alerts/ingest-alert-events.js";
import type { AppDeps } from "../deps.js";
import { createIntegration } from "../integrations/manage-integrations.js";
import type { Tx } from "../ports/store.js";
import { GAP_CHECK_INTERVAL_MS, gapCheckJobKey } from "./arm-schedule-jobs.js";
import { loadSchedule } from "./load-schedule.js";
import { formatInstant, scheduleAudience } from "./schedule-notices.js";

/**
 * Gaps reported ahead of time. Once a day (and at once after a change) `schedule.gap-check` looks
 * `lookaheadDays` ahead; each stretch nobody covers becomes a notify-level alert of Firebreak's own
 * (the shared channel hears, nobody is paged) on every service paging through the schedule, raised
 * the way heartbeats raise theirs: through ingestAlertEvents and an integration of the service's own,
 * made on first use like the "manual pages" one. A later check that finds it covered resolves it.
 */

/** The integration gap alerts come through; disabling it mutes them for that service. */
export const GAP_INTEGRATION_NAME = "on-call gaps";
export const DEFAULT_GAP_LOOKAHEAD_DAYS = 7;
const GAP_ACTOR = systemActor("schedule gap check");
/** How far back a gap that is already under way is traced to its real start (its alert's key). */
const TRACE_BACK_MS = DAY_MS;
const FIRING_ALERTS_READ = 1_000;

export const gapDedupKey = (scheduleId: string, gapStartMs: number) =>
  `schedule-gap:${scheduleId}:${gapStartMs}`;
const gapKeyPrefix = (scheduleId: string) => `schedule-gap:${scheduleId}:`;

export interface GapCheckOutcome {
  readonly gaps: number;
  readonly raised: number;
  readonly resolved: number;
  /** No service pages through the schedule: the gaps went to the log and the audit log instead. */
  readonly unwatched: boolean;
}

/** A stretch a firing gap alert reported, and the alert (it belongs to the integration that raised it). */
interface FiringGap extends TimeRange {
  readonly alert: Alert;
}

interface ServiceGapState {
  readonly service: Service;
  readonly integration: Integration | undefined;
  /** The stretches that firing gap alerts of this schedule on the service reported. */
  readonly firing: readonly FiringGap[];
}

/** The stretch a gap alert reported: its key holds the start, its details the end. */
function reportedGap(alert: Alert, prefix: string): TimeRange {
  const startMs = Number(alert.dedupKey.slice(prefix.length));
  const endMs = Date.parse(String(alert.details.gapEnd ?? ""));
  return { startMs, endMs: Number.isFinite(endMs) ? endMs : startMs };
}

const overlaps = (a: TimeRange, b: TimeRange) => a.startMs < b.endMs && b.startMs < a.endMs;

export async function checkScheduleGaps(
  deps: AppDeps,
  scheduleId: string,
  lookaheadDays: number,
  now: Date,
): Promise<GapCheckOutcome | "schedule-gone"> {
  const nowMs = now.getTime();
  const windowEndMs = nowMs + lookaheadDays * DAY_MS;
  const found = await deps.uow.run(async (tx) => {
    const record = await tx.schedules.findById(scheduleId);
    if (!record) return undefined;
    const people = new Map((await tx.users.list()).map((u) => [u.id, u.name]));
    // Re-armed first: whatever fails below, tomorrow's check comes (this one is retried as well).
    await tx.jobs.enqueue(
      "schedule.gap-check",
      { scheduleId },
      { runAt: new Date(nowMs + GAP_CHECK_INTERVAL_MS), key: gapCheckJobKey(scheduleId), keyMode: "replace" },
    );
    // Loaded past the window, so a gap that starts inside it is reported with its real end.
    const range = { startMs: nowMs - TRACE_BACK_MS, endMs: windowEndMs + HANDOFF_HORIZON_MS };
    const loaded = await loadSchedule(tx, record, range);
    const gaps = unplannedGaps(loaded.schedule, range)
      .filter((g) => g.endMs > nowMs)
      .map((g) => ({ ...g, disabled: disabledNamesIn(loaded.schedule, g, people) }));
    const services = await serviceStates(tx, record.id);
    if (services.length === 0) await recordUnwatchedGaps(deps, tx, record, gaps, windowEndMs, now);
    return { record, gaps, services, rangeEndMs: range.endMs };
  });
  if (!found) return "schedule-gone";
  const { record, gaps, services, rangeEndMs } = found;
  const ahead = gaps.filter((g) => g.startMs < windowEndMs);
  let raised = 0;
  let resolved = 0;
  for (const state of services) {
    // Filled, or over: no part of the reported stretch still ahead is a gap.
    const filled = state.firing.filter((reported) => {
      const stillAhead = { startMs: Math.max(reported.startMs, nowMs), endMs: reported.endMs };
      return !gaps.some((g) => overlaps(g, stillAhead));
    });
    const fresh = ahead.filter((gap) => !state.firing.some((reported) => overlaps(reported, gap)));
    if (filled.length + fresh.length === 0) continue;
    const integration = state.integration ?? (await createGapIntegration(deps, state.service));
    if (integration.disabledAt) {
      deps.logger.info({ scheduleId, serviceId: state.service.id }, "gap alerts muted: integration disabled");
      continue;
    }
    // An alert raised through an integration deleted since (or a second one made in a race) is not
    // this integration's to resolve by key (alerts are per integration): it is resolved as a record.
    await resolveRaisedElsewhere(
      deps,
      state.service,
      filled.filter((gap) => gap.alert.integrationId !== integration.id),
      now,
    );
    await ingestAlertEvents(deps, integration.id, [
      ...filled
        .filter((gap) => gap.alert.integrationId === integration.id)
        .map((gap) => gapEvent("resolve", record, gap, now, rangeEndMs)),
      ...fresh.map((gap) => gapEvent("trigger", record, gap, now, rangeEndMs)),
    ]);
    resolved += filled.length;
    raised += fresh.length;
  }
  return { gaps: ahead.length, raised, resolved, unwatched: services.length === 0 };
}

/** Resolves filled gaps whose alerts another (deleted) integration raised, each if still firing. */
async function resolveRaisedElsewhere(
  deps: AppDeps,
  service: Service,
  gaps: readonly FiringGap[],
  now: Date,
): Promise<void> {
  if (gaps.length === 0) return;
  await deps.uow.run(async (tx) => {
    for (const { alert } of gaps) {
      const current = await tx.alerts.findById(alert.id);
      if (current?.status === "firing")
        await resolveAlertRecord(tx, service, current, now, "the gap was filled");
    }
  });
}

async function serviceStates(tx: Tx, scheduleId: string): Promise<ServiceGapState[]> {
  const prefix = gapKeyPrefix(scheduleId);
  const states: ServiceGapState[] = [];
  for (const service of (await scheduleAudience(tx, scheduleId)).services) {
    const integration = (await tx.integrations.listForService(service.id)).find(
      (i) => i.kind === "webhook" && i.name === GAP_INTEGRATION_NAME,
    );
    // By key, not by integration: one raised through an integration deleted since still counts.
    const firing = (
      await tx.alerts.list({ serviceId: service.id, status: "firing", limit: FIRING_ALERTS_READ })
    )
      .filter((a) => a.dedupKey.startsWith(prefix))
      .map((alert) => ({ ...reportedGap(alert, prefix), alert }));
    states.push({ service, integration, firing });
  }
  return states;
}

/** Made by the system, like the "manual pages" integration: recorded on the audit log as such. */
function createGapIntegration(deps: AppDeps, service: Service): Promise<Integration> {
  return createIntegration(
    deps,
    { actor: GAP_ACTOR, requestId: null },
    { serviceId: service.id, kind: "webhook", name: GAP_INTEGRATION_NAME, defaultLevel: "notify" },
  );
}

/** A gap to report: its stretch, and the disabled people whose shifts it holds (by name). */
type ReportedGap = TimeRange & { readonly disabled: readonly string[] };

/** Whose shifts in `gap` are gaps because they are disabled, by name, each once. */
function disabledNamesIn(schedule: Schedule, gap: TimeRange, names: ReadonlyMap<string, string>): string[] {
  const ids = gapsWithReasons(schedule, gap).flatMap((g) => (g.userId === null ? [] : [g.userId]));
  return [...new Set(ids)].map((id) => names.get(id) ?? id);
}

/** "in 3 days", "within a day", or "now" for a gap already under way. */
function whenText(gap: TimeRange, nowMs: number): string {
  if (gap.startMs <= nowMs) return "now";
  const days = Math.floor((gap.startMs - nowMs) / DAY_MS);
  return days === 0 ? "within a day" : `in ${days} day${days === 1 ? "" : "s"}`;
}

/** "Carol is disabled", "Carol and Dan are disabled"; empty when nobody is. */
function disabledText(names: readonly string[]): string {
  if (names.length === 0) return "";
  const list =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `: ${list} ${names.length === 1 ? "is" : "are"} disabled`;
}

export function gapSummary(
  record: ScheduleRecord,
  gap: TimeRange & { readonly disabled?: readonly string[] },
  now: Date,
  rangeEndMs: number,
): string {
  const zone = record.timeZone;
  const end = gap.endMs >= rangeEndMs ? "until further notice" : `to ${formatInstant(gap.endMs, zone)}`;
  return (
    `Nobody is on call for ${record.name} from ${formatInstant(gap.startMs, zone)} ${end} ` +
    `(${whenText(gap, now.getTime())})${disabledText(gap.disabled ?? [])}`
  );
}

function gapEvent(
  action: "trigger" | "resolve",
  record: ScheduleRecord,
  gap: TimeRange & { readonly disabled?: readonly string[] },
  now: Date,
  rangeEndMs: number,
): AlertEvent {
  return {
    action,
    dedupKey: gapDedupKey(record.id, gap.startMs),
    // One incident for a schedule's open gaps where the service groups by key, not one per gap.
    groupKey: gapKeyPrefix(record.id).slice(0, -1),
    summary: gapSummary(record, gap, now, rangeEndMs),
    level: "notify",
    severity: null,
    labels: { schedule: record.name },
    details: {
      scheduleId: record.id,
      gapStart: new Date(gap.startMs).toISOString(),
      gapEnd: new Date(gap.endMs).toISOString(),
      ...(gap.disabled && gap.disabled.length > 0 && { disabled: gap.disabled.join(", ") }),
    },
    source: "firebreak schedule gap check",
    occurredAt: now,
    expiresAt: null,
    links: [],
  };
}

const UNWATCHED_ACTION = "schedule.gap_unwatched";
const AUDIT_ENTRIES_READ = 100;

/**
 * No service pages through the schedule, so no alert can be raised: each gap goes to the log and,
 * once, to the audit log (action schedule.gap_unwatched), where the schedule's history shows it.
 */
async function recordUnwatchedGaps(
  deps: AppDeps,
  tx: Tx,
  record: ScheduleRecord,
  gaps: readonly ReportedGap[],
  windowEndMs: number,
  now: Date,
): Promise<void> {
  const ahead = gaps.filter((g) => g.startMs < windowEndMs);
  if (ahead.length === 0) return;
  const recorded = new Set(
    (await tx.audit.list({ entityType: "schedule", entityId: record.id, limit: AUDIT_ENTRIES_READ }))
      .filter((e) => e.action === UNWATCHED_ACTION)
      .map((e) => (e.after as { gapStartMs?: unknown } | null)?.gapStartMs),
  );
  for (const gap of ahead) {
    deps.logger.warn(
      {
        scheduleId: record.id,
        gapStart: new Date(gap.startMs).toISOString(),
        gapEnd: new Date(gap.endMs).toISOString(),
        disabled: gap.disabled,
      },
      "on-call gap ahead, but no service's escalation policy targets this schedule: no alert raised",
    );
    if (recorded.has(gap.startMs)) continue;
    await tx.audit.record({
      at: now,
      actor: GAP_ACTOR,
      action: UNWATCHED_ACTION,
      entityType: "schedule",
      entityId: record.id,
      before: null,
      after: {
        gapStartMs: gap.startMs,
        gapEndMs: gap.endMs,
        reason: "no service's escalation policy targets this schedule, so no alert was raised",
        ...(gap.disabled.length > 0 && { disabled: gap.disabled }),
      },
      requestId: null,
    });
  }
}
