// /schedules/:id/follow-the-sun (admin): from the members' zones and working hours and a shift of
// 4–6 hours, a plan of rotations that covers the day with nobody on call outside working hours
// where the team's spread allows. Preview the slots and the hours nobody can take, then save.
import { useState, type FormEvent } from "react";
import { api, messageOf, type User } from "../api";
import { useLoad } from "../data";
import { Field, FormError, SelectField, useSubmission } from "../forms";
import { Page } from "../layout";
import { Link, useNavigate } from "../router";
import {
  schedules,
  type FollowTheSunMember,
  type FollowTheSunPlan,
  type Schedule,
  type ZonedUser,
} from "../schedules-api";
import { LoadState } from "../widgets";
import { nameOf, rotationSummary } from "./schedule-rotation-text";
import { addDays, browserTimeZone, localText } from "./schedule-time";
import { personStyle } from "./schedule-timeline";
import { SchedulesNav, TimeZoneList } from "./schedules";
import "../schedules.css";

const hoursText = (n: number) => `${Math.round(n * 10) / 10} h`;

function MemberRows(props: {
  members: FollowTheSunMember[];
  users: User[];
  errors: Record<string, string>;
  onChange(members: FollowTheSunMember[]): void;
  /** Takes back the errors under a path the person just changed (useSubmission's `clear`). */
  clear(path: string): void;
}) {
  const { members, users, errors, onChange, clear } = props;
  const update = (i: number, change: Partial<FollowTheSunMember>) => {
    for (const field of Object.keys(change)) clear(`members/${i}/${field}`);
    onChange(members.map((m, j) => (j === i ? { ...m, ...change } : m)));
  };
  return (
    <ol className="fts-members">
      {members.map((m, i) => {
        const name = nameOf(m.userId, users);
        const err = (field: string) => errors[`members/${i}/${field}`];
        return (
          <li key={m.userId} className="fts-member">
            <p className="fts-member-name">
              <span className="person-dot" style={personStyle(m.userId)} aria-hidden="true" />
              {name}
            </p>
            <Field
              label={`${name}: time zone`}
              list="fts-time-zones"
              autoComplete="off"
              value={m.timeZone}
              onChange={(e) => update(i, { timeZone: e.target.value })}
              error={err("timeZone")}
            />
            <Field
              label={`${name}: work starts`}
              type="time"
              value={m.workStart}
              onChange={(e) => update(i, { workStart: e.target.value })}
              error={err("workStart")}
            />
            <Field
              label={`${name}: work ends`}
              type="time"
              value={m.workEnd}
              onChange={(e) => update(i, { workEnd: e.target.value })}
              error={err("workEnd")}
            />
            <button
              type="button"
              className="button button-small button-danger-quiet"
              onClick={() => {
                // The members after it move up a row, and their errors would land on others.
                clear("members");
                onChange(members.filter((_, j) => j !== i));
              }}
            >
              Remove<span className="visually-hidden"> {name}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function PlanView({ plan, users, zone }: { plan: FollowTheSunPlan; users: User[]; zone: string }) {
  const names = (ids: readonly string[]) => ids.map((id) => nameOf(id, users)).join(", ") || "nobody";
  return (
    <>
      {plan.uncovered.length === 0 ? (
        <div className="notice notice-success">
          <p>Every hour of the day is inside someone’s working hours: nobody is on call at night.</p>
        </div>
      ) : (
        <div className="notice notice-warning">
          <p>
            <strong>
              {hoursText(plan.uncoveredHoursPerDay)} a day cannot be covered inside working hours.
            </strong>{" "}
            These are taken by the people for whom they are least bad:
          </p>
          <ul>
            {plan.uncovered.map((u) => (
              <li key={u.slotIndex}>
                {u.startTime}–{u.endTime} ({zone}; {u.startUtcTime}–{u.endUtcTime} UTC): {hoursText(u.hours)}{" "}
                outside working hours, {hoursText(u.nightHours)} of them at night, taken by{" "}
                {names(u.takenByIds)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {plan.notes.length > 0 && (
        <ul className="muted">
          {plan.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Slot ({zone})</th>
            <th scope="col">UTC</th>
            <th scope="col">Taken by, in turn</th>
            <th scope="col">Could take it</th>
            <th scope="col">Outside work</th>
          </tr>
        </thead>
        <tbody>
          {plan.slots.map((s) => (
            <tr key={s.index}>
              <th scope="row">
                {s.startTime}–{s.endTime}
              </th>
              <td data-label="UTC">
                {s.startUtcTime}–{s.endUtcTime}
              </td>
              <td data-label="Taken by, in turn">{names(s.assignedIds)}</td>
              <td data-label="Could take it">{names(s.candidateIds)}</td>
              <td
                data-label="Outside work"
                className={s.hoursOutsideWorkingHours > 0 ? "warning-text" : undefined}
              >
                {s.hoursOutsideWorkingHours > 0 ? hoursText(s.hoursOutsideWorkingHours) : "none"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.keys(plan.nightHoursPerWeekByUser).length > 0 && (
        <>
          <h3>Night hours per week, on average</h3>
          <ul>
            {Object.entries(plan.nightHoursPerWeekByUser).map(([id, h]) => (
              <li key={id}>
                {nameOf(id, users)}: {hoursText(h)}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Rotations to create</h3>
      <ul>
        {plan.layers.map((l) => (
          <li key={l.name}>
            <strong>{l.name}</strong>: {rotationSummary(l.rotation, users)}
          </li>
        ))}
      </ul>
    </>
  );
}

function Generator({ schedule, users }: { schedule: Schedule; users: User[] }) {
  const navigate = useNavigate();
  const zone = schedule.timeZone;
  const [members, setMembers] = useState<FollowTheSunMember[]>([]);
  const [adding, setAdding] = useState("");
  const [shiftHours, setShiftHours] = useState("6");
  const [startDate, setStartDate] = useState(() => addDays(localText(Date.now(), zone).slice(0, 10), 1));
  const [plan, setPlan] = useState<FollowTheSunPlan>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const submission = useSubmission([
    "members",
    "shiftHours",
    "referenceDate",
    "startLocal",
    "scheduleTimeZone",
  ]);
  const p = submission.paths;

  const changed =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPlan(undefined);
    };
  const add = () => {
    submission.clear("members", { exact: true });
    const user = users.find((u) => u.id === adding) as ZonedUser | undefined;
    if (user && !members.some((m) => m.userId === user.id))
      changed(setMembers)([
        ...members,
        {
          userId: user.id,
          timeZone: user.timeZone || browserTimeZone(),
          workStart: "09:00",
          workEnd: "17:00",
        },
      ]);
    setAdding("");
  };

  const preview = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      setPlan(
        await schedules.followTheSun({
          scheduleTimeZone: zone,
          members: members.map((m) => ({ ...m, timeZone: m.timeZone.trim() })),
          shiftHours: Number(shiftHours),
          referenceDate: startDate,
          startLocal: `${startDate}T00:00`,
        }),
      );
    });
  };

  const save = async () => {
    if (!plan) return;
    setSaving(true);
    setSaveError(undefined);
    let saved = 0;
    try {
      for (const layer of plan.layers) {
        await schedules.addLayer(schedule.id, layer);
        saved++;
      }
      const text = `${saved} follow-the-sun ${saved === 1 ? "rotation" : "rotations"} added.`;
      navigate(`/schedules/${encodeURIComponent(schedule.id)}?saved=${encodeURIComponent(text)}`);
    } catch (err) {
      setSaveError(
        saved > 0
          ? `${saved} of ${plan.layers.length} rotations were saved, then: ${messageOf(err)} Check the schedule before trying again.`
          : messageOf(err),
      );
    } finally {
      setSaving(false);
    }
  };

  const membersError = p.members;
  return (
    <>
      <section className="panel" aria-labelledby="fts-team">
        <h2 id="fts-team">The team</h2>
        <form className="form form-wide" onSubmit={preview} noValidate>
          <FormError message={submission.error} />
          {members.length === 0 ? (
            <p className="muted">Add the members, with where they work and their working hours.</p>
          ) : (
            <MemberRows
              members={members}
              users={users}
              errors={p}
              onChange={changed(setMembers)}
              clear={submission.clear}
            />
          )}
          {membersError && <p className="field-error">Members {membersError}.</p>}
          <TimeZoneList id="fts-time-zones" />
          <div className="field">
            <label htmlFor="fts-add-member">Add a member</label>
            <div className="inline-controls add-member">
              <select id="fts-add-member" value={adding} onChange={(e) => setAdding(e.target.value)}>
                <option value="">Choose a person…</option>
                {users
                  .filter((u) => !u.disabledAt && u.role !== "viewer")
                  .map((u) => (
                    <option key={u.id} value={u.id} disabled={members.some((m) => m.userId === u.id)}>
                      {u.name}
                    </option>
                  ))}
              </select>
              <button type="button" className="button" disabled={!adding} onClick={add}>
                Add member
              </button>
            </div>
          </div>
          <div className="form-row">
            <SelectField
              label="Shift length"
              value={shiftHours}
              onChange={(e) => {
                changed(setShiftHours)(e.target.value);
                submission.clear("shiftHours");
              }}
              options={["4", "5", "6"].map((h) => ({ value: h, label: `${h} hours` }))}
              error={p.shiftHours}
            />
            <Field
              label="Rotations begin on"
              type="date"
              value={startDate}
              onChange={(e) => {
                changed(setStartDate)(e.target.value);
                submission.clear("startLocal");
                submission.clear("referenceDate");
              }}
              error={p.startLocal ?? p.referenceDate}
              hint={`At midnight in ${zone}. Offsets of this day are used for the plan.`}
            />
          </div>
          <button
            type="submit"
            className="button button-primary"
            disabled={submission.busy || members.length === 0}
          >
            {submission.busy ? "Planning…" : "Preview plan"}
          </button>
        </form>
      </section>
      {plan && (
        <section className="panel" aria-labelledby="fts-plan">
          <h2 id="fts-plan">The plan</h2>
          <PlanView plan={plan} users={users} zone={zone} />
          <FormError message={saveError} />
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              disabled={saving}
              onClick={() => void save()}
            >
              {saving
                ? "Saving…"
                : `Save as ${plan.layers.length} ${plan.layers.length === 1 ? "layer" : "layers"}`}
            </button>
          </div>
        </section>
      )}
    </>
  );
}

export function FollowTheSunPage({ scheduleRef }: { scheduleRef: string }) {
  const schedule = useLoad(() => schedules.get(scheduleRef));
  const users = useLoad(api.listUsers);
  const s = schedule.data;
  return (
    <Page
      heading="Follow-the-sun generator"
      title="Follow-the-sun · Schedules"
      eyebrow={
        s ? (
          <Link to={`/schedules/${encodeURIComponent(s.id)}`}>{s.name}</Link>
        ) : (
          <Link to="/schedules">Schedules</Link>
        )
      }
      lead="Shifts of 4 to 6 hours handed around the world, so that each person is on call in their own working hours. A team in Berlin, New York and Singapore needs nobody at night."
    >
      <SchedulesNav />
      {!s || !users.data ? (
        <LoadState what="the schedule" loading error={schedule.error ?? users.error} />
      ) : (
        <Generator schedule={s} users={users.data} />
      )}
    </Page>
  );
}
