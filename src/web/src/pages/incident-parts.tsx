// The body of an incident page: its timeline, its alerts, and the service's recent changes.
import { Fragment, useState } from "react";
import {
  alerting,
  LEVEL_LABEL,
  safeHref,
  type Alert,
  type AlertCounts,
  type ChangeEvent,
  type Delivery,
  type Incident,
  type Link as AlertLink,
  type TimelineEntry,
} from "../alerting-api";
import { messageOf } from "../api";
import { formatClock, formatDay, formatTime, localDay } from "../data";
import { When } from "../widgets";
import { descriptionOf, detailRows } from "./alert-details";
import { whenText } from "./escalation-when";
import { browserTimeZone } from "./schedule-time";

/** Entries that mean someone may not have been reached: they must not blend in. */
const PROBLEMS = new Set([
  "notification.failed",
  "notification.unreachable",
  "escalation.skipped",
  "escalation.exhausted",
  // A paged person's first notification rule waits: nobody is reached before its delay.
  "notification.first-rule-later",
]);
const GOOD = new Set([
  "incident.acknowledged",
  "incident.resolved",
  "notification.sent",
  "fix.verified",
  "watch.quiet",
  "public-update.posted",
]);
/** Turns in the response that the room should notice: a fix that did not hold, a rule broken on purpose. */
const SETBACKS = new Set(["fix.regression", "fix.failed", "fix.rule-overridden"]);
/** Messages that did not reach someone: what the "notification problems" count counts. */
const UNDELIVERED = new Set(["notification.failed", "notification.unreachable"]);

/** "Alice by webhook (Ops hook)": who a delivery is for and how, as the server described it. */
function deliveryTarget(d: Delivery, names: ReadonlyMap<string, string>): string {
  const who = d.recipientName ?? names.get(d.recipientId) ?? (d.recipientKind === "user" ? "someone" : "");
  const via = d.via ?? (d.recipientKind === "user" ? "a contact method" : "a channel");
  return who ? `${who} by ${via}` : via;
}

/**
 * What went wrong with paging, above the timeline: failed messages, sends still being retried after
 * an error (they turn into failures only after many minutes), and an escalation that ran out.
 */
function PagingProblems(props: {
  entries: readonly TimelineEntry[];
  deliveries: readonly Delivery[];
  names: ReadonlyMap<string, string>;
  unanswered: boolean;
}) {
  const failed = props.entries.filter((e) => UNDELIVERED.has(e.kind)).length;
  const retrying = props.deliveries.filter((d) => d.status === "pending" && d.lastError);
  const exhausted = [...props.entries].reverse().find((e) => e.kind === "escalation.exhausted");
  const outOfSteps = props.unanswered && exhausted !== undefined;
  if (failed === 0 && retrying.length === 0 && !outOfSteps) return null;
  return (
    <div className="notice notice-error">
      {failed > 0 && (
        <p>
          <strong>{failed === 1 ? "One notification failed" : `${failed} notifications failed`}</strong>{" "}
          below: someone may not have been reached.
        </p>
      )}
      {retrying.length > 0 && (
        <ul aria-label="Notifications still being retried">
          {retrying.map((d) => (
            <li key={d.id}>
              Still trying to reach {deliveryTarget(d, props.names)}: {d.lastError}
              {d.attempts > 0 && ` (${d.attempts === 1 ? "1 try" : `${d.attempts} tries`} so far)`}
            </li>
          ))}
        </ul>
      )}
      {outOfSteps && (
        <p>
          <strong>
            {exhausted.message.startsWith("No escalation policy")
              ? exhausted.message
              : "Every escalation step has paged; nobody has acknowledged."}
          </strong>
        </p>
      )}
    </div>
  );
}

/** Entries that start, move or end an escalation: the last of them says whether it ran out. */
const ESCALATION_TURNS = new Set([
  "escalation.started",
  "incident.escalated",
  "incident.reassigned",
  "incident.reopened",
  "incident.retriggered",
  "escalation.exhausted",
]);

/** Whether the incident's current escalation ran out: every step paged and none is left. */
export function escalationRanOut(entries: readonly TimelineEntry[]): boolean {
  const turns = entries.filter((e) => ESCALATION_TURNS.has(e.kind));
  // A stable sort keeps the server's order of entries written in the same instant.
  const last = [...turns].sort((a, b) => a.at.localeCompare(b.at)).at(-1);
  return last?.kind === "escalation.exhausted";
}

/**
 * The incident page's Escalation field: where paging stands and when it moves on, in the words a
 * person woken at 3 a.m. needs ("Step 1 of 2 · next step at 03:14 (in 4 min)"), never a stale step.
 */
export function escalationText(args: {
  incident: Pick<
    Incident,
    "state" | "level" | "escalation" | "escalationStep" | "escalationLoop" | "assigneeIds"
  >;
  /** When the escalation timer moves on; null: nothing pending. */
  nextEscalationAt: string | null;
  ranOut: boolean;
  nowMs: number;
  nameOf(id: string): string;
  clockOf(iso: string): string;
}): string {
  const { incident, nextEscalationAt: next } = args;
  const e = incident.escalation;
  // The snapshot taken when it opened: the service may have a policy by now, so say what happened.
  if (!e)
    return incident.state === "resolved"
      ? "None: nobody was paged (the service had no escalation policy when this opened)"
      : "None: nobody is paged (the service had no escalation policy when this opened)";
  const round = incident.escalationLoop > 0 ? `, round ${incident.escalationLoop + 1}` : "";
  const step = `${e.policyName}, step ${incident.escalationStep + 1} of ${e.steps.length}${round}`;
  if (incident.state === "resolved") return `${e.policyName} · stopped: resolved`;
  if (incident.state === "acknowledged") return `${step} · stopped: acknowledged`;
  if (incident.assigneeIds.length > 0) {
    const who = `Reassigned to ${incident.assigneeIds.map(args.nameOf).join(", ")}`;
    return next ? `${who} · ${e.policyName} resumes at ${whenText(next, args.nowMs, args.clockOf)}` : who;
  }
  if (next) {
    const isLast = incident.escalationStep >= e.steps.length - 1 && incident.escalationLoop >= e.repeatCount;
    const then = isLast ? "the last step: it runs out at" : "next step at";
    return `${step} · ${then} ${whenText(next, args.nowMs, args.clockOf)}`;
  }
  if (args.ranOut)
    return `${e.policyName}: every step was tried and nobody acknowledged (see the timeline for whom each reached)`;
  if (incident.level !== "page")
    return `${e.policyName}: nobody is paged at ${incident.level} level · Escalate pages step 1`;
  return step;
}

/** The response's own steps (triage, roles, tasks, fixes, updates), as opposed to paging traffic. */
const isResponseStep = (kind: string) => !kind.startsWith("notification.") && !kind.startsWith("escalation.");

function entryClass(entry: TimelineEntry): string {
  if (PROBLEMS.has(entry.kind)) return "timeline-entry timeline-problem";
  if (SETBACKS.has(entry.kind)) return "timeline-entry timeline-setback";
  if (GOOD.has(entry.kind)) return "timeline-entry timeline-good";
  return "timeline-entry";
}

export function Timeline({
  entries,
  names,
  omitted = 0,
  deliveries = [],
  unanswered = false,
}: {
  entries: readonly TimelineEntry[];
  names: ReadonlyMap<string, string>;
  /** "Alert added/resolved" entries the server left out (an alert storm). */
  omitted?: number;
  /** The incident's messages: those still retried after an error are shown above the timeline. */
  deliveries?: readonly Delivery[];
  /** Still triggered: an exhausted escalation still means nobody is on it. */
  unanswered?: boolean;
}) {
  const [stepsOnly, setStepsOnly] = useState(false);
  const all = [...entries].sort((a, b) => a.at.localeCompare(b.at));
  const sorted = stepsOnly ? all.filter((e) => isResponseStep(e.kind) || PROBLEMS.has(e.kind)) : all;
  return (
    <section className="panel" aria-labelledby="timeline">
      <div className="panel-head">
        <h2 id="timeline">Timeline</h2>
        <label className="choice choice-compact">
          <input type="checkbox" checked={stepsOnly} onChange={(e) => setStepsOnly(e.target.checked)} />
          <span>Hide delivered pages</span>
        </label>
      </div>
      <PagingProblems entries={all} deliveries={deliveries} names={names} unanswered={unanswered} />
      {sorted.length > 0 && <p className="muted timeline-zone">Times in {browserTimeZone()}.</p>}
      {sorted.length === 0 ? (
        <p className="muted">Nothing has happened yet.</p>
      ) : (
        <ol className="timeline">
          {sorted.map((entry, i) => (
            <li key={entry.id} className={entryClass(entry)}>
              <time dateTime={entry.at} title={formatTime(entry.at)} className="timeline-time">
                {/* A clock time alone is ambiguous once the incident crosses midnight: name the day. */}
                {localDay(entry.at) !== localDay(sorted[i - 1]?.at ?? Date.now()) && (
                  <span className="timeline-day">{formatDay(entry.at)} </span>
                )}
                {formatClock(entry.at)}
              </time>
              <div className="timeline-body">
                <p className="timeline-message">
                  {PROBLEMS.has(entry.kind) && (
                    <strong className="timeline-flag">
                      <span aria-hidden="true">⚠ </span>Problem:{" "}
                    </strong>
                  )}
                  {SETBACKS.has(entry.kind) && <span className="visually-hidden">Setback: </span>}
                  {entry.message}
                </p>
                {typeof entry.data.note === "string" && entry.data.note.trim() !== "" && (
                  <blockquote className="timeline-note">{entry.data.note}</blockquote>
                )}
                <p className="timeline-actor">
                  {entry.actor ? (names.get(entry.actor.id) ?? entry.actor.label) : "Firebreak"}
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
      {omitted > 0 && (
        <p className="muted timeline-omitted">
          {omitted.toLocaleString()} more “alert added” and “alert resolved” entries are not listed here: the
          alerts themselves are under Alerts.
        </p>
      )}
    </section>
  );
}

function Links({ links }: { links: readonly AlertLink[] }) {
  const usable = links.flatMap((l) => {
    const href = safeHref(l.href);
    return href ? [{ href, text: l.text || l.href }] : [];
  });
  if (usable.length === 0) return null;
  return (
    <ul className="link-list inline-links">
      {usable.map((l) => (
        <li key={l.href}>
          <a href={l.href} target="_blank" rel="noopener noreferrer">
            {l.text}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The rest of what the sender said, folded away: it helps the diagnosis, not the first glance. */
function SentDetails({ alert }: { alert: Alert }) {
  const rows = detailRows(alert.details);
  if (rows.length === 0) return null;
  return (
    <details className="alert-details">
      <summary>Details from the sender ({rows.length})</summary>
      <dl className="details details-compact">
        {rows.map((row) => (
          <Fragment key={row.name}>
            <dt>
              <code>{row.name}</code>
            </dt>
            <dd>{row.value}</dd>
          </Fragment>
        ))}
      </dl>
    </details>
  );
}

function AlertCard({ alert, now }: { alert: Alert; now: number }) {
  const labels = Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b));
  const description = descriptionOf(alert);
  return (
    <li className="alert-card">
      <p className="alert-summary">
        <span className={`alert-status alert-${alert.status}`}>
          {alert.status === "firing" ? "Firing" : "Resolved"}
        </span>{" "}
        <strong className="break">{alert.summary}</strong>
      </p>
      {description && <p className="alert-description break">{description}</p>}
      <SentDetails alert={alert} />
      <dl className="details details-compact">
        <dt>Level</dt>
        <dd>
          {LEVEL_LABEL[alert.level]}
          {alert.severity && ` (severity ${alert.severity})`}
          {alert.suppressed && " · suppressed by maintenance"}
        </dd>
        {alert.source && (
          <>
            <dt>Source</dt>
            <dd>{alert.source}</dd>
          </>
        )}
        <dt>Started</dt>
        <dd>
          <When iso={alert.startedAt} now={now} />
          {alert.eventCount > 1 && ` · ${alert.eventCount} events, the last ${formatTime(alert.lastEventAt)}`}
        </dd>
      </dl>
      {labels.length > 0 && (
        <ul className="labels" aria-label="Labels">
          {labels.map(([k, v]) => (
            <li key={k}>
              <code>
                {k}={v}
              </code>
            </li>
          ))}
        </ul>
      )}
      <Links links={alert.links} />
    </li>
  );
}

/** The incident's alerts, each with its labels and links. */
export function AlertList({ alerts, now }: { alerts: readonly Alert[]; now: number }) {
  if (alerts.length === 0) return <p className="muted">No alerts.</p>;
  return (
    <ul className="alert-list">
      {alerts.map((a) => (
        <AlertCard key={a.id} alert={a} now={now} />
      ))}
    </ul>
  );
}

const ALERTS_PAGE = 100;

/**
 * An incident's alerts: the first ones the page came with, and in an alert storm a button that loads
 * the next hundred, so a thousand-alert incident stays readable on a phone.
 */
export function IncidentAlerts({
  incidentId,
  first,
  counts,
  now,
}: {
  incidentId: string;
  first: readonly Alert[];
  counts: AlertCounts;
  now: number;
}) {
  const [more, setMore] = useState<Alert[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const shown = [...first, ...more];
  const loadMore = async () => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await alerting.listIncidentAlerts(incidentId, shown.length, ALERTS_PAGE);
      setMore((list) => [...list, ...page.items]);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <AlertList alerts={shown} now={now} />
      {shown.length < counts.total && (
        <div className="more-alerts">
          <p className="muted">
            Showing {shown.length.toLocaleString()} of {counts.total.toLocaleString()} alerts.
          </p>
          <button
            type="button"
            className="button-secondary"
            disabled={loading}
            onClick={() => void loadMore()}
          >
            {loading ? "Loading…" : `Show ${Math.min(ALERTS_PAGE, counts.total - shown.length)} more`}
          </button>
          {error && (
            <div className="notice notice-error" role="alert">
              <p>{error}</p>
            </div>
          )}
        </div>
      )}
    </>
  );
}

/** "(12, 9 firing)": the heading's count of an incident's alerts. */
export const alertCountLabel = (counts: AlertCounts): string =>
  counts.firing === counts.total
    ? `(${counts.total.toLocaleString()})`
    : `(${counts.total.toLocaleString()}, ${counts.firing.toLocaleString()} firing)`;

export function Alerts({
  incidentId,
  alerts,
  counts,
  now,
}: {
  incidentId: string;
  alerts: readonly Alert[];
  counts: AlertCounts;
  now: number;
}) {
  return (
    <section className="panel" aria-labelledby="alerts">
      <h2 id="alerts">Alerts {alertCountLabel(counts)}</h2>
      <IncidentAlerts incidentId={incidentId} first={alerts} counts={counts} now={now} />
    </section>
  );
}

/** The service's changes (deploys and the like) before the incident, newest first. */
export function ChangeList({ changes, now }: { changes: readonly ChangeEvent[]; now: number }) {
  if (changes.length === 0)
    return (
      <p className="muted">
        No deploys or other changes were recorded for this service in the six hours before the incident.
      </p>
    );
  return (
    <ul className="change-list">
      {changes.map((c) => (
        <li key={c.id}>
          <p>
            <strong className="break">{c.summary}</strong>
            {c.source && <span className="muted"> · {c.source}</span>}
          </p>
          <p className="muted">
            <When iso={c.occurredAt} now={now} />
          </p>
          <Links links={c.links} />
        </li>
      ))}
    </ul>
  );
}

export function RecentChanges({ changes, now }: { changes: readonly ChangeEvent[]; now: number }) {
  return (
    <section className="panel" aria-labelledby="changes">
      <h2 id="changes">Recent changes</h2>
      <ChangeList changes={changes} now={now} />
    </section>
  );
}
