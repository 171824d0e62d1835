// A service's maintenance windows: times when its alerts are recorded but page nobody, once or every
// week. Everyone sees them; admins and the service's team managers add and delete them.
import { useState, type FormEvent } from "react";
import { ApiError, messageOf, sentence } from "../api";
import { formatTime, useLoad, useNow } from "../data";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, SelectField, useSubmission, wholeNumber } from "../forms";
import { maintenance, type MaintenanceWindow, type WindowSpec } from "../maintenance-api";
import { LoadState } from "../widgets";

const DAY_NAME = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const DAY_LONG = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
/** Monday first, as most calendars show the week. */
const WEEK = [1, 2, 3, 4, 5, 6, 0] as const;
const weekOrder = (day: number) => (day + 6) % 7;

const KIND_LABEL: Record<WindowSpec["kind"], string> = { "one-off": "One-off", weekly: "Weekly" };

const weeklyText = (w: Extract<WindowSpec, { kind: "weekly" }>) => {
  const days = [...w.weekdays].sort((a, b) => weekOrder(a) - weekOrder(b)).map((d) => DAY_NAME[d] ?? d);
  return `${days.join(", ")} ${w.startTime} for ${w.durationMinutes} min (${w.timeZone})`;
};

/** "Tue, Thu 02:00 for 60 min (Europe/Berlin)", or the one-off range in the reader's time zone. */
export const windowText = (w: WindowSpec): string =>
  w.kind === "weekly" ? weeklyText(w) : `${formatTime(w.startsAt)} to ${formatTime(w.endsAt)}`;

/** As `windowText`, with the one-off instants marked up as <time>. */
function WindowWhen({ w }: { w: WindowSpec }) {
  if (w.kind === "weekly") return <>{weeklyText(w)}</>;
  return (
    <>
      <time dateTime={w.startsAt}>{formatTime(w.startsAt)}</time> to{" "}
      <time dateTime={w.endsAt}>{formatTime(w.endsAt)}</time>
    </>
  );
}

/** The browser's own time zone, such as "Europe/Berlin". */
const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

const TIME_ZONES: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
})();

/** "2026-06-12T14:05" in local time, as a datetime-local input holds it. */
function localInputValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A datetime-local value (local time) as an ISO instant, or a field error thrown for `path`. */
function instantOf(value: string, path: string): string {
  const at = value ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime()))
    throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
      { path, message: "must be a date and time" },
    ]);
  return at.toISOString();
}

/** The checked weekdays, or a field error: the server's wording speaks of numbers, not checkboxes. */
function chosenDays(days: readonly number[]): number[] {
  if (days.length === 0)
    throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
      { path: "/window/weekdays", message: "must include at least one day" },
    ]);
  return [...days].sort((a, b) => a - b);
}

function CreateWindowForm({
  serviceId,
  onSubmitting,
  onCreated,
}: {
  serviceId: string;
  onSubmitting(): void;
  onCreated(created: MaintenanceWindow): void;
}) {
  const [kind, setKind] = useState<WindowSpec["kind"]>("one-off");
  const [startsAt, setStartsAt] = useState(() => localInputValue(new Date()));
  const [endsAt, setEndsAt] = useState(() => localInputValue(new Date(Date.now() + 60 * 60_000)));
  const [weekdays, setWeekdays] = useState<number[]>([]);
  const [startTime, setStartTime] = useState("02:00");
  const [duration, setDuration] = useState("60");
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [reason, setReason] = useState("");
  const submission = useSubmission(["window", "reason"]);
  const p = submission.paths;

  const toggleDay = (day: number, on: boolean) =>
    setWeekdays((days) => (on ? [...days.filter((d) => d !== day), day] : days.filter((d) => d !== day)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmitting();
    void submission.run(async () => {
      const window: WindowSpec =
        kind === "one-off"
          ? {
              kind,
              startsAt: instantOf(startsAt, "/window/startsAt"),
              endsAt: instantOf(endsAt, "/window/endsAt"),
            }
          : {
              kind,
              weekdays: chosenDays(weekdays),
              startTime,
              durationMinutes: wholeNumber(duration, "/window/durationMinutes"),
              timeZone: timeZone.trim(),
            };
      const created = await maintenance.create(serviceId, {
        window,
        ...(reason.trim() && { reason: reason.trim() }),
      });
      setReason("");
      onCreated(created);
    });
  };

  const dayError = p["window/weekdays"];
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="add-maintenance-window">
      <FormError message={submission.error} />
      <SelectField
        label="Repeats"
        value={kind}
        onChange={(e) => {
          setKind(e.target.value as WindowSpec["kind"]);
          submission.reset();
        }}
        options={[
          { value: "one-off", label: "Once (one-off)" },
          { value: "weekly", label: "Every week" },
        ]}
        error={p["window/kind"]}
      />
      {kind === "one-off" ? (
        <div className="form-row">
          <Field
            label="Starts"
            type="datetime-local"
            required
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
            error={p["window/startsAt"]}
            hint={`In your time zone (${browserTimeZone()}).`}
          />
          <Field
            label="Ends"
            type="datetime-local"
            required
            value={endsAt}
            onChange={(e) => setEndsAt(e.target.value)}
            error={p["window/endsAt"]}
            hint="In the future, at most 30 days after the start."
          />
        </div>
      ) : (
        <>
          <fieldset
            className={dayError ? "choice-list weekday-list field-invalid" : "choice-list weekday-list"}
            aria-describedby={dayError ? "maintenance-weekdays-error" : undefined}
          >
            <legend>On these days</legend>
            {WEEK.map((day) => (
              <label key={day} className="choice">
                <input
                  type="checkbox"
                  checked={weekdays.includes(day)}
                  onChange={(e) => toggleDay(day, e.target.checked)}
                />
                <span>{DAY_LONG[day]}</span>
              </label>
            ))}
            {dayError && (
              <p className="field-error" id="maintenance-weekdays-error">
                {sentence(`Days ${dayError}`)}
              </p>
            )}
          </fieldset>
          <div className="form-row">
            <Field
              label="Start time"
              type="time"
              required
              value={startTime}
              onChange={(e) => setStartTime(e.target.value)}
              error={p["window/startTime"]}
            />
            <Field
              label="Duration (minutes)"
              inputMode="numeric"
              required
              value={duration}
              onChange={(e) => setDuration(e.target.value)}
              error={p["window/durationMinutes"]}
              hint="It may run past midnight; at most a week (10080). It ends when the wall clock reads the start time plus this, so on a day the clocks change it is an hour shorter or longer."
            />
          </div>
          <Field
            label="Time zone"
            autoComplete="off"
            list="maintenance-time-zones"
            required
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            error={p["window/timeZone"]}
            hint="The days and start time are read in this zone, such as Europe/Berlin."
          />
          <datalist id="maintenance-time-zones">
            {TIME_ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </>
      )}
      <Field
        label="Reason"
        autoComplete="off"
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={p.reason}
        hint="Optional, such as “Postgres upgrade”."
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Adding…" : "Add maintenance window"}
      </button>
    </form>
  );
}

function Status({ w, now }: { w: MaintenanceWindow; now: number }) {
  if (w.activeNow) return <span className="badge badge-warning">Active now</span>;
  if (w.window.kind === "one-off" && new Date(w.window.endsAt).getTime() <= now)
    return <span className="badge badge-quiet">Ended</span>;
  return <span className="muted">Not now</span>;
}

/** `mayChange`: an admin, or a responder who manages the service's team. */
export function MaintenanceWindowsSection({
  serviceId,
  mayChange,
  onChange,
}: {
  serviceId: string;
  mayChange: boolean;
  /** After a window was added or deleted: the page's "in maintenance until" notice reloads. */
  onChange?: () => void;
}) {
  const list = useLoad(() => maintenance.list(serviceId));
  const now = useNow();
  const [deleting, setDeleting] = useState<MaintenanceWindow>();
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();
  const [message, setMessage] = useState<string>();

  const remove = async () => {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(undefined);
    try {
      await maintenance.remove(deleting.id);
      list.set((items) => items?.filter((x) => x.id !== deleting.id));
      onChange?.();
      setMessage(deleting.activeNow ? "Deleted. Alerts page again from now on." : "Deleted.");
      setDeleting(undefined);
    } catch (err) {
      setDeleteError(messageOf(err));
    } finally {
      setDeleteBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="maintenance-windows">
      <h2 id="maintenance-windows">Maintenance windows</h2>
      <p className="muted">
        During a maintenance window this service's alerts are recorded but page nobody. An alert still firing
        when the window ends (or is deleted) pages then.
      </p>
      <div role="status">
        {message && (
          <div className="notice notice-success">
            <p>{message}</p>
          </div>
        )}
      </div>
      <LoadState what="maintenance windows" loading={list.loading && !list.data} error={list.error} />
      {list.data && list.data.length === 0 && <p className="empty">No maintenance windows.</p>}
      {list.data && list.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">Reason</th>
              <th scope="col">Status</th>
              {mayChange && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.data.map((w) => (
              <tr key={w.id}>
                <th scope="row" data-label="When">
                  <WindowWhen w={w.window} />
                </th>
                <td data-label="Kind" className="maintenance-kind">
                  {KIND_LABEL[w.window.kind]}
                </td>
                <td data-label="Reason" className="break">
                  {w.reason || <span className="muted">—</span>}
                </td>
                <td data-label="Status">
                  <Status w={w} now={now} />
                </td>
                {mayChange && (
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-danger-quiet"
                      onClick={() => {
                        setMessage(undefined);
                        setDeleting(w);
                      }}
                    >
                      Delete
                      <span className="visually-hidden"> maintenance window {windowText(w.window)}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayChange && (
        <>
          <h3 id="add-maintenance-window">Add a maintenance window</h3>
          <CreateWindowForm
            serviceId={serviceId}
            // A new attempt's outcome replaces the last one: an old "Added" must not sit above a new error.
            onSubmitting={() => setMessage(undefined)}
            onCreated={(created) => {
              list.set((items) => [...(items ?? []), created]);
              onChange?.();
              setMessage(
                created.activeNow
                  ? "Added. It is active now: this service's alerts page nobody until it ends."
                  : "Added.",
              );
            }}
          />
        </>
      )}
      <ConfirmDialog
        open={deleting !== undefined}
        title="Delete this maintenance window?"
        confirmLabel="Delete"
        danger
        busy={deleteBusy}
        onConfirm={() => void remove()}
        onCancel={() => {
          setDeleting(undefined);
          setDeleteError(undefined);
        }}
      >
        {deleting && (
          <p>
            <WindowWhen w={deleting.window} />
            {deleting.reason && ` · ${deleting.reason}`}
          </p>
        )}
        <p>
          {deleting?.activeNow
            ? "It is active now: deleting it ends it at once, and new alerts page again."
            : "Alerts are no longer held back at these times."}
        </p>
        <FormError message={deleteError} />
      </ConfirmDialog>
    </section>
  );
}
