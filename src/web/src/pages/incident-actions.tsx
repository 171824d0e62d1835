// The incident's buttons: acknowledge, resolve, escalate, reassign, with a, r and e on the keyboard.
import { useEffect, useRef, useState } from "react";
import { alerting, type Incident, type IncidentVerb } from "../alerting-api";
import { api, messageOf, type User } from "../api";
import { ConfirmDialog } from "../dialog";
import { FormError, useSubmission } from "../forms";

const KEYS: Record<string, IncidentVerb> = { a: "acknowledge", r: "resolve", e: "escalate" };

const DONE: Record<IncidentVerb, string> = {
  acknowledge: "Acknowledged. The escalation has stopped; you are handling it.",
  resolve: "Resolved.",
  escalate: "Escalated: the next step is being paged now.",
};

/** Keys typed into a field, with a modifier, or while a dialog is open are not shortcuts. */
function isShortcut(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return false;
  const target = event.target as HTMLElement | null;
  if (target?.closest("input, textarea, select, [contenteditable='true'], dialog")) return false;
  return document.querySelector("dialog[open]") === null;
}

function ReassignDialog(props: {
  open: boolean;
  incident: Incident;
  onDone(incident: Incident): void;
  onCancel(): void;
}) {
  const [users, setUsers] = useState<User[]>();
  const [chosen, setChosen] = useState<string[]>([]);
  const submission = useSubmission(["userIds"]);
  const { open } = props;

  useEffect(() => {
    if (!open) return;
    setChosen([]);
    api
      .listUsers()
      .then((list) => setUsers(list.filter((u) => !u.disabledAt)))
      .catch(() => setUsers([]));
  }, [open]);

  const confirm = () => {
    void submission.run(async () => {
      if (chosen.length === 0) throw new Error("Choose at least one person to page.");
      props.onDone(await alerting.reassign(String(props.incident.number), chosen));
    });
  };
  const toggle = (id: string, on: boolean) =>
    setChosen((list) => (on ? [...list, id] : list.filter((x) => x !== id)));

  return (
    <ConfirmDialog
      open={open}
      title={`Reassign INC-${props.incident.number}`}
      confirmLabel="Page them now"
      busy={submission.busy}
      onConfirm={confirm}
      onCancel={() => {
        submission.reset();
        props.onCancel();
      }}
    >
      <p>
        The people you choose are paged now instead of the current step. If none of them acknowledges, the
        escalation policy carries on.
      </p>
      <FormError message={submission.error} />
      {users === undefined ? (
        <p role="status">Loading people…</p>
      ) : (
        <fieldset className="choice-list">
          <legend>Who to page</legend>
          {users.map((u) => (
            <label key={u.id} className="choice">
              <input
                type="checkbox"
                checked={chosen.includes(u.id)}
                onChange={(e) => toggle(u.id, e.target.checked)}
              />
              <span>
                {u.name} <span className="muted">{u.email}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
    </ConfirmDialog>
  );
}

interface ActionBarProps {
  incident: Incident;
  canAct: boolean;
  onChanged(incident: Incident): void;
}

export function IncidentActions({ incident, canAct, onChanged }: ActionBarProps) {
  const [busy, setBusy] = useState<IncidentVerb | "reassign">();
  const [message, setMessage] = useState<{ kind: "success" | "error"; text: string }>();
  const [reassigning, setReassigning] = useState(false);
  const open = incident.state !== "resolved";
  const allowed: Record<IncidentVerb, boolean> = {
    acknowledge: canAct && incident.state === "triggered",
    resolve: canAct && open,
    escalate: canAct && open && incident.escalation !== null,
  };

  const act = async (verb: IncidentVerb) => {
    if (busy || !allowed[verb]) return;
    setBusy(verb);
    setMessage(undefined);
    try {
      onChanged(await alerting.actOnIncident(String(incident.number), verb));
      setMessage({ kind: "success", text: DONE[verb] });
    } catch (err) {
      setMessage({ kind: "error", text: messageOf(err) });
    } finally {
      setBusy(undefined);
    }
  };

  const actRef = useRef(act);
  useEffect(() => {
    actRef.current = act;
  });
  useEffect(() => {
    if (!canAct) return;
    const onKey = (event: KeyboardEvent) => {
      const verb = KEYS[event.key.toLowerCase()];
      if (!verb || !isShortcut(event)) return;
      event.preventDefault();
      void actRef.current(verb);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canAct]);

  if (!canAct) {
    return <p className="muted">You are signed in as a viewer: responders and admins act on incidents.</p>;
  }

  const button = (verb: IncidentVerb, label: string, key: string, primary = false) =>
    allowed[verb] && (
      <button
        type="button"
        className={`button button-big${primary ? " button-primary" : ""}`}
        aria-keyshortcuts={key}
        disabled={busy !== undefined}
        onClick={() => void act(verb)}
      >
        {busy === verb ? "Working…" : label}
      </button>
    );

  return (
    <div className="incident-actions">
      {open ? (
        <div className="action-bar">
          {button("acknowledge", "Acknowledge", "a", true)}
          {button("resolve", "Resolve", "r", incident.state === "acknowledged")}
          {button("escalate", "Escalate", "e")}
          <button
            type="button"
            className="button button-big"
            disabled={busy !== undefined}
            onClick={() => setReassigning(true)}
          >
            Reassign
          </button>
        </div>
      ) : (
        <p className="muted">This incident is resolved. A new alert for it may reopen it.</p>
      )}
      {open && (
        <p className="shortcut-hint">
          Keys:{" "}
          {allowed.acknowledge && (
            <>
              <kbd>a</kbd> acknowledge ·{" "}
            </>
          )}
          <kbd>r</kbd> resolve
          {allowed.escalate && (
            <>
              {" "}
              · <kbd>e</kbd> escalate
            </>
          )}
        </p>
      )}
      <div role={message?.kind === "error" ? "alert" : "status"}>
        {message && (
          <div className={`notice notice-${message.kind}`}>
            <p>{message.text}</p>
          </div>
        )}
      </div>
      <ReassignDialog
        open={reassigning}
        incident={incident}
        onCancel={() => setReassigning(false)}
        onDone={(updated) => {
          setReassigning(false);
          onChanged(updated);
          setMessage({ kind: "success", text: "Reassigned: the people you chose are being paged now." });
        }}
      />
    </div>
  );
}
