// A service's integrations: where alerts come in. Each shows its URL, its key (hidden until asked),
// copy-paste setup for the usual senders, and, for admins and the service's team managers, add,
// rotate, disable, enable and delete.
import { useState, type FormEvent } from "react";
import { alerting, type Integration, type IntegrationKind, type IntegrationVerb } from "../alerting-api";
import { ApiError, messageOf } from "../api";
import { useLoad } from "../data";
import { ConfirmDialog } from "../dialog";
import { Field, fieldReader, FormError, SelectField, useSubmission, wholeNumber } from "../forms";
import { CopyBlock, LoadState, OutcomeNotice, type Outcome } from "../widgets";
import { HeartbeatState, WAITING_FOR_FIRST_CHECK_IN } from "./heartbeat-state";

export const KIND_LABEL: Record<IntegrationKind, string> = {
  alertmanager: "Alertmanager / Grafana",
  prometheus: "Prometheus / vmalert",
  pagerduty: "PagerDuty Events API v2",
  webhook: "JSON webhook",
  heartbeat: "Heartbeat",
};
const KINDS = Object.keys(KIND_LABEL) as IntegrationKind[];
const KIND_HINT: Record<IntegrationKind, string> = {
  alertmanager: "Alertmanager's webhook receiver, or a Grafana webhook contact point.",
  prometheus: "Prometheus or vmalert sending straight to Firebreak as if it were an Alertmanager.",
  pagerduty: "Anything that can send to PagerDuty: Alertmanager, Grafana, Uptime Kuma, Zabbix…",
  webhook: "Your own scripts and tools: a small JSON body, documented in the snippets.",
  heartbeat:
    "A job checks in regularly; Firebreak raises an alert when the check-ins stop. It waits for the first " +
    "check-in: until the job calls its URL, nothing alerts.",
};

/** Whole seconds from `min` to `max`, or that range named on the field before anything is sent. */
function seconds(text: string, path: string, min: number, max: number, range: string): number {
  const value = wholeNumber(text, path);
  if (value >= min && value <= max) return value;
  throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
    { path, message: `must be ${range}` },
  ]);
}

/** Both heartbeat times, or one error that names every field that is wrong, not only the first. */
function heartbeatTimes(interval: string, grace: string) {
  const reader = fieldReader();
  const times = {
    heartbeatIntervalSeconds: reader.read(() =>
      seconds(interval, "/heartbeatIntervalSeconds", 10, 7 * 86_400, "from 10 to 604800 seconds (7 days)"),
    ),
    heartbeatGraceSeconds: reader.read(() =>
      seconds(grace, "/heartbeatGraceSeconds", 0, 86_400, "from 0 to 86400 seconds (1 day)"),
    ),
  };
  reader.check();
  return times;
}

/** Said before the heartbeat is added: under a minute, the usual crontab line cannot keep up. */
function intervalHint(text: string): string {
  const value = Number(text);
  return text.trim() !== "" && value < 60
    ? "Under a minute: cron runs at most once a minute, so the setup shows a shell loop instead."
    : "The setup shows a crontab line that checks in at this interval.";
}

/** The key's last four characters are enough to tell keys apart. */
const maskIn = (text: string, key: string) => text.split(key).join(`••••••••${key.slice(-4)}`);

function CreateIntegrationForm({
  serviceId,
  onSubmitting,
  onCreated,
}: {
  serviceId: string;
  onSubmitting(): void;
  onCreated(i: Integration): void;
}) {
  const [kind, setKind] = useState<IntegrationKind>("alertmanager");
  const [name, setName] = useState("");
  const [interval, setIntervalText] = useState("300");
  const [grace, setGrace] = useState("60");
  const submission = useSubmission(["kind", "name", "heartbeatIntervalSeconds", "heartbeatGraceSeconds"]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmitting();
    void submission.run(async () => {
      // Checked here: an empty field is not 0 seconds, and the server's range reads better on its field.
      const heartbeat = kind === "heartbeat" ? heartbeatTimes(interval, grace) : {};
      const created = await alerting.createIntegration(serviceId, {
        kind,
        ...(name.trim() && { name: name.trim() }),
        ...heartbeat,
      });
      setName("");
      onCreated(created);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="add-integration">
      <FormError message={submission.error} />
      <div className="form-row">
        <SelectField
          label="Sends from"
          value={kind}
          onChange={(e) => setKind(e.target.value as IntegrationKind)}
          options={KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] }))}
          error={submission.fields.kind}
          hint={KIND_HINT[kind]}
        />
        <Field
          label="Name"
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={submission.fields.name}
          hint="Optional, such as “prod Alertmanager”."
        />
      </div>
      {kind === "heartbeat" && (
        <div className="form-row">
          <Field
            label="Check-in every (seconds)"
            type="number"
            inputMode="numeric"
            value={interval}
            onChange={(e) => setIntervalText(e.target.value)}
            error={submission.fields.heartbeatIntervalSeconds}
            hint={intervalHint(interval)}
          />
          <Field
            label="Grace (seconds)"
            type="number"
            inputMode="numeric"
            value={grace}
            onChange={(e) => setGrace(e.target.value)}
            error={submission.fields.heartbeatGraceSeconds}
            hint="How late a check-in may be before Firebreak raises an alert."
          />
        </div>
      )}
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Adding…" : "Add integration"}
      </button>
    </form>
  );
}

interface CardProps {
  integration: Integration;
  mayChange: boolean;
  expanded: boolean;
  busy: boolean;
  onAction(integration: Integration, verb: CardAction): void;
}

/** What a card's buttons do: the server's verbs, and deleting it. */
type CardAction = IntegrationVerb | "delete";

function IntegrationCard({ integration: i, mayChange, expanded, busy, onAction }: CardProps) {
  const [showKey, setShowKey] = useState(false);
  const shown = (text: string) => (showKey ? text : maskIn(text, i.key));
  const title = i.name || KIND_LABEL[i.kind];
  return (
    <li className={i.disabledAt ? "integration integration-disabled" : "integration"}>
      <div className="integration-head">
        <h3>{title}</h3>
        <span className="badge badge-quiet">{KIND_LABEL[i.kind]}</span>
        {i.disabledAt ? (
          <span className="badge badge-warning">Disabled: alerts are refused</span>
        ) : (
          <span className="badge badge-success">Enabled</span>
        )}
      </div>
      {i.kind === "heartbeat" && <HeartbeatState integration={i} />}
      <CopyBlock title={`URL of ${title}`} text={i.url} shown={shown(i.url)} inline />
      <CopyBlock title={`Key of ${title}`} text={i.key} shown={shown(i.key)} inline>
        <button
          type="button"
          className="button button-small"
          aria-pressed={showKey}
          onClick={() => setShowKey((s) => !s)}
        >
          {showKey ? "Hide key" : "Show key"}
          <span className="visually-hidden"> of {title}</span>
        </button>
      </CopyBlock>
      <details className="snippets" open={expanded}>
        <summary>Setup for the usual senders ({i.snippets.length})</summary>
        {i.snippets.map((s) => (
          <CopyBlock key={s.id} title={s.title} text={s.text} shown={shown(s.text)} />
        ))}
      </details>
      {mayChange && (
        // Marked busy rather than disabled: a disabled button drops the keyboard focus, and the
        // confirmation dialog hands the focus back to the button that opened it.
        <div className="actions">
          <button
            type="button"
            className="button"
            aria-disabled={busy || undefined}
            onClick={() => !busy && onAction(i, "rotate-key")}
          >
            Rotate key<span className="visually-hidden"> of {title}</span>
          </button>
          {/* One button that turns from Disable into Enable, so the focus stays on it. */}
          <button
            type="button"
            className={i.disabledAt ? "button" : "button button-danger-quiet"}
            aria-disabled={busy || undefined}
            onClick={() => !busy && onAction(i, i.disabledAt ? "enable" : "disable")}
          >
            {i.disabledAt ? "Enable" : "Disable"}
            <span className="visually-hidden"> {title}</span>
          </button>
          <button
            type="button"
            className="button button-danger-quiet"
            aria-disabled={busy || undefined}
            onClick={() => !busy && onAction(i, "delete")}
          >
            Delete<span className="visually-hidden"> {title}</span>
          </button>
        </div>
      )}
    </li>
  );
}

const CONFIRM: Partial<Record<CardAction, { title: string; body: string; label: string }>> = {
  delete: {
    title: "Delete this integration?",
    body: "Its key and URL stop working at once: senders still using them are refused as unknown. The alerts and incidents it raised stay.",
    label: "Delete",
  },
  "rotate-key": {
    title: "Rotate the key?",
    body: "A new key and URL are issued and the old ones stop working at once. Update every sender's configuration right after, or its alerts are refused.",
    label: "Rotate key",
  },
  disable: {
    title: "Disable this integration?",
    body: "Alerts sent to it are refused with 403 until you enable it again. Open incidents stay as they are.",
    label: "Disable",
  },
};

interface SectionProps {
  serviceId: string;
  /** An admin, or a responder who manages the service's team. */
  mayChange: boolean;
  /** Keys are secrets: viewers do not get them. */
  canSee: boolean;
}

export function IntegrationsSection({ serviceId, mayChange, canSee }: SectionProps) {
  const list = useLoad(() => (canSee ? alerting.listIntegrations(serviceId) : Promise.resolve(undefined)));
  const [createdId, setCreatedId] = useState<string>();
  const [pending, setPending] = useState<{ integration: Integration; verb: CardAction }>();
  const [busyId, setBusyId] = useState<string>();
  const [message, setMessage] = useState<Outcome>();

  const run = async (integration: Integration, verb: CardAction) => {
    setPending(undefined);
    setBusyId(integration.id);
    setMessage(undefined);
    try {
      if (verb === "delete") {
        await alerting.deleteIntegration(integration.id);
        list.set((items) => items?.filter((x) => x.id !== integration.id));
        const name = integration.name || KIND_LABEL[integration.kind];
        setMessage({ kind: "success", text: `Deleted ${name}: its key no longer works.` });
        return;
      }
      const updated = await alerting.changeIntegration(integration.id, verb);
      list.set((items) => items?.map((x) => (x.id === updated.id ? updated : x)));
      const done = {
        "rotate-key": "New key issued; the old one no longer works.",
        disable: "Disabled.",
        enable: "Enabled.",
      };
      setMessage({ kind: "success", text: `${updated.name || KIND_LABEL[updated.kind]}: ${done[verb]}` });
    } catch (err) {
      setMessage({ kind: "error", text: messageOf(err) });
    } finally {
      setBusyId(undefined);
    }
  };
  const onAction = (integration: Integration, verb: CardAction) =>
    CONFIRM[verb] ? setPending({ integration, verb }) : void run(integration, verb);

  const confirm = pending && CONFIRM[pending.verb];
  return (
    <section className="panel" aria-labelledby="integrations">
      <h2 id="integrations">Integrations</h2>
      <p className="muted">
        Point your monitoring at one of these URLs. Each integration has its own secret key.
      </p>
      {!canSee ? (
        <p className="muted">Responders and admins see this service's integrations and their keys.</p>
      ) : (
        <LoadState what="integrations" loading={list.loading && !list.data} error={list.error} />
      )}
      <OutcomeNotice outcome={message} />
      {list.data && list.data.length === 0 && (
        <p className="empty">No integrations yet: no alerts can arrive.</p>
      )}
      {list.data && list.data.length > 0 && (
        <ul className="integration-list">
          {list.data.map((i) => (
            <IntegrationCard
              key={i.id}
              integration={i}
              mayChange={mayChange}
              expanded={i.id === createdId || list.data?.length === 1}
              busy={busyId === i.id}
              onAction={onAction}
            />
          ))}
        </ul>
      )}
      {mayChange && (
        <>
          <h3 id="add-integration">Add an integration</h3>
          <CreateIntegrationForm
            serviceId={serviceId}
            // A new attempt's outcome replaces the last one: an old "Added" must not sit above a new error.
            onSubmitting={() => setMessage(undefined)}
            onCreated={(created) => {
              list.set((items) => [...(items ?? []), created]);
              setCreatedId(created.id);
              // A new heartbeat pages nobody until its job calls it: said where the person just clicked.
              const waiting = created.kind === "heartbeat" ? ` ${WAITING_FOR_FIRST_CHECK_IN}` : "";
              const name = created.name || KIND_LABEL[created.kind];
              setMessage({ kind: "success", text: `Added ${name}.${waiting}` });
            }}
          />
        </>
      )}
      <ConfirmDialog
        open={confirm !== undefined}
        title={confirm?.title ?? ""}
        confirmLabel={confirm?.label ?? "Confirm"}
        danger
        onCancel={() => setPending(undefined)}
        onConfirm={() => pending && void run(pending.integration, pending.verb)}
      >
        <p>{confirm?.body}</p>
      </ConfirmDialog>
    </section>
  );
}
