// A service's incident-response settings: what the diagnosis panel links to (runbook, dashboards,
// links), how long the watch after a fix lasts, proper-fix deadlines per level, how often to remind
// about a public update, whom internal updates reach. Admins and the service's team's managers edit;
// everyone else reads.
import { useState, type FormEvent } from "react";
import { alerting, safeHref, type Service } from "../alerting-api";
import { request } from "../api";
import { useLoad } from "../data";
import { Field, fieldReader, FormError, TextAreaField, useSubmission, wholeNumber } from "../forms";
import {
  IMPACT_LABEL,
  response,
  type ImpactLevel,
  type ResponseSettings,
  type TitledLink,
} from "../response-api";
import { LoadState } from "../widgets";
import "../war-room.css";

const LEVELS: readonly ImpactLevel[] = ["outage", "data-corruption", "degradation"];

function LinkRows(props: {
  legend: string;
  what: string;
  rows: TitledLink[];
  path: string;
  paths: Record<string, string>;
  onChange(rows: TitledLink[]): void;
}) {
  const set = (i: number, change: Partial<TitledLink>) =>
    props.onChange(props.rows.map((row, j) => (j === i ? { ...row, ...change } : row)));
  return (
    <fieldset className="fieldset">
      <legend>{props.legend}</legend>
      {props.paths[props.path] && <p className="field-error">{props.paths[props.path]}</p>}
      <div className="link-rows">
        {props.rows.map((row, i) => (
          <div className="link-row" key={i}>
            <Field
              label={`${props.what} ${i + 1} title`}
              value={row.title}
              onChange={(e) => set(i, { title: e.target.value })}
              error={props.paths[`${props.path}/${i}/title`]}
            />
            <Field
              label={`${props.what} ${i + 1} URL`}
              type="url"
              value={row.url}
              onChange={(e) => set(i, { url: e.target.value })}
              error={props.paths[`${props.path}/${i}/url`]}
            />
            <button
              type="button"
              className="button button-danger-quiet"
              onClick={() => props.onChange(props.rows.filter((_, j) => j !== i))}
            >
              Remove
              <span className="visually-hidden">
                {" "}
                {props.what.toLowerCase()} {i + 1}
              </span>
            </button>
          </div>
        ))}
      </div>
      <button
        type="button"
        className="button button-small"
        onClick={() => props.onChange([...props.rows, { title: "", url: "" }])}
      >
        Add {props.what.toLowerCase()}
      </button>
    </fieldset>
  );
}

/**
 * How internal updates reach the stakeholders: an email channel's SMTP settings, else the server's own
 * (FIREBREAK_SMTP_URL, as a person's email address uses). `undefined` until both are known (or if a
 * read failed).
 */
function useStakeholderMail(): "channel" | "server" | "none" | undefined {
  const channels = useLoad(alerting.listChannels);
  const server = useLoad(() =>
    request<{ serverEmail: boolean }>("GET", "/api/v1/notification-settings").then((r) => r.serverEmail),
  );
  if (channels.data === undefined || server.data === undefined) return undefined;
  if (channels.data.some((c) => c.kind === "email")) return "channel";
  return server.data ? "server" : "none";
}

const STAKEHOLDER_HINT = {
  channel: "One per line. Internal updates are emailed to them through the email channel.",
  server: "One per line. Internal updates are emailed to them through this server's mail.",
  none: "One per line. Internal updates would be emailed to them, but no mail can be sent yet: add an email channel under Settings → Channels, or set FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM on the server.",
  unknown:
    "One per line. Internal updates are emailed to them through an email channel, else through this server's mail (FIREBREAK_SMTP_URL).",
} as const;

function SettingsForm(props: {
  serviceId: string;
  settings: ResponseSettings;
  services: readonly Service[];
}) {
  const s = props.settings;
  const [runbookUrl, setRunbookUrl] = useState(s.runbookUrl ?? "");
  const [dashboards, setDashboards] = useState<TitledLink[]>(s.dashboards);
  const [links, setLinks] = useState<TitledLink[]>(s.links);
  const [watch, setWatch] = useState(String(s.watchMinutes));
  const [hours, setHours] = useState<Record<ImpactLevel, string>>({
    outage: String(s.followUpHours.outage),
    "data-corruption": String(s.followUpHours["data-corruption"]),
    degradation: String(s.followUpHours.degradation),
  });
  const [every, setEvery] = useState(String(s.publicUpdateEveryMinutes));
  const [emails, setEmails] = useState(s.stakeholderEmails.join("\n"));
  const [dependents, setDependents] = useState<string[]>(s.dependentServiceIds);
  const [saved, setSaved] = useState(false);
  const submission = useSubmission([
    "runbookUrl",
    "dashboards",
    "links",
    "watchMinutes",
    "followUpHours",
    "publicUpdateEveryMinutes",
    "stakeholderEmails",
    "dependentServiceIds",
  ]);
  const p = submission.paths;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void submission.run(async () => {
      // Every number is checked before sending, so each typo is named on its own field at once.
      const reader = fieldReader();
      const number = (text: string, path: string) => reader.read(() => wholeNumber(text, path));
      const body: ResponseSettings = {
        runbookUrl: runbookUrl.trim() || null,
        dashboards: dashboards.filter((d) => d.title.trim() || d.url.trim()),
        links: links.filter((l) => l.title.trim() || l.url.trim()),
        watchMinutes: number(watch, "/watchMinutes"),
        followUpHours: {
          outage: number(hours.outage, "/followUpHours/outage"),
          "data-corruption": number(hours["data-corruption"], "/followUpHours/data-corruption"),
          degradation: number(hours.degradation, "/followUpHours/degradation"),
        },
        publicUpdateEveryMinutes: number(every, "/publicUpdateEveryMinutes"),
        stakeholderEmails: emails
          .split(/[\s,;]+/)
          .map((e) => e.trim())
          .filter(Boolean),
        dependentServiceIds: dependents,
      };
      reader.check();
      await response.saveSettings(props.serviceId, body);
      setSaved(true);
    });
  };

  const others = props.services.filter((x) => x.id !== props.serviceId);
  const mail = useStakeholderMail();
  return (
    <form className="form form-wide" onSubmit={submit} noValidate aria-labelledby="response-settings">
      {saved && (
        <div className="notice notice-success" role="status">
          <p>Incident response settings saved.</p>
        </div>
      )}
      <FormError message={submission.error} />
      <Field
        label="Runbook URL"
        type="url"
        value={runbookUrl}
        placeholder="https://wiki.example.com/runbooks/checkout"
        onChange={(e) => setRunbookUrl(e.target.value)}
        error={p.runbookUrl}
      />
      <LinkRows
        legend="Dashboards"
        what="Dashboard"
        rows={dashboards}
        path="dashboards"
        paths={p}
        onChange={setDashboards}
      />
      <LinkRows legend="Other links" what="Link" rows={links} path="links" paths={p} onChange={setLinks} />
      <div className="form-row">
        <Field
          label="Watch after a fix (minutes)"
          inputMode="numeric"
          value={watch}
          onChange={(e) => setWatch(e.target.value)}
          error={p.watchMinutes}
          hint="A deployed fix puts the incident into monitoring this long; an alert inside it is a regression."
        />
        <Field
          label="Public update reminder (minutes)"
          inputMode="numeric"
          value={every}
          onChange={(e) => setEvery(e.target.value)}
          error={p.publicUpdateEveryMinutes}
          hint="For outages and data corruption, the handler is reminded this often until a public update is posted."
        />
      </div>
      <fieldset className="fieldset">
        <legend>Proper-fix deadline after a hotfix (hours)</legend>
        <div className="form-row">
          {LEVELS.map((level) => (
            <Field
              key={level}
              label={IMPACT_LABEL[level]}
              inputMode="numeric"
              value={hours[level]}
              onChange={(e) => setHours((h) => ({ ...h, [level]: e.target.value }))}
              error={p[`followUpHours/${level}`]}
            />
          ))}
        </div>
      </fieldset>
      <TextAreaField
        label="Stakeholders (emails)"
        rows={3}
        value={emails}
        onChange={(e) => setEmails(e.target.value)}
        error={
          p.stakeholderEmails ?? Object.entries(p).find(([k]) => k.startsWith("stakeholderEmails/"))?.[1]
        }
        hint={STAKEHOLDER_HINT[mail ?? "unknown"]}
      />
      {mail === "none" && emails.trim() !== "" && (
        <div className="notice notice-warning">
          <p>
            These stakeholders will not be emailed: there is no email channel and this server has no SMTP
            server set. An admin sets FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM, or adds an email channel in
            Settings → Channels.
          </p>
        </div>
      )}
      {others.length > 0 && (
        <fieldset className="fieldset">
          <legend>Services that depend on this one</legend>
          <p className="field-hint">Their teams get a “back off” notice with each internal update.</p>
          <div className="choice-row">
            {others.map((x) => (
              <label key={x.id} className="choice">
                <input
                  type="checkbox"
                  checked={dependents.includes(x.id)}
                  onChange={(e) =>
                    setDependents((list) =>
                      e.target.checked ? [...list, x.id] : list.filter((id) => id !== x.id),
                    )
                  }
                />
                <span>{x.name}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Saving…" : "Save response settings"}
      </button>
    </form>
  );
}

function SettingsFacts({ settings, services }: { settings: ResponseSettings; services: readonly Service[] }) {
  const runbook = settings.runbookUrl ? safeHref(settings.runbookUrl) : undefined;
  const names = settings.dependentServiceIds.map((id) => services.find((x) => x.id === id)?.name ?? id);
  const h = settings.followUpHours;
  return (
    <dl className="details">
      <dt>Runbook</dt>
      <dd>{runbook ? <a href={runbook}>{settings.runbookUrl}</a> : "None"}</dd>
      <dt>Dashboards and links</dt>
      <dd>{settings.dashboards.length + settings.links.length || "None"}</dd>
      <dt>Watch after a fix</dt>
      <dd>{settings.watchMinutes} min</dd>
      <dt>Proper-fix deadlines</dt>
      <dd>
        outage {h.outage} h, data corruption {h["data-corruption"]} h, degradation {h.degradation} h
      </dd>
      <dt>Public update reminder</dt>
      <dd>every {settings.publicUpdateEveryMinutes} min</dd>
      <dt>Stakeholders</dt>
      <dd>{settings.stakeholderEmails.length > 0 ? settings.stakeholderEmails.join(", ") : "None"}</dd>
      <dt>Dependent services</dt>
      <dd>{names.length > 0 ? names.join(", ") : "None"}</dd>
    </dl>
  );
}

/** `mayChange`: an admin, or a manager of the service's team (the server checks again). */
export function ResponseSettingsSection({ serviceId, mayChange }: { serviceId: string; mayChange: boolean }) {
  const settings = useLoad(() => response.settings(serviceId));
  const services = useLoad(alerting.listServices);
  return (
    <div className="response-settings">
      <h3 id="response-settings">Incident response</h3>
      <LoadState
        what="the response settings"
        loading={settings.loading && !settings.data}
        error={settings.error}
      />
      {settings.data &&
        (mayChange ? (
          <SettingsForm serviceId={serviceId} settings={settings.data} services={services.data ?? []} />
        ) : (
          <SettingsFacts settings={settings.data} services={services.data ?? []} />
        ))}
    </div>
  );
}
