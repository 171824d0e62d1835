// A schedule's overrides: those from now to two months ahead, with Delete, and a form to add one
// ("X covers from … to …"). Admins add them for anyone; responders for themselves.
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, messageOf, type User } from "../api";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, SelectField, useSubmission } from "../forms";
import {
  OVERRIDE_SOURCE_LABEL,
  schedules,
  type CreatedOverride,
  type Override,
  type Schedule,
} from "../schedules-api";
import { useUser } from "../session";
import { LoadState } from "../widgets";
import { formatSpan, isoOfLocal, localText } from "./schedule-time";

const HOUR_MS = 3_600_000;

/** A datetime-local value read in the schedule's zone, or a field error thrown for `path`. */
function instantIn(local: string, zone: string, path: string): string {
  const iso = isoOfLocal(local, zone);
  if (!iso)
    throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
      { path, message: "must be a date and time" },
    ]);
  return iso;
}

function AddOverrideForm(props: { schedule: Schedule; users: User[]; onAdded(o: CreatedOverride): void }) {
  const { schedule, users } = props;
  const me = useUser();
  const zone = schedule.timeZone;
  const isAdmin = me.role === "admin";
  const [userId, setUserId] = useState(isAdmin ? "" : me.id);
  const [start, setStart] = useState(() => localText(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS, zone));
  const [end, setEnd] = useState(() =>
    localText(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS + 8 * HOUR_MS, zone),
  );
  const submission = useSubmission(["userId", "start", "end"]);
  const people = isAdmin ? users.filter((u) => !u.disabledAt && u.role !== "viewer") : [me];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      if (!userId)
        throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
          { path: "/userId", message: "must be chosen" },
        ]);
      const created = await schedules.addOverride(schedule.id, {
        userId,
        start: instantIn(start, zone, "/start"),
        end: instantIn(end, zone, "/end"),
      });
      props.onAdded(created);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="add-override">
      <FormError message={submission.error} />
      <SelectField
        label="Person on call"
        value={userId}
        onChange={(e) => {
          setUserId(e.target.value);
          submission.clear("userId");
        }}
        options={[
          ...(isAdmin ? [{ value: "", label: "Choose a person…" }] : []),
          ...people.map((u) => ({ value: u.id, label: u.name })),
        ]}
        error={submission.fields.userId}
      />
      <div className="form-row">
        <Field
          label="From"
          type="datetime-local"
          required
          value={start}
          onChange={(e) => {
            setStart(e.target.value);
            submission.clear("start");
          }}
          error={submission.fields.start}
          hint={`In ${zone}.`}
        />
        <Field
          label="Until"
          type="datetime-local"
          required
          value={end}
          onChange={(e) => {
            setEnd(e.target.value);
            submission.clear("end");
          }}
          error={submission.fields.end}
          hint={`In ${zone}.`}
        />
      </div>
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Adding…" : "Add override"}
      </button>
    </form>
  );
}

interface OverridesPanelProps {
  schedule: Schedule;
  users: User[];
  /** Changes whenever the schedule changed, so the list is loaded again. */
  version: number;
  onChanged(message: string): void;
}

/** The overrides from now on, loaded again when `version` changes. */
function useUpcomingOverrides(scheduleId: string, version: number) {
  const [overrides, setOverrides] = useState<Override[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let alive = true;
    schedules.upcomingOverrides(scheduleId).then(
      (list) => {
        if (!alive) return;
        setOverrides(list);
        setError(undefined);
      },
      (err: unknown) => alive && setError(messageOf(err)),
    );
    return () => {
      alive = false;
    };
  }, [scheduleId, version]);
  return { overrides, error };
}

export function OverridesPanel({ schedule, users, version, onChanged }: OverridesPanelProps) {
  const me = useUser();
  const { overrides, error: loadError } = useUpcomingOverrides(schedule.id, version);
  const [deleting, setDeleting] = useState<Override>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // The last override added here overlapped the person's others: made all the same, but said.
  const [warnings, setWarnings] = useState<string[]>([]);
  const zone = schedule.timeZone;
  const canDelete = (o: Override) => me.role === "admin" || o.createdBy === me.id || o.userId === me.id;
  const sorted = [...(overrides ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  const replaced = (o: Override) => users.find((u) => u.id === o.replacesUserId)?.name;

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    setError(undefined);
    setWarnings([]);
    try {
      await schedules.removeOverride(schedule.id, deleting.id);
      setDeleting(undefined);
      onChanged("Override deleted. The rotation applies again.");
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="overrides">
      <h2 id="overrides">Overrides</h2>
      <p className="muted">An override puts one person on call for a while, whatever the rotations say.</p>
      <LoadState what="the overrides" loading={!overrides && !loadError} error={loadError} />
      {overrides && sorted.length === 0 && (
        <p className="empty">No overrides now or in the next two months.</p>
      )}
      {sorted.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">On call</th>
              <th scope="col">When ({zone})</th>
              <th scope="col">Kind</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((o) => (
              <tr key={o.id}>
                <th scope="row">{o.userName}</th>
                <td data-label="When">{formatSpan(o.start, o.end, zone)}</td>
                <td data-label="Kind">
                  {OVERRIDE_SOURCE_LABEL[o.source]}
                  {replaced(o) && <span className="muted"> for {replaced(o)}</span>}
                </td>
                <td className="row-actions">
                  {canDelete(o) && (
                    <button
                      type="button"
                      className="button button-danger-quiet"
                      onClick={() => {
                        setError(undefined);
                        setDeleting(o);
                      }}
                    >
                      Delete
                      <span className="visually-hidden">
                        {" "}
                        override of {o.userName}, {formatSpan(o.start, o.end, zone)}
                      </span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {me.role !== "viewer" && (
        <>
          <h3 id="add-override">Add an override</h3>
          <div role="status">
            {warnings.length > 0 && (
              <div className="notice notice-warning">
                {warnings.map((w) => (
                  <p key={w}>Warning: {w}.</p>
                ))}
              </div>
            )}
          </div>
          <AddOverrideForm
            schedule={schedule}
            users={users}
            onAdded={(o) => {
              setWarnings(o.warnings);
              onChanged(`Override added: ${o.userName}, ${formatSpan(o.start, o.end, zone)}.`);
            }}
          />
        </>
      )}
      <ConfirmDialog
        open={deleting !== undefined}
        title="Delete this override?"
        confirmLabel="Delete"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(undefined)}
      >
        {deleting && (
          <p>
            {deleting.userName}, {formatSpan(deleting.start, deleting.end, zone)} ({zone})
          </p>
        )}
        <p>The rotation’s own person is on call again for this time.</p>
        <FormError message={error} />
      </ConfirmDialog>
    </section>
  );
}
