// A service's settings: who owns it, who is paged, which channel hears about it, how alerts become
// incidents, and its incident-response settings. Admins and its team's managers edit them; everyone
// else reads them.
import { useState, type FormEvent } from "react";
import {
  alerting,
  type Channel,
  type EscalationPolicy,
  type GroupingMode,
  type Service,
  type Team,
} from "../alerting-api";
import {
  CheckboxField,
  Field,
  FormError,
  SelectField,
  TextAreaField,
  useSubmission,
  wholeNumber,
} from "../forms";
import { useManagedTeamIds, useUser } from "../session";
import { ResponseSettingsSection } from "./war-room-service-settings";

const GROUPING: ReadonlyArray<{ value: GroupingMode; label: string }> = [
  { value: "group-key", label: "By the sender's group (Alertmanager's grouping)" },
  { value: "labels", label: "By the values of chosen labels" },
  { value: "none", label: "Never: every alert opens its own incident" },
];

export interface Choices {
  teams: readonly Team[];
  policies: readonly EscalationPolicy[];
  channels: readonly Channel[];
}

const nameOf = (list: ReadonlyArray<{ id: string; name: string }>, id: string | null) =>
  (id && list.find((x) => x.id === id)?.name) || undefined;

/** The escalation-policy choice that pages nobody, worded alike where a service is created and changed. */
export const NO_POLICY_LABEL = "None (nobody is paged)";

export function ServiceFacts({ service, choices }: { service: Service; choices: Choices }) {
  const g = service.grouping;
  return (
    <>
      <dl className="details">
        <dt>Description</dt>
        <dd>{service.description || "—"}</dd>
        <dt>Team</dt>
        <dd>{nameOf(choices.teams, service.teamId) ?? "None"}</dd>
        <dt>Escalation policy</dt>
        <dd>{nameOf(choices.policies, service.escalationPolicyId) ?? "None: nobody is paged"}</dd>
        <dt>Shared channel</dt>
        <dd>{nameOf(choices.channels, service.channelId) ?? "None"}</dd>
        <dt>Grouping</dt>
        <dd>
          {GROUPING.find((x) => x.value === g.mode)?.label}
          {g.mode === "labels" && `: ${g.labels.join(", ")}`}
          {g.windowMinutes !== null && `, within ${g.windowMinutes} min`}
        </dd>
        <dt>Auto-resolve</dt>
        <dd>{service.autoResolve ? "Yes, when all its alerts resolve" : "No"}</dd>
        <dt>Reopen window</dt>
        <dd>{service.reopenWindowMinutes > 0 ? `${service.reopenWindowMinutes} min` : "Never reopen"}</dd>
      </dl>
      <ResponseSettingsSection serviceId={service.id} mayChange={false} />
    </>
  );
}

interface FormProps {
  service: Service;
  choices: Choices;
  onSaved(service: Service): void;
}

export function ServiceSettingsForm({ service, choices, onSaved }: FormProps) {
  const isAdmin = useUser().role === "admin";
  const managed = useManagedTeamIds();
  // A manager may move the service only to another team they manage, never to no team.
  const teamChoices = choices.teams.filter((t) => isAdmin || managed.has(t.id) || t.id === service.teamId);
  const [name, setName] = useState(service.name);
  const [description, setDescription] = useState(service.description);
  const [teamId, setTeamId] = useState(service.teamId ?? "");
  const [policyId, setPolicyId] = useState(service.escalationPolicyId ?? "");
  const [channelId, setChannelId] = useState(service.channelId ?? "");
  const [mode, setMode] = useState<GroupingMode>(service.grouping.mode);
  const [labels, setLabels] = useState(service.grouping.labels.join(", "));
  const [windowText, setWindowText] = useState(service.grouping.windowMinutes?.toString() ?? "");
  const [autoResolve, setAutoResolve] = useState(service.autoResolve);
  const [reopenText, setReopenText] = useState(String(service.reopenWindowMinutes));
  const [saved, setSaved] = useState(false);
  const submission = useSubmission(
    [
      "name",
      "description",
      "teamId",
      "escalationPolicyId",
      "channelId",
      "grouping",
      "autoResolve",
      "reopenWindowMinutes",
    ],
    { conflictField: "name" },
  );
  const p = submission.paths;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void submission.run(async () => {
      const updated = await alerting.updateService(service.id, {
        name,
        description,
        teamId: teamId || null,
        escalationPolicyId: policyId || null,
        channelId: channelId || null,
        grouping: {
          mode,
          labels: labels
            .split(",")
            .map((l) => l.trim())
            .filter(Boolean),
          windowMinutes: wholeNumber(windowText, "/grouping/windowMinutes", { allowEmpty: true }),
        },
        autoResolve,
        reopenWindowMinutes: wholeNumber(reopenText, "/reopenWindowMinutes"),
      });
      setSaved(true);
      onSaved(updated);
    });
  };

  const none = (label: string) => [{ value: "", label }];
  return (
    <>
      <form className="form" onSubmit={submit} noValidate aria-labelledby="settings">
        {saved && (
          <div className="notice notice-success" role="status">
            <p>Saved.</p>
          </div>
        )}
        <FormError message={submission.error} />
        <Field label="Name" required value={name} onChange={(e) => setName(e.target.value)} error={p.name} />
        <TextAreaField
          label="Description"
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={p.description}
        />
        <div className="form-row">
          <SelectField
            label="Team"
            value={teamId}
            onChange={(e) => setTeamId(e.target.value)}
            options={[
              ...(isAdmin ? none("No team") : []),
              ...teamChoices.map((t) => ({ value: t.id, label: t.name })),
            ]}
            error={p.teamId}
          />
          <SelectField
            label="Escalation policy"
            value={policyId}
            onChange={(e) => setPolicyId(e.target.value)}
            options={[
              ...choices.policies.map((x) => ({ value: x.id, label: x.name })),
              ...none(NO_POLICY_LABEL),
            ]}
            error={p.escalationPolicyId}
            hint="Who is paged for page-level incidents."
          />
        </div>
        <SelectField
          label="Shared channel"
          value={channelId}
          onChange={(e) => setChannelId(e.target.value)}
          options={[
            ...none("None"),
            ...choices.channels.map((c) => ({ value: c.id, label: `${c.name} (${c.kind})` })),
          ]}
          error={p.channelId}
          hint="Told about every page- and notify-level incident, such as the team's Slack channel."
        />
        <fieldset className="fieldset">
          <legend>How alerts are grouped into incidents</legend>
          <SelectField
            label="Group alerts"
            value={mode}
            onChange={(e) => setMode(e.target.value as GroupingMode)}
            options={GROUPING}
            error={p["grouping/mode"]}
          />
          {mode === "labels" && (
            <Field
              label="Labels"
              value={labels}
              onChange={(e) => setLabels(e.target.value)}
              error={p["grouping/labels"]}
              hint="Comma-separated, such as “alertname, cluster”."
            />
          )}
          <Field
            label="Grouping window (minutes)"
            inputMode="numeric"
            value={windowText}
            onChange={(e) => setWindowText(e.target.value)}
            error={p["grouping/windowMinutes"]}
            hint="Join only incidents opened this recently. Empty: any open incident."
          />
        </fieldset>
        <CheckboxField
          label="Resolve the incident when all its alerts have resolved"
          checked={autoResolve}
          onChange={(e) => setAutoResolve(e.target.checked)}
        />
        <Field
          label="Reopen window (minutes)"
          inputMode="numeric"
          value={reopenText}
          onChange={(e) => setReopenText(e.target.value)}
          error={p.reopenWindowMinutes}
          hint="A new alert this soon after the incident resolved reopens it instead of opening another. 0: never."
        />
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {submission.busy ? "Saving…" : "Save settings"}
        </button>
      </form>
      {/* The form is shown only to whom may change the service: its response settings too. */}
      <ResponseSettingsSection serviceId={service.id} mayChange />
    </>
  );
}
