// /my-tasks: the open tasks I own across every incident, grouped by incident, with the moves I can
// make from here (start, pause, done). Tasks of resolved incidents are left out unless asked for, then
// listed last and marked: the incident is over, so their work may be moot.
import { useState } from "react";
import { messageOf, request } from "../api";
import { useLoad, useNow } from "../data";
import { Page } from "../layout";
import { useIncidentStream } from "../live";
import { response, TASK_STATE_LABEL, type MyTask, type TaskState } from "../response-api";
import { Link } from "../router";
import { LoadState, OutcomeNotice, When, type Outcome } from "../widgets";
import "../war-room.css";

/** A task with its incident's state: GET /me/tasks?includeResolved=true. */
interface MyTaskAcrossIncidents extends MyTask {
  incidentResolved: boolean;
  incidentResolvedAt: string | null;
}

// Every open task, so the page can say how many of resolved incidents it leaves out.
const loadMyTasks = () => request<MyTaskAcrossIncidents[]>("GET", "/api/v1/me/tasks?includeResolved=true");

const MOVES: Partial<Record<TaskState, ReadonlyArray<{ to: TaskState; label: string }>>> = {
  open: [
    { to: "in-progress", label: "Start" },
    { to: "done", label: "Done" },
  ],
  "in-progress": [
    { to: "open", label: "Pause" },
    { to: "done", label: "Done" },
  ],
};

function byIncident(tasks: readonly MyTaskAcrossIncidents[]): MyTaskAcrossIncidents[][] {
  const groups = new Map<string, MyTaskAcrossIncidents[]>();
  for (const t of tasks) groups.set(t.incidentId, [...(groups.get(t.incidentId) ?? []), t]);
  return [...groups.values()].sort((a, b) => (b[0]?.incidentNumber ?? 0) - (a[0]?.incidentNumber ?? 0));
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function MyTasksPage() {
  const now = useNow();
  const tasks = useLoad(loadMyTasks);
  const [busy, setBusy] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [showResolved, setShowResolved] = useState(false);
  useIncidentStream(
    () => void tasks.reload(),
    () => void tasks.reload(),
  );
  const all = tasks.data ?? [];
  const current = all.filter((t) => !t.incidentResolved);
  const ofResolved = all.filter((t) => t.incidentResolved);

  const move = async (task: MyTask, to: TaskState) => {
    setBusy(task.id);
    setOutcome(undefined);
    try {
      await response.moveTask(task.incidentId, task.id, to);
      setOutcome({ kind: "success", text: `“${task.title}”: ${TASK_STATE_LABEL[to].toLowerCase()}.` });
      await tasks.reload();
    } catch (err) {
      setOutcome({ kind: "error", text: messageOf(err) });
    } finally {
      setBusy(undefined);
    }
  };

  const group = (tasksOfOne: MyTaskAcrossIncidents[]) => {
    const first = tasksOfOne[0];
    if (!first) return null;
    const resolved = first.incidentResolved;
    return (
      <section key={first.incidentId} className="panel" aria-labelledby={`inc-${first.incidentId}`}>
        <h2 id={`inc-${first.incidentId}`}>
          <Link to={`/incidents/${first.incidentNumber}`}>INC-{first.incidentNumber}</Link>{" "}
          <span className="break">{first.incidentTitle}</span>
          {resolved && (
            <>
              {" "}
              <span className="badge badge-quiet">Incident resolved</span>
            </>
          )}
        </h2>
        {resolved && (
          <p className="muted">
            {first.incidentResolvedAt ? (
              <>
                Resolved <When iso={first.incidentResolvedAt} now={now} />.
              </>
            ) : (
              "Resolved."
            )}{" "}
            Check before doing these: the work may no longer be needed, and the war room no longer changes its
            tasks.
          </p>
        )}
        <ul className="task-list">
          {tasksOfOne.map((t) => (
            <li key={t.id} className={`task task-${t.state}${resolved ? "" : " task-mine"}`}>
              <div className="task-main">
                <p className="task-title">
                  <strong className="break">{t.title}</strong>
                </p>
                <p className="task-meta">
                  <span className={`task-state task-state-${t.state}`}>{TASK_STATE_LABEL[t.state]}</span> ·
                  updated <When iso={t.updatedAt} now={now} />
                </p>
                {t.pendingHandover && <p className="task-pending">A handover of this task is pending.</p>}
              </div>
              {!resolved && (
                <div className="task-actions">
                  {(MOVES[t.state] ?? []).map((m) => (
                    <button
                      key={m.to}
                      type="button"
                      className={
                        m.to === "done" ? "button button-small button-primary" : "button button-small"
                      }
                      disabled={busy !== undefined}
                      onClick={() => void move(t, m.to)}
                    >
                      {m.label}
                      <span className="visually-hidden"> {t.title}</span>
                    </button>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>
    );
  };

  return (
    <Page
      heading="My tasks"
      lead="The open tasks you own in open incidents. The newest incident comes first."
    >
      <OutcomeNotice outcome={outcome} />
      <LoadState what="your tasks" loading={tasks.loading && !tasks.data} error={tasks.error} />
      {tasks.data && current.length === 0 && (
        <section className="panel">
          <p className="empty">You have no open tasks. Tasks the Incident Handler gives you show up here.</p>
        </section>
      )}
      {byIncident(current).map(group)}
      {ofResolved.length > 0 && (
        <p>
          <button
            type="button"
            className="link-button"
            aria-expanded={showResolved}
            onClick={() => setShowResolved((shown) => !shown)}
          >
            {showResolved
              ? "Hide the tasks of resolved incidents"
              : `Show ${plural(ofResolved.length, "task", "tasks")} of resolved incidents`}
          </button>
        </p>
      )}
      {showResolved && byIncident(ofResolved).map(group)}
    </Page>
  );
}
