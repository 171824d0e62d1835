// A schedule's own settings (name, description, time zone, team) on its page, for admins and managers
// of its team. The server checks again (PATCH /api/v1/schedules/{id}); its field errors land here.
import { useState, type FormEvent } from "react";
import type { Team } from "../alerting-api";
import { Field, FormError, SelectField, TextAreaField, useSubmission } from "../forms";
import { schedules, type Schedule } from "../schedules-api";
import { useMayManageTeam, useUser } from "../session";
import { teamOptions } from "./schedule-team-options";
import { TimeZoneList } from "./schedules";

export function ScheduleSettingsForm(props: {
  schedule: Schedule;
  teams: readonly Team[];
  onSaved(schedule: Schedule): void;
}) {
  const { schedule } = props;
  const isAdmin = useUser().role === "admin";
  const mayManageTeam = useMayManageTeam();
  const [name, setName] = useState(schedule.name);
  const [description, setDescription] = useState(schedule.description);
  const [timeZone, setTimeZone] = useState(schedule.timeZone);
  const [teamId, setTeamId] = useState(schedule.teamId ?? "");
  const submission = useSubmission(["name", "description", "timeZone", "teamId"], {
    conflictField: "name",
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const team = teamId === "" ? null : teamId;
      const saved = await schedules.update(schedule.id, {
        name: name.trim(),
        description: description.trim(),
        timeZone: timeZone.trim(),
        // Sent only when changed: the team is what needs the most rights to change.
        ...(team !== schedule.teamId && { teamId: team }),
      });
      props.onSaved(saved);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="schedule-settings">
      <FormError message={submission.error} />
      <div className="form-row">
        <Field
          label="Schedule name"
          autoComplete="off"
          required
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            submission.clear("name");
          }}
          error={submission.fields.name}
        />
        <Field
          label="Schedule time zone"
          autoComplete="off"
          list="schedule-settings-time-zones"
          required
          value={timeZone}
          onChange={(e) => {
            setTimeZone(e.target.value);
            submission.clear("timeZone");
          }}
          error={submission.fields.timeZone}
          hint="Handoff times and days are read in this zone: changing it moves them with the new zone’s clock."
        />
      </div>
      <TimeZoneList id="schedule-settings-time-zones" />
      <div className="form-row">
        <SelectField
          label="Owning team"
          value={teamId}
          onChange={(e) => {
            setTeamId(e.target.value);
            submission.clear("teamId");
          }}
          options={teamOptions(props.teams, schedule.teamId, isAdmin, mayManageTeam)}
          error={submission.fields.teamId}
          hint="Its managers may change the schedule; cover requests are offered to the team."
        />
      </div>
      <TextAreaField
        label="Schedule description"
        rows={2}
        value={description}
        onChange={(e) => {
          setDescription(e.target.value);
          submission.clear("description");
        }}
        error={submission.fields.description}
        hint="Optional."
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}
