// /services: every service, who owns it and who it pages; admins create new ones here, and a team's
// managers create their team's.
import { useState, type FormEvent } from "react";
import { alerting, type EscalationPolicy, type Service, type Team } from "../alerting-api";
import { formatTime, useLoad } from "../data";
import { Field, FormError, SelectField, useSubmission } from "../forms";
import { Page } from "../layout";
import { Link, useLocation, useNavigate } from "../router";
import { useManagedTeamIds, useUser } from "../session";
import { LoadState } from "../widgets";

interface CreateProps {
  policies: readonly EscalationPolicy[];
  /** The teams the new service may belong to: all for an admin, the ones they manage for a manager. */
  teams: readonly Team[];
  /** An admin may leave the team out; a manager's service belongs to one of their teams. */
  teamOptional: boolean;
}

function CreateServiceForm({ policies, teams, teamOptional }: CreateProps) {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [policy, setPolicy] = useState("");
  const [picked, setPicked] = useState<string>();
  // Until a choice is made: no team for an admin, the first of a manager's teams.
  const teamId = picked ?? (teamOptional ? "" : (teams[0]?.id ?? ""));
  const submission = useSubmission(["name", "description", "teamId", "escalationPolicyId"], {
    conflictField: "name",
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const service = await alerting.createService({
        name,
        description,
        teamId: teamId || null,
        escalationPolicyId: policy || null,
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
          onChange={(e) => setPolicy(e.target.value)}
          options={[
            { value: "", label: "None yet (nobody is paged)" },
            ...policies.map((p) => ({ value: p.id, label: p.name })),
          ]}
          error={submission.fields.escalationPolicyId}
          hint={<Link to="/on-call/escalation-policies">Escalation policies</Link>}
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
          <CreateServiceForm policies={policies.data ?? []} teams={creatableFor} teamOptional={isAdmin} />
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
