// The attack plan: tasks with one owner each. The handler assigns; taking a task someone else owns
// is a handover they answer; my own tasks stand out.
import { useState, type FormEvent } from "react";
import { Field, FormError, SelectField, useSubmission } from "../forms";
import {
  handoverAwaits,
  response,
  TASK_STATE_LABEL,
  type Task,
  type TaskState,
  type WarRoom,
} from "../response-api";
import { ActionOutcome, useAction, useWarRoom, type Action } from "./war-room-context";
import { TriageFirst } from "./war-room-triage";

export const NEW_TASK_FIELD = "new-task-title";

type Mover = "owner" | "handler" | "owner-or-handler";

/** The moves the server allows, and whom for; shown only to those who may make them. */
const MOVES: ReadonlyArray<{ from: TaskState; to: TaskState; by: Mover; label: string }> = [
  { from: "open", to: "in-progress", by: "owner", label: "Start" },
  { from: "in-progress", to: "open", by: "owner", label: "Pause" },
  { from: "open", to: "done", by: "owner-or-handler", label: "Done" },
  { from: "in-progress", to: "done", by: "owner-or-handler", label: "Done" },
  { from: "open", to: "dropped", by: "handler", label: "Drop" },
  { from: "in-progress", to: "dropped", by: "handler", label: "Drop" },
  { from: "done", to: "open", by: "handler", label: "Reopen" },
  { from: "dropped", to: "open", by: "handler", label: "Reopen" },
];

const active = (task: Task) => task.state === "open" || task.state === "in-progress";

function TaskItem({ task, action }: { task: Task; action: Action }) {
  const { me, isHandler, canAct, nameOf, people, incidentId } = useWarRoom();
  const [assignTo, setAssignTo] = useState("");
  const mine = task.ownerId === me.id;
  const owner = task.ownerId ? (task.ownerName ?? nameOf(task.ownerId)) : null;
  const pending = task.pendingHandover;
  const allowed = (by: Mover) => (by === "owner" ? mine : by === "handler" ? isHandler : mine || isHandler);
  const moves = canAct ? MOVES.filter((m) => m.from === task.state && allowed(m.by)) : [];
  const say = (text: string) => `Task “${task.title}”: ${text}`;
  const move = (to: TaskState) =>
    void action.run(
      () => response.moveTask(incidentId, task.id, to),
      say(TASK_STATE_LABEL[to].toLowerCase() + "."),
    );
  const answer = (verb: "accept" | "decline" | "cancel") =>
    void action.run(
      () => response.answerTaskHandover(incidentId, task.id, verb),
      say(`handover ${verb === "accept" ? "accepted" : verb === "decline" ? "declined" : "cancelled"}.`),
    );
  const assign = (event: FormEvent) => {
    event.preventDefault();
    if (!assignTo) return;
    const ownerId = assignTo === "-" ? null : assignTo;
    const viaHandover = task.ownerId !== null && task.ownerId !== me.id && ownerId !== null;
    void action
      .run(
        () =>
          isHandler
            ? response.assignTask(incidentId, task.id, ownerId)
            : response.requestTaskHandover(incidentId, task.id, assignTo),
        viaHandover || !isHandler
          ? say(`asked to hand it to ${nameOf(assignTo)}; waiting for an answer.`)
          : say(ownerId ? `assigned to ${nameOf(ownerId)}.` : "unassigned."),
      )
      .then((ok) => ok && setAssignTo(""));
  };
  const awaited = pending ? handoverAwaits(pending) : null;
  const canOffer = canAct && active(task) && !pending && (isHandler || mine);
  const canTake = canAct && active(task) && !pending && !mine && task.ownerId !== null && !isHandler;
  const canTakeUnowned = canAct && active(task) && isHandler && task.ownerId === null;

  return (
    <li className={`task task-${task.state}${mine ? " task-mine" : ""}`}>
      <div className="task-main">
        <p className="task-title">
          <strong className="break">{task.title}</strong>
          {mine && <span className="badge badge-you">yours</span>}
        </p>
        <p className="task-meta">
          <span className={`task-state task-state-${task.state}`}>{TASK_STATE_LABEL[task.state]}</span>
          {" · "}
          {owner ? `owned by ${mine ? "you" : owner}` : <span className="warning-text">no owner</span>}
        </p>
        {pending && (
          <p className="task-pending">
            Handover to {pending.toId === me.id ? "you" : nameOf(pending.toId)} waiting for{" "}
            {awaited === me.id ? "your answer" : nameOf(awaited)}
          </p>
        )}
      </div>
      {canAct && (
        <div className="task-actions">
          {moves.map((m) => (
            <button
              key={m.to}
              type="button"
              className={m.to === "done" ? "button button-small button-primary" : "button button-small"}
              disabled={action.busy}
              onClick={() => move(m.to)}
            >
              {m.label}
              <span className="visually-hidden"> {task.title}</span>
            </button>
          ))}
          {pending && awaited === me.id && (
            <>
              <button
                type="button"
                className="button button-small button-primary"
                disabled={action.busy}
                onClick={() => answer("accept")}
              >
                Accept handover<span className="visually-hidden"> of {task.title}</span>
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={action.busy}
                onClick={() => answer("decline")}
              >
                Decline<span className="visually-hidden"> handover of {task.title}</span>
              </button>
            </>
          )}
          {pending && awaited !== me.id && (pending.requestedBy === me.id || isHandler) && (
            <button
              type="button"
              className="button button-small"
              disabled={action.busy}
              onClick={() => answer("cancel")}
            >
              Cancel handover<span className="visually-hidden"> of {task.title}</span>
            </button>
          )}
          {(canTake || canTakeUnowned) && (
            <button
              type="button"
              className="button button-small"
              disabled={action.busy}
              onClick={() =>
                void action.run(
                  () =>
                    canTakeUnowned
                      ? response.assignTask(incidentId, task.id, me.id)
                      : response.requestTaskHandover(incidentId, task.id, me.id),
                  canTakeUnowned ? say("yours now.") : say(`asked ${owner ?? ""} to hand it to you.`),
                )
              }
            >
              Take it<span className="visually-hidden"> ({task.title})</span>
            </button>
          )}
          {canOffer && (
            <form className="inline-form task-assign" onSubmit={assign}>
              <SelectField
                label={isHandler ? `Assign “${task.title}” to` : `Offer “${task.title}” to`}
                hideLabel
                value={assignTo}
                onChange={(e) => setAssignTo(e.target.value)}
                options={[
                  { value: "", label: isHandler ? "Assign to…" : "Offer to…" },
                  ...(isHandler && task.ownerId !== null ? [{ value: "-", label: "Nobody" }] : []),
                  ...people
                    .filter((p) => p.id !== task.ownerId)
                    .map((p) => ({ value: p.id, label: p.id === me.id ? `Me (${p.name})` : p.name })),
                ]}
              />
              <button type="submit" className="button button-small" disabled={action.busy || !assignTo}>
                {isHandler ? "Assign" : "Offer"}
                <span className="visually-hidden"> {task.title}</span>
              </button>
            </form>
          )}
        </div>
      )}
    </li>
  );
}

function NewTaskForm() {
  const { me, isHandler, people, incidentId, refresh } = useWarRoom();
  const [title, setTitle] = useState("");
  const [ownerId, setOwnerId] = useState("");
  const [added, setAdded] = useState<string>();
  const submission = useSubmission(["title", "ownerId"]);
  const owners = isHandler
    ? people.map((p) => ({ value: p.id, label: p.id === me.id ? `Me (${p.name})` : p.name }))
    : [{ value: me.id, label: `Me (${me.name})` }];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdded(undefined);
    void submission.run(async () => {
      const task = await response.addTask(incidentId, { title, ...(ownerId ? { ownerId } : {}) });
      setTitle("");
      // Each task gets its owner chosen anew: a kept choice would hand the next one out silently.
      setOwnerId("");
      setAdded(`Added “${task.title}”.`);
      await refresh();
    });
  };
  return (
    <form className="new-task" onSubmit={submit} noValidate>
      <FormError message={submission.error} />
      <div className="new-task-fields">
        <Field
          id={NEW_TASK_FIELD}
          label="New task"
          value={title}
          maxLength={200}
          onChange={(e) => {
            setTitle(e.target.value);
            submission.clear("title");
          }}
          error={submission.fields.title}
          placeholder="Roll back the 14:02 deploy"
          aria-keyshortcuts="t"
        />
        <SelectField
          label="Owner"
          value={ownerId}
          onChange={(e) => {
            setOwnerId(e.target.value);
            submission.clear("ownerId");
          }}
          options={[{ value: "", label: "Nobody yet" }, ...owners]}
          error={submission.fields.ownerId}
        />
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {submission.busy ? "Adding…" : "Add task"}
        </button>
      </div>
      <p role="status" className="visually-hidden">
        {added}
      </p>
    </form>
  );
}

export function TasksPanel({ room }: { room: WarRoom }) {
  const { me, canAct } = useWarRoom();
  const action = useAction();
  const current = room.tasks.filter(active);
  // Mine first, then the rest in the order they were added.
  const ordered = [...current].sort(
    (a, b) =>
      Number(b.ownerId === me.id) - Number(a.ownerId === me.id) || a.createdAt.localeCompare(b.createdAt),
  );
  const finished = room.tasks.filter((t) => !active(t));
  const mineCount = current.filter((t) => t.ownerId === me.id).length;
  return (
    <section className="panel" aria-labelledby="tasks">
      <h2 id="tasks">
        Tasks{" "}
        <span className="muted heading-count">
          {current.length} open{mineCount > 0 && `, ${mineCount} yours`}
        </span>
      </h2>
      {canAct &&
        (room.response.handlerId === null ? (
          <TriageFirst why="tasks get their owners from the Incident Handler, whom triage names." />
        ) : (
          <NewTaskForm />
        ))}
      <ActionOutcome action={action} />
      {current.length === 0 ? (
        <p className="muted">No open tasks. Split the work so nobody does the same thing twice.</p>
      ) : (
        <ul className="task-list" aria-label="Open tasks">
          {ordered.map((t) => (
            <TaskItem key={t.id} task={t} action={action} />
          ))}
        </ul>
      )}
      {finished.length > 0 && (
        <details className="finished">
          <summary>Done and dropped ({finished.length})</summary>
          <ul className="task-list" aria-label="Done and dropped tasks">
            {finished.map((t) => (
              <TaskItem key={t.id} task={t} action={action} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
