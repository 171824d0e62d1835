/**
 * Hostile input at every ingestion endpoint, through the whole HTTP stack (Fastify's body parsing,
 * content-type handling, routes, use case, store), on both databases. fast-check generates arbitrary
 * JSON, valid bodies with fields deleted / replaced / retyped / made huge / nested deep / given
 * prototype-pollution keys or hostile Unicode, wrong content types, invalid UTF-8, truncated and empty
 * bodies, bad keys. For every request:
 *
 *  - never a 5xx, only 2xx or 4xx;
 *  - the body is in the endpoint's own format: PagerDuty's `{status, message, errors}` for /v2/enqueue and
 *    /v2/change/enqueue, Alertmanager's plain text for /api/v2/alerts (empty on 200), problem+json for the
 *    others;
 *  - never a partial write: a 4xx that accepted nothing leaves alerts, incidents, change events, timeline
 *    and jobs exactly as they were (Alertmanager API v2 is the one endpoint that stores the valid alerts of
 *    a body that also holds invalid ones before its 400; there we ask the parser whether any were valid);
 *  - the server still answers /healthz.
 *
 * Four classes of input are known to break these properties today and are kept out of the random
 * generators (each has a `todo` test below that fails until it is fixed): free-form JSON nested deeper
 * than V8's JSON.stringify recursion limit; a key path segment Fastify's router refuses (its reply
 * bypasses the endpoint's format); on PostgreSQL, an Alertmanager groupKey over btree's index row
 * limit; and on PostgreSQL, U+0000 in strings.
 *
 * FUZZ_RUNS (default 300) sets the runs per endpoint and dialect; FUZZ_SEED replays a failure.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, it } from "node:test";
import fc from "fast-check";
import { sql } from "kysely";
import type { LightMyRequestResponse } from "fastify";
import { parsePostableAlerts } from "../../src/core/alerts/parse-alertmanager-v2.js";
import type { IntegrationKind } from "../../src/core/alerts/records.js";
import { createIngestService } from "../support/alerting-setup.js";
import { describeEachDialect, type DialectName } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const NOW = () => new Date();

// ── the endpoints ─────────────────────────────────────────────────────────────────────────────────────

type Format = "pagerduty" | "text" | "problem";
type Method = "GET" | "POST";

interface Endpoint {
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
const unique = () => `${process.pid}-${++sequence}`;

/** A path segment for any string, even one with lone surrogates (which encodeURIComponent refuses). */
const pathSegment = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
  }
};

/**
 * Fastify's router refuses a path parameter longer than its maxParamLength (1024 in build-http-app.ts)
 * before any route runs, and answers in its own JSON shape: a known bug with its own todo test below, so
 * random keys in paths stay within it.
 */
const MAX_PATH_KEY = 1024;

const alertmanagerWebhook = () => {
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

const genericWebhook = () => ({
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

const postableAlerts = () => {
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

const pagerDutyEvent = (key: string) => ({
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

const pagerDutyChange = (key: string) => ({
  routing_key: key,
  payload: {
    summary: `Deployed checkout ${unique()}`,
    source: "ci",
    timestamp: "2025-03-02T09:00:00Z",
    custom_details: { build: 42 },
  },
  links: [{ href: "https://ci.example.net/builds/42", text: "Build" }],
});

const ENDPOINTS: readonly Endpoint[] = [
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

// ── generating requests ───────────────────────────────────────────────────────────────────────────────

type JsonPath = Array<string | number>;

/** Every path into `root`, breadth first, at most `maxDepth` levels down (a 1,000-deep value is not walked whole). */
function pathsOf(root: unknown, maxDepth = 12): JsonPath[] {
  const out: JsonPath[] = [];
  const queue: Array<{ value: unknown; path: JsonPath }> = [{ value: root, path: [] }];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const { value, path } = next;
    if (path.length >= maxDepth || typeof value !== "object" || value === null) continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, child] of entries.slice(0, 50)) {
      out.push([...path, key]);
      queue.push({ value: child, path: [...path, key] });
    }
  }
  return out;
}

function containerAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const step of path) node = (node as Record<string | number, unknown>)[step];
  return node;
}

const nested = (depth: number, shape: "array" | "object"): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = shape === "array" ? [value] : { a: value };
  return value;
};

/** Strings people do not expect: controls, lone surrogates, BOMs, line separators, JSON and URL syntax. */
const hostileString = (dialect: DialectName) =>
  fc
    .string({
      unit: fc.oneof(
        fc.constantFrom(
          "\u0000",
          "\u0001",
          "\u001f",
          "\u007f",
          "\ud800",
          "\udfff",
          "\u2028",
          "\ufeff",
          "\uffff",
          '"',
          "\\",
          "%",
          "{",
          "}",
          "\n",
        ),
        fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
      ),
      maxLength: 64,
    })
    // U+0000 on PostgreSQL is a known bug with its own todo test below.
    .map((s) => (dialect === "postgres" ? s.replaceAll("\u0000", "") : s));

type Mutation =
  | { op: "delete" }
  | { op: "replace"; value: unknown }
  | { op: "huge"; length: number }
  | { op: "deep"; depth: number; shape: "array" | "object" }
  | { op: "protoKey"; key: string; value: unknown }
  | { op: "hostile"; value: string };

const mutationArb = (dialect: DialectName): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.constant({ op: "delete" as const }),
    fc.record({ op: fc.constant("replace" as const), value: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({
      op: fc.constant("replace" as const),
      // Numbers where strings belong, strings where objects belong, and the like.
      value: fc.oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant([]),
        fc.constant({}),
        fc.array(fc.string()),
        fc.string(),
      ),
    }),
    fc.record({ op: fc.constant("huge" as const), length: fc.constantFrom(5_000, 300_000, 1_100_000) }),
    // Kept below V8's JSON.stringify recursion limit (a few thousand): deeper is the known bug below.
    fc.record({
      op: fc.constant("deep" as const),
      depth: fc.constantFrom(10, 100, 1_000),
      shape: fc.constantFrom("array" as const, "object" as const),
    }),
    fc.record({
      op: fc.constant("protoKey" as const),
      key: fc.constantFrom(
        "__proto__",
        "constructor",
        "prototype",
        "hasOwnProperty",
        "toString",
        "valueOf",
        "__defineGetter__",
      ),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constant({ prototype: { polluted: true } }),
        fc.constant({ polluted: true }),
      ),
    }),
    fc.record({ op: fc.constant("hostile" as const), value: hostileString(dialect) }),
  );

/** Applies a mutation at the path chosen by `pick` (modulo the paths there are); returns the new root. */
function mutate(root: unknown, pick: number, given: Mutation): unknown {
  // Generated values can be shared between runs (constants): never insert the same object twice.
  const mutation =
    (given.op === "replace" || given.op === "protoKey") &&
    typeof given.value === "object" &&
    given.value !== null
      ? { ...given, value: JSON.parse(JSON.stringify(given.value)) as unknown }
      : given;
  if (mutation.op === "protoKey") {
    const objects: JsonPath[] = [[], ...pathsOf(root)].filter((p) => {
      const node = containerAt(root, p);
      return typeof node === "object" && node !== null && !Array.isArray(node);
    });
    if (objects.length === 0) return root;
    const target = containerAt(root, objects[pick % objects.length]!) as Record<string, unknown>;
    // An own, enumerable property even for "__proto__", so JSON.stringify writes it out.
    Object.defineProperty(target, mutation.key, {
      value: mutation.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return root;
  }
  const paths = pathsOf(root);
  if (paths.length === 0) return mutation.op === "delete" ? root : replacement(mutation);
  const path = paths[pick % paths.length]!;
  const parent = containerAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (mutation.op === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    parent[last] = replacement(mutation);
  }
  return root;
}

function replacement(mutation: Exclude<Mutation, { op: "delete" } | { op: "protoKey" }>): unknown {
  switch (mutation.op) {
    case "replace":
      return mutation.value;
    case "huge":
      return "x".repeat(mutation.length);
    case "deep":
      return nested(mutation.depth, mutation.shape);
    case "hostile":
      return mutation.value;
  }
}

/**
 * Keeps generated bodies clear of the known bugs that have their own todo tests below, so the random
 * properties keep guarding everything else: on PostgreSQL an Alertmanager groupKey longer than btree's
 * index row limit (about 2.7 kB) is cut to 1,000 characters.
 */
function avoidKnownBugs(endpoint: Endpoint, dialect: DialectName, value: unknown): unknown {
  if (
    dialect === "postgres" &&
    endpoint.kind === "alertmanager" &&
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value)
  ) {
    const body = value as Record<string, unknown>;
    if (typeof body.groupKey === "string" && body.groupKey.length > 1_000)
      body.groupKey = body.groupKey.slice(0, 1_000);
  }
  return value;
}

interface FuzzRequest {
  readonly method: Method;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload: string | Buffer | undefined;
  /** The JSON value the payload encodes, when it does and is sent as application/json. */
  readonly json: unknown;
  readonly label: string;
}

/** Counterexamples print short: a 1 MB string is shown by its length, not in full. */
const described = (request: FuzzRequest): FuzzRequest & { [fc.toStringMethod](): string } => ({
  ...request,
  [fc.toStringMethod]: () => {
    const body =
      request.payload === undefined
        ? "(none)"
        : typeof request.payload === "string"
          ? request.payload
          : `<Buffer ${request.payload.toString("hex").slice(0, 200)}>`;
    return `${request.label}: ${request.method} ${request.url.slice(0, 200)} ${JSON.stringify(request.headers).slice(0, 200)} ${body.length > 400 ? `${body.slice(0, 400)}… (${body.length} chars)` : body}`;
  },
});

const WRONG_CONTENT_TYPES = [
  "text/plain",
  "text/plain; charset=utf-8",
  "application/x-www-form-urlencoded",
  "application/xml",
  "multipart/form-data; boundary=xyz",
  "application/octet-stream",
  "application/json; charset=utf-16le",
  "application/vnd.api+json",
  "APPLICATION/JSON",
  "application/json;;",
];

const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xc3],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc0, 0xaf],
  [0xe2, 0x28, 0xa1],
  [0xfe, 0xfe, 0xff, 0xff],
];

interface Keys {
  readonly own: string;
  /** A key of another integration kind: a valid key, but not for this endpoint. */
  readonly otherKind: string;
}

function requestArb(
  endpoint: Endpoint,
  keys: Keys,
  dialect: DialectName,
): fc.Arbitrary<ReturnType<typeof described>> {
  const key = fc.oneof(
    { weight: 12, arbitrary: fc.constant(keys.own) },
    { weight: 1, arbitrary: fc.constant(keys.otherKind) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", "x", "k".repeat(201), keys.own.toLowerCase(), `${keys.own} `),
    },
    // A key that goes in a header must be printable ASCII, or the client refuses to send it.
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map((s) => s.trim()) },
  );
  const hostileKey = fc.oneof(
    { weight: 4, arbitrary: key },
    { weight: 1, arbitrary: hostileString(dialect) },
  );

  type Body = {
    payload: string | Buffer | undefined;
    json: unknown;
    contentType: string | undefined;
    label: string;
  };
  const jsonBody = (value: unknown, label: string): Body => {
    const safe = avoidKnownBugs(endpoint, dialect, value);
    return { payload: JSON.stringify(safe), json: safe, contentType: "application/json", label };
  };

  const body = (bodyKey: string): fc.Arbitrary<Body> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.jsonValue().map((v) => jsonBody(v, "arbitrary JSON")) },
      { weight: 1, arbitrary: fc.constant(null).map(() => jsonBody(endpoint.valid(bodyKey), "valid body")) },
      {
        weight: 8,
        arbitrary: fc
          .array(fc.tuple(fc.nat(), mutationArb(dialect)), { minLength: 1, maxLength: 4 })
          .map((mutations) => {
            let value = endpoint.valid(bodyKey);
            for (const [pick, mutation] of mutations) value = mutate(value, pick, mutation);
            return jsonBody(value, `mutated: ${mutations.map(([, m]) => m.op).join(", ")}`);
          }),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(fc.constantFrom(...INVALID_UTF8), fc.nat()).map(([bytes, at]) => {
          const text = Buffer.from(JSON.stringify(endpoint.valid(bodyKey)), "utf8");
          // Inside a string value: right after an opening quote that follows a colon.
          const openings = [...text.toString("latin1").matchAll(/:"/g)].map((m) => (m.index ?? 0) + 2);
          const cut = openings.length > 0 ? openings[at % openings.length]! : 0;
          return {
            payload: Buffer.concat([text.subarray(0, cut), Buffer.from(bytes), text.subarray(cut)]),
            json: undefined,
            contentType: "application/json",
            label: "invalid UTF-8 inside a string",
          };
        }),
      },
      {
        weight: 1,
        arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({
          payload: Buffer.from(bytes),
          json: undefined,
          contentType: "application/json",
          label: "random bytes",
        })),
      },
      {
        weight: 1,
        arbitrary: fc.nat().map((n) => {
          const text = JSON.stringify(endpoint.valid(bodyKey));
          return {
            payload: text.slice(0, n % text.length),
            json: undefined,
            contentType: "application/json",
            label: "truncated JSON",
          };
        }),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom<Body>(
          { payload: "", json: undefined, contentType: "application/json", label: "empty body" },
          { payload: undefined, json: undefined, contentType: undefined, label: "no body at all" },
        ),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom(...WRONG_CONTENT_TYPES, undefined).map((contentType) => ({
          payload:
            contentType === "application/x-www-form-urlencoded"
              ? "routing_key=x&summary=y"
              : JSON.stringify(endpoint.valid(bodyKey)),
          json: undefined,
          contentType,
          label: `content type ${contentType ?? "(none)"}`,
        })),
      },
    );

  const keyInPath = (form: number) => form === 0 && endpoint.format !== "pagerduty";
  return (
    fc
      .tuple(fc.constantFrom(...endpoint.methods), fc.nat(endpoint.keyForms - 1))
      // Keys in a path or a JSON body can be any string; in an Authorization header, printable ASCII only.
      .chain(([method, form]) =>
        (keyInPath(form) || endpoint.format === "pagerduty" ? hostileKey : key).map(
          (chosenKey) => [method, form, chosenKey] as const,
        ),
      )
      // "." and ".." in a path are dot segments: URL normalisation removes them, so the request is
      // for another path altogether (answered as such), not for this endpoint with a bad key.
      .filter(
        ([, form, chosenKey]) =>
          !keyInPath(form) || (chosenKey.length <= MAX_PATH_KEY && chosenKey !== "." && chosenKey !== ".."),
      )
      .chain(([method, form, chosenKey]) =>
        body(chosenKey).map((b) => {
          const { url, headers } = endpoint.target(chosenKey, form);
          const allHeaders: Record<string, string> = {
            ...(headers.authorization !== undefined && { authorization: headers.authorization }),
            ...(b.contentType !== undefined && { "content-type": b.contentType }),
          };
          // A GET carries no body; its request is about the key alone.
          const payload = method === "GET" ? undefined : b.payload;
          return described({
            method,
            url,
            headers: allHeaders,
            payload,
            json: method === "GET" || b.contentType !== "application/json" ? undefined : b.json,
            label: `${b.label}, key ${chosenKey === keys.own ? "own" : "other"}`,
          });
        }),
      )
  );
}

// ── what every answer must look like ───────────────────────────────────────────────────────────────────

function assertEndpointFormat(endpoint: Endpoint, res: LightMyRequestResponse): void {
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

/**
 * The JSON value the server may have read from the payload: bytes decoded as UTF-8 the way Fastify decodes
 * them (invalid sequences become U+FFFD), whatever the content type said. Undefined when it is not JSON.
 */
function decodedJson(request: FuzzRequest): unknown {
  if (request.json !== undefined) return request.json;
  if (request.payload === undefined) return undefined;
  try {
    return JSON.parse(
      typeof request.payload === "string" ? request.payload : request.payload.toString("utf8"),
    ) as unknown;
  } catch {
    return undefined;
  }
}

/** fc.assert, but the report carries the failed assertion's message (Node's reporter does not print causes). */
async function assertProperty<T>(property: fc.IAsyncProperty<T>): Promise<void> {
  const details = await fc.check(property, { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) });
  if (!details.failed) return;
  const cause =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `${fc.defaultReportMessage(details)}\nFailed with: ${cause}\n(replay: FUZZ_SEED=${details.seed})`,
  );
}

// ── the suite ─────────────────────────────────────────────────────────────────────────────────────────

describeEachDialect("ingestion endpoints under hostile input (fast-check)", (dialect) => {
  let fb: TestFirebreak;
  const keys: Partial<Record<IntegrationKind, string>> = {};

  /** Everything an ingestion request can write, as one comparable row. */
  const snapshot = async () => {
    const { rows } = await sql<Record<string, unknown>>`
      select
        (select count(*) from alerts) as alerts,
        (select coalesce(sum(event_count), 0) from alerts) as alert_events,
        (select count(*) from alerts where status = 'resolved') as resolved_alerts,
        (select count(*) from incidents) as incidents,
        (select count(*) from change_events) as change_events,
        (select count(*) from timeline_entries) as timeline,
        (select count(*) from jobs) as jobs,
        (select count(*) from integrations where last_check_in_at is not null) as checked_in
    `.execute(fb.running.store.handle.db);
    return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
  };

  const send = (request: FuzzRequest) =>
    fb.http.inject({
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.payload !== undefined && { payload: request.payload }),
    });

  const assertHealthy = async () => {
    const health = await fb.http.inject({ method: "GET", url: "/healthz" });
    assert.equal(health.statusCode, 200, "the server still answers /healthz");
  };

  /** The properties of one answer; returns it for further checks. */
  const checkOne = async (endpoint: Endpoint, request: FuzzRequest): Promise<LightMyRequestResponse> => {
    const before = await snapshot();
    const res = await send(request);
    assert.ok(res.statusCode < 500, `never a 5xx: got ${res.statusCode} ${res.body.slice(0, 300)}`);
    assert.ok(
      res.statusCode >= 200 && res.statusCode < 500 && !(res.statusCode >= 300 && res.statusCode < 400),
      `2xx or 4xx, got ${res.statusCode}`,
    );
    assertEndpointFormat(endpoint, res);
    if (res.statusCode >= 400) {
      const partial =
        res.statusCode === 400 &&
        endpoint.mayAcceptPartially !== undefined &&
        endpoint.mayAcceptPartially(decodedJson(request));
      if (!partial)
        assert.deepEqual(await snapshot(), before, `a ${res.statusCode} that accepted nothing wrote nothing`);
    }
    await assertHealthy();
    return res;
  };

  before(async () => {
    fb = await startTestFirebreak({ dialect, startEngine: false });
    const { keys: created } = await createIngestService(fb.running.deps, {
      name: "fuzzed",
      kinds: ["alertmanager", "prometheus", "pagerduty", "webhook", "heartbeat"],
      // The rate limit is not under test here: a 429 would hide what the parsers do.
      rateLimitPerMinute: 10_000_000,
    });
    Object.assign(keys, created);
  });
  after(() => fb?.close());

  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.name}: no 5xx, its own error format, no partial write, still healthy (${RUNS} runs)`, async () => {
      const own = keys[endpoint.kind]!;
      const otherKind = endpoint.kind === "webhook" ? keys.alertmanager! : keys.webhook!;
      const statuses = new Map<number, number>();
      await assertProperty(
        fc.asyncProperty(requestArb(endpoint, { own, otherKind }, dialect), async (request) => {
          const res = await checkOne(endpoint, request);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        }),
      );
      process.stderr.write(
        `# ${dialect} ${endpoint.name}: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`,
      );
      // Nothing a body said reached a prototype.
      assert.equal(Object.hasOwn(Object.prototype, "polluted"), false);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      // The generators must reach the happy path too, or the properties say little.
      assert.ok(
        [...statuses.keys()].some((s) => s < 300),
        "some requests were accepted",
      );
      assert.ok(
        [...statuses.keys()].some((s) => s >= 400),
        "some requests were refused",
      );
    });
  }

  it("arrays of 10,000 items: what is valid is stored, the rest refused, nothing half-written", async () => {
    const firing = (i: number) => ({
      labels: { alertname: "Bulk", instance: `host-${i}-${unique()}` },
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    // 100 valid alerts among 9,900 broken ones: the size is what is under test, not the database's write rate.
    const mixed = (valid: (i: number) => unknown, junk: (i: number) => unknown) =>
      Array.from({ length: 10_000 }, (_, i) => (i % 100 === 0 ? valid(i) : junk(i)));
    // Broken for both Alertmanager formats: not objects, labels that are not strings, annotations that are not a map.
    const junkItems = [
      null,
      7,
      "x",
      [],
      { labels: { a: 1 } },
      { labels: "x" },
      { labels: { a: "b" }, annotations: 5 },
    ];
    const junk = (i: number) => junkItems[i % junkItems.length];
    const cases: Array<{ endpoint: string; url: string; body: unknown; status: number; newAlerts: number }> =
      [
        {
          endpoint: "POST /api/v2/alerts",
          url: `/int/${keys.prometheus}/api/v2/alerts`,
          body: mixed(firing, junk),
          status: 400,
          newAlerts: 100,
        },
        {
          endpoint: "POST /api/v2/alerts",
          url: `/int/${keys.prometheus}/api/v2/alerts`,
          body: mixed(junk, junk),
          status: 400,
          newAlerts: 0,
        },
        {
          endpoint: "POST /integrations/alertmanager/:key",
          url: `/integrations/alertmanager/${keys.alertmanager}`,
          body: {
            ...alertmanagerWebhook(),
            alerts: mixed((i) => ({ ...firing(i), status: "firing" }), junk),
          },
          status: 200,
          newAlerts: 100,
        },
        {
          endpoint: "POST /integrations/alertmanager/:key",
          url: `/integrations/alertmanager/${keys.alertmanager}`,
          body: { ...alertmanagerWebhook(), alerts: mixed(junk, junk) },
          status: 400,
          newAlerts: 0,
        },
        {
          endpoint: "POST /integrations/webhook/:key",
          url: `/integrations/webhook/${keys.webhook}`,
          body: Array.from({ length: 10_000 }, (_, i) => ({
            summary: `bulk ${i}`,
            dedup_key: `bulk-${i}-${unique()}`,
          })),
          status: 400,
          newAlerts: 0,
        },
        {
          endpoint: "POST /v2/enqueue",
          url: "/v2/enqueue",
          body: {
            ...pagerDutyEvent(keys.pagerduty!),
            links: Array.from({ length: 10_000 }, (_, i) => ({ href: `https://e.example/${i}` })),
          },
          status: 202,
          newAlerts: 1,
        },
        {
          endpoint: "POST /v2/change/enqueue",
          url: "/v2/change/enqueue",
          body: { ...pagerDutyChange(keys.pagerduty!), links: Array.from({ length: 10_000 }, () => 7) },
          status: 202,
          newAlerts: 0,
        },
        {
          endpoint: "GET|POST /heartbeat/:key",
          url: `/heartbeat/${keys.heartbeat}`,
          body: Array.from({ length: 10_000 }, (_, i) => i),
          status: 200,
          newAlerts: 0,
        },
      ];
    for (const c of cases) {
      const endpoint = ENDPOINTS.find((e) => e.name === c.endpoint)!;
      const before = await snapshot();
      const started = Date.now();
      const res = await checkOne(endpoint, {
        method: "POST",
        url: c.url,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(c.body),
        json: c.body,
        label: "10,000 items",
      });
      const after = await snapshot();
      process.stderr.write(
        `# ${dialect} ${c.endpoint} with 10,000 items: ${res.statusCode} in ${Date.now() - started} ms\n`,
      );
      assert.equal(res.statusCode, c.status, `${c.endpoint}: ${res.body.slice(0, 300)}`);
      assert.equal(after.alerts! - before.alerts!, c.newAlerts, `${c.endpoint}: new alerts`);
      if (res.statusCode >= 400 && c.newAlerts === 0) assert.deepEqual(after, before);
      if (c.endpoint === "POST /integrations/alertmanager/:key" && res.statusCode === 200) {
        const answer = JSON.parse(res.body) as { accepted: number; errors: unknown[] };
        assert.equal(answer.accepted, 100);
        assert.ok(answer.errors.length <= 101, `errors are capped, got ${answer.errors.length}`);
      }
    }
  });

  // ── known bugs: these fail today; see the final report for cause and fix ───────────────────────────────

  /** A JSON text with `"@DEEP@"` replaced by an object nested `depth` levels (JSON.stringify itself cannot write it). */
  const withDeepValue = (template: unknown, depth: number) =>
    JSON.stringify(template).replace('"@DEEP@"', `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);

  it(
    "free-form JSON nested 10,000 deep (generic details, PagerDuty custom_details, Grafana values) is refused or stored, never a 500",
    {},
    async () => {
      const depth = 10_000;
      const grafana = alertmanagerWebhook();
      (grafana.alerts[0] as Record<string, unknown>).values = { B: "@DEEP@" };
      const pd = pagerDutyEvent(keys.pagerduty!) as Record<string, unknown> & {
        payload: Record<string, unknown>;
      };
      pd.payload.custom_details = "@DEEP@";
      const change = pagerDutyChange(keys.pagerduty!) as Record<string, unknown> & {
        payload: Record<string, unknown>;
      };
      change.payload.custom_details = "@DEEP@";
      const failures: string[] = [];
      for (const [name, url, template] of [
        [
          "POST /integrations/webhook/:key",
          `/integrations/webhook/${keys.webhook}`,
          { ...genericWebhook(), details: { nested: "@DEEP@" } },
        ],
        [
          "POST /integrations/alertmanager/:key (Grafana values)",
          `/integrations/alertmanager/${keys.alertmanager}`,
          grafana,
        ],
        ["POST /v2/enqueue", "/v2/enqueue", pd],
        ["POST /v2/change/enqueue", "/v2/change/enqueue", change],
      ] as const) {
        const payload = withDeepValue(template, depth);
        const res = await send({
          method: "POST",
          url,
          headers: { "content-type": "application/json" },
          payload,
          json: undefined,
          label: "deep",
        });
        if (res.statusCode >= 500) failures.push(`${name}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        else await assertHealthy();
      }
      assert.deepEqual(failures, []);
    },
  );

  it(
    "a key path segment Fastify's router refuses (longer than 1024, or malformed percent-encoding) still gets the endpoint's error format",
    {},
    async () => {
      const wrong: string[] = [];
      const long = "k".repeat(MAX_PATH_KEY + 1);
      for (const [endpointName, method, url] of [
        ["POST /integrations/webhook/:key", "POST", `/integrations/webhook/${long}`],
        ["POST /integrations/alertmanager/:key", "POST", "/integrations/alertmanager/%E0%A4%A"],
        ["POST /api/v2/alerts", "POST", `/int/${long}/api/v2/alerts`],
        ["POST /api/v2/alerts", "POST", "/int/%zz/api/v2/alerts"],
        ["GET|POST /heartbeat/:key", "GET", "/heartbeat/%"],
      ] as const) {
        const endpoint = ENDPOINTS.find((e) => e.name === endpointName)!;
        const res = await send({
          method,
          url,
          headers: method === "POST" ? { "content-type": "application/json" } : {},
          payload: method === "POST" ? "{}" : undefined,
          json: {},
          label: "router refusal",
        });
        try {
          assert.ok(res.statusCode >= 400 && res.statusCode < 500);
          assertEndpointFormat(endpoint, res);
        } catch (err) {
          wrong.push(
            `${url.slice(0, 40)}: ${res.statusCode} ${String(res.headers["content-type"])} ${res.body.slice(0, 80)} (${(err as Error).message.split("\n")[0]})`,
          );
        }
      }
      assert.deepEqual(wrong, []);
    },
  );

  it("an Alertmanager groupKey of 4 kB (random text) opens an incident, never a 500", {}, async () => {
    const body = {
      ...alertmanagerWebhook(),
      groupKey: `{}:{team="${randomBytes(3_000).toString("base64")}"}`,
    };
    const res = await send({
      method: "POST",
      url: `/integrations/alertmanager/${keys.alertmanager}`,
      headers: { "content-type": "application/json" },
      payload: JSON.stringify(body),
      json: body,
      label: "long groupKey",
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal((JSON.parse(res.body) as { incidentsOpened: number }).incidentsOpened, 1);
  });

  it(
    "U+0000 in keys, summaries, dedup keys, group keys and alert names is refused or stored, never a 500",
    {},
    async () => {
      const failures: string[] = [];
      const cases: Array<{
        name: string;
        method: Method;
        url: string;
        headers?: Record<string, string>;
        body?: unknown;
      }> = [
        {
          name: "key in the path",
          method: "POST",
          url: `/integrations/webhook/${pathSegment("abc\u0000def")}`,
          body: genericWebhook(),
        },
        { name: "heartbeat key", method: "GET", url: `/heartbeat/${pathSegment("abc\u0000")}` },
        { name: "routing_key", method: "POST", url: "/v2/enqueue", body: { ...pagerDutyEvent("a\u0000b") } },
        {
          name: "dedup_key",
          method: "POST",
          url: "/v2/enqueue",
          body: { ...pagerDutyEvent(keys.pagerduty!), dedup_key: "dedup\u0000key" },
        },
        {
          name: "change summary",
          method: "POST",
          url: "/v2/change/enqueue",
          body: { routing_key: keys.pagerduty, payload: { summary: "deployed\u0000" } },
        },
        {
          name: "generic summary",
          method: "POST",
          url: `/integrations/webhook/${keys.webhook}`,
          body: { summary: "disk\u0000full", dedup_key: unique() },
        },
        {
          name: "alertname",
          method: "POST",
          url: `/int/${keys.prometheus}/api/v2/alerts`,
          body: [{ labels: { alertname: `x\u0000${unique()}` } }],
        },
        {
          name: "groupKey",
          method: "POST",
          url: `/integrations/alertmanager/${keys.alertmanager}`,
          body: { ...alertmanagerWebhook(), groupKey: `g\u0000${unique()}` },
        },
      ];
      for (const c of cases) {
        const res = await send({
          method: c.method,
          url: c.url,
          headers: { ...c.headers, ...(c.body !== undefined && { "content-type": "application/json" }) },
          payload: c.body === undefined ? undefined : JSON.stringify(c.body),
          json: c.body,
          label: c.name,
        });
        if (res.statusCode >= 500) failures.push(`${c.name}: ${res.statusCode}`);
      }
      assert.deepEqual(failures, []);
    },
  );
});
