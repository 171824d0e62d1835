// /follow-ups: the report of half-done fixes. Every hotfix leaves a proper fix to do by a deadline;
// this lists them until someone closes them, the overdue ones marked.
import { useEffect, useRef, useState } from "react";
import { messageOf, roleAllows } from "../api";
import { formatTime, useLoad, useNow } from "../data";
import { Page } from "../layout";
import { response, type FollowUp } from "../response-api";
import { Link, useLocation } from "../router";
import { useUser } from "../session";
import { LoadState, OutcomeNotice, When, type Outcome } from "../widgets";
import "../war-room.css";

type Tab = "open" | "overdue" | "all";
const TABS: ReadonlyArray<{ tab: Tab; label: string }> = [
  { tab: "open", label: "Open" },
  { tab: "overdue", label: "Overdue" },
  { tab: "all", label: "All" },
];

const STATE_TEXT: Record<FollowUp["state"], string> = { open: "Open", done: "Done", cancelled: "Cancelled" };

export function FollowUpsPage() {
  const user = useUser();
  const now = useNow();
  const { search } = useLocation();
  const asked = new URLSearchParams(search).get("state");
  const tab: Tab = asked === "overdue" || asked === "all" ? asked : "open";
  const list = useLoad(() => response.followUps(tab));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const canAct = roleAllows(user.role, "responder");

  // Another tab: load again (the first load happens on mount).
  const shown = useRef(tab);
  useEffect(() => {
    if (shown.current === tab) return;
    shown.current = tab;
    void list.reload();
  }, [tab, list]);

  const close = async (f: FollowUp, state: "done" | "cancelled") => {
    setBusy(true);
    setOutcome(undefined);
    try {
      await response.closeFollowUp(f.incidentId, f.fixNumber, state);
      setOutcome({
        kind: "success",
        text: `INC-${f.incidentNumber}, hotfix #${f.fixNumber}: ${state === "done" ? "proper fix done" : "cancelled"}.`,
      });
      await list.reload();
    } catch (err) {
      setOutcome({ kind: "error", text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const rows = [...(list.data ?? [])].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return (
    <Page
      heading="Follow-ups"
      lead="Half-done fixes: each hotfix leaves a proper fix to ship by a deadline set by the incident's level. The soonest deadline comes first."
    >
      <nav className="tabs" aria-label="Follow-ups">
        <ul>
          {TABS.map((t) => (
            <li key={t.tab}>
              <Link
                to={t.tab === "open" ? "/follow-ups" : `/follow-ups?state=${t.tab}`}
                aria-current={t.tab === tab ? "page" : undefined}
              >
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <OutcomeNotice outcome={outcome} />
      <section className="panel" aria-label="Follow-up list">
        <LoadState what="follow-ups" loading={list.loading && !list.data} error={list.error} />
        {list.data && rows.length === 0 && (
          <p className="empty">
            {tab === "overdue"
              ? "Nothing is overdue."
              : tab === "open"
                ? "No open follow-ups."
                : "No follow-ups yet."}
          </p>
        )}
        {rows.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Hotfix</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">State</th>
                {canAct && <th scope="col">Close</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((f) => {
                const overdue = f.state === "open" && (f.overdue || new Date(f.dueAt).getTime() < now);
                return (
                  <tr key={`${f.incidentId}#${f.fixNumber}`} className={overdue ? "row-overdue" : undefined}>
                    <th scope="row">
                      <Link to={`/incidents/${f.incidentNumber}`}>INC-{f.incidentNumber}</Link>
                      {f.incidentTitle && <span className="muted break"> {f.incidentTitle}</span>}
                    </th>
                    <td data-label="Hotfix">#{f.fixNumber}</td>
                    <td data-label="Owner">{f.ownerId === user.id ? "You" : f.ownerName}</td>
                    <td data-label="Due">
                      {overdue && <strong className="overdue-mark">Overdue </strong>}
                      <time dateTime={f.dueAt} title={formatTime(f.dueAt)}>
                        {formatTime(f.dueAt)}
                      </time>{" "}
                      <span className="muted">
                        (<When iso={f.dueAt} now={now} />)
                      </span>
                    </td>
                    <td data-label="State">{STATE_TEXT[f.state]}</td>
                    {canAct && (
                      <td className="row-actions">
                        {f.state === "open" && (
                          <>
                            <button
                              type="button"
                              className="button button-small"
                              disabled={busy}
                              onClick={() => void close(f, "done")}
                            >
                              Done
                              <span className="visually-hidden">
                                {" "}
                                INC-{f.incidentNumber} hotfix #{f.fixNumber}
                              </span>
                            </button>
                            <button
                              type="button"
                              className="button button-small button-quiet"
                              disabled={busy}
                              onClick={() => void close(f, "cancelled")}
                            >
                              Not needed
                              <span className="visually-hidden">
                                {" "}
                                INC-{f.incidentNumber} hotfix #{f.fixNumber}
                              </span>
                            </button>
                          </>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </Page>
  );
}
