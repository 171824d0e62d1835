// The settings of each kind of channel or contact method (src/notifiers/*/parseConfig), as form fields.
// Shared by Settings → Channels and My account → Notifications.
import { Fragment, useEffect, useId, useState } from "react";
import { request } from "./api";
import { CheckboxField, Field, SelectField, type Option } from "./forms";

export const NOTIFIER_KINDS: readonly Option[] = [
  { value: "slack", label: "Slack" },
  { value: "email", label: "Email" },
  { value: "teams", label: "Microsoft Teams" },
  { value: "discord", label: "Discord" },
  { value: "ntfy", label: "ntfy (push to a phone)" },
  { value: "webhook", label: "Webhook (JSON, optionally signed)" },
];

export type ConfigValues = Record<string, string>;

interface FieldSpec {
  name: string;
  label: string;
  type?: "url" | "email" | "password" | "text";
  required?: boolean;
  placeholder?: string;
  hint?: string;
}

const URL_FIELD = (hint: string): FieldSpec => ({
  name: "url",
  label: "Webhook URL",
  type: "url",
  required: true,
  hint,
});

/** Who the settings are for: a shared channel, or one person's contact method. */
export type NotifierAudience = "channel" | "person";

/**
 * What reaches a webhook (src/app/notifications/plan-deliveries.ts): a shared channel hears of every
 * incident that opens, is acknowledged, resolved or reopened; a person's contact method only gets
 * pages (opened, escalated, reopened), messages meant for them, and tests.
 */
const WEBHOOK_HINT: Record<NotifierAudience, string> = {
  channel:
    "Firebreak POSTs a JSON message to it for every page and change. Its type says incident, notice or test: only an incident is a page.",
  person:
    "Firebreak POSTs a JSON message to it when you are paged (an incident opens, escalates or reopens), for messages meant for you (a call-in, a reminder, your shifts) and for tests. Acknowledgements and resolutions are not sent. Its type says incident, notice or test: only an incident is a page.",
};

/**
 * Mail goes through the server's SMTP settings (FIREBREAK_SMTP_URL), so an address is all a person
 * gives; an SMTP server of its own is the exception, behind OWN_SMTP.
 */
const EMAIL_TO: Record<NotifierAudience, FieldSpec> = {
  person: {
    name: "to",
    label: "Email address",
    type: "email",
    required: true,
    placeholder: "you@example.com",
    hint: "Where pages and tests are mailed to.",
  },
  channel: {
    name: "to",
    label: "To",
    required: true,
    hint: "One address, or several separated by commas.",
  },
};

// Asked once per page load: whether the server has SMTP settings does not change while it runs.
let serverEmailRead: Promise<boolean> | undefined;

/** Whether this server sends email for an address alone; undefined until known (or if the read failed). */
function useServerEmail(wanted: boolean): boolean | undefined {
  const [known, setKnown] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    serverEmailRead ??= request<{ serverEmail: boolean }>("GET", "/api/v1/notification-settings").then(
      (r) => r.serverEmail,
    );
    serverEmailRead.then(
      (yes) => current && setKnown(yes),
      () => {
        serverEmailRead = undefined;
      },
    );
    return () => {
      current = false;
    };
  }, [wanted]);
  return known;
}

/**
 * Said before the address is typed: whether the server's own SMTP server will send it, or the save
 * would be refused unless an admin sets one or this config names its own.
 */
function ServerEmailNotice({ audience, serverEmail }: { audience: NotifierAudience; serverEmail: boolean }) {
  if (serverEmail)
    return (
      <p className="notice notice-info">
        This server sends email through its own SMTP server: an address is all it needs.
      </p>
    );
  return (
    <div className="notice notice-warning">
      <p>
        This server has no SMTP server set: ask an admin, or give your own SMTP settings (advanced).
        {audience === "channel" && " An admin sets FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM."}
      </p>
    </div>
  );
}

/** The value key of the "own SMTP server" box; not a setting, so configOf never sends it. */
const OWN_SMTP = "ownSmtp";

const OWN_SMTP_FIELDS: FieldSpec[] = [
  {
    name: "smtpUrl",
    label: "SMTP server",
    type: "password",
    required: true,
    placeholder: "smtp://user:password@smtp.example.com:587",
    hint: "smtp:// (STARTTLS when offered) or smtps://, with the user and password if it needs them.",
  },
  { name: "from", label: "From", required: true, placeholder: "Firebreak <firebreak@example.com>" },
];

function specsFor(kind: string, values: ConfigValues, audience: NotifierAudience = "channel"): FieldSpec[] {
  switch (kind) {
    case "webhook":
      return [
        URL_FIELD(WEBHOOK_HINT[audience]),
        {
          name: "secret",
          label: "Signing secret",
          type: "password",
          hint: "Each request is then signed with HMAC-SHA256 in X-Firebreak-Signature.",
        },
      ];
    case "slack":
      return values.mode === "app"
        ? [
            { name: "botToken", label: "Bot token", type: "password", required: true, placeholder: "xoxb-…" },
            {
              name: "channel",
              label: "Slack channel",
              required: true,
              placeholder: "C0123456789",
              hint: "The channel ID (or #name). Invite the app to it first. Messages get Acknowledge and Resolve buttons.",
            },
          ]
        : [URL_FIELD("From a Slack app's Incoming Webhooks page: https://hooks.slack.com/services/…")];
    case "email":
      return [EMAIL_TO[audience], ...(values.ownSmtp === "yes" ? OWN_SMTP_FIELDS : [])];
    case "teams":
      return [
        URL_FIELD(
          "The URL of a Teams Workflows “Post to a channel when a webhook request is received” flow.",
        ),
      ];
    case "discord":
      return [URL_FIELD("Channel settings → Integrations → Webhooks → Copy Webhook URL.")];
    case "ntfy":
      return [
        {
          name: "serverUrl",
          label: "Server URL",
          type: "url",
          required: true,
          hint: "https://ntfy.sh or your own.",
        },
        {
          name: "topic",
          label: "Topic",
          required: true,
          hint: "Letters, digits, - and _. On ntfy.sh anyone who knows the topic can read it: pick a long, unguessable one.",
        },
        { name: "token", label: "Access token", type: "password", hint: "For a protected topic." },
      ];
    default:
      return [];
  }
}

/** Fresh values for a kind, with its sensible defaults. */
export function initialValues(kind: string): ConfigValues {
  if (kind === "slack") return { mode: "webhook" };
  if (kind === "ntfy") return { serverUrl: "https://ntfy.sh" };
  return {};
}

/** The config to send: the fields of this kind (and mode) only, empty ones left out. */
export function configOf(kind: string, values: ConfigValues): Record<string, unknown> {
  const config: Record<string, unknown> = kind === "slack" ? { mode: values.mode ?? "webhook" } : {};
  for (const spec of specsFor(kind, values)) {
    const value = (values[spec.name] ?? "").trim();
    if (value !== "") config[spec.name] = value;
  }
  return config;
}

interface ConfigFieldsProps {
  kind: string;
  values: ConfigValues;
  onChange(values: ConfigValues): void;
  /** Field errors by path (`config/url`), from useSubmission's `paths`. */
  errors: Record<string, string>;
  audience: NotifierAudience;
}

export function NotifierConfigFields({ kind, values, onChange, errors, audience }: ConfigFieldsProps) {
  const modeName = useId();
  const errorFor = (name: string) =>
    Object.entries(errors).find(
      ([path]) => path === `config/${name}` || path.startsWith(`config/${name}/`),
    )?.[1];
  const set = (name: string, value: string) => onChange({ ...values, [name]: value });
  const serverEmail = useServerEmail(kind === "email");

  return (
    <>
      {errors.config && <p className="field-error">Settings {errors.config}.</p>}
      {kind === "email" && serverEmail !== undefined && (
        <ServerEmailNotice audience={audience} serverEmail={serverEmail} />
      )}
      {kind === "slack" && (
        <fieldset className="fieldset">
          <legend>How Firebreak posts to Slack</legend>
          {[
            { value: "webhook", label: "Incoming webhook: simplest, one channel, no buttons" },
            { value: "app", label: "Slack app with a bot token: Acknowledge and Resolve buttons in Slack" },
          ].map((mode) => (
            <label key={mode.value} className="choice">
              <input
                type="radio"
                name={modeName}
                value={mode.value}
                checked={(values.mode ?? "webhook") === mode.value}
                onChange={() => set("mode", mode.value)}
              />
              <span>{mode.label}</span>
            </label>
          ))}
          {errorFor("mode") && <p className="field-error">Mode {errorFor("mode")}.</p>}
        </fieldset>
      )}
      {specsFor(kind, values, audience).map((spec) => (
        <Fragment key={`${kind}-${values.mode ?? ""}-${spec.name}`}>
          <Field
            label={spec.required ? spec.label : `${spec.label} (optional)`}
            type={spec.type ?? "text"}
            autoComplete="off"
            spellCheck={false}
            required={spec.required}
            placeholder={spec.placeholder}
            value={values[spec.name] ?? ""}
            onChange={(e) => set(spec.name, e.target.value)}
            error={errorFor(spec.name)}
            hint={spec.hint}
          />
          {kind === "email" && spec.name === "to" && (
            <OwnSmtpChoice
              checked={values[OWN_SMTP] === "yes"}
              onChange={(checked) => set(OWN_SMTP, checked ? "yes" : "")}
              // The server's refusal names smtpUrl, whose field is hidden until the box is ticked.
              error={values[OWN_SMTP] === "yes" ? undefined : errorFor("smtpUrl")}
            />
          )}
        </Fragment>
      ))}
    </>
  );
}

function OwnSmtpChoice(props: {
  checked: boolean;
  onChange(checked: boolean): void;
  error: string | undefined;
}) {
  return (
    <>
      {props.error && <p className="field-error">SMTP server {props.error}.</p>}
      <CheckboxField
        label="Advanced: send through an SMTP server of its own"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
        hint="Only when this mail must not go through Firebreak’s mail server."
      />
    </>
  );
}

/**
 * The kind a form has chosen and its settings; choosing another kind starts its settings afresh.
 * `clearError` takes back the server's error of a setting once it changes (paths config/KEY), and
 * the one about the settings as a whole.
 */
export function useNotifierSettings(
  initialKind: string,
  clearError?: (path: string, options?: { exact?: boolean }) => void,
) {
  const [kind, setKind] = useState(initialKind);
  const [values, setValues] = useState<ConfigValues>(() => initialValues(initialKind));
  return {
    kind,
    values,
    setValues(next: ConfigValues) {
      if (clearError) {
        for (const key of Object.keys(next)) if (next[key] !== values[key]) clearError(`config/${key}`);
        clearError("config", { exact: true });
      }
      setValues(next);
    },
    chooseKind(next: string) {
      setKind(next);
      setValues(initialValues(next));
    },
    config: () => configOf(kind, values),
    clear: () => setValues(initialValues(kind)),
  };
}

/** The "Kind" select of a channel or contact-method form. */
export function NotifierKindField({
  settings,
  onChosen,
  error,
}: {
  settings: ReturnType<typeof useNotifierSettings>;
  onChosen(): void;
  error: string | undefined;
}) {
  return (
    <SelectField
      label="Kind"
      value={settings.kind}
      onChange={(e) => {
        settings.chooseKind(e.target.value);
        onChosen();
      }}
      options={NOTIFIER_KINDS}
      error={error}
    />
  );
}
