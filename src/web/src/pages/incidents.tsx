// /incidents: what is open now (or resolved, or everything), by service, kept live by the stream.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  alerting,
  LEVEL_LABEL,
  type IncidentEvent,
  type IncidentListItem,
  type IncidentState,
  type Service,
} from "../alerting-api";
import { roleAllows } from "../api";
import { useLoad, useNow } from "../data";
import { SelectField } from "../forms";
import { Page } from "../layout";
import { useIncidentStream, useLiveDownSince } from "../live";
import { Link, useLocation, useNavigate } from "../router";
import { useUser } from "../session";
import { LiveDownWarning, LiveIndicator, LoadState, StateBadge, When } from "../widgets";
import { hourMinuteOf, nextPageText } from "./escalation-when";
import { serviceFilter } from "./incident-filters";
import { PageSomeoneDialog } from "./page-someone";

type Tab = "open" | "resolved" | "all";
const TABS: ReadonlyArray<{ tab: Tab; label: string; states?: IncidentState[] }> = [
  { tab: "open", label: "Open", states: ["triggered", "acknowledged"] },
  { tab: "resolved", label: "Resolved", states: ["resolved"] },
  { tab: "all", label: "All" },
];

function hrefFor(tab: Tab, service: string): string {
  const query = new URLSearchParams();
  if (tab !== "open") query.set("state", tab);
  if (service) query.set("service", service);
  const qs = query.toString();
  return `/incidents${qs ? `?${qs}` : ""}`;
}

/** What an empty list says; with a service chosen, that the filter is why the list is empty. */
function emptyText(tab: Tab, serviceName: string | undefined): string {
  if (serviceName) {
    const which = tab === "open" ? "open incidents" : tab === "resolved" ? "resolved incidents" : "incidents";
    return `No ${which} for ${serviceName}. Choose “All services” to see the others.`;
  }
  if (tab === "open") return "Nothing is open. New incidents appear here as soon as an alert opens one.";
  return tab === "resolved" ? "No resolved incidents yet." : "No incidents yet.";
}

/**
 * The incidents' rows; Home leaves out the level column. A service not (yet) known shows `unknownService`.
 * A triggered row says when its escalation pages next, counted down by `useNow`'s tick.
 */
export function IncidentTable({
  incidents,
  services,
  showLevel = true,
  unknownService = "(deleted service)",
}: {
  incidents: readonly IncidentListItem[];
  services: ReadonlyMap<string, Pick<Service, "name">>;
  showLevel?: boolean;
  unknownService?: string;
}) {
  const now = useNow();
  return (
    <table className="table incidents-table">
      <thead>
        <tr>
          <th scope="col">Incident</th>
          <th scope="col">State</th>
          <th scope="col">Next page</th>
          {showLevel && <th scope="col">Level</th>}
          <th scope="col">Service</th>
          <th scope="col">Title</th>
          <th scope="col">Opened</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((incident) => (
          <tr key={incident.id} className={`incident-row incident-${incident.state}`}>
            <th scope="row">
              <Link to={`/incidents/${incident.number}`} className="incident-ref">
                INC-{incident.number}
              </Link>
            </th>
            <td data-label="State">
              <StateBadge state={incident.state} />
            </td>
            <td data-label="Next page" className="incident-next-page">
              {nextPageText({
                incident,
                nextEscalationAt: incident.nextEscalationAt,
                nowMs: now,
                clockOf: hourMinuteOf,
              })}
            </td>
            {showLevel && (
              <td data-label="Level" className="incident-level">
                {LEVEL_LABEL[incident.level]}
              </td>
            )}
            <td data-label="Service" className="incident-service">
              {services.get(incident.serviceId)?.name ?? unknownService}
            </td>
            <td data-label="Title" className="break incident-title">
              {/* The title is what people click; keyboard and screen-reader users have INC-n, one stop a row. */}
              <Link
                to={`/incidents/${incident.number}`}
                tabIndex={-1}
                className="incident-title-link"
                title={incident.title}
              >
                {incident.title}
              </Link>
            </td>
            <td data-label="Opened" className="incident-opened">
              <When iso={incident.openedAt} now={now} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function IncidentsPage() {
  const user = useUser();
  const navigate = useNavigate();
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const tab: Tab =
    params.get("state") === "resolved" ? "resolved" : params.get("state") === "all" ? "all" : "open";
  const service = params.get("service") ?? "";
  const states = TABS.find((t) => t.tab === tab)?.states;

  const services = useLoad(alerting.listServices);
  const incidents = useLoad(() =>
    alerting.listIncidents({ states, service: service || undefined, limit: 100 }),
  );
  const [paging, setPaging] = useState(false);
  const [announcement, setAnnouncement] = useState("");

  // A new filter: load again (the first load happens on mount).
  const filterKey = `${tab}|${service}`;
  const shownKey = useRef(filterKey);
  useEffect(() => {
    if (shownKey.current === filterKey) return;
    shownKey.current = filterKey;
    void incidents.reload();
  }, [filterKey, incidents]);

  // Events update rows at once; a reload shortly after brings in new ones and whatever the event leaves out.
  const refetch = useRef<number | undefined>(undefined);
  const reloadSoon = useCallback(() => {
    window.clearTimeout(refetch.current);
    refetch.current = window.setTimeout(() => void incidents.reload(), 250);
  }, [incidents]);
  useEffect(() => () => window.clearTimeout(refetch.current), []);

  const onEvent = (event: IncidentEvent) => {
    const known = incidents.data?.some((i) => i.id === event.id) ?? false;
    if (known) {
      incidents.set((list) =>
        list?.map((i) =>
          i.id === event.id
            ? { ...i, state: event.state, title: event.title, updatedAt: event.updatedAt }
            : i,
        ),
      );
    } else if (event.state === "triggered") {
      setAnnouncement(`New incident INC-${event.number}: ${event.title}`);
    }
    reloadSoon();
  };
  const live = useIncidentStream(onEvent, reloadSoon);
  const downSince = useLiveDownSince(live);

  const byId = new Map((services.data ?? []).map((s) => [s.id, s]));
  const canPage = roleAllows(user.role, "responder");
  const filter = serviceFilter(services.data, service);
  const empty = emptyText(tab, filter.value ? byId.get(filter.value)?.name : undefined);

  return (
    <Page
      heading="Incidents"
      lead="What Firebreak opened from your alerts or from a page by hand, newest first."
    >
      <div className="toolbar">
        <nav className="tabs tabs-inline" aria-label="Incident state">
          <ul>
            {TABS.map((t) => (
              <li key={t.tab}>
                <Link to={hrefFor(t.tab, service)} aria-current={t.tab === tab ? "page" : undefined}>
                  {t.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <SelectField
          label="Service"
          value={filter.value}
          options={filter.options}
          onChange={(e) => navigate(hrefFor(tab, e.target.value), { replace: true })}
        />
        {canPage && (
          <button type="button" className="button button-primary" onClick={() => setPaging(true)}>
            Page someone
          </button>
        )}
      </div>

      <section className="panel" aria-label="Incident list">
        {downSince !== null && (
          <LiveDownWarning
            what="this list"
            missed="New incidents and changes"
            downSince={downSince}
            loadedAt={incidents.loadedAt}
          />
        )}
        <LiveIndicator status={live} downSince={downSince} />
        <p role="status" className="visually-hidden">
          {announcement}
        </p>
        <LoadState what="incidents" loading={incidents.loading && !incidents.data} error={incidents.error} />
        {incidents.data && incidents.data.length === 0 && (
          // A failed reload keeps the last list: an empty one must not read as "all quiet" then.
          <p className="empty">
            {incidents.error || live === "reconnecting" || live === "offline"
              ? "Nothing was open when this list last loaded; it may be out of date."
              : empty}
          </p>
        )}
        {incidents.data && incidents.data.length > 0 && (
          <IncidentTable incidents={incidents.data} services={byId} />
        )}
      </section>

      {canPage && (
        <PageSomeoneDialog
          open={paging}
          services={services.data ?? []}
          serviceId={filter.value || undefined}
          onCancel={() => setPaging(false)}
          onPaged={(incident) => {
            setPaging(false);
            navigate(`/incidents/${incident.number}`);
          }}
        />
      )}
    </Page>
  );
}
