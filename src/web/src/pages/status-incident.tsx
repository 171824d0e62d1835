// One status incident: what customers read (its updates, newest first), and for admins the next
// update (status, what the components show, a message from the template) and edits of its details.
import { useState, type FormEvent } from "react";
import { useLoad } from "../data";
import { Field, FormError, SelectField, useSubmission } from "../forms";
import { Link, useLocation } from "../router";
import {
  COMPONENT_STATUS_LABEL,
  IMPACT_LABEL,
  IMPACTS,
  statusPages,
  type ComponentStatus,
  type IncidentImpact,
  type IncidentStatus,
  type StatusIncident,
} from "../status-api";
import { LoadState } from "../widgets";
import { useStatusPage } from "./status-page-shell";
import { UpdateFields } from "./status-incidents";
import { ComponentChoice, IncidentStatusBadge, PageTime } from "./status-widgets";

function PostUpdateForm({
  incident,
  onPosted,
}: {
  incident: StatusIncident;
  onPosted(next: StatusIncident): void;
}) {
  const { page } = useStatusPage();
  const [status, setStatus] = useState<IncidentStatus>(incident.status);
  const [componentStatus, setComponentStatus] = useState<ComponentStatus>(
    incident.componentStatus ?? "partial_outage",
  );
  const [body, setBody] = useState("");
  const submission = useSubmission(["status", "body", "componentStatus"]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const next = await statusPages.postIncidentUpdate(page.id, incident.id, {
        status,
        body: body.trim(),
        ...(incident.componentIds.length > 0 && {
          componentStatus: status === "resolved" ? "operational" : componentStatus,
        }),
      });
      setBody("");
      onPosted(next);
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="post-status-update">
      <FormError message={submission.error} />
      <UpdateFields
        idPrefix="update"
        status={status}
        onStatus={(next) => {
          setStatus(next);
          submission.clear("status");
        }}
        componentStatus={componentStatus}
        onComponentStatus={(next) => {
          setComponentStatus(next);
          submission.clear("componentStatus");
        }}
        componentIds={incident.componentIds}
        body={body}
        onBody={(next) => {
          setBody(next);
          submission.clear("body");
        }}
        errors={submission.fields}
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Posting…" : status === "resolved" ? "Post and resolve" : "Post update"}
      </button>
    </form>
  );
}

function EditDetailsForm(props: {
  incident: StatusIncident;
  onSaved(next: StatusIncident): void;
  onCancel(): void;
}) {
  const { page } = useStatusPage();
  const [name, setName] = useState(props.incident.name);
  const [impact, setImpact] = useState<IncidentImpact>(props.incident.impact);
  const [componentIds, setComponentIds] = useState(props.incident.componentIds);
  const submission = useSubmission(["name", "impact", "componentIds"]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      props.onSaved(
        await statusPages.updateIncident(page.id, props.incident.id, {
          name: name.trim(),
          impact,
          componentIds,
        }),
      );
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Edit the incident">
      <FormError message={submission.error} />
      <Field
        label="Incident name"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          submission.clear("name");
        }}
        error={submission.fields.name}
      />
      <SelectField
        label="Impact"
        value={impact}
        onChange={(e) => {
          setImpact(e.target.value as IncidentImpact);
          submission.clear("impact");
        }}
        options={IMPACTS.map((i) => ({ value: i, label: IMPACT_LABEL[i] }))}
        error={submission.fields.impact}
      />
      <ComponentChoice
        legend="Affected components"
        chosen={componentIds}
        onChange={(ids) => {
          setComponentIds(ids);
          submission.clear("componentIds");
        }}
        error={submission.fields.componentIds}
      />
      <div className="actions actions-tight">
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          Save details
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Facts({ incident }: { incident: StatusIncident }) {
  const { nameOf } = useStatusPage();
  const showing = incident.status === "resolved" ? undefined : incident.componentStatus;
  return (
    <dl className="status-facts">
      <div>
        <dt>Status</dt>
        <dd>
          <IncidentStatusBadge status={incident.status} />
        </dd>
      </div>
      <div>
        <dt>Impact</dt>
        <dd>{IMPACT_LABEL[incident.impact]}</dd>
      </div>
      <div>
        <dt>Affected components</dt>
        <dd>
          {incident.componentIds.length === 0
            ? "None"
            : `${incident.componentIds.map(nameOf).join(", ")}${showing ? ` (${COMPONENT_STATUS_LABEL[showing].toLowerCase()})` : ""}`}
        </dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>
          <PageTime iso={incident.createdAt} />
        </dd>
      </div>
      {incident.resolvedAt && (
        <div>
          <dt>Resolved</dt>
          <dd>
            <PageTime iso={incident.resolvedAt} />
          </dd>
        </div>
      )}
      {incident.sourceIncidentId && (
        <div>
          <dt>From</dt>
          <dd>
            <Link to={`/incidents/${encodeURIComponent(incident.sourceIncidentId)}`}>
              the war room's incident
            </Link>
          </dd>
        </div>
      )}
    </dl>
  );
}

export function StatusIncidentPage({ incidentId }: { incidentId: string }) {
  const { page, isAdmin, reloadComponents } = useStatusPage();
  const location = useLocation();
  const loaded = useLoad(() => statusPages.getIncident(page.id, incidentId));
  const [message, setMessage] = useState(() =>
    new URLSearchParams(location.search).has("posted")
      ? "Posted: customers see it on the page now."
      : undefined,
  );
  const [editing, setEditing] = useState(false);
  const incident = loaded.data;
  const replaced = (next: StatusIncident, done: string) => {
    loaded.set(() => next);
    setMessage(done);
    void reloadComponents();
  };
  const updates = [...(incident?.updates ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <>
      <LoadState what="the incident" loading={loaded.loading && !incident} error={loaded.error} />
      {incident && (
        <section
          className={`panel status-incident-panel status-impact-${incident.impact}`}
          aria-labelledby="status-incident-name"
        >
          <p className="eyebrow">
            <Link to={`/status-pages/${encodeURIComponent(page.id)}/incidents`}>All incidents</Link>
          </p>
          <h2 id="status-incident-name">{incident.name}</h2>
          <div role="status">
            {message && (
              <div className="notice notice-success">
                <p>{message}</p>
              </div>
            )}
          </div>
          <Facts incident={incident} />
          {isAdmin && !editing && (
            <button type="button" className="button button-small" onClick={() => setEditing(true)}>
              Edit name, impact or components
            </button>
          )}
          {editing && (
            <EditDetailsForm
              incident={incident}
              onCancel={() => setEditing(false)}
              onSaved={(next) => {
                setEditing(false);
                replaced(next, "Details saved.");
              }}
            />
          )}
          <h3 id="status-updates">Updates</h3>
          <ol className="status-updates" aria-labelledby="status-updates">
            {updates.map((u) => (
              <li key={u.id}>
                <p>
                  <IncidentStatusBadge status={u.status} /> <PageTime iso={u.createdAt} />
                </p>
                <p className="break status-update-body">{u.body}</p>
              </li>
            ))}
          </ol>
        </section>
      )}
      {incident && isAdmin && (
        <section className="panel" aria-labelledby="post-status-update">
          <h2 id="post-status-update">Post an update</h2>
          <PostUpdateForm
            key={incident.updates.length}
            incident={incident}
            onPosted={(next) =>
              replaced(
                next,
                next.status === "resolved" ? "Resolved: customers see it as resolved." : "Update posted.",
              )
            }
          />
        </section>
      )}
    </>
  );
}
