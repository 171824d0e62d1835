import { Type } from "typebox";
import { LevelSchema } from "../../schemas.js";

/**
 * The ingest bodies and answers as the OpenAPI document shows them. Fastify does not validate these
 * bodies: each source's parser (src/core/alerts/parse-*.ts) judges every alert itself, keeping the good
 * ones and naming the bad, where a schema would refuse the whole body (and ajv's type coercion would
 * change what the parser reads). The parsers are the authority; these say what they read.
 */
export const bodyReadByParser = { validatorCompiler: () => () => true } as const;

export const IntegrationKeyParams = Type.Object({
  key: Type.String({ description: "The integration's key, as in the URL its integration page shows" }),
});

const StringMap = (description: string, example?: Record<string, string>) =>
  Type.Record(Type.String(), Type.String(), { description, ...(example && { examples: [example] }) });
const Time = (description: string) => Type.String({ format: "date-time", description });
/** A link the parsers keep only when it is an absolute http(s) URL: "string" as an example was refused. */
const HttpUrl = (description: string, example: string) =>
  Type.String({ format: "uri", description, examples: [example] });

/**
 * Each body carries a whole example that its route accepts: Swagger UI (/docs) shows and sends it as is,
 * where a body made up from the types ("href": "string") was refused. Keys are placeholders to replace.
 */
const PLACEHOLDER_KEY = "YOUR_INTEGRATION_KEY";
const RUNBOOK = "https://runbooks.example.net/disk";

const AlertmanagerAlert = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal("firing"), Type.Literal("resolved")], {
      description: "firing triggers, resolved resolves; absent: resolved once endsAt has passed",
    }),
  ),
  labels: StringMap("Required. The alert's identity (its fingerprint) and what grouping by labels reads"),
  annotations: Type.Optional(
    StringMap("summary (or description, or message) becomes the incident's title; runbook_url a link"),
  ),
  startsAt: Type.Optional(Time("When it started firing")),
  endsAt: Type.Optional(Time("When it resolved; Go's zero time while firing")),
  generatorURL: Type.Optional(
    HttpUrl("Shown as a link to the rule's graph", "https://prometheus.example.net/graph?g0.expr=up"),
  ),
  fingerprint: Type.Optional(
    Type.String({
      description: "16 hex digits; alerts with the same one update one alert. Absent: computed from labels",
    }),
  ),
});

export const AlertmanagerWebhookBody = Type.Object(
  {
    version: Type.Optional(Type.String({ description: '"4" from Alertmanager, "1" from Grafana' })),
    groupKey: Type.Optional(
      Type.String({
        description: "Alerts of one group join one incident (the service's group-key grouping)",
      }),
    ),
    truncatedAlerts: Type.Optional(
      Type.Integer({
        description: "Alerts the sender left out because of max_alerts; noted on the incident",
      }),
    ),
    status: Type.Optional(
      Type.Union([Type.Literal("firing"), Type.Literal("resolved")], {
        description: "The group's status; each alert's own status is what counts",
      }),
    ),
    receiver: Type.Optional(
      Type.String({ description: "The receiver's name in the sender's configuration" }),
    ),
    groupLabels: Type.Optional(StringMap("The labels the group is made by")),
    commonLabels: Type.Optional(StringMap("Labels every alert of the message has")),
    commonAnnotations: Type.Optional(StringMap("Annotations every alert of the message has")),
    externalURL: Type.Optional(
      HttpUrl("The sender's own page, shown as a link", "https://alertmanager.example.net"),
    ),
    alerts: Type.Array(AlertmanagerAlert, {
      description:
        "One alert each; Grafana's dashboardURL, panelURL, silenceURL, imageURL and values are kept in the details",
    }),
  },
  {
    description:
      "Alertmanager's webhook_configs message (version 4), or Grafana's webhook contact point (version 1). Other fields are ignored.",
    examples: [
      {
        version: "4",
        groupKey: '{}:{alertname="DiskAlmostFull"}',
        truncatedAlerts: 0,
        status: "firing",
        receiver: "firebreak",
        groupLabels: { alertname: "DiskAlmostFull" },
        commonLabels: { alertname: "DiskAlmostFull", severity: "critical" },
        commonAnnotations: { summary: "Disk almost full on db-7" },
        externalURL: "https://alertmanager.example.net",
        alerts: [
          {
            status: "firing",
            labels: { alertname: "DiskAlmostFull", instance: "db-7:9100", severity: "critical" },
            annotations: { summary: "Disk almost full on db-7", runbook_url: RUNBOOK },
            startsAt: "2025-03-02T09:14:05.318Z",
            endsAt: "0001-01-01T00:00:00Z",
            generatorURL: "https://prometheus.example.net/graph?g0.expr=node_filesystem_avail_bytes",
            fingerprint: "5d4b1f0c2a9e7c31",
          },
        ],
      },
    ],
  },
);

const GenericEvent = Type.Object({
  summary: Type.String({ description: "Required. The line people read first; cut at 1024 characters" }),
  dedup_key: Type.Optional(
    Type.String({
      maxLength: 255,
      description:
        "Events with the same key update one alert. Absent: a hash of summary, source and labels (send a key when the summary changes)",
    }),
  ),
  status: Type.Optional(
    Type.Union([Type.Literal("firing"), Type.Literal("resolved")], {
      description: 'Default "firing"; "resolved" closes the alert with this dedup_key',
    }),
  ),
  level: Type.Optional(LevelSchema),
  severity: Type.Optional(
    Type.String({
      description: "The sender's own word (critical, warning, P2…), shown and mapped to a level",
      examples: ["critical", "warning", "P2"],
    }),
  ),
  source: Type.Optional(Type.String({ description: "The host, service or tool it is about" })),
  labels: Type.Optional(StringMap("For routing and grouping", { team: "storage" })),
  details: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), { description: "Anything; shown on the incident as sent" }),
  ),
  links: Type.Optional(
    Type.Array(
      Type.Object({
        href: HttpUrl("An absolute http(s) URL", RUNBOOK),
        text: Type.Optional(Type.String({ examples: ["Runbook"] })),
      }),
      { description: "Absolute http(s) URLs shown on the incident" },
    ),
  ),
  occurred_at: Type.Optional(Time("RFC 3339 with an offset; default: when it was received")),
});

export const GenericWebhookBody = Type.Union([GenericEvent, Type.Array(GenericEvent, { maxItems: 1000 })], {
  description: "One event, or an array of at most 1000. Other fields are ignored.",
  examples: [
    {
      summary: "Disk almost full on db-7",
      dedup_key: "db-7-disk",
      status: "firing",
      level: "page",
      severity: "critical",
      source: "db-7",
      labels: { team: "storage" },
      details: { free_bytes: 1_048_576 },
      links: [{ href: RUNBOOK, text: "Runbook" }],
      occurred_at: "2025-03-02T09:14:05Z",
    },
  ],
});

export const PostableAlertsBody = Type.Array(
  Type.Object({
    labels: StringMap("Required: at least one label with a value. The alert's identity (its fingerprint)"),
    annotations: Type.Optional(StringMap("summary (or description) becomes the incident's title")),
    startsAt: Type.Optional(Time("Default: endsAt, else now")),
    endsAt: Type.Optional(
      Time("At or before now: resolved. Absent: firing until 5 minutes from now unless sent again"),
    ),
    generatorURL: Type.Optional(
      HttpUrl("Shown as a link to the rule's graph", "https://prometheus.example.net/graph?g0.expr=up"),
    ),
  }),
  {
    description: "Alertmanager API v2 postableAlerts, as Prometheus and vmalert send them",
    // No startsAt or endsAt: a fixed past endsAt would resolve it; without, it fires for 5 minutes.
    examples: [
      [
        {
          labels: { alertname: "HighErrorRate", service: "checkout", severity: "page" },
          annotations: { summary: "5xx ratio above 5% for 10m", runbook_url: RUNBOOK },
          generatorURL: "https://prometheus.example.net/graph?g0.expr=job%3Aerrors%3Aratio5m+%3E+0.05",
        },
      ],
    ],
  },
);

const RoutingKey = Type.String({
  description: "Required. The integration's key (a pagerduty integration)",
  examples: [PLACEHOLDER_KEY],
});
const PagerDutyLink = { href: "https://grafana.example.net/d/checkout", text: "Dashboard" };
const PagerDutyLinks = Type.Optional(
  Type.Array(
    Type.Object({
      href: HttpUrl("An http(s) URL", PagerDutyLink.href),
      text: Type.Optional(Type.String({ examples: [PagerDutyLink.text] })),
    }),
    { description: "http(s) links shown on the incident" },
  ),
);

export const PagerDutyEventBody = Type.Object(
  {
    routing_key: RoutingKey,
    event_action: Type.Union(
      [Type.Literal("trigger"), Type.Literal("acknowledge"), Type.Literal("resolve")],
      { description: "Required" },
    ),
    dedup_key: Type.Optional(
      Type.String({
        maxLength: 255,
        description:
          "Events with the same key update one alert. Required to acknowledge or resolve; a trigger without one gets a new key, returned in the answer",
      }),
    ),
    payload: Type.Optional(
      Type.Object(
        {
          summary: Type.String({ description: "Required. The incident's title; cut at 1024 characters" }),
          source: Type.String({ description: "Required. The host or service it is about" }),
          severity: Type.Union(
            [Type.Literal("critical"), Type.Literal("error"), Type.Literal("warning"), Type.Literal("info")],
            { description: "Required; mapped to a level by the integration" },
          ),
          timestamp: Type.Optional(Time("When it happened; one that cannot be read is kept in the details")),
          component: Type.Optional(Type.String()),
          group: Type.Optional(Type.String()),
          class: Type.Optional(Type.String()),
          custom_details: Type.Optional(Type.Unknown({ description: "Anything; shown on the incident" })),
        },
        { description: "Required for a trigger" },
      ),
    ),
    images: Type.Optional(
      Type.Array(
        Type.Object({
          src: HttpUrl("The image's http(s) URL", "https://grafana.example.net/render/d/checkout.png"),
          href: Type.Optional(HttpUrl("Where the image links to", PagerDutyLink.href)),
          alt: Type.Optional(Type.String({ examples: ["p99 latency"] })),
        }),
        { description: "http(s) images (graphs) kept with the alert's details" },
      ),
    ),
    links: PagerDutyLinks,
    client: Type.Optional(Type.String({ description: "The sending tool's name, the text of client_url" })),
    client_url: Type.Optional(
      HttpUrl("The sending tool's page, shown as a link", "https://grafana.example.net"),
    ),
  },
  {
    description: "A PagerDuty Events API v2 event. Other fields are ignored.",
    examples: [
      {
        routing_key: PLACEHOLDER_KEY,
        event_action: "trigger",
        dedup_key: "checkout-latency-eu-1",
        payload: {
          summary: "p99 latency of checkout above 2s",
          source: "checkout.eu-1.example.net",
          severity: "error",
          timestamp: "2025-03-02T09:25:11.000Z",
          component: "api",
          group: "checkout",
          class: "latency",
          custom_details: { p99_ms: 2310, threshold_ms: 2000 },
        },
        links: [PagerDutyLink],
        client: "Grafana",
        client_url: "https://grafana.example.net",
      },
    ],
  },
);

export const PagerDutyChangeBody = Type.Object(
  {
    routing_key: RoutingKey,
    payload: Type.Object(
      {
        summary: Type.String({ description: "Required. What changed, such as “Deployed checkout v42”" }),
        timestamp: Type.Optional(Time("When; default: when it was received")),
        source: Type.Optional(Type.String()),
        custom_details: Type.Optional(Type.Unknown()),
      },
      { description: "Required" },
    ),
    links: PagerDutyLinks,
  },
  {
    description: "A PagerDuty change event. Other fields are ignored.",
    examples: [
      {
        routing_key: PLACEHOLDER_KEY,
        payload: {
          summary: "Deployed checkout v42",
          timestamp: "2025-03-02T09:00:00.000Z",
          source: "deploy-bot",
          custom_details: { version: "v42" },
        },
        links: [{ href: "https://ci.example.net/checkout/42", text: "Build 42" }],
      },
    ],
  },
);

export const PagerDutyAccepted = Type.Object(
  {
    status: Type.Literal("success"),
    message: Type.String(),
    dedup_key: Type.Optional(
      Type.String({ description: "The alert's key (generated for a trigger sent without one)" }),
    ),
  },
  { description: "Stored and committed" },
);

/** PagerDuty's error body, which its clients parse; `when` says what causes it. */
export const pagerDutyError = (when: string) =>
  Type.Object(
    {
      status: Type.String({ description: '"invalid event", "throttle event" or "error"' }),
      message: Type.String(),
      errors: Type.Optional(Type.Array(Type.String(), { description: "Each thing wrong with the event" })),
    },
    { description: when },
  );

/** An answer in plain text, as Alertmanager gives it (its clients read only the status). */
export const plainText = (when: string) => ({
  description: when,
  content: { "text/plain": { schema: Type.String() } },
});

export const AlertmanagerStatusSchema = Type.Object(
  {
    cluster: Type.Object({ status: Type.String(), peers: Type.Array(Type.Unknown()) }),
    versionInfo: Type.Object({
      version: Type.String({ description: "firebreak- and the version, such as firebreak-0.1.0" }),
      branch: Type.String(),
      revision: Type.String(),
      buildUser: Type.String(),
      buildDate: Type.String(),
      goVersion: Type.String(),
    }),
    config: Type.Object({ original: Type.String() }),
    uptime: Type.String({ format: "date-time" }),
  },
  { description: "Alertmanager's status shape, enough for Grafana's “Save & test” and amtool" },
);
