// /services/:id: one service: where its alerts come in, when they page nobody, and its settings.
import { alerting } from "../alerting-api";
import { roleAllows } from "../api";
import { formatTime, useLoad } from "../data";
import { Page } from "../layout";
import { DeleteButton } from "../delete-button";
import { Link, useLocation, useNavigate } from "../router";
import { useMayManageTeam, useUser } from "../session";
import { LoadState } from "../widgets";
import { IntegrationsSection } from "./integrations";
import { MaintenanceWindowsSection } from "./maintenance-windows";
import { ServiceFacts, ServiceSettingsForm, type Choices } from "./service-settings";

export function ServicePage({ serviceId }: { serviceId: string }) {
  const user = useUser();
  const navigate = useNavigate();
  const { search } = useLocation();
  const justCreated = new URLSearchParams(search).has("created");
  const service = useLoad(() => alerting.getService(serviceId));
  const teams = useLoad(alerting.listTeams);
  const policies = useLoad(alerting.listPolicies);
  const channels = useLoad(alerting.listChannels);
  const isAdmin = user.role === "admin";
  const mayManageTeam = useMayManageTeam();

  if (!service.data) {
    return (
      <Page heading="Service">
        <LoadState what="the service" loading={service.loading} error={service.error} />
        <p>
          <Link to="/services">All services</Link>
        </p>
      </Page>
    );
  }

  const s = service.data;
  const choices: Choices = {
    teams: teams.data ?? [],
    policies: policies.data ?? [],
    channels: channels.data ?? [],
  };
  const choicesLoaded = teams.data && policies.data && channels.data;
  // Admins, and the managers of the team that owns it; deleting it stays with admins.
  const mayChange = mayManageTeam(s.teamId);

  return (
    <Page
      heading={s.name}
      title={`${s.name} · Services`}
      eyebrow={<Link to="/services">Services</Link>}
      lead={s.description || undefined}
    >
      {justCreated && (
        <div className="notice notice-success" role="status">
          <p>
            Created {s.name}. Next, add an integration below and point your monitoring at its URL
            {s.escalationPolicyId ? "." : ", and choose an escalation policy so that someone is paged."}
          </p>
        </div>
      )}
      {s.maintenanceUntil && (
        <div className="notice notice-warning" role="note">
          <p>
            In maintenance until {formatTime(s.maintenanceUntil)}: alerts of {s.name} are recorded but page
            nobody. One still firing when the window ends pages then.
          </p>
        </div>
      )}
      <p>
        <Link to={`/incidents?service=${encodeURIComponent(s.id)}`}>Open incidents of {s.name}</Link>
      </p>
      <IntegrationsSection
        serviceId={s.id}
        mayChange={mayChange}
        canSee={roleAllows(user.role, "responder")}
      />
      <MaintenanceWindowsSection serviceId={s.id} mayChange={mayChange} onChange={service.reload} />
      <section className="panel" aria-labelledby="settings">
        <h2 id="settings">Settings</h2>
        {!choicesLoaded ? (
          <LoadState
            what="teams, policies and channels"
            loading
            error={teams.error ?? policies.error ?? channels.error}
          />
        ) : mayChange ? (
          <ServiceSettingsForm
            service={s}
            choices={choices}
            onSaved={(updated) => service.set(() => updated)}
          />
        ) : (
          <ServiceFacts service={s} choices={choices} />
        )}
      </section>
      {isAdmin && (
        <section className="panel" aria-labelledby="delete-service">
          <h2 id="delete-service">Delete this service</h2>
          <p className="muted">Only a service without unresolved incidents can be deleted.</p>
          <DeleteButton
            name={s.name}
            label={`Delete ${s.name}`}
            className="button button-danger"
            onDelete={async () => {
              await alerting.deleteService(s.id);
              navigate(`/services?deleted=${encodeURIComponent(s.name)}`);
            }}
          >
            <p>
              Its integrations stop taking alerts at once and it leaves the lists. Its past incidents stay,
              under its name, and the name is free for a new service.
            </p>
          </DeleteButton>
        </section>
      )}
    </Page>
  );
}
