// "Page someone": open an incident by hand on a service, which pages its on-call like any alert, or
// instead people or an escalation policy chosen here.
import { useState } from "react";
import { api } from "../api";
import {
  alerting,
  type Incident,
  type PageSomeoneBody,
  type PagedIncident,
  type Service,
} from "../alerting-api";
import { useLoad } from "../data";
import { ConfirmDialog } from "../dialog";
import { FormError, SelectField, TextAreaField, useSubmission } from "../forms";
import { Link } from "../router";

interface PageSomeoneProps {
  open: boolean;
  services: readonly Service[];
  /** Preselected, e.g. the service the list is filtered by. */
  serviceId?: string;
  onPaged(incident: Incident): void;
  onCancel(): void;
}

type Who = "on-call" | "people" | "policy";
const WHO: ReadonlyArray<{ who: Who; label: string }> = [
  { who: "on-call", label: "The service's on-call" },
  { who: "people", label: "People" },
  { who: "policy", label: "An escalation policy" },
];

/** Active users to tick; loaded only once "People" is chosen, so the dialog costs nothing closed. */
function PeoplePicker(props: { chosen: readonly string[]; error?: string; onChange(ids: string[]): void }) {
  const users = useLoad(api.listUsers);
  const active = (users.data ?? []).filter((u) => !u.disabledAt);
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.chosen, id] : props.chosen.filter((x) => x !== id));
  return (
    <fieldset className="choice-list" aria-describedby="page-people-hint">
      <legend>People to page</legend>
      <p className="field-hint" id="page-people-hint">
        They are paged at once, in place of the service&rsquo;s escalation policy.
      </p>
      {users.error && <p className="field-error">{users.error}</p>}
      {!users.data && !users.error && <p className="muted">Loading people…</p>}
      {users.data && active.length === 0 && <p className="muted">No active users.</p>}
      {active.map((u) => (
        <label key={u.id} className="choice">
          <input
            type="checkbox"
            checked={props.chosen.includes(u.id)}
            onChange={(e) => toggle(u.id, e.target.checked)}
          />
          <span>{u.name}</span>
        </label>
      ))}
      {props.error && <p className="field-error">{props.error}</p>}
    </fieldset>
  );
}

/** The policies to choose from; loaded only once "An escalation policy" is chosen. */
function PolicyPicker(props: { chosen: string; error?: string; onChange(id: string): void }) {
  const policies = useLoad(alerting.listPolicies);
  return (
    <SelectField
      label="Escalation policy"
      required
      value={props.chosen}
      onChange={(e) => props.onChange(e.target.value)}
      options={[
        { value: "", label: policies.data ? "Choose a policy…" : "Loading…" },
        ...(policies.data ?? []).map((p) => ({ value: p.id, label: p.name })),
      ]}
      error={props.error ?? policies.error}
      hint="Its steps page in place of the service's own policy."
    />
  );
}

export function PageSomeoneDialog({ open, services, serviceId, onPaged, onCancel }: PageSomeoneProps) {
  const [picked, setPicked] = useState<string>();
  const [summary, setSummary] = useState("");
  const [who, setWho] = useState<Who>("on-call");
  const [userIds, setUserIds] = useState<string[]>([]);
  const [policyId, setPolicyId] = useState("");
  // A page that reached nobody stays on screen with the reason: at 3 am "paged" must mean someone.
  const [unanswered, setUnanswered] = useState<PagedIncident>();
  const submission = useSubmission(["service", "summary", "userIds", "escalationPolicyId"]);
  // What the dropdown shows is what is sent: the person's pick, else the list's current filter (known
  // only once the services load), else nothing: a guess could page the wrong team in the night.
  const listed = (id: string | undefined): id is string => services.some((s) => s.id === id);
  const chosen = picked === "" || listed(picked) ? picked : listed(serviceId) ? serviceId : "";

  // Said before the page goes out, not only on the incident's timeline afterwards; chosen people or
  // a chosen policy page whatever the service's own policy is.
  const unpaged = who === "on-call" && services.find((s) => s.id === chosen && !s.escalationPolicyId);

  // Each page starts from the service's on-call: a choice left from an earlier page could wake the wrong people.
  const forgetChoice = () => {
    setWho("on-call");
    setUserIds([]);
    setPolicyId("");
  };

  const close = () => {
    submission.reset();
    setUnanswered(undefined);
    forgetChoice();
    onCancel();
  };

  const body = (): PageSomeoneBody =>
    who === "people"
      ? { service: chosen, summary, userIds }
      : who === "policy"
        ? { service: chosen, summary, escalationPolicyId: policyId }
        : { service: chosen, summary };

  const confirm = () => {
    if (services.length === 0) return close();
    if (unanswered) {
      setUnanswered(undefined);
      return onPaged(unanswered);
    }
    void submission.run(async () => {
      const incident = await alerting.pageSomeone(body());
      setSummary("");
      forgetChoice();
      if (incident.pagedNobody) setUnanswered(incident);
      else onPaged(incident);
    });
  };

  return (
    <ConfirmDialog
      open={open}
      title="Page someone"
      confirmLabel={unanswered ? `Open INC-${unanswered.number}` : services.length > 0 ? "Page now" : "Close"}
      busy={submission.busy}
      onConfirm={confirm}
      onCancel={close}
    >
      {unanswered ? (
        <div className="notice notice-error" role="alert">
          <p>
            <strong>INC-{unanswered.number} is open, but nobody was paged.</strong>{" "}
            {unanswered.warning ?? "No step of the escalation policy reached anyone."} Call someone directly,
            or add people to the policy or schedule.
          </p>
        </div>
      ) : services.length === 0 ? (
        <p>
          There is no service to page yet. An admin creates services under{" "}
          <Link to="/services">Services</Link>, each with the escalation policy that says who is paged.
        </p>
      ) : (
        <>
          <p>
            This opens a page-level incident on the service and pages its on-call through its escalation
            policy, or the people or policy you choose instead.
          </p>
          <FormError message={submission.error} />
          <SelectField
            label="Service"
            required
            value={chosen}
            onChange={(e) => {
              setPicked(e.target.value);
              submission.clear("service");
            }}
            options={[
              { value: "", label: "Choose a service…" },
              ...services.map((s) => ({ value: s.id, label: s.name })),
            ]}
            error={submission.fields.service}
            hint={
              unpaged && (
                <span className="warning-text">
                  {unpaged.name} has no escalation policy: nobody will be paged.
                </span>
              )
            }
          />
          {/* A select, not radios: "The service's on-call" as a label would also answer to "Service". */}
          <SelectField
            label="Who"
            value={who}
            onChange={(e) => {
              setWho(e.target.value as Who);
              submission.clear("userIds");
              submission.clear("escalationPolicyId");
            }}
            options={WHO.map((w) => ({ value: w.who, label: w.label }))}
          />
          {who === "people" && (
            <PeoplePicker
              chosen={userIds}
              error={submission.fields.userIds}
              onChange={(ids) => {
                setUserIds(ids);
                submission.clear("userIds");
              }}
            />
          )}
          {who === "policy" && (
            <PolicyPicker
              chosen={policyId}
              error={submission.fields.escalationPolicyId}
              onChange={(id) => {
                setPolicyId(id);
                submission.clear("escalationPolicyId");
              }}
            />
          )}
          <TextAreaField
            label="What is wrong"
            required
            rows={3}
            maxLength={1024}
            value={summary}
            onChange={(e) => {
              setSummary(e.target.value);
              submission.clear("summary");
            }}
            error={submission.fields.summary}
            hint="One line the person paged reads first, such as “Checkout fails for EU customers”."
          />
        </>
      )}
    </ConfirmDialog>
  );
}
