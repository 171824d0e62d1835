// Inputs the random generators leave out, on SQLite and PostgreSQL: four that were bugs once (JSON nested
// 10,000 deep, keys Fastify's router refuses, a 4 kB Alertmanager groupKey, U+0000 in strings), and
// arrays of 10,000 items (what is valid is stored, the rest refused, nothing half-written).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import {
  alertmanagerWebhook,
  assertEndpointFormat,
  ENDPOINTS,
  genericWebhook,
  MAX_PATH_KEY,
  pagerDutyChange,
  pagerDutyEvent,
  pathSegment,
  unique,
  type Method,
} from "./ingest-fuzz-endpoints.js";
import { useIngestFuzzServer } from "./ingest-fuzz-kit.js";

describeEachDialect("ingestion endpoints under hostile input (fast-check)", (dialect) => {
  const { keys, send, assertHealthy, snapshot, checkOne } = useIngestFuzzServer(dialect);

  // ── once known bugs, now fixed: kept out of the random generators, each with a test of its own ─────────

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
          name: "label name",
          method: "POST",
          url: `/integrations/webhook/${keys.webhook}`,
          body: { summary: "disk full", dedup_key: unique(), labels: { "te\u0000am": "storage" } },
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

  // ── size ─────────────────────────────────────────────────────────────────────────────────────────────

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
});
