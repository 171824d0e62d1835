// The Incidents tab: status incidents (open ones first) and, for admins, posting a new one with the
// affected components, what they show, and a message started from the level's template.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useLoad } from "../data";
import { FormError, SelectField, TextAreaField, useSubmission, Field } from "../forms";
import { Link, useNavigate } from "../router";
import {
  COMPONENT_STATUS_LABEL,
  IMPACT_LABEL,
  IMPACTS,
  impactFor,
  INCIDENT_STATUS_LABEL,
  INCIDENT_STATUSES,
  levelFor,
  statusPages,
  type ComponentStatus,
  type IncidentImpact,
  type IncidentStatus,
  type StatusIncident,
  type TemplateLevel,
} from "../status-api";
import { LoadState } from "../widgets";
import { useStatusPage } from "./status-page-shell";
import {
  ComponentChoice,
  IncidentStatusBadge,
  PageTime,
  TemplatePicker,
  useTemplate,
} from "./status-widgets";

/** What affected components can show during an incident (maintenance has its own tab). */
export const INCIDENT_COMPONENT_STATUSES: readonly ComponentStatus[] = [
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "operational",
];

export const incidentPath = (pageId: string, incidentId: string) =>
  `/status-pages/${encodeURIComponent(pageId)}/incidents/${encodeURIComponent(incidentId)}`;

interface UpdateFieldsProps {
  idPrefix: string;
  status: IncidentStatus;
  onStatus(status: IncidentStatus): void;
  componentStatus: ComponentStatus;
  onComponentStatus(status: ComponentStatus): void;
  componentIds: readonly string[];
  body: string;
  onBody(body: string): void;
  errors: Record<string, string>;
}

/** Status, what the components show, the template picker and the message: a new incident and an update share them. */
export function UpdateFields(props: UpdateFieldsProps) {
  const [level, setLevel] = useState<TemplateLevel>(() => levelFor(props.componentStatus));
  const template = useTemplate();
  // The message as the template last wrote it: while untouched, it follows the status and level.
  const lastFilled = useRef("");
  const body = useRef(props.body);
  useEffect(() => {
    body.current = props.body;
  }, [props.body]);

  const fill = async (nextLevel: TemplateLevel, nextStatus: IncidentStatus, force: boolean) => {
    const filled = await template.load(nextLevel, nextStatus, props.componentIds);
    if (filled === undefined) return;
    if (force || body.current.trim() === "" || body.current === lastFilled.current) props.onBody(filled);
    lastFilled.current = filled;
  };
  const untouched = () => body.current.trim() === "" || body.current === lastFilled.current;

  return (
    <>
      <div className="form-row">
        <SelectField
          id={`${props.idPrefix}-status`}
          label="Status"
          value={props.status}
          onChange={(e) => {
            const next = e.target.value as IncidentStatus;
            props.onStatus(next);
            if (untouched() && lastFilled.current) void fill(level, next, false);
          }}
          options={INCIDENT_STATUSES.map((s) => ({ value: s, label: INCIDENT_STATUS_LABEL[s] }))}
          error={props.errors.status}
        />
        <SelectField
          id={`${props.idPrefix}-component-status`}
          label="Affected components show"
          value={props.componentStatus}
          onChange={(e) => {
            const next = e.target.value as ComponentStatus;
            props.onComponentStatus(next);
            setLevel(levelFor(next));
            if (untouched() && lastFilled.current) void fill(levelFor(next), props.status, false);
          }}
          options={INCIDENT_COMPONENT_STATUSES.map((s) => ({ value: s, label: COMPONENT_STATUS_LABEL[s] }))}
          error={props.errors.componentStatus}
          disabled={props.status === "resolved"}
          hint="Once resolved, they go back to what their services and maintenance say."
        />
      </div>
      <TemplatePicker
        level={level}
        onLevel={(next) => {
          setLevel(next);
          if (untouched() && lastFilled.current) void fill(next, props.status, false);
        }}
        onFill={() => void fill(level, props.status, true)}
        busy={template.busy}
        error={template.error}
      />
      <TextAreaField
        id={`${props.idPrefix}-body`}
        label="Message"
        rows={4}
        maxLength={10000}
        value={props.body}
        onChange={(e) => props.onBody(e.target.value)}
        error={props.errors.body}
        hint="What customers read: plain words, no internals, no blame."
      />
    </>
  );
}

function NewIncidentForm({ onPosted }: { onPosted(incident: StatusIncident): void }) {
  const { page } = useStatusPage();
  const [name, setName] = useState("");
  const [componentIds, setComponentIds] = useState<string[]>([]);
  const [componentStatus, setComponentStatus] = useState<ComponentStatus>("partial_outage");
  const [impact, setImpact] = useState<IncidentImpact>(impactFor("partial_outage"));
  const [impactEdited, setImpactEdited] = useState(false);
  const [status, setStatus] = useState<IncidentStatus>("investigating");
  const [body, setBody] = useState("");
  const submission = useSubmission(["name", "componentIds", "componentStatus", "impact", "status", "body"]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const created = await statusPages.createIncident(page.id, {
        name: name.trim(),
        status,
        impact,
        body: body.trim(),
        componentIds,
        ...(componentIds.length > 0 && { componentStatus }),
      });
      onPosted(created);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="post-status-incident">
      <FormError message={submission.error} />
      <Field
        label="Incident name"
        autoComplete="off"
        required
        maxLength={200}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          submission.clear("name");
        }}
        error={submission.fields.name}
        hint="The headline customers see, such as “Checkout errors for some customers”."
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
      <UpdateFields
        idPrefix="new-incident"
        status={status}
        onStatus={(next) => {
          setStatus(next);
          submission.clear("status");
        }}
        componentStatus={componentStatus}
        onComponentStatus={(next) => {
          setComponentStatus(next);
          submission.clear("componentStatus");
          if (impactEdited) return;
          setImpact(impactFor(next));
          submission.clear("impact");
        }}
        componentIds={componentIds}
        body={body}
        onBody={(next) => {
          setBody(next);
          submission.clear("body");
        }}
        errors={submission.fields}
      />
      <SelectField
        label="Impact"
        value={impact}
        onChange={(e) => {
          setImpact(e.target.value as IncidentImpact);
          setImpactEdited(true);
          submission.clear("impact");
        }}
        options={IMPACTS.map((i) => ({ value: i, label: IMPACT_LABEL[i] }))}
        error={submission.fields.impact}
        hint="Sets the incident's colour and the page's overall status; follows what the components show until you change it."
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Posting…" : "Post incident"}
      </button>
    </form>
  );
}

function IncidentRow({ incident }: { incident: StatusIncident }) {
  const { page, nameOf } = useStatusPage();
  const latest = [...incident.updates].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return (
    <li className={`status-incident status-impact-${incident.impact}`}>
      <div className="status-item-main">
        <h3 className="status-item-name">
          <Link to={incidentPath(page.id, incident.id)}>{incident.name}</Link>
        </h3>
        <IncidentStatusBadge status={incident.status} />
        <span className="badge badge-quiet">Impact: {IMPACT_LABEL[incident.impact]}</span>
        {incident.sourceIncidentId && <span className="badge badge-quiet">From the response workflow</span>}
      </div>
      <p className="muted">
        {incident.componentIds.length > 0 ? incident.componentIds.map(nameOf).join(", ") : "No component"}
        {" · "}started <PageTime iso={incident.createdAt} />
        {incident.resolvedAt && (
          <>
            {" · "}resolved <PageTime iso={incident.resolvedAt} />
          </>
        )}
      </p>
      {latest && <p className="break status-latest">{latest.body}</p>}
    </li>
  );
}

export function StatusIncidentsTab() {
  const { page, isAdmin, reloadComponents } = useStatusPage();
  const navigate = useNavigate();
  const list = useLoad(() => statusPages.listIncidents(page.id));
  const sorted = [...(list.data ?? [])].sort(
    (a, b) =>
      Number(a.status === "resolved") - Number(b.status === "resolved") ||
      b.createdAt.localeCompare(a.createdAt),
  );
  const open = sorted.filter((i) => i.status !== "resolved");
  const past = sorted.filter((i) => i.status === "resolved");
  return (
    <>
      <section className="panel" aria-labelledby="status-incidents">
        <h2 id="status-incidents">Incidents</h2>
        <LoadState what="incidents" loading={list.loading && !list.data} error={list.error} />
        {list.data && (
          <>
            <h3>Open</h3>
            {open.length === 0 ? (
              <p className="empty">No open incident: customers see everything as it is.</p>
            ) : (
              <ul className="status-items" aria-label="Open incidents">
                {open.map((i) => (
                  <IncidentRow key={i.id} incident={i} />
                ))}
              </ul>
            )}
            <h3>Resolved</h3>
            {past.length === 0 ? (
              <p className="empty">None yet.</p>
            ) : (
              <ul className="status-items" aria-label="Resolved incidents">
                {past.map((i) => (
                  <IncidentRow key={i.id} incident={i} />
                ))}
              </ul>
            )}
          </>
        )}
      </section>
      {isAdmin && (
        <section className="panel" aria-labelledby="post-status-incident">
          <h2 id="post-status-incident">Post an incident</h2>
          <p className="muted">
            Incidents posted from the war room arrive here by themselves; post one here for anything else.
          </p>
          <NewIncidentForm
            onPosted={(created) => {
              void reloadComponents();
              navigate(`${incidentPath(page.id, created.id)}?posted=1`);
            }}
          />
        </section>
      )}
    </>
  );
}
