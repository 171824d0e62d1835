// The Maintenance tab: scheduled maintenance with its state (scheduled → in progress → completed, moved
// by the server's clock), its updates, and for admins scheduling, posting updates and cancelling.
import { useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { useLoad } from "../data";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, TextAreaField, useSubmission } from "../forms";
import { statusPages, type StatusMaintenance } from "../status-api";
import { LoadState } from "../widgets";
import { isoOfLocal, localText } from "./schedule-time";
import { useStatusPage } from "./status-page-shell";
import { ComponentChoice, MaintenanceStatusBadge, PageTime } from "./status-widgets";

const HOUR_MS = 3_600_000;

/** The instant a datetime-local value names in the page's zone, or a field error for `path`. */
function instantIn(local: string, zone: string, path: string): string {
  const iso = isoOfLocal(local, zone);
  if (!iso)
    throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
      { path, message: "must be a date and time" },
    ]);
  return iso;
}

function ScheduleForm({ onScheduled }: { onScheduled(created: StatusMaintenance): void }) {
  const { page } = useStatusPage();
  const zone = page.timeZone;
  const [name, setName] = useState("");
  const [body, setBody] = useState("");
  const [componentIds, setComponentIds] = useState<string[]>([]);
  // A round hour tomorrow, for two hours: a sensible first guess to edit.
  const [start, setStart] = useState(() =>
    localText(Math.ceil((Date.now() + 24 * HOUR_MS) / HOUR_MS) * HOUR_MS, zone),
  );
  const [end, setEnd] = useState(() =>
    localText(Math.ceil((Date.now() + 26 * HOUR_MS) / HOUR_MS) * HOUR_MS, zone),
  );
  const submission = useSubmission(["name", "body", "componentIds", "scheduledFor", "scheduledUntil"]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const created = await statusPages.createMaintenance(page.id, {
        name: name.trim(),
        body: body.trim(),
        componentIds,
        scheduledFor: instantIn(start, zone, "/scheduledFor"),
        scheduledUntil: instantIn(end, zone, "/scheduledUntil"),
      });
      setName("");
      setBody("");
      setComponentIds([]);
      onScheduled(created);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="schedule-maintenance">
      <FormError message={submission.error} />
      <Field
        label="Maintenance name"
        autoComplete="off"
        required
        maxLength={200}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          submission.clear("name");
        }}
        error={submission.fields.name}
        hint="Such as “Database upgrade”."
      />
      <div className="form-row">
        <Field
          label="Starts"
          type="datetime-local"
          required
          value={start}
          onChange={(e) => {
            setStart(e.target.value);
            submission.clear("scheduledFor");
          }}
          error={submission.fields.scheduledFor}
          hint={`In the page's time zone (${zone}).`}
        />
        <Field
          label="Ends"
          type="datetime-local"
          required
          value={end}
          onChange={(e) => {
            setEnd(e.target.value);
            submission.clear("scheduledUntil");
          }}
          error={submission.fields.scheduledUntil}
          hint="After the start."
        />
      </div>
      <ComponentChoice
        legend="Components under maintenance"
        chosen={componentIds}
        onChange={(ids) => {
          setComponentIds(ids);
          submission.clear("componentIds");
        }}
        error={submission.fields.componentIds}
        hint="They show “under maintenance” while it runs, and their services page nobody."
      />
      <TextAreaField
        label="Message"
        rows={3}
        maxLength={10000}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          submission.clear("body");
        }}
        error={submission.fields.body}
        hint="What customers read: what changes, and what they may notice."
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Scheduling…" : "Schedule maintenance"}
      </button>
    </form>
  );
}

function MaintenanceUpdateForm(props: {
  maintenance: StatusMaintenance;
  onPosted(next: StatusMaintenance): void;
}) {
  const { page } = useStatusPage();
  const [body, setBody] = useState("");
  const submission = useSubmission(["body"]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const next = await statusPages.postMaintenanceUpdate(page.id, props.maintenance.id, {
        body: body.trim(),
      });
      setBody("");
      props.onPosted(next);
    });
  };
  return (
    <form
      className="status-inline-form"
      onSubmit={submit}
      noValidate
      aria-label={`Update on ${props.maintenance.name}`}
    >
      <FormError message={submission.error} />
      <TextAreaField
        id={`maintenance-${props.maintenance.id}-update`}
        label="Update"
        rows={2}
        maxLength={10000}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          submission.clear("body");
        }}
        error={submission.fields.body}
      />
      <button type="submit" className="button" disabled={submission.busy}>
        Post update<span className="visually-hidden"> on {props.maintenance.name}</span>
      </button>
    </form>
  );
}

/** While it runs: mark it as being verified, or end it early (both tell subscribers). */
function RunningActions(props: {
  maintenance: StatusMaintenance;
  onChanged(next: StatusMaintenance, message: string): void;
}) {
  const { page, reloadComponents } = useStatusPage();
  const m = props.maintenance;
  const move = useSubmission(["status"]);
  const to = (status: "verifying" | "completed", done: string) =>
    void move.run(async () => {
      props.onChanged(await statusPages.updateMaintenance(page.id, m.id, { status }), done);
      await reloadComponents();
    });
  if (m.status !== "in_progress" && m.status !== "verifying") return null;
  return (
    <div className="actions actions-tight">
      <FormError message={move.error} />
      {m.status === "in_progress" && (
        <button
          type="button"
          className="button button-small"
          disabled={move.busy}
          onClick={() => to("verifying", `${m.name}: verifying.`)}
        >
          Mark as verifying<span className="visually-hidden"> {m.name}</span>
        </button>
      )}
      <button
        type="button"
        className="button button-small"
        disabled={move.busy}
        onClick={() => to("completed", `${m.name}: completed.`)}
      >
        Complete now<span className="visually-hidden"> {m.name}</span>
      </button>
    </div>
  );
}

function MaintenanceItem(props: {
  maintenance: StatusMaintenance;
  onChanged(next: StatusMaintenance, message: string): void;
  onCancel(): void;
}) {
  const { isAdmin, nameOf } = useStatusPage();
  const m = props.maintenance;
  const updates = [...m.updates].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <li className={`status-maintenance status-maint-item-${m.status}`}>
      <div className="status-item-main">
        <h3 className="status-item-name">{m.name}</h3>
        <MaintenanceStatusBadge status={m.status} />
        {m.cancelled && <span className="badge badge-quiet">Cancelled</span>}
      </div>
      <p>
        <PageTime iso={m.scheduledFor} /> to <PageTime iso={m.scheduledUntil} />
        <span className="muted">
          {" "}
          · {m.componentIds.length > 0 ? m.componentIds.map(nameOf).join(", ") : "No component"}
        </span>
      </p>
      {m.body && <p className="break">{m.body}</p>}
      {updates.length > 0 && (
        <ol className="status-updates" aria-label={`Updates on ${m.name}`}>
          {updates.map((u) => (
            <li key={u.id}>
              <p className="muted">
                {u.status && <MaintenanceStatusBadge status={u.status} />} <PageTime iso={u.createdAt} />
              </p>
              <p className="break status-update-body">{u.body}</p>
            </li>
          ))}
        </ol>
      )}
      {isAdmin && m.status !== "completed" && (
        <>
          <MaintenanceUpdateForm
            maintenance={m}
            onPosted={(next) => props.onChanged(next, "Update posted.")}
          />
          <RunningActions maintenance={m} onChanged={props.onChanged} />
          <button type="button" className="button button-small button-danger-quiet" onClick={props.onCancel}>
            Cancel this maintenance<span className="visually-hidden"> {m.name}</span>
          </button>
        </>
      )}
    </li>
  );
}

export function StatusMaintenanceTab() {
  const { page, isAdmin, reloadComponents } = useStatusPage();
  const list = useLoad(() => statusPages.listMaintenances(page.id));
  const [message, setMessage] = useState<string>();
  const [cancelling, setCancelling] = useState<StatusMaintenance>();
  const cancel = useSubmission([]);
  const replace = (next: StatusMaintenance) =>
    list.set((items) => items?.map((m) => (m.id === next.id ? next : m)));

  const sorted = [...(list.data ?? [])].sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor));
  const current = sorted.filter((m) => m.status !== "completed");
  const done = sorted.filter((m) => m.status === "completed").reverse();

  const renderList = (items: StatusMaintenance[], label: string) => (
    <ul className="status-items" aria-label={label}>
      {items.map((m) => (
        <MaintenanceItem
          key={m.id}
          maintenance={m}
          onChanged={(next, done) => {
            replace(next);
            setMessage(done);
          }}
          onCancel={() => {
            setMessage(undefined);
            setCancelling(m);
          }}
        />
      ))}
    </ul>
  );

  return (
    <>
      <section className="panel" aria-labelledby="status-maintenance">
        <h2 id="status-maintenance">Maintenance</h2>
        <p className="muted">
          Maintenance moves itself from scheduled to in progress to completed at the times set; customers see
          it ahead, and subscribers hear about it.
        </p>
        <div role="status">
          {message && (
            <div className="notice notice-success">
              <p>{message}</p>
            </div>
          )}
        </div>
        <LoadState what="maintenance" loading={list.loading && !list.data} error={list.error} />
        {list.data && (
          <>
            <h3>Scheduled and in progress</h3>
            {current.length === 0 ? (
              <p className="empty">None.</p>
            ) : (
              renderList(current, "Scheduled and in progress")
            )}
            <h3>Completed</h3>
            {done.length === 0 ? (
              <p className="empty">None yet.</p>
            ) : (
              renderList(done, "Completed maintenance")
            )}
          </>
        )}
      </section>
      {isAdmin && (
        <section className="panel" aria-labelledby="schedule-maintenance">
          <h2 id="schedule-maintenance">Schedule maintenance</h2>
          <ScheduleForm
            onScheduled={(created) => {
              list.set((items) => [...(items ?? []), created]);
              setMessage(`Scheduled: ${created.name}.`);
              void reloadComponents();
            }}
          />
        </section>
      )}
      <ConfirmDialog
        open={cancelling !== undefined}
        title={`Cancel ${cancelling?.name ?? "this maintenance"}?`}
        confirmLabel="Cancel the maintenance"
        danger
        busy={cancel.busy}
        onConfirm={() =>
          void cancel.run(async () => {
            if (!cancelling) return;
            replace(await statusPages.cancelMaintenance(page.id, cancelling.id));
            await reloadComponents();
            setMessage(`Cancelled: ${cancelling.name}.`);
            setCancelling(undefined);
          })
        }
        onCancel={() => {
          setCancelling(undefined);
          cancel.reset();
        }}
      >
        <p>
          {cancelling?.status === "scheduled"
            ? "Customers see it as cancelled; its services page as usual."
            : "It ends now: its components go back to what their services say, and paging resumes."}
        </p>
        <FormError message={cancel.error} />
      </ConfirmDialog>
    </>
  );
}
