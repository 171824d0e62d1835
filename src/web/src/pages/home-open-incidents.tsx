// Home's first panel: what is on fire. The open incidents, triggered before acknowledged (nobody has
// answered those yet), kept live by the same incident stream as the Incidents page.
import { useCallback, useEffect, useRef } from "react";
import { alerting, type IncidentEvent, type IncidentListItem, type IncidentState } from "../alerting-api";
import { useLoad } from "../data";
import { useIncidentStream, useLiveDownSince } from "../live";
import { Link } from "../router";
import { IncidentTable } from "./incidents";
import { LiveDownWarning, LiveIndicator, LoadState } from "../widgets";

/** As many as the list asks for; more than this reads "100 or more". */
const LOAD_LIMIT = 100;
/** Home shows the first few; the Incidents page has the rest. */
const SHOWN = 10;
/** Events arrive in bursts (an alert storm): one reload for the burst. */
const RELOAD_DELAY_MS = 250;

const STATE_RANK: Record<IncidentState, number> = { triggered: 0, acknowledged: 1, resolved: 2 };

/** Triggered first, then acknowledged; newest first within each (the server's order is kept). */
function inAnswerOrder(incidents: readonly IncidentListItem[]): IncidentListItem[] {
  return incidents
    .map((incident, index) => ({ incident, index }))
    .sort((a, b) => STATE_RANK[a.incident.state] - STATE_RANK[b.incident.state] || a.index - b.index)
    .map(({ incident }) => incident);
}

export function OpenIncidents() {
  const services = useLoad(alerting.listServices);
  // Triggered ones first, loaded on their own: with more than LOAD_LIMIT open, an old unanswered page
  // must not be crowded out by newer acknowledged ones.
  const incidents = useLoad(async () => {
    const triggered = await alerting.listIncidents({ states: ["triggered"], limit: LOAD_LIMIT });
    if (triggered.length >= LOAD_LIMIT) return triggered;
    const acknowledged = await alerting.listIncidents({
      states: ["acknowledged"],
      limit: LOAD_LIMIT - triggered.length,
    });
    return [...triggered, ...acknowledged];
  });

  // As on the Incidents page: events change rows at once, and a reload brings in new incidents.
  const refetch = useRef<number | undefined>(undefined);
  const reloadSoon = useCallback(() => {
    window.clearTimeout(refetch.current);
    refetch.current = window.setTimeout(() => void incidents.reload(), RELOAD_DELAY_MS);
  }, [incidents]);
  useEffect(() => () => window.clearTimeout(refetch.current), []);
  const onEvent = (event: IncidentEvent) => {
    incidents.set((list) =>
      list
        ?.map((i) => (i.id === event.id ? { ...i, state: event.state, title: event.title } : i))
        .filter((i) => i.state !== "resolved"),
    );
    reloadSoon();
  };
  const live = useIncidentStream(onEvent, reloadSoon);
  const downSince = useLiveDownSince(live);

  const byId = new Map((services.data ?? []).map((s) => [s.id, s]));
  const open = inAnswerOrder(incidents.data ?? []);
  const shown = open.slice(0, SHOWN);
  const total = open.length >= LOAD_LIMIT ? `${LOAD_LIMIT} or more` : String(open.length);
  const stale = Boolean(incidents.error) || live === "reconnecting" || live === "offline";

  return (
    <section className="panel" aria-labelledby="open-incidents">
      <h2 id="open-incidents">Open incidents</h2>
      {downSince !== null && (
        <LiveDownWarning
          what="this list"
          missed="New incidents and changes"
          downSince={downSince}
          loadedAt={incidents.loadedAt}
        />
      )}
      <LiveIndicator status={live} downSince={downSince} />
      <LoadState
        what="open incidents"
        loading={incidents.loading && !incidents.data}
        error={incidents.error}
      />
      {incidents.data && open.length === 0 && (
        // A failed reload keeps the last list: an empty one must not read as "all quiet" then.
        <p className="empty">
          {stale
            ? "No open incidents when this list last loaded; it may be out of date."
            : "No open incidents."}
        </p>
      )}
      {shown.length > 0 && (
        <IncidentTable
          incidents={shown}
          services={byId}
          showLevel={false}
          unknownService={services.data ? "(deleted service)" : "…"}
        />
      )}
      {open.length > shown.length && (
        <p>
          <Link to="/incidents">All {total} open incidents</Link>
        </p>
      )}
    </section>
  );
}
