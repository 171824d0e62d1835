// The ingest endpoints under fuzz: how each takes its key, a valid body of each format, and the answer
// format each must keep (PagerDuty JSON, Alertmanager plain text, problem+json).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { parsePostableAlerts } from "../../src/core/alerts/parse-alertmanager-v2.js";
import type { IntegrationKind } from "../../src/core/alerts/records.js";
import type { FuzzRequest } from "./ingest-fuzz-arbitraries.js";

const NOW = () => new Date();

// ── the endpoints ─────────────────────────────────────────────────────────────────────────────────────

export type Format = "pagerduty" | "text" | "problem";
export type Method = "GET" | "POST";

export interface Endpoint {
  readonly name: string;
  readonly kind: IntegrationKind;
  readonly format: Format;
  readonly methods: readonly Method[];
  /** How many ways the key can travel (path, Bearer header, body). */
  readonly keyForms: number;
  /** URL and headers for the key in the given form. */
  target(key: string, form: number): { url: string; headers: Record<string, string | undefined> };
  /** A valid body (unique alert identity each call); `key` goes in the body where the format puts it there. */
  valid(key: string): unknown;
  /** For a body that got a 4xx: could some of it have been stored anyway? */
  mayAcceptPartially?(json: unknown): boolean;
}

let sequence = 0;
export const unique = () => `${process.pid}-${++sequence}`;

/** A path segment for any string, even one with lone surrogates (which encodeURIComponent refuses). */
export const pathSegment = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
  }
};

/**
 * Fastify's router refuses a path parameter longer than its maxParamLength (1024 in build-http-app.ts)
 * before any route runs: an input that was a bug once (a reply outside the endpoint's format), with a
 * test of its own in ingest-edge-inputs.fuzz.test.ts, so random keys in paths stay within it.
 */
export const MAX_PATH_KEY = 1024;

export const alertmanagerWebhook = () => {
  const id = unique();
  return {
    version: "4",
    groupKey: `{}/{team="storage"}:{alertname="DiskAlmostFull-${id}"}`,
    truncatedAlerts: 0,
    status: "firing",
    receiver: "firebreak",
    groupLabels: { alertname: `DiskAlmostFull-${id}` },
    commonLabels: { alertname: `DiskAlmostFull-${id}`, severity: "critical" },
    commonAnnotations: { summary: "Disk almost full" },
    externalURL: "http://alertmanager.example.net",
    alerts: [
      {
        status: "firing",
        labels: { alertname: `DiskAlmostFull-${id}`, instance: "db-7:9100", severity: "critical" },
        annotations: { summary: "Disk almost full", runbook_url: "https://runbooks.example.net/disk" },
        startsAt: "2025-03-02T09:14:05.318Z",
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "http://prometheus.example.net/graph?g0.expr=up",
        fingerprint: createHash("sha256").update(id).digest("hex").slice(0, 16),
      },
      {
        status: "resolved",
        labels: { alertname: `DiskAlmostFull-${id}`, instance: "db-8:9100", severity: "critical" },
        annotations: {},
        startsAt: "2025-03-02T09:14:05.318Z",
        endsAt: "2025-03-02T09:20:05.318Z",
      },
    ],
  };
};

export const genericWebhook = () => ({
  summary: `Disk almost full on db-7 (${unique()})`,
  dedup_key: `db-7/disk/${unique()}`,
  status: "firing",
  level: "page",
  severity: "critical",
  source: "db-7.example.net",
  labels: { team: "storage", env: "prod" },
  details: { used_percent: 97.5, mounts: ["/", "/var"] },
  links: [{ href: "https://runbooks.example.net/disk", text: "Runbook" }],
  occurred_at: "2025-03-02T09:14:05Z",
});

export const postableAlerts = () => {
  const id = unique();
  return [
    {
      labels: { alertname: "HighErrorRate", service: `checkout-${id}`, severity: "page" },
      annotations: { summary: "5xx ratio above 5%" },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      generatorURL: "http://prometheus.example.net/graph?g0.expr=errors",
    },
    {
      labels: { alertname: "Resolved", service: `checkout-${id}` },
      startsAt: "2025-03-02T09:20:00Z",
      endsAt: "2025-03-02T09:24:00Z",
    },
  ];
};

export const pagerDutyEvent = (key: string) => ({
  routing_key: key,
  event_action: "trigger",
  dedup_key: `checkout-latency-${unique()}`,
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
  images: [
    { src: "https://grafana.example.net/render.png", href: "https://grafana.example.net", alt: "graph" },
  ],
  links: [{ href: "https://grafana.example.net/d/checkout", text: "Dashboard" }],
  client: "Grafana",
  client_url: "https://grafana.example.net",
});

export const pagerDutyChange = (key: string) => ({
  routing_key: key,
  payload: {
    summary: `Deployed checkout ${unique()}`,
    source: "ci",
    timestamp: "2025-03-02T09:00:00Z",
    custom_details: { build: 42 },
  },
  links: [{ href: "https://ci.example.net/builds/42", text: "Build" }],
});

export const ENDPOINTS: readonly Endpoint[] = [
  {
    name: "POST /integrations/alertmanager/:key",
    kind: "alertmanager",
    format: "problem",
    methods: ["POST"],
    keyForms: 2,
    target: (key, form) =>
      form === 0
        ? { url: `/integrations/alertmanager/${pathSegment(key)}`, headers: {} }
        : { url: "/integrations/alertmanager", headers: { authorization: `Bearer ${key}` } },
    valid: alertmanagerWebhook,
  },
  {
    name: "POST /integrations/webhook/:key",
    kind: "webhook",
    format: "problem",
    methods: ["POST"],
    keyForms: 2,
    target: (key, form) =>
      form === 0
        ? { url: `/integrations/webhook/${pathSegment(key)}`, headers: {} }
        : { url: "/integrations/webhook", headers: { authorization: `Bearer ${key}` } },
    valid: genericWebhook,
  },
  {
    name: "POST /api/v2/alerts",
    kind: "prometheus",
    format: "text",
    methods: ["POST"],
    keyForms: 2,
    target: (key, form) =>
      form === 0
        ? { url: `/int/${pathSegment(key)}/api/v2/alerts`, headers: {} }
        : { url: "/api/v2/alerts", headers: { authorization: `Bearer ${key}` } },
    valid: postableAlerts,
    mayAcceptPartially: (json) => parsePostableAlerts(json, NOW()).events.length > 0,
  },
  {
    name: "POST /v2/enqueue",
    kind: "pagerduty",
    format: "pagerduty",
    methods: ["POST"],
    keyForms: 1,
    target: () => ({ url: "/v2/enqueue", headers: {} }),
    valid: pagerDutyEvent,
  },
  {
    name: "POST /v2/change/enqueue",
    kind: "pagerduty",
    format: "pagerduty",
    methods: ["POST"],
    keyForms: 1,
    target: () => ({ url: "/v2/change/enqueue", headers: {} }),
    valid: pagerDutyChange,
  },
  {
    name: "GET|POST /heartbeat/:key",
    kind: "heartbeat",
    format: "problem",
    methods: ["GET", "POST"],
    keyForms: 1,
    target: (key) => ({ url: `/heartbeat/${pathSegment(key)}`, headers: {} }),
    valid: () => ({ status: "ok", run: unique() }),
  },
];

// ── what every answer must look like ───────────────────────────────────────────────────────────────────

export function assertEndpointFormat(endpoint: Endpoint, res: LightMyRequestResponse): void {
  const type = String(res.headers["content-type"] ?? "");
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  if (endpoint.format === "pagerduty") {
    assert.match(type, /^application\/json/, `PagerDuty answers JSON, got ${type}`);
    const body = JSON.parse(res.body) as {
      status?: unknown;
      message?: unknown;
      errors?: unknown;
      dedup_key?: unknown;
    };
    assert.equal(typeof body.message, "string");
    if (ok) {
      assert.equal(res.statusCode, 202);
      assert.equal(body.status, "success");
      if (endpoint.name === "POST /v2/enqueue")
        assert.ok(typeof body.dedup_key === "string" && body.dedup_key !== "", "a dedup_key comes back");
    } else if (res.statusCode === 429) {
      assert.equal(body.status, "throttle event");
    } else {
      assert.equal(body.status, "invalid event", res.body);
      assert.ok(Array.isArray(body.errors) && body.errors.every((e) => typeof e === "string"), res.body);
    }
    return;
  }
  if (endpoint.format === "text") {
    if (ok) {
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, "", "Alertmanager answers 200 with an empty body");
    } else {
      assert.match(
        type,
        /^text\/plain/,
        `Alertmanager's errors are plain text, got ${type}: ${res.body.slice(0, 200)}`,
      );
      assert.ok(res.body.trim().length > 0, "the error says something");
    }
    return;
  }
  if (ok) {
    assert.equal(res.statusCode, 200);
    assert.match(type, /^application\/json/);
    assert.equal((JSON.parse(res.body) as { status: unknown }).status, "ok");
    return;
  }
  assert.match(
    type,
    /^application\/problem\+json/,
    `problem+json expected, got ${type}: ${res.body.slice(0, 200)}`,
  );
  const problem = JSON.parse(res.body) as {
    status: unknown;
    code: unknown;
    title: unknown;
    detail: unknown;
    requestId: unknown;
  };
  assert.equal(problem.status, res.statusCode);
  assert.equal(typeof problem.code, "string");
  assert.equal(typeof problem.title, "string");
  assert.equal(typeof problem.detail, "string");
  assert.equal(problem.requestId, res.headers["x-request-id"]);
}

// ── what every refusal must say ───────────────────────────────────────────────────────────────────────

/** Media types no ingest endpoint parses: a body sent with one is refused with what to send instead. */
const UNPARSED_MEDIA_TYPES = new Set([
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/xml",
  "multipart/form-data",
  "application/octet-stream",
  "application/vnd.api+json",
]);

/**
 * A refusal names what is wrong: a field error's detail names its field (never "the request body" for
 * a field inside it) and says each fault once; a body Fastify cannot parse is told which Content-Type
 * to send, in each endpoint's own format (PagerDuty keeps its 400).
 */
export function assertNamesWhatIsWrong(
  endpoint: Endpoint,
  res: LightMyRequestResponse,
  request: FuzzRequest,
): void {
  const contentType = request.headers["content-type"];
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  const hint = `send the body as JSON with the header Content-Type: application/json (got ${contentType ?? "no Content-Type"})`;
  const unparsed = request.method === "POST" && UNPARSED_MEDIA_TYPES.has(mediaType);
  if (endpoint.format === "pagerduty") {
    if (unparsed) {
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual((JSON.parse(res.body) as { errors: unknown }).errors, [hint]);
    }
    return;
  }
  if (endpoint.format === "text") {
    if (res.statusCode === 415) assert.equal(res.body, `${hint}\n`);
    return;
  }
  if (res.statusCode < 400) return;
  const problem = JSON.parse(res.body) as { detail: string; errors?: { path: string; message: string }[] };
  if (res.statusCode === 415) assert.equal(problem.detail, hint);
  if (res.statusCode !== 400 || problem.errors === undefined) return;
  // A pointer into the body, or one into the path or query ("params /key").
  for (const e of problem.errors) assert.match(e.path, /^(\w+ )?\//, `a JSON Pointer: ${JSON.stringify(e)}`);
  const sentences = problem.detail.split("; ");
  assert.equal(new Set(sentences).size, sentences.length, `each fault once: ${problem.detail}`);
  if (problem.errors.every((e) => e.path !== "/"))
    assert.doesNotMatch(problem.detail, /^the request body/, "the detail names the field");
}
