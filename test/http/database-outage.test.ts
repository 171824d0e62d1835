import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, it } from "node:test";
import pg from "pg";
import type { IntegrationKind } from "../../src/core/alerts/records.js";
import type { Api } from "../../src/http/api-instance.js";
import { loadConfig } from "../../src/server/config.js";
import { startFirebreak, type RunningFirebreak } from "../../src/server/firebreak.js";
import { createLogger } from "../../src/server/logger.js";
import { createIngestService, type IngestService } from "../support/alerting-setup.js";
import { createFreshDatabase, describeOnPostgres, type FreshDatabase } from "../support/dialects.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { waitFor } from "../support/wait-for.js";

// A failover, a restart or pg_terminate_backend kills the connections Firebreak holds. Ingest must
// then answer 503 (the sender retries) and never a 500 or a 2xx for an event it did not store, and
// work again without a restart. The proxy-down case is in ingest-busy-database.test.ts; this file
// covers connections killed by the server itself, idle and in the middle of a transaction.

/** The database URL's password: trust auth ignores it; it must never show in a body or a log line. */
const DB_PASSWORD = "hunter2-db-password-7f3a";

type Endpoint = {
  name: string;
  kind: IntegrationKind;
  request: (key: string, n: string) => { url: string; payload: object };
  accepted: number;
  unavailableBody: RegExp;
};

const firing = (n: string) => ({
  labels: { alertname: "Outage", n },
  annotations: { summary: `outage ${n}` },
  startsAt: "2026-12-04T00:00:00Z",
});

const ENDPOINTS: Endpoint[] = [
  {
    name: "Alertmanager API v2",
    kind: "prometheus",
    request: (key, n) => ({ url: `/int/${key}/api/v2/alerts`, payload: [firing(n)] }),
    accepted: 200,
    unavailableBody: /^the database cannot be reached; try again\n$/,
  },
  {
    name: "Alertmanager webhook",
    kind: "alertmanager",
    request: (key, n) => ({
      url: `/integrations/alertmanager/${key}`,
      payload: {
        version: "4",
        groupKey: `{}:{n="${n}"}`,
        status: "firing",
        receiver: "firebreak",
        alerts: [{ status: "firing", fingerprint: `fp-${n}`, ...firing(n) }],
      },
    }),
    accepted: 200,
    unavailableBody: /"code":"UNAVAILABLE".*the database cannot be reached; try again/,
  },
  {
    name: "PagerDuty Events v2",
    kind: "pagerduty",
    request: (key, n) => ({
      url: "/v2/enqueue",
      payload: pagerDutyTrigger({ routingKey: key, dedupKey: n, summary: `outage ${n}`, source: "test" }),
    }),
    accepted: 202,
    unavailableBody: /"status":"error","message":"the database cannot be reached; try again"/,
  },
];

describeOnPostgres("ingest when PostgreSQL kills Firebreak's connections", () => {
  let fresh: FreshDatabase;
  let proxy: TcpProxy;
  let running: RunningFirebreak;
  let http: Api;
  let ingest: IngestService;
  /** Holds table locks; its own connection, since pg_stat_activity is a snapshot per transaction. */
  let locker: pg.Client;
  /** Watches and kills connections. */
  let admin: pg.Client;
  let lockerPid: number;
  let adminPid: number;
  let dataDir: string;
  const logLines: string[] = [];
  const bodies: string[] = [];

  before(async () => {
    fresh = await createFreshDatabase("postgres", { migrate: false });
    await fresh.handle.close();
    proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    const url = new URL(proxy.through(fresh.location.kind === "postgres" ? fresh.location.url : ""));
    url.password = DB_PASSWORD;
    dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-outage-"));
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    running = await startFirebreak(
      loadConfig({
        FIREBREAK_DATA_DIR: dataDir,
        FIREBREAK_PORT: "0",
        FIREBREAK_DATABASE_URL: url.toString(),
      }),
      { logger: createLogger({ logLevel: "debug" }, logStream), listen: false, startEngine: false },
    );
    http = running.http as Api;
    ingest = await createIngestService(running.deps, {
      name: "killed connections",
      kinds: ENDPOINTS.map((e) => e.kind),
    });
    // Straight to the test database, not through the proxy.
    const direct = fresh.location.kind === "postgres" ? fresh.location.url : "";
    locker = new pg.Client({ connectionString: direct });
    admin = new pg.Client({ connectionString: direct });
    await Promise.all([locker.connect(), admin.connect()]);
    lockerPid = (await locker.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
    adminPid = (await admin.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
  });
  after(async () => {
    await locker?.end();
    await admin?.end();
    await running?.stop();
    await proxy?.close();
    await fresh?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const dbName = () =>
    fresh.location.kind === "postgres" ? new URL(fresh.location.url).pathname.slice(1) : "";
  /** Kills every connection Firebreak holds to the test database; returns their pids. */
  const terminateAll = async (): Promise<number[]> => {
    const { rows } = await admin.query<{ pid: number }>(
      "select pid, pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> all($2)",
      [dbName(), [adminPid, lockerPid]],
    );
    return rows.map((r) => r.pid);
  };
  const countAlerts = async () =>
    (await running.store.read((tx) => tx.alerts.list({ serviceId: ingest.service.id, limit: 1_000 }))).length;
  const post = async (endpoint: Endpoint, n: string) => {
    const res = await http.inject({
      method: "POST",
      ...endpoint.request(ingest.keys[endpoint.kind] as string, n),
    });
    bodies.push(res.body);
    return res;
  };

  /**
   * Posts while `table` is locked, so the request waits on PostgreSQL, then kills every connection
   * and unlocks: the answer to the killed request.
   */
  const postKilledWhileWaitingFor = async (
    table: "integrations" | "alerts",
    endpoint: Endpoint,
    n: string,
  ) => {
    await locker.query("begin");
    let pending: ReturnType<typeof post>;
    try {
      await locker.query(`lock table ${table} in access exclusive mode`);
      pending = post(endpoint, n);
      await waitFor(
        async () =>
          (
            await admin.query("select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid))", [
              lockerPid,
            ])
          ).rowCount! > 0,
        { timeoutMs: 10_000, intervalMs: 5, what: `the ingest to wait for the ${table} table` },
      );
      await terminateAll();
    } finally {
      await locker.query("rollback");
    }
    return pending;
  };

  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.name}: after every connection was killed while idle, at most the first event is refused`, async () => {
      const warm = await post(endpoint, `idle-warm-${endpoint.kind}`);
      assert.equal(warm.statusCode, endpoint.accepted, warm.body);
      const before = await countAlerts();
      const killed = await terminateAll();
      assert.ok(killed.length >= 1, "Firebreak held connections to kill");
      await waitFor(
        async () =>
          (await admin.query("select 1 from pg_stat_activity where pid = any($1)", [killed])).rowCount === 0,
        { timeoutMs: 10_000, intervalMs: 5, what: "the killed backends to exit" },
      );
      // The database is back (a restart, a finished failover). The first statement may still meet
      // a connection whose end it learns of only then: a 503, which the sender retries.
      const first = await post(endpoint, `idle-first-${endpoint.kind}`);
      assert.ok([endpoint.accepted, 503].includes(first.statusCode), first.body);
      const next = await post(endpoint, `idle-next-${endpoint.kind}`);
      assert.equal(next.statusCode, endpoint.accepted, next.body);
      assert.equal(await countAlerts(), before + (first.statusCode === 503 ? 1 : 2));
    });
  }

  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.name}: a statement killed outside a transaction answers 503; the very next event is accepted`, async () => {
      const n = `read-${endpoint.kind}`;
      const before = await countAlerts();
      // The integration's lookup (a read, no transaction) is what waits, and is killed.
      const killed = await postKilledWhileWaitingFor("integrations", endpoint, n);
      assert.equal(killed.statusCode, 503, killed.body);
      assert.match(killed.body, endpoint.unavailableBody);
      // The connection the kill broke leaves the pool; another pooled connection may still be met
      // dead before its error is processed (a race in pg-pool), so a sender's second retry is allowed.
      let retried = await post(endpoint, n);
      if (retried.statusCode === 503) retried = await post(endpoint, n);
      assert.equal(retried.statusCode, endpoint.accepted, retried.body);
      assert.equal(await countAlerts(), before + 1, "the retry stored the event once");
    });
  }

  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.name}: a connection killed mid-transaction answers 503 and stores nothing; the retry is stored once`, async () => {
      const n = `mid-${endpoint.kind}`;
      const before = await countAlerts();
      // The ingest transaction waits for the alerts table, and is killed there.
      const killed = await postKilledWhileWaitingFor("alerts", endpoint, n);
      assert.equal(killed.statusCode, 503, killed.body);
      assert.match(killed.body, endpoint.unavailableBody);
      // As above: another pooled connection may still be met dead (pg-pool's race), so a second retry.
      let retried = await post(endpoint, n);
      if (retried.statusCode === 503) retried = await post(endpoint, n);
      assert.equal(retried.statusCode, endpoint.accepted, retried.body);
      assert.equal(await countAlerts(), before + 1, "the killed transaction stored nothing; the retry one");
    });
  }

  it("/readyz says 503 while the database cannot be reached, and 200 once it is back", async () => {
    proxy.down();
    try {
      const down = await http.inject({ method: "GET", url: "/readyz" });
      bodies.push(down.body);
      assert.equal(down.statusCode, 503, down.body);
    } finally {
      proxy.up();
    }
    // Back without a restart: a connection the outage broke may cost one more check first.
    await waitFor(async () => (await http.inject({ method: "GET", url: "/readyz" })).statusCode === 200, {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: "/readyz to answer 200 again",
    });
  });

  it("the database password appears in no response body and no log line; 503s are logged as warnings", () => {
    assert.ok(bodies.length > 0 && logLines.length > 0);
    for (const text of [...bodies, ...logLines]) assert.ok(!text.includes(DB_PASSWORD), text);
    const entries = logLines.map((line) => JSON.parse(line) as { level: number; msg: string });
    assert.ok(
      entries.some((e) => e.level === 40 && /answered 503/.test(e.msg)),
      "a 503 says why in the log",
    );
    assert.deepEqual(
      entries.filter((e) => e.level >= 50).map((e) => e.msg),
      [],
      "no unexpected errors",
    );
  });
});
