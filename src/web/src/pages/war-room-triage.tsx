// Triage at acknowledge: how serious, which level, can the on-call team handle it, who else to call
// and who handles it. Also "call in" later, from the same contact directory.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { ApiError, type FieldError } from "../api";
import { FormError, SelectField, TextAreaField, useSubmission } from "../forms";
import {
  response,
  targetFromKey,
  targetKey,
  type CallInTarget,
  type Directory,
  type ImpactLevel,
  type Severity,
  type WarRoom,
} from "../response-api";
import { telHref } from "../widgets";
import { useWarRoom, type Person } from "./war-room-context";

/** A modal form on the native <dialog>, with any number of buttons; Esc cancels unless busy. */
export function FormDialog(props: {
  open: boolean;
  title: string;
  busy: boolean;
  wide?: boolean;
  onSubmit(): void;
  onCancel(): void;
  children: ReactNode;
  buttons: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { open } = props;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={props.wide ? "dialog dialog-wide" : "dialog"}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      <form
        method="dialog"
        noValidate
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          props.onSubmit();
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        <div className="dialog-body">{props.children}</div>
        <div className="actions">
          {props.buttons}
          <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Checkboxes for teams, people and vendors from the directory, with a filter for long lists. */
export function CallInPicker(props: {
  directory: Directory | undefined;
  chosen: readonly string[];
  onChange(keys: string[]): void;
  error?: string | undefined;
  legend: string;
}) {
  const [filter, setFilter] = useState("");
  const filterId = useId();
  const { directory, chosen } = props;
  if (!directory) return <p role="status">Loading the directory…</p>;
  const match = (text: string) => text.toLowerCase().includes(filter.trim().toLowerCase());
  const toggle = (key: string, on: boolean) =>
    props.onChange(on ? [...chosen, key] : chosen.filter((k) => k !== key));
  const box = (key: string, title: string, detail: ReactNode) => (
    <li key={key}>
      <label className="choice">
        <input
          type="checkbox"
          checked={chosen.includes(key)}
          onChange={(e) => toggle(key, e.target.checked)}
        />
        <span>
          {title} {detail && <span className="muted">{detail}</span>}
        </span>
      </label>
    </li>
  );
  const teams = directory.teams.filter((t) => match(t.name));
  const people = directory.people.filter((p) => match(`${p.name} ${p.email}`));
  const vendors = directory.vendors.filter((v) => match(v.name));
  const total = directory.teams.length + directory.people.length + directory.vendors.length;
  return (
    <fieldset className={props.error ? "fieldset field-invalid" : "fieldset"}>
      <legend>{props.legend}</legend>
      {total > 8 && (
        <div className="field">
          <label htmlFor={filterId}>Find in the directory</label>
          <input id={filterId} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
      )}
      {props.error && <p className="field-error">{props.error}</p>}
      <div className="call-in-groups">
        {teams.length > 0 && (
          <ul className="choice-list" aria-label="Teams">
            {teams.map((t) =>
              box(
                `team:${t.id}`,
                `Team ${t.name}`,
                `${t.members.length} ${t.members.length === 1 ? "member" : "members"}`,
              ),
            )}
          </ul>
        )}
        {people.length > 0 && (
          <ul className="choice-list" aria-label="People">
            {people.map((p) => box(`user:${p.id}`, p.name, p.phones[0]?.number ?? p.email))}
          </ul>
        )}
        {vendors.length > 0 && (
          <ul className="choice-list" aria-label="Vendors">
            {vendors.map((v) => box(`contact:${v.id}`, `${v.name} (vendor)`, v.phone ?? v.url ?? ""))}
          </ul>
        )}
        {teams.length + people.length + vendors.length === 0 && (
          <p className="muted">{total === 0 ? "The directory is empty." : "Nobody matches."}</p>
        )}
      </div>
      {vendors.some((v) => v.phone && chosen.includes(`contact:${v.id}`)) && (
        <p className="field-hint">
          Firebreak cannot page a vendor: ring them yourself.{" "}
          {vendors
            .filter((v) => v.phone && chosen.includes(`contact:${v.id}`))
            .map((v) => (
              <a key={v.id} href={telHref(v.phone ?? "")} className="phone-link">
                Call {v.name} {v.phone}
              </a>
            ))}
        </p>
      )}
    </fieldset>
  );
}

const fieldError = (path: string, message: string): FieldError => ({ path, message });

function targetsOf(keys: readonly string[]): CallInTarget[] {
  return keys.flatMap((key) => {
    const target = targetFromKey(key);
    return target ? [target] : [];
  });
}

/** People who can handle it: me first, then everyone else by name. */
function handlerOptions(people: readonly Person[], meId: string, meName: string) {
  const others = people.filter((p) => p.id !== meId).sort((a, b) => a.name.localeCompare(b.name));
  return [{ value: meId, label: `Me (${meName})` }, ...others.map((p) => ({ value: p.id, label: p.name }))];
}

interface TriageDialogProps {
  open: boolean;
  room: WarRoom;
  /** The incident is still triggered: saving the triage acknowledges it too (the server does both). */
  acknowledging: boolean;
  onTriaged(room: WarRoom | undefined): void;
  onCancel(): void;
}

export function TriageDialog(props: TriageDialogProps) {
  const { room } = props;
  const { incidentId, me, people, directory } = useWarRoom();
  const current = room.response;
  const [severity, setSeverity] = useState<Severity | "">(current.severity ?? "");
  const [level, setLevel] = useState<ImpactLevel | "">(current.level ?? "");
  const [canHandle, setCanHandle] = useState<"yes" | "no" | "">(
    current.onCallCanHandle === null ? "yes" : current.onCallCanHandle ? "yes" : "no",
  );
  const [callIn, setCallIn] = useState<string[]>([]);
  const [handlerId, setHandlerId] = useState(current.handlerId ?? me.id);
  const [note, setNote] = useState("");
  const submission = useSubmission(["severity", "level", "onCallCanHandle", "callIn", "note", "handlerId"]);
  const ids = { severity: useId(), level: useId(), handle: useId() };

  const submit = () =>
    void submission.run(async () => {
      const missing = [
        ...(severity ? [] : [fieldError("/severity", "is not chosen: how serious is it?")]),
        ...(level ? [] : [fieldError("/level", "is not chosen: what do customers see?")]),
        ...(canHandle === "no" && callIn.length === 0
          ? [fieldError("/callIn", "names nobody: choose whom to call in")]
          : []),
      ];
      if (missing.length > 0 || !severity || !level)
        throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", missing);
      const answer = await response.triage(incidentId, {
        severity,
        level,
        onCallCanHandle: canHandle !== "no",
        callIn: targetsOf(callIn),
        ...(note.trim() ? { note: note.trim() } : {}),
        handlerId,
      });
      props.onTriaged(answer);
    });

  // Whom to call in is required only when the team needs help: its error goes with the answer.
  const changeCanHandle = (answer: "yes" | "no") => {
    setCanHandle(answer);
    submission.clear("onCallCanHandle");
    submission.clear("callIn");
  };

  const f = submission.fields;
  const busy = submission.busy;
  return (
    <FormDialog
      open={props.open}
      wide
      title={`Triage INC-${room.incident.number}`}
      busy={busy}
      onSubmit={submit}
      onCancel={() => {
        submission.reset();
        props.onCancel();
      }}
      buttons={
        <button type="submit" className="button button-primary button-big" disabled={busy}>
          {submission.busy ? "Working…" : props.acknowledging ? "Triage and acknowledge" : "Save triage"}
        </button>
      }
    >
      {props.acknowledging ? (
        <p>Saving the triage also acknowledges the incident: the escalation stops.</p>
      ) : (
        room.response.triagedAt === null && (
          <p>
            <strong>Acknowledged: the escalation has stopped.</strong> Triage now, or cancel and triage later
            (key <kbd>a</kbd>).
          </p>
        )
      )}
      <p>Your answers set the playbook, the public-update duty and the proper-fix deadlines.</p>
      <FormError message={submission.error} />
      <fieldset
        className={f.severity ? "fieldset field-invalid" : "fieldset"}
        aria-describedby={ids.severity}
      >
        <legend>How serious is it?</legend>
        {f.severity && (
          <p className="field-error" id={ids.severity}>
            Severity {f.severity}
          </p>
        )}
        <div className="choice-cards">
          {room.severities.map((s) => (
            <label key={s.id} className="choice choice-card">
              <input
                type="radio"
                name="severity"
                value={s.id}
                checked={severity === s.id}
                onChange={() => {
                  setSeverity(s.id);
                  submission.clear("severity");
                }}
              />
              <span>
                <strong>
                  {s.id} · {s.title}
                </strong>
                <span className="choice-hint">{s.meaning}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className={f.level ? "fieldset field-invalid" : "fieldset"} aria-describedby={ids.level}>
        <legend>Which level? What do customers see?</legend>
        {f.level && (
          <p className="field-error" id={ids.level}>
            Level {f.level}
          </p>
        )}
        <div className="choice-cards">
          {room.levels.map((l) => (
            <label key={l.id} className="choice choice-card">
              <input
                type="radio"
                name="level"
                value={l.id}
                checked={level === l.id}
                onChange={() => {
                  setLevel(l.id);
                  submission.clear("level");
                }}
              />
              <span>
                <strong>{l.title}</strong>
                <span className="choice-hint">{l.definition}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="fieldset" aria-describedby={ids.handle}>
        <legend>Can the on-call team handle it?</legend>
        <div className="choice-row">
          <label className="choice">
            <input
              type="radio"
              name="can-handle"
              checked={canHandle === "yes"}
              onChange={() => changeCanHandle("yes")}
            />
            <span>Yes, we can handle it</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="can-handle"
              checked={canHandle === "no"}
              onChange={() => changeCanHandle("no")}
            />
            <span>No, we need help</span>
          </label>
        </div>
        <p className="field-hint" id={ids.handle}>
          If not, call in people, a team or a vendor below: people and teams are paged through their
          notification rules.
        </p>
      </fieldset>
      <CallInPicker
        legend={canHandle === "no" ? "Who else to call (at least one)" : "Who else to call (optional)"}
        directory={directory}
        chosen={callIn}
        onChange={(keys) => {
          setCallIn(keys);
          submission.clear("callIn");
        }}
        error={f.callIn ? `Who to call ${f.callIn}` : undefined}
      />
      <SelectField
        label="Incident Handler"
        value={handlerId}
        onChange={(e) => {
          setHandlerId(e.target.value);
          submission.clear("handlerId");
        }}
        options={handlerOptions(people, me.id, me.name)}
        error={f.handlerId}
        hint="Exactly one person leads the response. You, unless you name someone else."
      />
      <TextAreaField
        label="Note (optional)"
        rows={2}
        value={note}
        onChange={(e) => {
          setNote(e.target.value);
          submission.clear("note");
        }}
        error={f.note}
      />
    </FormDialog>
  );
}

/** "Call in" after triage: page more people or teams, or note a vendor to ring. */
/**
 * In place of a form that needs an Incident Handler (tasks, fixes) before triage named one: a short line
 * and a button that opens triage right here, instead of a form that could only be refused on submit.
 */
export function TriageFirst({ why }: { why: string }) {
  const { room, refresh } = useWarRoom();
  const [open, setOpen] = useState(false);
  // Over: triaging now would only rewrite history, so it is not offered.
  if (room.incident.state === "resolved")
    return (
      <p className="muted triage-first">
        <strong>Not triaged</strong> before it was resolved: {why}
      </p>
    );
  return (
    <div className="triage-first">
      <p>
        <strong>Triage first:</strong> {why}
      </p>
      <button type="button" className="button button-small button-primary" onClick={() => setOpen(true)}>
        Triage now
      </button>
      {open && (
        <TriageDialog
          open
          room={room}
          acknowledging={room.incident.state === "triggered"}
          onTriaged={() => {
            setOpen(false);
            void refresh();
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </div>
  );
}

export function CallInDialog(props: { open: boolean; onDone(message: string): void; onCancel(): void }) {
  const { incidentId, directory } = useWarRoom();
  const [chosen, setChosen] = useState<string[]>([]);
  const submission = useSubmission(["targets"]);
  const names = useMemo(() => namesOfTargets(directory), [directory]);
  const submit = () =>
    void submission.run(async () => {
      if (chosen.length === 0)
        throw new ApiError(400, "VALIDATION", "Choose at least one person, team or vendor to call in.");
      await response.callIn(incidentId, targetsOf(chosen));
      const who = chosen.map((k) => names.get(k) ?? k).join(", ");
      setChosen([]);
      props.onDone(`Calling in ${who}.`);
    });
  return (
    <FormDialog
      open={props.open}
      title="Call in help"
      busy={submission.busy}
      onSubmit={submit}
      onCancel={() => {
        submission.reset();
        props.onCancel();
      }}
      buttons={
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {submission.busy ? "Working…" : "Call them in"}
        </button>
      }
    >
      <p>People and teams are paged now through their notification rules; they see this incident.</p>
      <FormError message={submission.error} />
      <CallInPicker
        legend="Whom to call in"
        directory={directory}
        chosen={chosen}
        onChange={(keys) => {
          setChosen(keys);
          submission.clear("targets");
        }}
        error={submission.fields.targets}
      />
    </FormDialog>
  );
}

/** "team:abc" → "Team Storage", for messages after a call-in. */
function namesOfTargets(directory: Directory | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const t of directory?.teams ?? [])
    names.set(targetKey({ kind: "team", teamId: t.id }), `team ${t.name}`);
  for (const p of directory?.people ?? []) names.set(targetKey({ kind: "user", userId: p.id }), p.name);
  for (const v of directory?.vendors ?? [])
    names.set(targetKey({ kind: "contact", contactId: v.id }), v.name);
  return names;
}
