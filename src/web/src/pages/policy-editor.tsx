// /on-call/escalation-policies/new and /:id (admin): the step editor. Each step pages a schedule's
// on-call, people or teams and waits for an acknowledgement; steps can be added, removed and reordered.
import { useState, type FormEvent } from "react";
import { alerting, type EscalationPolicy, type EscalationTarget, type Team } from "../alerting-api";
import { api, ApiError, sentence, type User } from "../api";
import { useLoad } from "../data";
import { Field, FormError, useSubmission, wholeNumber } from "../forms";
import { Page } from "../layout";
import { Link, useNavigate } from "../router";
import { schedules as schedulesApi, type Schedule } from "../schedules-api";
import { LoadState } from "../widgets";
import {
  personTargetIds,
  targetName,
  UnreachableWarnings,
  useUnreachablePeople,
  type UnreachablePeople,
} from "./escalation-policies";

interface DraftStep {
  key: number;
  delayText: string;
  targets: EscalationTarget[];
  /** Chosen in the step's picker but not added yet: saving adds it, as the picker shows it. */
  picked: string;
}

let nextKey = 1;
const draftOf = (delayMinutes: number, targets: EscalationTarget[] = []): DraftStep => ({
  key: nextKey++,
  delayText: String(delayMinutes),
  targets,
  picked: "",
});
const targetValue = (t: EscalationTarget) =>
  t.kind === "user"
    ? `user:${t.userId}`
    : t.kind === "team"
      ? `team:${t.teamId}`
      : `schedule:${t.scheduleId}`;
const targetOf = (value: string): EscalationTarget | undefined => {
  const [kind, id] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
  if (kind === "user") return { kind, userId: id };
  if (kind === "team") return { kind, teamId: id };
  return kind === "schedule" ? { kind, scheduleId: id } : undefined;
};
/** The step with what its picker shows added to its targets. */
const withPicked = (step: DraftStep): DraftStep => {
  const target = targetOf(step.picked);
  const known = step.targets.some((t) => targetValue(t) === step.picked);
  return { ...step, targets: target && !known ? [...step.targets, target] : step.targets, picked: "" };
};

interface StepProps {
  step: DraftStep;
  index: number;
  count: number;
  users: User[];
  teams: Team[];
  schedules: Schedule[];
  unreachable: UnreachablePeople;
  errors: Record<string, string>;
  onChange(step: DraftStep): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}

function StepEditor(props: StepProps) {
  const { step, index, count, users, teams, schedules, unreachable, errors, onChange, onMove, onRemove } =
    props;
  const n = index + 1;
  const chosen = new Set(step.targets.map(targetValue));
  const targetErrors = Object.entries(errors)
    .filter(([path]) => path.startsWith(`steps/${index}/targets`))
    .map(([, message]) => message);
  const add = () => onChange(withPicked(step));
  const pickerId = `step-${step.key}-add`;

  return (
    <li className="step-editor">
      <fieldset className="fieldset">
        <legend>Step {n}</legend>
        <p className="step-label">Page</p>
        {step.targets.length === 0 ? (
          <p className="muted">Nobody yet: add a schedule, a person or a team.</p>
        ) : (
          <ul className="chips" aria-label={`Paged at step ${n}`}>
            {step.targets.map((t) => {
              const name = targetName(t, users, teams, schedules);
              return (
                <li key={targetValue(t)} className="chip">
                  <span>{name}</span>
                  <button
                    type="button"
                    className="chip-remove"
                    aria-label={`Remove ${name} from step ${n}`}
                    onClick={() => onChange({ ...step, targets: step.targets.filter((x) => x !== t) })}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <UnreachableWarnings targets={step.targets} unreachable={unreachable} />
        {targetErrors.length > 0 && (
          <div id={`${pickerId}-error`}>
            {targetErrors.map((message) => (
              <p key={message} className="field-error">
                {sentence(message)}
              </p>
            ))}
          </div>
        )}
        {/* Only the picker is marked: the minutes below may well be right. */}
        <div className={targetErrors.length > 0 ? "field field-invalid" : "field"}>
          <label htmlFor={pickerId}>Add to step {n}</label>
          <div className="inline-controls">
            <select
              id={pickerId}
              aria-invalid={targetErrors.length > 0 || undefined}
              aria-describedby={targetErrors.length > 0 ? `${pickerId}-error` : undefined}
              value={step.picked}
              onChange={(e) => onChange({ ...step, picked: e.target.value })}
            >
              <option value="">Choose a schedule, person or team…</option>
              {schedules.length > 0 && (
                <optgroup label="Schedules (whoever is on call)">
                  {schedules.map((s) => (
                    <option key={s.id} value={`schedule:${s.id}`} disabled={chosen.has(`schedule:${s.id}`)}>
                      {s.name}
                    </option>
                  ))}
                </optgroup>
              )}
              <optgroup label="People">
                {users
                  .filter((u) => !u.disabledAt)
                  .map((u) => (
                    <option key={u.id} value={`user:${u.id}`} disabled={chosen.has(`user:${u.id}`)}>
                      {u.name}
                    </option>
                  ))}
              </optgroup>
              {teams.length > 0 && (
                <optgroup label="Teams (every member is paged)">
                  {teams.map((t) => (
                    <option key={t.id} value={`team:${t.id}`} disabled={chosen.has(`team:${t.id}`)}>
                      {t.name}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
            <button type="button" className="button" disabled={!step.picked} onClick={add}>
              Add<span className="visually-hidden"> to step {n}</span>
            </button>
          </div>
        </div>
        <Field
          label={`Minutes to wait at step ${n}`}
          inputMode="numeric"
          value={step.delayText}
          onChange={(e) => onChange({ ...step, delayText: e.target.value })}
          error={errors[`steps/${index}/delayMinutes`]}
          hint="How long to wait for an acknowledgement before going on (1 to 1440)."
        />
        <div className="actions">
          <button
            type="button"
            className="button button-small"
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            Move up<span className="visually-hidden"> step {n}</span>
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={index === count - 1}
            onClick={() => onMove(1)}
          >
            Move down<span className="visually-hidden"> step {n}</span>
          </button>
          <button type="button" className="button button-small button-danger-quiet" onClick={onRemove}>
            Remove step {n}
          </button>
        </div>
      </fieldset>
    </li>
  );
}

/**
 * The server takes two policies of one name, but a service's policy is picked by name: a second
 * "Backend primary" could not be told from the first, so the editor refuses it on the Name field.
 */
function checkNameFree(name: string, others: readonly EscalationPolicy[]): void {
  const wanted = name.trim().toLowerCase();
  const twin = others.find((p) => p.name.trim().toLowerCase() === wanted);
  if (!wanted || !twin) return;
  throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
    { path: "/name", message: `is taken: another policy is called “${twin.name}”` },
  ]);
}

function PolicyForm(props: {
  policy?: EscalationPolicy;
  /** Every other policy, whose names this one must not repeat. */
  others: readonly EscalationPolicy[];
  users: User[];
  teams: Team[];
  schedules: Schedule[];
}) {
  const { policy, others, users, teams, schedules } = props;
  const navigate = useNavigate();
  const [name, setName] = useState(policy?.name ?? "");
  const [steps, setSteps] = useState<DraftStep[]>(() =>
    policy ? policy.steps.map((s) => draftOf(s.delayMinutes, s.targets)) : [draftOf(15)],
  );
  const [repeatText, setRepeatText] = useState(String(policy?.repeatCount ?? 0));
  const submission = useSubmission(["name", "steps", "repeatCount"]);
  // Asked again as people are added, so the warning shows before the policy is saved.
  const unreachable = useUnreachablePeople(steps.flatMap((s) => personTargetIds(s.targets)));
  const p = submission.paths;
  const { clear } = submission;

  // An error goes as soon as its field changes: a step's targets (added, removed or picked), its minutes.
  const update = (i: number, step: DraftStep) => {
    const before = steps[i];
    if (before && (before.targets !== step.targets || before.picked !== step.picked))
      clear(`steps/${i}/targets`);
    if (before && before.delayText !== step.delayText) clear(`steps/${i}/delayMinutes`);
    setSteps((list) => list.map((s, j) => (j === i ? step : s)));
  };
  // Moving or removing a step renumbers the steps after it, and their errors would land on others.
  const move = (i: number, by: -1 | 1) => {
    clear("steps");
    setSteps((list) => {
      const next = [...list];
      const [moved] = next.splice(i, 1);
      if (moved) next.splice(i + by, 0, moved);
      return next;
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Someone chosen in a picker is meant to be paged, even without a press of Add.
    const complete = steps.map(withPicked);
    setSteps(complete);
    void submission.run(async () => {
      checkNameFree(name, others);
      const body = {
        name,
        steps: complete.map((s, i) => ({
          delayMinutes: wholeNumber(s.delayText, `/steps/${i}/delayMinutes`),
          targets: s.targets,
        })),
        repeatCount: wholeNumber(repeatText, "/repeatCount"),
      };
      const saved = policy ? await alerting.updatePolicy(policy.id, body) : await alerting.createPolicy(body);
      navigate(`/on-call/escalation-policies?saved=${encodeURIComponent(saved.name)}`);
    });
  };

  return (
    <form className="form form-wide" onSubmit={submit} noValidate>
      <FormError message={submission.error} />
      <Field
        label="Name"
        required
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          clear("name");
        }}
        error={p.name}
      />
      <h2>Steps</h2>
      {p.steps && <p className="field-error">{sentence(`Steps ${p.steps}`)}</p>}
      <ol className="step-list">
        {steps.map((step, i) => (
          <StepEditor
            key={step.key}
            step={step}
            index={i}
            count={steps.length}
            users={users}
            teams={teams}
            schedules={schedules}
            unreachable={unreachable}
            errors={p}
            onChange={(s) => update(i, s)}
            onMove={(by) => move(i, by)}
            onRemove={() => {
              clear("steps");
              setSteps((list) => list.filter((_, j) => j !== i));
            }}
          />
        ))}
      </ol>
      <button
        type="button"
        className="button"
        onClick={() => {
          clear("steps", { exact: true });
          setSteps((list) => [...list, draftOf(15)]);
        }}
      >
        Add a step
      </button>
      <Field
        label="Repeat"
        inputMode="numeric"
        value={repeatText}
        onChange={(e) => {
          setRepeatText(e.target.value);
          clear("repeatCount");
        }}
        error={p.repeatCount}
        hint="How many more times to go round all the steps when nobody acknowledges (0 to 9)."
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {submission.busy ? "Saving…" : policy ? "Save policy" : "Create policy"}
        </button>
        <Link to="/on-call/escalation-policies" className="button">
          Cancel
        </Link>
      </div>
    </form>
  );
}

export function PolicyEditorPage({ policyId }: { policyId: string | undefined }) {
  const policies = useLoad(alerting.listPolicies);
  const users = useLoad(api.listUsers);
  const teams = useLoad(alerting.listTeams);
  const scheduleList = useLoad(schedulesApi.list);
  const policy = policyId ? policies.data?.find((x) => x.id === policyId) : undefined;
  const ready = policies.data && users.data && teams.data && scheduleList.data;
  const heading = policyId
    ? policy
      ? `Edit “${policy.name}”`
      : "Edit escalation policy"
    : "New escalation policy";

  return (
    <Page
      heading={heading}
      title={`${heading} · On-call`}
      eyebrow={<Link to="/on-call/escalation-policies">Escalation policies</Link>}
    >
      {!ready ? (
        <LoadState
          what="the policy"
          loading
          error={policies.error ?? users.error ?? teams.error ?? scheduleList.error}
        />
      ) : policyId && !policy ? (
        <p>There is no such escalation policy. It may have been removed.</p>
      ) : (
        <section className="panel">
          <PolicyForm
            policy={policy}
            others={(policies.data ?? []).filter((x) => x.id !== policyId)}
            users={users.data ?? []}
            teams={teams.data ?? []}
            schedules={scheduleList.data ?? []}
          />
        </section>
      )}
    </Page>
  );
}
