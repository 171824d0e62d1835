// /services: every service, who owns it and who it pages; admins create new ones here, and a team's
// managers create their team's.
import { useState, type FormEvent, type ReactNode } from "react";
import { alerting, type EscalationPolicy, type Service, type Team } from "../alerting-api";
import { ApiError } from "../api";
import { formatTime, useLoad } from "../data";
import { Field, FormError, SelectField, useSubmission } from "../forms";
import { Page } from "../layout";
import { Link, useLocation, useNavigate } from "../router";
import { useManagedTeamIds, useUser } from "../session";
import { LoadState } from "../widgets";
import { NO_POLICY_LABEL } from "./service-settings";

interface CreateProps {
  /** Undefined while they load: the form waits rather than offer "None" as the only choice. */
  policies: readonly EscalationPolicy[] | undefined;
  /** The teams the new service may belong to: all for an admin, the ones they manage for a manager. */
  teams: readonly Team[];
  /** An admin may leave the team out; a manager's service belongs to one of their teams. */
  teamOptional: boolean;
  policiesError: string | undefined;
}

/** The explicit "nobody is paged" choice, told apart from "not chosen yet" (""). */
const NO_POLICY = "(none)";

/**
 * The policy choice: the only policy when there is one; with several, none until the person picks
 * one (or None), since a silent "nobody is paged" is how a service ends up paging nobody.
 */
function policyChoice(policies: readonly EscalationPolicy[] | undefined, isAdmin: boolean) {
  const none = { value: NO_POLICY, label: NO_POLICY_LABEL };
  const named = (policies ?? []).map((p) => ({ value: p.id, label: p.name }));
  const policiesLink = <Link to="/on-call/escalation-policies">Escalation policies</Link>;
  if (!policies)
    return { initial: "", options: [{ value: "", label: "Loading policies…" }], hint: undefined };
  if (policies.length === 0) {
    const hint: ReactNode = isAdmin ? (
      <>
        No policy yet: <Link to="/on-call/escalation-policies/new">create an escalation policy</Link>, then
        choose it here or in the service’s settings.
      </>
    ) : (
      "No policy yet: an admin creates escalation policies."
    );
    return { initial: NO_POLICY, options: [{ value: NO_POLICY, label: "None yet (nobody is paged)" }], hint };
  }
  if (policies.length === 1)
    return { initial: policies[0]!.id, options: [...named, none], hint: policiesLink };
  const hint = <>Choose who is paged when it breaks, or None to page nobody for now. {policiesLink}</>;
  return { initial: "", options: [{ value: "", label: "Choose a policy…" }, ...named, none], hint };
}

function CreateServiceForm({ policies, teams, teamOptional, policiesError }: CreateProps) {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [pickedPolicy, setPickedPolicy] = useState<string>();
  const [picked, setPicked] = useState<string>();
  // Until a choice is made: no team for an admin, the first of a manager's teams.
  const teamId = picked ?? (teamOptional ? "" : (teams[0]?.id ?? ""));
  const choice = policyChoice(policies, teamOptional);
  const policy = pickedPolicy ?? choice.initial;
  const submission = useSubmission(["name", "description", "teamId", "escalationPolicyId"], {
    conflictField: "name",
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      if (policy === "") {
        // Named on its field, with the name's own error when that is empty too.
        throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
          ...(name.trim() === "" ? [{ path: "/name", message: "is required" }] : []),
          {
            path: "/escalationPolicyId",
            message: "is not chosen: pick the policy that pages for it, or None",
          },
        ]);
      }
      const service = await alerting.createService({
        name,
        description,
        teamId: teamId || null,
        escalationPolicyId: policy === NO_POLICY ? null : policy,
      });
      navigate(`/services/${service.id}?created=1`);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="create-service">
      <FormError message={submission.error} />
      <div className="form-row">
        <Field
          label="Name"
          autoComplete="off"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={submission.fields.name}
          hint="What people call it, such as “Checkout API”."
        />
        <SelectField
          label="Team"
          value={teamId}
          onChange={(e) => setPicked(e.target.value)}
          options={[
            ...(teamOptional ? [{ value: "", label: "No team" }] : []),
            ...teams.map((t) => ({ value: t.id, label: t.name })),
          ]}
          error={submission.fields.teamId}
          hint={teamOptional ? "Its managers may change it." : "One of the teams you manage."}
        />
        <SelectField
          label="Escalation policy"
          value={policy}
          onChange={(e) => {
            setPickedPolicy(e.target.value);
            submission.clear("escalationPolicyId");
          }}
          disabled={!policies}
          options={choice.options}
          error={submission.fields.escalationPolicyId}
          hint={
            policiesError
              ? `The policies did not load (${policiesError}): reload to choose one.`
              : choice.hint
          }
        />
      </div>
      <Field
        label="Description"
        autoComplete="off"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={submission.fields.description}
        hint="Optional. What it does and where its runbook is."
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Creating…" : "Create service"}
      </button>
    </form>
  );
}

function ServiceTable(props: { services: Service[]; teams: Team[]; policies: EscalationPolicy[] }) {
  const teams = new Map(props.teams.map((t) => [t.id, t.name]));
  const policies = new Map(props.policies.map((p) => [p.id, p.name]));
  const sorted = [...props.services].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Team</th>
          <th scope="col">Escalation policy</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((s) => (
          <tr key={s.id}>
            <th scope="row" className="break">
              <Link to={`/services/${s.id}`}>{s.name}</Link>
              {s.maintenanceUntil && (
                <>
                  {" "}
                  <span className="badge badge-warning">
                    In maintenance until {formatTime(s.maintenanceUntil)}
                  </span>
                </>
              )}
            </th>
            <td data-label="Team">{(s.teamId && teams.get(s.teamId)) || "—"}</td>
            <td data-label="Escalation policy">
              {s.escalationPolicyId ? (
                (policies.get(s.escalationPolicyId) ?? "—")
              ) : (
                <span className="warning-text">None: nobody is paged</span>
              )}
            </td>
            <td data-label="Description" className="break muted">
              {s.description || "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ServicesPage() {
  const user = useUser();
  const deleted = new URLSearchParams(useLocation().search).get("deleted");
  const services = useLoad(alerting.listServices);
  const teams = useLoad(alerting.listTeams);
  const policies = useLoad(alerting.listPolicies);
  const isAdmin = user.role === "admin";
  const managed = useManagedTeamIds();
  const creatableFor = (teams.data ?? []).filter((t) => isAdmin || managed.has(t.id));
  const mayCreate = isAdmin || managed.size > 0;

  return (
    <Page
      heading="Services"
      lead="A service is something you run that can break. Alerts arrive through its integrations, and its escalation policy says who is paged."
    >
      {deleted && (
        <div className="notice notice-success" role="status">
          <p>Deleted “{deleted}”. Its past incidents stay readable.</p>
        </div>
      )}
      {mayCreate && (
        <section className="panel" aria-labelledby="create-service">
          <h2 id="create-service">Create a service</h2>
          <CreateServiceForm
            policies={policies.data ?? (policies.error ? [] : undefined)}
            teams={creatableFor}
            teamOptional={isAdmin}
            policiesError={policies.error}
          />
        </section>
      )}
      <section className="panel" aria-labelledby="all-services">
        <h2 id="all-services">All services</h2>
        <LoadState what="services" loading={services.loading && !services.data} error={services.error} />
        {services.data && services.data.length === 0 && (
          <p className="empty">
            No services yet.{" "}
            {mayCreate ? "Create the first one above." : "An admin creates them; ask yours to add one."}
          </p>
        )}
        {services.data && services.data.length > 0 && (
          <ServiceTable services={services.data} teams={teams.data ?? []} policies={policies.data ?? []} />
        )}
      </section>
    </Page>
  );
}
