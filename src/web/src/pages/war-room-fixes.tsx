// The fix log: one fix in flight at a time (the rule is shown before anyone submits; only the handler
// overrides it, with a reason on the record), deploy → verify or fail, and the proper-fix follow-up
// every hotfix leaves, with its deadline.
import { useId, useState, type FormEvent } from "react";
import { ConfirmDialog } from "../dialog";
import { formatRelative, formatTime, useNow } from "../data";
import { ApiError } from "../api";
import { FormError, TextAreaField, useSubmission } from "../forms";
import {
  FIX_KIND_LABEL,
  FIX_STATE_LABEL,
  response,
  type Fix,
  type FixKind,
  type FollowUp,
  type WarRoom,
} from "../response-api";
import { ActionOutcome, useAction, useWarRoom, type Action } from "./war-room-context";
import { TriageFirst } from "./war-room-triage";

export const FIX_FIELD = "fix-description";

const KINDS: ReadonlyArray<{ kind: FixKind; hint: string }> = [
  { kind: "rollback", hint: "Undo a recent change." },
  { kind: "hotfix", hint: "A stopgap: it leaves a proper fix to do, with a deadline set by the level." },
  { kind: "proper-fix", hint: "The real repair." },
];

const HOUR_MS = 3_600_000;

/** The proper-fix follow-up of a hotfix: its deadline in hours and as a date, overdue marked. */
export function FollowUpLine({ followUp, now }: { followUp: FollowUp; now: number }) {
  const { me, isHandler, incidentId, canAct } = useWarRoom();
  const action = useAction();
  const hours = Math.round(
    (new Date(followUp.dueAt).getTime() - new Date(followUp.createdAt).getTime()) / HOUR_MS,
  );
  const overdue = followUp.state === "open" && (followUp.overdue || new Date(followUp.dueAt).getTime() < now);
  const mayClose = canAct && followUp.state === "open" && (followUp.ownerId === me.id || isHandler);
  const close = (state: "done" | "cancelled") =>
    void action.run(
      () => response.closeFollowUp(incidentId, followUp.fixNumber, state),
      state === "done" ? "Follow-up closed: the proper fix is done." : "Follow-up cancelled.",
    );
  return (
    <div className={`follow-up${overdue ? " follow-up-overdue" : ""} follow-up-${followUp.state}`}>
      <p>
        {overdue && <strong className="overdue-mark">Overdue · </strong>}
        <strong>Proper fix due within {hours} h</strong>: by{" "}
        <time dateTime={followUp.dueAt}>{formatTime(followUp.dueAt)}</time> (
        {formatRelative(followUp.dueAt, now)}), owned by{" "}
        {followUp.ownerId === me.id ? "you" : followUp.ownerName}
        {followUp.state !== "open" && ` · ${followUp.state === "done" ? "done" : "cancelled"}`}
      </p>
      {mayClose && (
        <div className="actions actions-tight">
          <button
            type="button"
            className="button button-small"
            disabled={action.busy}
            onClick={() => close("done")}
          >
            Proper fix done<span className="visually-hidden"> for hotfix #{followUp.fixNumber}</span>
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            disabled={action.busy}
            onClick={() => close("cancelled")}
          >
            Not needed<span className="visually-hidden"> for hotfix #{followUp.fixNumber}</span>
          </button>
        </div>
      )}
      <ActionOutcome action={action} />
    </div>
  );
}

function FixItem({ fix, followUp, action }: { fix: Fix; followUp: FollowUp | undefined; action: Action }) {
  const { me, isHandler, canAct, incidentId } = useWarRoom();
  const now = useNow(30_000);
  const [failing, setFailing] = useState(false);
  const [note, setNote] = useState("");
  const mayMove = canAct && (fix.authorId === me.id || isHandler);
  const move = (verb: "deploy" | "verify" | "fail", done: string, failNote?: string) =>
    action.run(() => response.moveFix(incidentId, fix.number, verb, failNote), done);
  const when = (label: string, iso: string | null) =>
    iso && (
      <>
        {" · "}
        {label} <time dateTime={iso}>{formatTime(iso)}</time>
      </>
    );
  return (
    <li className={`fix fix-${fix.state}`}>
      <p className="fix-title">
        <span className="fix-number">#{fix.number}</span> <strong>{FIX_KIND_LABEL[fix.kind]}</strong>:{" "}
        <span className="break">{fix.description}</span>
      </p>
      <p className="fix-meta">
        <span className={`fix-state fix-state-${fix.state}`}>{FIX_STATE_LABEL[fix.state]}</span>
        {" · by "}
        {fix.authorId === me.id ? "you" : fix.authorName}
        {when("started", fix.startedAt)}
        {when("deployed", fix.deployedAt)}
        {when("verified", fix.verifiedAt)}
        {when("failed", fix.failedAt)}
      </p>
      {fix.overrideReason && (
        <p className="fix-override">
          <strong>One-fix rule overridden</strong>: {fix.overrideReason}
        </p>
      )}
      {mayMove && (fix.state === "in-progress" || fix.state === "deployed") && (
        <div className="actions actions-tight">
          {fix.state === "in-progress" && (
            <button
              type="button"
              className="button button-small button-primary"
              disabled={action.busy}
              onClick={() => void move("deploy", `Fix #${fix.number} deployed: the watch has started.`)}
            >
              Mark deployed<span className="visually-hidden"> (fix #{fix.number})</span>
            </button>
          )}
          {fix.state === "deployed" && (
            <button
              type="button"
              className="button button-small button-primary"
              disabled={action.busy}
              onClick={() => void move("verify", `Fix #${fix.number} verified.`)}
            >
              Verified: it works<span className="visually-hidden"> (fix #{fix.number})</span>
            </button>
          )}
          <button
            type="button"
            className="button button-small button-danger-quiet"
            disabled={action.busy}
            onClick={() => setFailing(true)}
          >
            It failed<span className="visually-hidden"> (fix #{fix.number})</span>
          </button>
        </div>
      )}
      {followUp && <FollowUpLine followUp={followUp} now={now} />}
      <ConfirmDialog
        open={failing}
        title={`Mark fix #${fix.number} failed?`}
        confirmLabel="Mark failed"
        danger
        busy={action.busy}
        onCancel={() => setFailing(false)}
        onConfirm={() =>
          void move("fail", `Fix #${fix.number} marked failed.`, note.trim() || undefined).then((ok) => {
            if (ok) {
              setFailing(false);
              setNote("");
            }
          })
        }
      >
        <p>
          The next fix can start once this one is failed.
          {fix.kind === "hotfix" && " Its proper-fix follow-up is cancelled with it."}
        </p>
        <TextAreaField
          label="What happened (optional)"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </ConfirmDialog>
    </li>
  );
}

function LogFixForm({ room }: { room: WarRoom }) {
  const { isHandler, incidentId, refresh, nameOf } = useWarRoom();
  // No kind is preselected: a restart logged as a rollback because nobody changed the default misleads.
  const [kind, setKind] = useState<FixKind | "">("");
  const [description, setDescription] = useState("");
  const [overriding, setOverriding] = useState(false);
  const [reason, setReason] = useState("");
  const [logged, setLogged] = useState<string>();
  const submission = useSubmission(["kind", "description", "override"]);
  const blockId = useId();
  const kindErrorId = useId();
  const block = room.oneFixBlock;
  const blocked = block !== null && !(isHandler && overriding);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (blocked) return;
    setLogged(undefined);
    void submission.run(async () => {
      if (!kind)
        throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
          { path: "/kind", message: "is not chosen: is it a rollback, a hotfix or a proper fix?" },
        ]);
      const fix = await response.logFix(incidentId, {
        kind,
        description,
        ...(block && overriding ? { override: { reason } } : {}),
      });
      setKind("");
      setDescription("");
      setReason("");
      setOverriding(false);
      setLogged(`Fix #${fix.number} (${FIX_KIND_LABEL[fix.kind].toLowerCase()}) logged, in progress.`);
      await refresh();
    });
  };

  return (
    <form className="form fix-form" onSubmit={submit} noValidate aria-labelledby="log-fix">
      <FormError message={submission.error} />
      <fieldset
        className={submission.fields.kind ? "fieldset field-invalid" : "fieldset"}
        aria-describedby={submission.fields.kind ? kindErrorId : undefined}
      >
        <legend>Kind of fix</legend>
        {submission.fields.kind && (
          <p className="field-error" id={kindErrorId}>
            Kind {submission.fields.kind}
          </p>
        )}
        <div className="choice-row">
          {KINDS.map((k) => (
            <label key={k.kind} className="choice choice-card">
              <input
                type="radio"
                name="fix-kind"
                checked={kind === k.kind}
                onChange={() => {
                  setKind(k.kind);
                  submission.clear("kind");
                }}
              />
              <span>
                <strong>{FIX_KIND_LABEL[k.kind]}</strong>
                <span className="choice-hint">{k.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <TextAreaField
        id={FIX_FIELD}
        label="What the fix does"
        rows={2}
        maxLength={500}
        value={description}
        onChange={(e) => {
          setDescription(e.target.value);
          submission.clear("description");
        }}
        error={submission.fields.description}
        aria-keyshortcuts="f"
      />
      {block && (
        <div className="notice notice-warning one-fix" id={blockId}>
          <p>
            <strong>One fix at a time.</strong> {block.reason.charAt(0).toUpperCase() + block.reason.slice(1)}
            {/[.!?]$/.test(block.reason) ? "" : "."}
          </p>
          {isHandler ? (
            <label className="choice">
              <input
                type="checkbox"
                checked={overriding}
                onChange={(e) => {
                  setOverriding(e.target.checked);
                  submission.clear("override");
                }}
              />
              <span>Override the rule: start another fix anyway (recorded with your reason)</span>
            </label>
          ) : (
            <p className="muted">
              Only the Incident Handler ({nameOf(room.response.handlerId)}) can override the one-fix rule.
            </p>
          )}
        </div>
      )}
      {block && isHandler && overriding && (
        <TextAreaField
          label="Reason for the override"
          rows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            submission.clear("override");
          }}
          error={submission.paths["override/reason"] ?? submission.fields.override}
        />
      )}
      <button
        type="submit"
        className={block && overriding ? "button button-danger" : "button button-primary"}
        disabled={submission.busy || blocked}
        aria-describedby={block ? blockId : undefined}
      >
        {submission.busy ? "Logging…" : block && overriding ? "Start this fix anyway" : "Log the fix"}
      </button>
      <p role="status" className="visually-hidden">
        {logged}
      </p>
    </form>
  );
}

export function FixesPanel({ room }: { room: WarRoom }) {
  const { canAct } = useWarRoom();
  const action = useAction();
  const fixes = [...room.fixes].sort((a, b) => b.number - a.number);
  const followUpOf = (fix: Fix) => room.followUps.find((f) => f.fixNumber === fix.number);
  return (
    <section className="panel" aria-labelledby="fixes">
      <h2 id="fixes">Fixes</h2>
      <ActionOutcome action={action} />
      {fixes.length === 0 ? (
        <p className="muted">
          No fix yet. Log each attempt here, one at a time, so you know which one worked.
        </p>
      ) : (
        <ol className="fix-list" aria-label="Fix log">
          {fixes.map((f) => (
            <FixItem key={f.id} fix={f} followUp={followUpOf(f)} action={action} />
          ))}
        </ol>
      )}
      {canAct && room.incident.state !== "resolved" && (
        <>
          <h3 id="log-fix">Log a fix</h3>
          {room.response.handlerId === null ? (
            <TriageFirst why="the fix log needs an Incident Handler, whom triage names, and the level sets a hotfix's deadline." />
          ) : (
            <LogFixForm room={room} />
          )}
        </>
      )}
    </section>
  );
}
