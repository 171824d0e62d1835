// What helps find the cause: the service's runbook, dashboards and links, its recent changes, and the
// incident's alerts with their labels. Graphs and traces come with a later release; their place is kept.
import { safeHref } from "../alerting-api";
import { useNow } from "../data";
import type { Diagnosis, TitledLink } from "../response-api";
import { Link } from "../router";
import { alertCountLabel, ChangeList, IncidentAlerts } from "./incident-parts";

function LinkList({ links, label }: { links: readonly TitledLink[]; label: string }) {
  const usable = links.flatMap((l) => {
    const href = safeHref(l.url);
    return href ? [{ href, title: l.title || l.url }] : [];
  });
  if (usable.length === 0) return null;
  return (
    <ul className="link-list diagnosis-links" aria-label={label}>
      {usable.map((l) => (
        <li key={l.href}>
          <a href={l.href} target="_blank" rel="noopener noreferrer">
            {l.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function DiagnosisPanel({
  diagnosis,
  serviceId,
  incidentId,
}: {
  diagnosis: Diagnosis;
  serviceId: string;
  incidentId: string;
}) {
  const now = useNow();
  const runbook = diagnosis.runbookUrl ? safeHref(diagnosis.runbookUrl) : undefined;
  const nothing = !runbook && diagnosis.dashboards.length === 0 && diagnosis.links.length === 0;
  return (
    <section className="panel" aria-labelledby="diagnosis">
      <h2 id="diagnosis">Diagnosis</h2>
      <div className="diagnosis-where">
        {runbook && (
          <a className="button button-primary" href={runbook} target="_blank" rel="noopener noreferrer">
            Open the runbook
          </a>
        )}
        <LinkList links={diagnosis.dashboards} label="Dashboards" />
        <LinkList links={diagnosis.links} label="Links" />
        {nothing && (
          <p className="muted">
            No runbook, dashboards or links for this service yet: an admin adds them under{" "}
            <Link to={`/services/${encodeURIComponent(serviceId)}`}>the service's settings</Link>.
          </p>
        )}
      </div>
      <div className="graphs-placeholder" role="note">
        <p>
          <strong>Graphs and traces</strong>: the service against its baseline, and the top, failing and
          slowest requests in the incident window, are coming with a later release.
        </p>
      </div>
      <h3 id="alerts">Alerts {alertCountLabel(diagnosis.alertCounts)}</h3>
      <IncidentAlerts
        incidentId={incidentId}
        first={diagnosis.alerts}
        counts={diagnosis.alertCounts}
        now={now}
      />
      <h3 id="changes">Recent changes</h3>
      <ChangeList changes={diagnosis.recentChanges} now={now} />
    </section>
  );
}
