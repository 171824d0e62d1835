// /schedules: every on-call schedule with who is on call now; admins create new ones here.
// Also the tabs the schedule area shares (schedules, trades inbox with its count).
import { useState, type FormEvent } from "react";
import { alerting, type Team } from "../alerting-api";
import { useLoad } from "../data";
import { Field, FormError, SelectField, useSubmission } from "../forms";
import { Page } from "../layout";
import { Link, NavLink, useNavigate } from "../router";
import { schedules, type OnCallEntry, type Schedule } from "../schedules-api";
import { useUser } from "../session";
import { LoadState } from "../widgets";
import { browserTimeZone, formatWhen, TIME_ZONES } from "./schedule-time";
import { TradesBadge } from "./schedules-badge";
import "../schedules.css";

/** The schedule area's tabs; the trades tab carries the number of requests waiting for me. */
export function SchedulesNav() {
  return (
    <nav className="tabs" aria-label="Schedules">
      <ul>
        <li>
          <NavLink to="/schedules" exact>
            All schedules
          </NavLink>
        </li>
        <li>
          <NavLink to="/schedules/trades">
            Trades <TradesBadge />
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}

export function TimeZoneList({ id }: { id: string }) {
  return (
    <datalist id={id}>
      {TIME_ZONES.map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  );
}

function CreateScheduleForm({ teams }: { teams: readonly Team[] }) {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [teamId, setTeamId] = useState("");
  const [description, setDescription] = useState("");
  const submission = useSubmission(["name", "timeZone", "teamId", "description"], {
    conflictField: "name",
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const created = await schedules.create({
        name: name.trim(),
        timeZone: timeZone.trim(),
        ...(teamId && { teamId }),
        ...(description.trim() && { description: description.trim() }),
      });
      navigate(`/schedules/${encodeURIComponent(created.id)}?created=1`);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="create-schedule">
      <FormError message={submission.error} />
      <div className="form-row">
        <Field
          label="Name"
          autoComplete="off"
          required
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            submission.clear("name");
          }}
          error={submission.fields.name}
          hint="Such as “Platform primary”."
        />
        <Field
          label="Time zone"
          autoComplete="off"
          list="schedule-time-zones"
          required
          value={timeZone}
          onChange={(e) => {
            setTimeZone(e.target.value);
            submission.clear("timeZone");
          }}
          error={submission.fields.timeZone}
          hint="Handoff times and days are read in this zone, such as Europe/Berlin."
        />
      </div>
      <TimeZoneList id="schedule-time-zones" />
      <div className="form-row">
        <SelectField
          label="Team"
          value={teamId}
          onChange={(e) => {
            setTeamId(e.target.value);
            submission.clear("teamId");
          }}
          options={[{ value: "", label: "No team" }, ...teams.map((t) => ({ value: t.id, label: t.name }))]}
          error={submission.fields.teamId}
          hint="Cover requests are offered to the team."
        />
        <Field
          label="Description"
          autoComplete="off"
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            submission.clear("description");
          }}
          error={submission.fields.description}
          hint="Optional."
        />
      </div>
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Creating…" : "Create schedule"}
      </button>
    </form>
  );
}

/** "Ada Lovelace until Tue 22 Nov, 09:00", or a warning that nobody is. */
export function OnCallNames({ entries, zone }: { entries: readonly OnCallEntry[]; zone: string }) {
  if (entries.length === 0) return <span className="warning-text">Nobody</span>;
  return (
    <>
      {entries.map((e, i) => (
        <span key={`${e.userId}-${i}`} className="oncall-name">
          {i > 0 && ", "}
          <strong>{e.userName}</strong>
          {e.end && <span className="muted"> until {formatWhen(e.end, zone)}</span>}
        </span>
      ))}
    </>
  );
}

function ScheduleTable(props: { list: Schedule[]; teams: Team[]; onCall: OnCallEntry[] | undefined }) {
  const teams = new Map(props.teams.map((t) => [t.id, t.name]));
  const sorted = [...props.list].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Schedule</th>
          <th scope="col">Time zone</th>
          <th scope="col">Team</th>
          <th scope="col">On call now</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((s) => (
          <tr key={s.id}>
            <th scope="row" className="break">
              <Link to={`/schedules/${encodeURIComponent(s.id)}`}>{s.name}</Link>
            </th>
            <td data-label="Time zone">{s.timeZone}</td>
            <td data-label="Team">{(s.teamId && teams.get(s.teamId)) || "—"}</td>
            <td data-label="On call now">
              {props.onCall ? (
                <OnCallNames entries={props.onCall.filter((e) => e.scheduleId === s.id)} zone={s.timeZone} />
              ) : (
                "…"
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SchedulesPage() {
  const user = useUser();
  const list = useLoad(schedules.list);
  const teams = useLoad(alerting.listTeams);
  const onCall = useLoad(() => schedules.onCall());
  const isAdmin = user.role === "admin";

  return (
    <Page
      heading="Schedules"
      title="Schedules · On-call"
      lead="Who is on call when. Each schedule stacks rotations by priority; overrides, swaps and covers go on top."
    >
      <SchedulesNav />
      <section className="panel" aria-labelledby="all-schedules">
        <h2 id="all-schedules">All schedules</h2>
        <LoadState what="schedules" loading={list.loading && !list.data} error={list.error} />
        {list.data && list.data.length === 0 && (
          <p className="empty">
            No schedules yet. {isAdmin ? "Create the first one below." : "An admin creates them."}
          </p>
        )}
        {list.data && list.data.length > 0 && (
          <ScheduleTable list={list.data} teams={teams.data ?? []} onCall={onCall.data?.entries} />
        )}
      </section>
      {isAdmin && (
        <section className="panel" aria-labelledby="create-schedule">
          <h2 id="create-schedule">Create a schedule</h2>
          <CreateScheduleForm teams={teams.data ?? []} />
        </section>
      )}
    </Page>
  );
}
