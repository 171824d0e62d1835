// /my-tasks: the open tasks I own across every incident, grouped by incident, with the moves I can
// make from here (start, pause, done).
import { useState } from "react";
import { messageOf } from "../api";
import { useLoad, useNow } from "../data";
import { Page } from "../layout";
import { useIncidentStream } from "../live";
import { response, TASK_STATE_LABEL, type MyTask, type TaskState } from "../response-api";
import { Link } from "../router";
import { LoadState, OutcomeNotice, When, type Outcome } from "../widgets";
import "../war-room.css";

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

function byIncident(tasks: readonly MyTask[]): MyTask[][] {
  const groups = new Map<string, MyTask[]>();
  for (const t of tasks) groups.set(t.incidentId, [...(groups.get(t.incidentId) ?? []), t]);
  return [...groups.values()].sort((a, b) => (b[0]?.incidentNumber ?? 0) - (a[0]?.incidentNumber ?? 0));
}

export function MyTasksPage() {
  const now = useNow();
  const tasks = useLoad(response.myTasks);
  const [busy, setBusy] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  useIncidentStream(
    () => void tasks.reload(),
    () => void tasks.reload(),
  );

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

  return (
    <Page
      heading="My tasks"
      lead="The open tasks you own, in every incident. The newest incident comes first."
    >
      <OutcomeNotice outcome={outcome} />
      <LoadState what="your tasks" loading={tasks.loading && !tasks.data} error={tasks.error} />
      {tasks.data && tasks.data.length === 0 && (
        <section className="panel">
          <p className="empty">You have no open tasks. Tasks the Incident Handler gives you show up here.</p>
        </section>
      )}
      {byIncident(tasks.data ?? []).map((group) => {
        const first = group[0];
        if (!first) return null;
        return (
          <section key={first.incidentId} className="panel" aria-labelledby={`inc-${first.incidentId}`}>
            <h2 id={`inc-${first.incidentId}`}>
              <Link to={`/incidents/${first.incidentNumber}`}>INC-{first.incidentNumber}</Link>{" "}
              <span className="break">{first.incidentTitle}</span>
            </h2>
            <ul className="task-list">
              {group.map((t) => (
                <li key={t.id} className={`task task-${t.state} task-mine`}>
                  <div className="task-main">
                    <p className="task-title">
                      <strong className="break">{t.title}</strong>
                    </p>
                    <p className="task-meta">
                      <span className={`task-state task-state-${t.state}`}>{TASK_STATE_LABEL[t.state]}</span>{" "}
                      · updated <When iso={t.updatedAt} now={now} />
                    </p>
                    {t.pendingHandover && <p className="task-pending">A handover of this task is pending.</p>}
                  </div>
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
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </Page>
  );
}
