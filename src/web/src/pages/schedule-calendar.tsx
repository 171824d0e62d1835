// Calendars: a schedule's iCal feed and CSV export, and on My account a person's own feed, time
// zone and upcoming shifts. Feed URLs carry their secret; rotating one stops the old URL at once.
import { useState, type FormEvent } from "react";
import { messageOf } from "../api";
import { useLoad } from "../data";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, useSubmission } from "../forms";
import { Link } from "../router";
import { schedules, type Schedule, type ZonedUser } from "../schedules-api";
import { useSession, useUser } from "../session";
import { CopyBlock, LoadState } from "../widgets";
import { browserTimeZone, formatSpan } from "./schedule-time";
import { TimeZoneList } from "./schedules";

interface FeedProps {
  /** "Calendar feed": the copy block's title. */
  title: string;
  /** "the schedule's calendar feed", "my calendar feed": as it reads after "Rotate". */
  what: string;
  load(): Promise<{ url: string }>;
  rotate(): Promise<{ url: string }>;
  canRotate: boolean;
}

function Feed({ title, what, load, rotate, canRotate }: FeedProps) {
  const feed = useLoad(load);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [rotated, setRotated] = useState(false);

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await rotate();
      feed.set(() => next);
      setAsking(false);
      setRotated(true);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <LoadState what={what} loading={feed.loading && !feed.data} error={feed.error} />
      {feed.data && (
        <CopyBlock title={title} text={feed.data.url} inline>
          {canRotate && (
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setRotated(false);
                setAsking(true);
              }}
            >
              Rotate<span className="visually-hidden"> {what} URL</span>
            </button>
          )}
        </CopyBlock>
      )}
      <div role="status">
        {rotated && (
          <div className="notice notice-success">
            <p>New URL made. The old one no longer works; update the calendars that used it.</p>
          </div>
        )}
      </div>
      <ConfirmDialog
        open={asking}
        title={`Rotate ${what} URL?`}
        confirmLabel="Rotate URL"
        danger
        busy={busy}
        onConfirm={() => void confirm()}
        onCancel={() => setAsking(false)}
      >
        <p>
          The current URL stops working at once. Do this if it was shared with someone who should not have it.
        </p>
        <FormError message={error} />
      </ConfirmDialog>
    </>
  );
}

export function ScheduleFeedPanel(props: { schedule: Schedule; startIso?: string; endIso?: string }) {
  const { schedule, startIso, endIso } = props;
  const me = useUser();
  return (
    <section className="panel" aria-labelledby="calendar-feed">
      <h2 id="calendar-feed">Calendar and export</h2>
      <p className="muted">
        Subscribe to this schedule in any calendar app (Google, Outlook, Apple): shifts from two weeks back to
        90 days ahead. Anyone with the URL can read it.
      </p>
      <Feed
        title="Calendar feed URL"
        what="the schedule’s calendar feed"
        load={() => schedules.scheduleFeed(schedule.id)}
        rotate={() => schedules.rotateScheduleFeed(schedule.id)}
        canRotate={me.role === "admin"}
      />
      {startIso && endIso && (
        <p>
          <a href={schedules.csvUrl(schedule.id, startIso, endIso)} download>
            Download the shifts in the timeline’s view (CSV)
          </a>{" "}
          <span className="muted">for payroll; a longer range is on the fairness report.</span>
        </p>
      )}
    </section>
  );
}

const DAY_MS = 86_400_000;

function MyShifts({ zone }: { zone: string }) {
  const shifts = useLoad(() => {
    const start = Date.now();
    return schedules.shiftsOf(
      "me",
      new Date(start).toISOString(),
      new Date(start + 14 * DAY_MS).toISOString(),
    );
  });
  return (
    <>
      <LoadState what="your shifts" loading={shifts.loading && !shifts.data} error={shifts.error} />
      {shifts.data && shifts.data.length === 0 && (
        <p className="empty">You are not on call in the next two weeks.</p>
      )}
      {shifts.data && shifts.data.length > 0 && (
        <ul className="shift-list">
          {shifts.data.map((s, i) => (
            <li key={`${s.scheduleId ?? ""}-${s.start}-${i}`}>
              <strong>{formatSpan(s.start, s.end, zone)}</strong>{" "}
              {s.scheduleId && (
                <Link to={`/schedules/${encodeURIComponent(s.scheduleId)}`}>
                  {s.scheduleName ?? "schedule"}
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function TimeZoneForm({ current }: { current: string | null }) {
  const { refresh } = useSession();
  const [zone, setZone] = useState(current ?? "");
  const [saved, setSaved] = useState(false);
  const submission = useSubmission(["timeZone"]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void submission.run(async () => {
      await schedules.setMyTimeZone(zone.trim() || null);
      await refresh();
      setSaved(true);
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError message={submission.error} />
      <Field
        label="My time zone"
        autoComplete="off"
        list="my-time-zones"
        value={zone}
        onChange={(e) => {
          setZone(e.target.value);
          submission.clear("timeZone");
        }}
        error={submission.fields.timeZone}
        hint={
          <>
            Shifts are shown in it, and night hours in the fairness report are counted in it. This browser is
            in{" "}
            <button type="button" className="link-button" onClick={() => setZone(browserTimeZone())}>
              {browserTimeZone()}
            </button>
            . Leave empty for none.
          </>
        }
      />
      <TimeZoneList id="my-time-zones" />
      <div role="status">
        {saved && (
          <div className="notice notice-success">
            <p>Time zone saved.</p>
          </div>
        )}
      </div>
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Saving…" : "Save time zone"}
      </button>
    </form>
  );
}

/** My account's on-call part: my time zone, my upcoming shifts, my calendar feed. */
export function MyOnCallSection() {
  const user = useUser() as ZonedUser;
  const zone = user.timeZone || browserTimeZone();
  return (
    <section className="panel" aria-labelledby="my-on-call">
      <h2 id="my-on-call">On call</h2>
      <TimeZoneForm current={user.timeZone ?? null} />
      <h3>My shifts in the next two weeks</h3>
      <p className="muted">In {zone}.</p>
      <MyShifts zone={zone} />
      <h3>My calendar feed</h3>
      <p className="muted">
        All my shifts on every schedule, for a calendar app. Anyone with the URL can read it.
      </p>
      <Feed
        title="My calendar feed URL"
        what="my calendar feed"
        load={schedules.myFeed}
        rotate={schedules.rotateMyFeed}
        canRotate
      />
    </section>
  );
}
