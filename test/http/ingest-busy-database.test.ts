import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { IntegrationKind } from "../../src/core/alerts/records.js";
import { createIngestService, type IngestService } from "../support/alerting-setup.js";
import { describeOnPostgres } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { whileAnotherWriterHoldsTheLock } from "../support/sqlite-write-lock.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

// When the database cannot take a write (another process holds SQLite's write lock for longer than
// the server waits; PostgreSQL is restarting or unreachable), no ingest endpoint may answer 4xx:
// Prometheus, Alertmanager and PagerDuty clients drop an event on a 4xx and retry it on a 5xx.
// Nothing was stored, so the sender must send it again.

type IngestCase = {
  name: string;
  request: (n: string) => { url: string; payload: object };
  accepted: number;
  unavailableBody: RegExp;
};

/** One event per ingest endpoint, and the 503 body each gives with `message`. */
function ingestCases(ingest: () => IngestService, message: string): IngestCase[] {
  const key = (kind: IntegrationKind) => ingest().keys[kind] as string;
  const quoted = message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const firing = (n: string) => ({
    labels: { alertname: "Busy", n },
    annotations: { summary: `busy ${n}` },
    startsAt: "2026-12-04T00:00:00Z",
  });
  return [
    {
      name: "Alertmanager API v2",
      request: (n) => ({ url: `/int/${key("prometheus")}/api/v2/alerts`, payload: [firing(n)] }),
      accepted: 200,
      unavailableBody: new RegExp(`^${quoted}\n$`),
    },
    {
      name: "PagerDuty Events v2",
      request: (n) => ({
        url: "/v2/enqueue",
        payload: {
          routing_key: key("pagerduty"),
          event_action: "trigger",
          dedup_key: n,
          payload: { summary: `busy ${n}`, source: "test", severity: "critical" },
        },
      }),
      accepted: 202,
      unavailableBody: new RegExp(`"status":"error","message":"${quoted}"`),
    },
    {
      name: "Alertmanager webhook",
      request: (n) => ({
        url: `/integrations/alertmanager/${key("alertmanager")}`,
        payload: {
          version: "4",
          groupKey: `{}:{n="${n}"}`,
          status: "firing",
          receiver: "firebreak",
          alerts: [{ status: "firing", fingerprint: `fp-${n}`, ...firing(n) }],
        },
      }),
      accepted: 200,
      unavailableBody: new RegExp(`"code":"UNAVAILABLE".*${quoted}`),
    },
    {
      name: "generic webhook",
      request: (n) => ({
        url: `/integrations/webhook/${key("webhook")}`,
        payload: { summary: `busy ${n}`, dedup_key: n },
      }),
      accepted: 200,
      unavailableBody: new RegExp(`"code":"UNAVAILABLE".*${quoted}`),
    },
  ];
}

const INGEST_KINDS: IntegrationKind[] = ["prometheus", "pagerduty", "alertmanager", "webhook"];
describe("sqlite: ingest while another process holds the write lock", () => {
  let fb: TestFirebreak;
  let ingest: IngestService;
  let file: string;

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    ingest = await createIngestService(fb.running.deps, {
      name: "busy",
      kinds: INGEST_KINDS,
    });
    const store = fb.running.config.store;
    assert.equal(store.kind, "sqlite");
    file = store.kind === "sqlite" ? store.file : "";
  });
  after(() => fb.close());

  const cases = ingestCases(() => ingest, "the database is busy with another writer; try again");

  for (const { name, request, accepted, unavailableBody } of cases) {
    it(`${name}: 503 while the lock is held, then the same event is accepted and stored once`, async () => {
      const n = name.replaceAll(" ", "-");
      const before = await fb.running.store.read((tx) =>
        tx.alerts.list({ serviceId: ingest.service.id, limit: 1_000 }),
      );
      await whileAnotherWriterHoldsTheLock(fb.running.store.handle.db, file, async () => {
        const busy = await fb.http.inject({ method: "POST", ...request(n) });
        assert.equal(busy.statusCode, 503, busy.body);
        assert.match(busy.body, unavailableBody);
      });
      const retried = await fb.http.inject({ method: "POST", ...request(n) });
      assert.equal(retried.statusCode, accepted, retried.body);
      const now = await fb.running.store.read((tx) =>
        tx.alerts.list({ serviceId: ingest.service.id, limit: 1_000 }),
      );
      assert.equal(now.length, before.length + 1, "the refused attempt stored nothing; the retry stored one");
    });
  }
});

describeOnPostgres("ingest while the database cannot be reached, and once it is back", () => {
  let fb: TestFirebreak;
  let ingest: IngestService;
  let proxy: TcpProxy;

  before(async () => {
    proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    fb = await startTestFirebreak({
      dialect: "postgres",
      startEngine: false,
      databaseUrl: (url) => proxy.through(url),
    });
    ingest = await createIngestService(fb.running.deps, { name: "outage", kinds: INGEST_KINDS });
  });
  after(async () => {
    await fb.close();
    await proxy.close();
  });

  const countAlerts = async () =>
    (await fb.running.store.read((tx) => tx.alerts.list({ serviceId: ingest.service.id, limit: 1_000 })))
      .length;

  for (const { name, request, accepted, unavailableBody } of ingestCases(
    () => ingest,
    "the database cannot be reached; try again",
  )) {
    it(`${name}: 503 that says so while the connections are reset, then the same event is accepted and stored once`, async () => {
      const n = `outage-${name.replaceAll(" ", "-")}`;
      const before = await countAlerts();
      proxy.down();
      try {
        const refused = await fb.http.inject({ method: "POST", ...request(n) });
        assert.equal(refused.statusCode, 503, refused.body);
        assert.match(refused.body, unavailableBody);
      } finally {
        proxy.up();
      }
      const retried = await fb.http.inject({ method: "POST", ...request(n) });
      assert.equal(retried.statusCode, accepted, retried.body);
      assert.equal(
        await countAlerts(),
        before + 1,
        "the refused attempt stored nothing; the retry stored one",
      );
    });
  }
});
