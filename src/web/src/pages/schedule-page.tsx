// /schedules/:id: one schedule. Who is on call now, the timeline (a week, two weeks or a month) with
// its layers, overrides and final row, the rotations, the overrides in view, and the calendar feed.
// A click on a block opens the shift: swap, cover, take over, delete an override.
import { useCallback, useEffect, useState } from "react";
import { alerting } from "../alerting-api";
import { api, messageOf, type User } from "../api";
import { useLoad, useNow } from "../data";
import { ConfirmDialog } from "../dialog";
import { FormError } from "../forms";
import { Page } from "../layout";
import { Link, useLocation, useNavigate } from "../router";
import {
  schedules,
  type Layer,
  type OnCallEntry,
  type OnCallGap,
  type Schedule,
  type Timeline,
} from "../schedules-api";
import { useMayManageTeam, useUser } from "../session";
import { LoadState } from "../widgets";
import { ScheduleFeedPanel } from "./schedule-calendar";
import { OverridesPanel } from "./schedule-overrides";
import { rotationSummary } from "./schedule-rotation-text";
import { ScheduleSettingsForm } from "./schedule-settings";
import { TakeOverDialog } from "./schedule-take-over";
import { ShiftDialog } from "./schedule-shift-dialog";
import { addDays, formatDay, formatWhen, instantOfLocal, localText, wallClock } from "./schedule-time";
import { GapList, TimelineView, type SelectedShift } from "./schedule-timeline";
import { OnCallNames, SchedulesNav } from "./schedules";
import "../schedules.css";

export type ViewLength = "week" | "fortnight" | "month";

const VIEW_LABEL: Record<ViewLength, string> = { week: "Week", fortnight: "Two weeks", month: "Month" };

/** The view's first and last local dates ("YYYY-MM-DD", end exclusive), `offset` periods from today's. */
export function viewDates(view: ViewLength, offset: number, nowMs: number, zone: string) {
  const today = localText(nowMs, zone).slice(0, 10);
  if (view === "month") {
    const [y, m] = today.split("-").map(Number) as [number, number];
    const first = new Date(Date.UTC(y, m - 1 + offset, 1)).toISOString().slice(0, 10);
    const next = new Date(Date.UTC(y, m + offset, 1)).toISOString().slice(0, 10);
    return { first, next };
  }
  const monday = addDays(today, -((wallClock(nowMs, zone).weekday + 6) % 7));
  const days = view === "week" ? 7 : 14;
  const first = addDays(monday, offset * days);
  return { first, next: addDays(first, days) };
}

/** The timeline between two instants, reloaded when they change; the last answer stays while loading. */
export function useTimeline(ref: string, start: string | undefined, end: string | undefined) {
  const [timeline, setTimeline] = useState<Timeline>();
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!start || !end) return;
    let alive = true;
    schedules.timeline(ref, start, end).then(
      (t) => {
        if (!alive) return;
        setTimeline(t);
        setError(undefined);
      },
      (err: unknown) => alive && setError(messageOf(err)),
    );
    return () => {
      alive = false;
    };
  }, [ref, start, end, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { timeline, error, reload };
}

/**
 * Who is on call now, or why nobody is: a disabled person's shift is named as on Home, so an
 * uncovered schedule does not read as an ordinary quiet spell.
 */
function OnCallNow(props: { entries: readonly OnCallEntry[]; gaps: readonly OnCallGap[]; zone: string }) {
  const { entries, gaps, zone } = props;
  if (entries.length > 0) return <OnCallNames entries={entries} zone={zone} />;
  const gap = gaps[0];
  if (gap?.reason === "disabled")
    return (
      <span className="warning-text">
        Nobody: {gap.userName ?? "the person on call"} is disabled
        {gap.end && <span className="muted"> (their shift ends {formatWhen(gap.end, zone)})</span>}
      </span>
    );
  return (
    <span className="warning-text">
      Nobody is on call
      {gap?.end && <span className="muted"> until {formatWhen(gap.end, zone)}</span>}
    </span>
  );
}

function LayerList(props: { schedule: Schedule; users: User[]; mayEdit: boolean }) {
  const { schedule, users, mayEdit } = props;
  const layers = schedule.layers.filter((l) => !l.endedAt).sort((a, b) => b.priority - a.priority);
  if (layers.length === 0)
    return (
      <p className="empty">
        No rotations yet: nobody is on call from this schedule.
        {mayEdit
          ? " Add a rotation, or generate follow-the-sun rotations."
          : " An admin or a manager of its team adds them."}
      </p>
    );
  return (
    <ul className="card-list">
      {layers.map((layer: Layer) => (
        <li key={layer.id} className="card-item">
          <div className="card-item-head">
            <div>
              <h3>{layer.name}</h3>
              <p className="muted">
                Priority {layer.priority}
                {layer.source === "fixed" && " · imported calendar"}
              </p>
            </div>
            {mayEdit && layer.source === "rotation" && (
              <Link
                to={`/schedules/${encodeURIComponent(schedule.id)}/layers/${encodeURIComponent(layer.id)}`}
                className="button button-small"
              >
                Edit<span className="visually-hidden"> rotation {layer.name}</span>
              </Link>
            )}
          </div>
          {layer.rotation && <p>{rotationSummary(layer.rotation, users)}</p>}
        </li>
      ))}
    </ul>
  );
}

export function SchedulePage({ scheduleRef }: { scheduleRef: string }) {
  const user = useUser();
  const navigate = useNavigate();
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const schedule = useLoad(() => schedules.get(scheduleRef));
  const users = useLoad(api.listUsers);
  const teams = useLoad(alerting.listTeams);
  const onCall = useLoad(() => schedules.onCall({ scheduleId: scheduleRef }));
  const now = useNow(30_000);
  const [view, setView] = useState<ViewLength>("week");
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<SelectedShift>();
  const [message, setMessage] = useState<string | undefined>(
    params.get("created")
      ? "Schedule created. Add a rotation to put people on call."
      : (params.get("saved") ?? undefined),
  );
  /** Counts the changes made here, so the parts that list them load again. */
  const [version, setVersion] = useState(0);
  const [takingOver, setTakingOver] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();

  const s = schedule.data;
  const zone = s?.timeZone ?? "UTC";
  // The view's dates follow the day, not every tick of the clock.
  const dates = s ? viewDates(view, offset, now, zone) : undefined;
  const startIso = dates ? new Date(instantOfLocal(`${dates.first}T00:00`, zone)).toISOString() : undefined;
  const endIso = dates ? new Date(instantOfLocal(`${dates.next}T00:00`, zone)).toISOString() : undefined;
  const { timeline, error: timelineError, reload } = useTimeline(scheduleRef, startIso, endIso);
  const isAdmin = user.role === "admin";
  const mayManageTeam = useMayManageTeam();
  const canAct = user.role !== "viewer";

  // From /oncall rather than the timeline: the view may cut the current shift at its edge.
  const current = onCall.data?.entries.find((e) => e.scheduleId === s?.id || e.scheduleId === scheduleRef);

  const changed = (text: string) => {
    setMessage(text);
    setVersion((v) => v + 1);
    reload();
    void onCall.reload();
  };

  const remove = async () => {
    setDeleteBusy(true);
    setDeleteError(undefined);
    try {
      await schedules.remove(scheduleRef);
      navigate("/schedules");
    } catch (err) {
      setDeleteError(messageOf(err));
    } finally {
      setDeleteBusy(false);
    }
  };

  if (!s) {
    return (
      <Page heading="Schedule" title="Schedule · On-call" eyebrow={<Link to="/schedules">Schedules</Link>}>
        <LoadState what="the schedule" loading={schedule.loading} error={schedule.error} />
      </Page>
    );
  }

  const team = s.teamId ? teams.data?.find((t) => t.id === s.teamId)?.name : undefined;
  // Its rotations: admins and its team's managers; creating and deleting schedules stay with admins.
  const mayEdit = mayManageTeam(s.teamId);
  const base = `/schedules/${encodeURIComponent(s.id)}`;
  const rangeText = dates
    ? `${formatDay(startIso ?? "", zone)} – ${formatDay(new Date(endIso ?? "").getTime() - 1, zone)}`
    : "";

  return (
    <Page
      heading={s.name}
      title={`${s.name} · Schedules`}
      eyebrow={<Link to="/schedules">Schedules</Link>}
      lead={
        <>
          Times in <strong>{s.timeZone}</strong>
          {team && (
            <>
              {" "}
              · team <strong>{team}</strong>
            </>
          )}
          {s.description && <> · {s.description}</>}
        </>
      }
    >
      <SchedulesNav />
      <div role="status">
        {message && (
          <div className="notice notice-success">
            <p>{message}</p>
          </div>
        )}
      </div>
      <p className="oncall-now">
        On call now:{" "}
        {onCall.data ? (
          <OnCallNow entries={onCall.data.entries} gaps={onCall.data.gaps ?? []} zone={zone} />
        ) : (
          <span className="muted">{onCall.error ?? "…"}</span>
        )}
      </p>
      {mayEdit && (
        <div className="actions schedule-actions">
          <Link to={`${base}/layers/new`} className="button button-primary">
            Add a rotation
          </Link>
          <Link to={`${base}/follow-the-sun`} className="button">
            Follow-the-sun generator
          </Link>
          <Link to={`${base}/fairness`} className="button">
            Fairness report
          </Link>
        </div>
      )}
      {!mayEdit && (
        <p>
          <Link to={`${base}/fairness`}>Fairness report</Link>
        </p>
      )}

      <section className="panel" aria-labelledby="timeline-heading">
        <div className="tl-toolbar">
          <h2 id="timeline-heading">
            Timeline <span className="tl-range">{rangeText}</span>
          </h2>
          <div className="tl-controls">
            <div className="segmented" role="group" aria-label="Show">
              {(Object.keys(VIEW_LABEL) as ViewLength[]).map((v) => (
                <button
                  key={v}
                  type="button"
                  className="button button-small"
                  aria-pressed={view === v}
                  onClick={() => {
                    setView(v);
                    setOffset(0);
                  }}
                >
                  {VIEW_LABEL[v]}
                </button>
              ))}
            </div>
            <div className="segmented" role="group" aria-label="Move">
              <button type="button" className="button button-small" onClick={() => setOffset((o) => o - 1)}>
                Previous
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => setOffset(0)}
                disabled={offset === 0}
              >
                Today
              </button>
              <button type="button" className="button button-small" onClick={() => setOffset((o) => o + 1)}>
                Next
              </button>
            </div>
          </div>
        </div>
        {timelineError && (
          <div className="notice notice-error" role="alert">
            <p>Could not load the timeline: {timelineError}</p>
          </div>
        )}
        {!timeline && !timelineError && <p role="status">Loading the timeline…</p>}
        {timeline && (
          <>
            <p className="muted tl-help">
              {canAct
                ? "Choose a shift for its times in each person’s zone; choose one of yours to ask for a swap or cover."
                : "Choose a shift for its times in each person’s zone."}
            </p>
            <TimelineView
              timeline={timeline}
              now={now}
              meId={user.id}
              label={`Timeline of ${s.name}`}
              onSelect={setSelected}
              finalActions={
                canAct &&
                offset === 0 &&
                current?.userId !== user.id && (
                  <button
                    type="button"
                    className="button button-small button-danger-quiet"
                    onClick={() => setTakingOver(true)}
                  >
                    Take over now
                  </button>
                )
              }
            />
            <GapList gaps={timeline.gaps} zone={zone} now={now} viewEnd={timeline.end} />
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="rotations">
        <h2 id="rotations">Rotations</h2>
        <p className="muted">
          Where rotations overlap, the higher priority is on call. Overrides win over every rotation.
        </p>
        <LayerList schedule={s} users={users.data ?? []} mayEdit={mayEdit} />
      </section>

      <OverridesPanel schedule={s} users={users.data ?? []} version={version} onChanged={changed} />

      <ScheduleFeedPanel schedule={s} startIso={startIso} endIso={endIso} />

      {mayEdit && (
        <section className="panel" aria-labelledby="schedule-settings">
          <h2 id="schedule-settings">Settings</h2>
          <ScheduleSettingsForm
            // Started again from what the server saved (it spells the zone its own way).
            key={s.updatedAt}
            schedule={s}
            teams={teams.data ?? []}
            onSaved={(saved) => {
              // Opened by its old name, the page would look for a schedule no longer called that.
              if (saved.id !== scheduleRef && saved.name !== scheduleRef) {
                navigate(`/schedules/${encodeURIComponent(saved.id)}?saved=Schedule+settings+saved.`);
                return;
              }
              schedule.set(() => saved);
              changed("Schedule settings saved.");
            }}
          />
        </section>
      )}

      {isAdmin && (
        <section className="panel" aria-labelledby="delete-schedule">
          <h2 id="delete-schedule">Delete this schedule</h2>
          <p className="muted">An escalation policy that still pages this schedule must be changed first.</p>
          <button type="button" className="button button-danger-quiet" onClick={() => setDeleting(true)}>
            Delete schedule
          </button>
        </section>
      )}

      {selected && (
        <ShiftDialog
          selected={selected}
          schedule={s}
          timeline={timeline}
          users={users.data ?? []}
          now={now}
          onClose={() => setSelected(undefined)}
          onDone={(text) => {
            setSelected(undefined);
            changed(text);
          }}
        />
      )}
      {takingOver && (
        // Mounted when opened, so its end starts from the gap known then.
        <TakeOverDialog
          open
          scheduleRef={scheduleRef}
          zone={zone}
          current={current}
          gap={current ? undefined : onCall.data?.gaps?.[0]}
          onCancel={() => setTakingOver(false)}
          onDone={(o) => {
            setTakingOver(false);
            changed(`You are on call now, until ${formatWhen(o.end, zone)}.`);
          }}
        />
      )}
      <ConfirmDialog
        open={deleting}
        title={`Delete “${s.name}”?`}
        confirmLabel="Delete schedule"
        danger
        busy={deleteBusy}
        onConfirm={() => void remove()}
        onCancel={() => {
          setDeleting(false);
          setDeleteError(undefined);
        }}
      >
        <p>Its rotations, overrides and calendar feed go with it.</p>
        <FormError message={deleteError} />
      </ConfirmDialog>
    </Page>
  );
}
