// /incidents/:number: one incident, built for a phone at 3 a.m.: what it is, the big buttons, then
// the timeline, the alerts behind it and the service's recent changes.
import { useEffect } from "react";
import { alerting, LEVEL_HELP, LEVEL_LABEL, type Incident, type IncidentDetail } from "../alerting-api";
import { api, roleAllows } from "../api";
import { formatDuration, formatTime, useLoad, useNow } from "../data";
import { Page } from "../layout";
import { useIncidentStream } from "../live";
import { Link } from "../router";
import { useUser } from "../session";
import { LoadState, StateBadge } from "../widgets";
import { IncidentActions } from "./incident-actions";
import { Alerts, RecentChanges, Timeline } from "./incident-parts";

/** While messages are still being sent, look again this often so their outcome shows up. */
const PENDING_POLL_MS = 3_000;

function escalationText(incident: Incident): string {
  const e = incident.escalation;
  if (!e) return "None: this service pages nobody";
  const round = incident.escalationLoop > 0 ? `, round ${incident.escalationLoop + 1}` : "";
  const step = `step ${incident.escalationStep + 1} of ${e.steps.length}${round}`;
  const why =
    incident.state === "acknowledged"
      ? " (stopped: acknowledged)"
      : incident.state === "resolved"
        ? " (ended)"
        : "";
  return `${e.policyName}, ${step}${why}`;
}

/** People by id, so the timeline can say who by name (the server records their email). */
export type Names = ReadonlyMap<string, string>;

/** Who did it: their name when they are a user we know, else what the timeline recorded. */
function whoDid(detail: IncidentDetail, kind: string, names: Names): string | undefined {
  const actor = [...detail.timeline].reverse().find((t) => t.kind === kind)?.actor;
  return actor ? (names.get(actor.id) ?? actor.label) : undefined;
}

function Facts({ detail, now, names }: { detail: IncidentDetail; now: number; names: Names }) {
  const { incident } = detail;
  const end = incident.resolvedAt ? new Date(incident.resolvedAt).getTime() : now;
  const duration = formatDuration(end - new Date(incident.openedAt).getTime());
  const ackBy = whoDid(detail, "incident.acknowledged", names);
  return (
    <dl className="facts">
      <div>
        <dt>State</dt>
        <dd>
          <StateBadge state={incident.state} large />
        </dd>
      </div>
      <div>
        <dt>Level</dt>
        <dd>
          {LEVEL_LABEL[incident.level]} <span className="muted">({LEVEL_HELP[incident.level]})</span>
        </dd>
      </div>
      <div>
        <dt>Service</dt>
        <dd>
          <Link to={`/services/${incident.serviceId}`}>{detail.serviceName}</Link>
        </dd>
      </div>
      <div>
        <dt>{incident.resolvedAt ? "Resolved after" : "Open for"}</dt>
        <dd>
          {duration}{" "}
          <span className="muted">
            (since <time dateTime={incident.openedAt}>{formatTime(incident.openedAt)}</time>)
          </span>
        </dd>
      </div>
      <div>
        <dt>Escalation</dt>
        <dd>{escalationText(incident)}</dd>
      </div>
      {incident.acknowledgedAt && (
        <div>
          <dt>Acknowledged</dt>
          <dd>
            {ackBy ? `by ${ackBy}, ` : ""}
            <time dateTime={incident.acknowledgedAt}>{formatTime(incident.acknowledgedAt)}</time>
          </dd>
        </div>
      )}
    </dl>
  );
}

export function IncidentPage({ reference }: { reference: string }) {
  const user = useUser();
  const now = useNow(15_000);
  const detail = useLoad(() => alerting.getIncident(reference));
  const users = useLoad(api.listUsers);
  const names: Names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const incidentId = detail.data?.incident.id;

  useIncidentStream(
    (event) => {
      if (event.id === incidentId) void detail.reload();
    },
    () => void detail.reload(),
  );

  // Messages still going out: check again shortly, so failures appear without a reload.
  const pending = detail.data?.deliveries.some((d) => d.status === "pending") ?? false;
  const { reload } = detail;
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => void reload(), PENDING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [pending, detail.data, reload]);

  if (!detail.data) {
    return (
      <Page heading={`Incident ${reference}`}>
        <LoadState what="the incident" loading={detail.loading} error={detail.error} />
        <p>
          <Link to="/incidents">All incidents</Link>
        </p>
      </Page>
    );
  }

  const { incident } = detail.data;
  const onChanged = (updated: Incident) => {
    detail.set((d) => (d ? { ...d, incident: updated } : d));
    void detail.reload();
  };

  return (
    <Page
      heading={incident.title}
      title={`INC-${incident.number} ${incident.title}`}
      eyebrow={
        <>
          <Link to="/incidents">Incidents</Link> <span aria-hidden="true">›</span>{" "}
          <span className="incident-number">INC-{incident.number}</span>
        </>
      }
    >
      <section
        className={`panel incident-head incident-head-${incident.state}`}
        aria-label="Status and actions"
      >
        <IncidentActions
          incident={incident}
          canAct={roleAllows(user.role, "responder")}
          onChanged={onChanged}
        />
        <Facts detail={detail.data} now={now} names={names} />
      </section>
      {detail.error && (
        <div className="notice notice-warning" role="status">
          <p>Could not refresh: {detail.error} The page may be out of date.</p>
        </div>
      )}
      <div className="incident-body">
        <Timeline entries={detail.data.timeline} names={names} />
        <div>
          <Alerts alerts={detail.data.alerts} now={now} />
          <RecentChanges changes={detail.data.recentChanges} now={now} />
        </div>
      </div>
    </Page>
  );
}
