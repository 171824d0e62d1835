// The incident's big buttons: acknowledge (at once, then triage is offered), triage, resolve, escalate,
// call in and reassign; the keyboard shortcuts and their help. Acknowledging never waits on a form: a
// cancelled triage must not leave the next step to be paged. A resolved incident's: incident-resolved.tsx.
import { useEffect, useState } from "react";
import { alerting, type Incident, type IncidentVerb } from "../alerting-api";
import { api, messageOf, request, type User } from "../api";
import { ConfirmDialog } from "../dialog";
import { FormError, useSubmission } from "../forms";
import { IMPACT_LABEL, type WarRoom } from "../response-api";
import { OutcomeNotice, type Outcome } from "../widgets";
import { ResolvedActions } from "./incident-resolved";
import { ShortcutHelp, useShortcuts, type Shortcut } from "./war-room-shortcuts";
import { CallInDialog, TriageDialog } from "./war-room-triage";

const DONE: Record<IncidentVerb, string> = {
  acknowledge: "Acknowledged: the escalation has stopped.",
  resolve: "Resolved.",
  escalate: "Escalated: the next step is being paged now.",
};

/** Acknowledging names no handler; the banner must not claim a role the strip says nobody has. */
const doneText = (verb: IncidentVerb, room: WarRoom | undefined): string =>
  verb === "acknowledge" && room && !room.response.handlerId
    ? `${DONE.acknowledge} Triage names an Incident Handler.`
    : DONE[verb];

/** A status-page incident this incident's public updates opened (GET …/status-page-incidents). */
interface StatusPageIncident {
  pageId: string;
  pageTitle: string;
  statusIncidentId: string;
  name: string;
  status: "investigating" | "identified" | "monitoring" | "resolved";
}

const statusPageIncidents = (ref: string) =>
  request<StatusPageIncident[]>("GET", `/api/v1/incidents/${encodeURIComponent(ref)}/status-page-incidents`);

/** What resolving does to the status pages whose incident of this one is still open (their titles). */
export function statusPageNote(openOn: readonly string[]): string | undefined {
  if (openOn.length === 0) return undefined;
  return openOn.length === 1
    ? `The status page's incident is marked resolved too (${openOn[0]}).`
    : `The status pages' incidents are marked resolved too (${openOn.join(", ")}).`;
}

/**
 * What the Resolve confirmation says resolving does. Closing a monitoring alert may silence its sender
 * for hours; a page by hand has no sender to fall silent, and an acknowledged incident pages nobody.
 */
export function resolveConfirmText(args: {
  state: Incident["state"];
  firingAlerts: number;
  totalAlerts: number;
  /** Every alert came from "Page someone": a person opened it, no monitoring sends for it. */
  pagedByHand: boolean;
}): string {
  const closes =
    args.state === "triggered" ? "Paging stops and the incident closes." : "The incident closes.";
  if (args.pagedByHand)
    return `${closes} It was opened by hand (Page someone): if the problem comes back, reopen it.`;
  if (args.firingAlerts > 0) {
    const alerts =
      args.firingAlerts === 1 ? "Its firing alert is" : `Its ${args.firingAlerts} firing alerts are`;
    return `${closes} ${alerts} marked resolved too; if the problem is still there, the sender may not alert again for hours.`;
  }
  if (args.totalAlerts > 0)
    return `${closes} ${args.totalAlerts === 1 ? "Its alert has" : "Its alerts have all"} resolved already.`;
  return closes;
}

/** What resolving or escalating does, asked before it happens: a stray key must not end a live page. */
function VerbConfirm(props: {
  verb: "resolve" | "escalate" | undefined;
  incident: Incident;
  firingAlerts: number;
  totalAlerts: number;
  pagedByHand: boolean;
  /** Titles of the status pages whose incident of this one is open: resolving resolves it there too. */
  openOnStatusPages: readonly string[];
  busy: boolean;
  onConfirm(verb: "resolve" | "escalate"): void;
  onCancel(): void;
}) {
  const { verb, incident } = props;
  const statusPages = verb === "resolve" ? statusPageNote(props.openOnStatusPages) : undefined;
  const ref = `INC-${incident.number}`;
  const policy = incident.escalation?.policyName ?? "the escalation policy";
  return (
    <ConfirmDialog
      open={verb !== undefined}
      title={verb === "escalate" ? `Escalate ${ref}?` : `Resolve ${ref}?`}
      confirmLabel={verb === "escalate" ? "Page the next step" : "Resolve"}
      busy={props.busy}
      onConfirm={() => verb && props.onConfirm(verb)}
      onCancel={props.onCancel}
    >
      {verb === "escalate" ? (
        <p>The next step of {policy} is paged now.</p>
      ) : (
        <p>
          {resolveConfirmText({
            state: incident.state,
            firingAlerts: props.firingAlerts,
            totalAlerts: props.totalAlerts,
            pagedByHand: props.pagedByHand,
          })}
        </p>
      )}
      {statusPages && <p>{statusPages}</p>}
    </ConfirmDialog>
  );
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
  // A changed choice takes back the last refusal ("Choose at least one person"), as a corrected field does.
  const toggle = (id: string, on: boolean) => {
    submission.reset();
    setChosen((list) => (on ? [...list, id] : list.filter((x) => x !== id)));
  };

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
  /** The response data, when the server gave it: after Acknowledge, triage is offered. */
  room: WarRoom | undefined;
  /** Alerts still firing: resolving marks them resolved, which the confirmation says. */
  firingAlerts: number;
  totalAlerts: number;
  /** Opened by "Page someone" alone: no monitoring sender, which the confirmation must not warn about. */
  pagedByHand: boolean;
  /** The Resolve confirmation is open (also opened from the war room's "quiet watch" banner). */
  confirmResolve: boolean;
  onConfirmResolve(open: boolean): void;
  onChanged(incident: Incident): void;
  /** Reload the room after a change made here (triage, call-in). */
  onRefresh(): void;
  /** The war room's other keys (new task, log fix, public update). */
  moreShortcuts: readonly Shortcut[];
}

type Busy = IncidentVerb | "reassign" | undefined;
type Dialog = "triage" | "call-in" | "reassign" | "escalate" | "help" | undefined;

export function IncidentActions({
  incident,
  canAct,
  room,
  firingAlerts,
  totalAlerts,
  pagedByHand,
  confirmResolve,
  onConfirmResolve,
  onChanged,
  onRefresh,
  moreShortcuts,
}: ActionBarProps) {
  const [busy, setBusy] = useState<Busy>();
  const [message, setMessage] = useState<Outcome>();
  const [dialog, setDialog] = useState<Dialog>();
  const open = incident.state !== "resolved";
  const untriaged = room !== undefined && room.response.triagedAt === null;
  const allowed: Record<IncidentVerb, boolean> = {
    acknowledge: canAct && incident.state === "triggered",
    resolve: canAct && open,
    escalate: canAct && open && incident.escalation !== null,
  };
  const canTriage = canAct && open && room !== undefined;

  const act = async (verb: IncidentVerb) => {
    if (busy || !allowed[verb]) return;
    setBusy(verb);
    setMessage(undefined);
    try {
      onChanged(await alerting.actOnIncident(String(incident.number), verb));
      setMessage({ kind: "success", text: doneText(verb, room) });
      // Escalation has stopped; triage is the next step, and cancelling it leaves it acknowledged.
      if (verb === "acknowledge" && untriaged) setDialog("triage");
    } catch (err) {
      setMessage({ kind: "error", text: messageOf(err) });
    } finally {
      setBusy(undefined);
      if (verb === "resolve") onConfirmResolve(false);
      if (verb === "escalate") setDialog(undefined);
    }
  };

  /**
   * Resolve and Escalate, by key or button alike, ask first: resolving also resolves the firing
   * alerts (the sender may stay quiet for hours) and escalating wakes people; one gesture is too little.
   */
  const ask = (verb: "resolve" | "escalate") => {
    if (busy || !allowed[verb]) return;
    setMessage(undefined);
    if (verb === "resolve") onConfirmResolve(true);
    else setDialog("escalate");
  };

  // Asked when the confirmation opens, so it names the status pages as they are now.
  const [openOnStatusPages, setOpenOnStatusPages] = useState<string[]>([]);
  useEffect(() => {
    if (!confirmResolve) return;
    let live = true;
    setOpenOnStatusPages([]);
    statusPageIncidents(String(incident.number))
      .then((list) => {
        if (live) setOpenOnStatusPages(list.filter((i) => i.status !== "resolved").map((i) => i.pageTitle));
      })
      .catch(() => undefined); // An older server: the dialog says what it always said.
    return () => {
      live = false;
    };
  }, [confirmResolve, incident.number]);

  // Resolved meanwhile (another person, a resolved alert): a stale request must not pop up later.
  useEffect(() => {
    if (confirmResolve && !allowed.resolve) onConfirmResolve(false);
  }, [confirmResolve, allowed.resolve, onConfirmResolve]);

  /** `a`: acknowledge while triggered (triage follows), else triage an untriaged incident. */
  const acknowledgeOrTriage = () => {
    if (allowed.acknowledge) return void act("acknowledge");
    if (canTriage && untriaged) {
      setMessage(undefined);
      setDialog("triage");
    }
  };

  const shortcuts: Shortcut[] = [
    {
      key: "a",
      label: allowed.acknowledge ? "Acknowledge" : "Triage",
      enabled: allowed.acknowledge || (canTriage && untriaged),
      run: acknowledgeOrTriage,
    },
    { key: "r", label: "Resolve", enabled: allowed.resolve, run: () => ask("resolve") },
    { key: "e", label: "Escalate to the next step", enabled: allowed.escalate, run: () => ask("escalate") },
    ...moreShortcuts,
    { key: "?", label: "Show these shortcuts", enabled: true, run: () => setDialog("help") },
  ];
  useShortcuts(shortcuts);

  const help = (
    <ShortcutHelp open={dialog === "help"} shortcuts={shortcuts} onClose={() => setDialog(undefined)} />
  );
  if (!canAct) {
    return (
      <>
        <p className="muted">You are signed in as a viewer: responders and admins act on incidents.</p>
        {help}
      </>
    );
  }

  const button = (verb: IncidentVerb, label: string, key: string, primary = false) =>
    allowed[verb] && (
      <button
        type="button"
        className={`button button-big${primary ? " button-primary" : ""}`}
        aria-keyshortcuts={key}
        disabled={busy !== undefined}
        onClick={() => (verb === "acknowledge" ? acknowledgeOrTriage() : ask(verb))}
      >
        {busy === verb ? "Working…" : label}
      </button>
    );

  return (
    <div className="incident-actions">
      {open ? (
        <div className="action-bar">
          {button("acknowledge", "Acknowledge", "a", true)}
          {canTriage && !allowed.acknowledge && (
            <button
              type="button"
              className={`button button-big${untriaged ? " button-primary" : ""}`}
              aria-keyshortcuts={untriaged ? "a" : undefined}
              disabled={busy !== undefined}
              onClick={() => setDialog("triage")}
            >
              {untriaged ? "Triage now" : "Change triage"}
            </button>
          )}
          {button("resolve", "Resolve", "r", incident.state === "acknowledged" && !untriaged)}
          {button("escalate", "Escalate", "e")}
          {room && (
            <button
              type="button"
              className="button button-big"
              disabled={busy !== undefined}
              onClick={() => setDialog("call-in")}
            >
              Call in help
            </button>
          )}
          <button
            type="button"
            className="button button-big"
            disabled={busy !== undefined}
            onClick={() => setDialog("reassign")}
          >
            Reassign
          </button>
        </div>
      ) : (
        <ResolvedActions
          incident={incident}
          pagedByHand={pagedByHand}
          busy={busy !== undefined}
          onReopened={(updated, outcome) => {
            onChanged(updated);
            setMessage(outcome);
          }}
        />
      )}
      {open && (
        <p className="shortcut-hint">
          Keys:{" "}
          {shortcuts
            .filter((s) => s.enabled && s.key !== "?")
            .map((s) => (
              <span key={s.key}>
                <kbd>{s.key}</kbd> {s.label.toLowerCase()} ·{" "}
              </span>
            ))}
          <button type="button" className="link-button" onClick={() => setDialog("help")}>
            <kbd>?</kbd> all keys
          </button>
        </p>
      )}
      <OutcomeNotice outcome={message} />
      {room && canTriage && dialog === "triage" && (
        <TriageDialog
          open
          room={room}
          acknowledging={allowed.acknowledge}
          onCancel={() => setDialog(undefined)}
          onTriaged={(answer) => {
            setDialog(undefined);
            const r = answer?.response;
            const what = r?.level ? `${r.severity ?? ""} ${IMPACT_LABEL[r.level].toLowerCase()}`.trim() : "";
            setMessage({
              kind: "success",
              text: `Triaged${what ? ` as ${what}` : ""}.${allowed.acknowledge ? " Acknowledged: the escalation has stopped." : ""}`,
            });
            if (answer) onChanged(answer.incident);
            onRefresh();
          }}
        />
      )}
      {room && dialog === "call-in" && (
        <CallInDialog
          open
          onCancel={() => setDialog(undefined)}
          onDone={(text) => {
            setDialog(undefined);
            setMessage({ kind: "success", text });
            onRefresh();
          }}
        />
      )}
      <VerbConfirm
        verb={confirmResolve && allowed.resolve ? "resolve" : dialog === "escalate" ? "escalate" : undefined}
        incident={incident}
        firingAlerts={firingAlerts}
        totalAlerts={totalAlerts}
        pagedByHand={pagedByHand}
        openOnStatusPages={openOnStatusPages}
        busy={busy === "resolve" || busy === "escalate"}
        onConfirm={(verb) => void act(verb)}
        onCancel={() => {
          onConfirmResolve(false);
          setDialog(undefined);
        }}
      />
      <ReassignDialog
        open={dialog === "reassign"}
        incident={incident}
        onCancel={() => setDialog(undefined)}
        onDone={(updated) => {
          setDialog(undefined);
          onChanged(updated);
          setMessage({ kind: "success", text: "Reassigned: the people you chose are being paged now." });
        }}
      />
      {help}
    </div>
  );
}
