/**
 * Monitoring with the roles split (--role api and --role engine): an api process exported
 * firebreak_jobs_overdue as a constant 0 (the watchdog runs only beside an engine) while
 * /api/v1/system/jobs said 24, and an engine process had no HTTP at all, so its watchdog and job
 * metrics could not be scraped. The queue's gauges now come from the same fresh database read in
 * every role, and an engine serves /healthz, /readyz and /metrics, and nothing else.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCliCaptured } from "../cli/cli-harness.js";
import { loadConfig } from "../../src/server/config.js";
import { startFirebreak } from "../../src/server/firebreak.js";
import { createLogger } from "../../src/server/logger.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { describeEachDialect } from "../support/dialects.js";
import { waitFor } from "../support/wait-for.js";

const gauge = (body: string, name: string): number | undefined => {
  const value = new RegExp(`^${name} (\\d+)$`, "m").exec(body)?.[1];
  return value === undefined ? undefined : Number(value);
};

describeEachDialect("monitoring an api-role process", (dialect) => {
  let fb: TestFirebreak;
  before(async () => {
    fb = await startTestFirebreak({
      dialect,
      env: { FIREBREAK_ROLE: "api", FIREBREAK_WATCHDOG_OVERDUE_MS: "1000" },
    });
  });
  after(() => fb.close());

  it("exports the overdue and urgent-waiting jobs /api/v1/system/jobs reports, read from the database", async () => {
    assert.equal(fb.running.runner, undefined, "no engine in this process");
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await fb.running.store.run(async (tx) => {
      for (let i = 0; i < 3; i++) await tx.jobs.enqueue("sessions.purge", {}, { runAt: longAgo });
      await tx.jobs.enqueue("sessions.purge", {}, { runAt: longAgo, urgent: true });
    });
    const key = await fb.apiKey("admin");
    const jobs = await fb.http.inject({
      method: "GET",
      url: "/api/v1/system/jobs",
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(jobs.statusCode, 200, jobs.body);
    const reported = jobs.json() as { overdue: number; urgentWaiting: number; queued: number };
    assert.ok(reported.overdue >= 4, jobs.body);
    assert.ok(reported.urgentWaiting >= 1, jobs.body);

    const metrics = await fb.http.inject({ method: "GET", url: "/metrics" });
    assert.equal(metrics.statusCode, 200);
    assert.equal(gauge(metrics.body, "firebreak_database_up"), 1);
    assert.equal(gauge(metrics.body, "firebreak_jobs_overdue"), reported.overdue);
    assert.equal(gauge(metrics.body, "firebreak_jobs_urgent_waiting"), reported.urgentWaiting);
    assert.match(metrics.body, new RegExp(`^firebreak_jobs\\{state="queued"\\} ${reported.queued}$`, "m"));
  });
});

describeEachDialect("monitoring an engine-role process", (dialect) => {
  let fb: TestFirebreak;
  before(async () => {
    fb = await startTestFirebreak({ dialect, listen: true, env: { FIREBREAK_ROLE: "engine" } });
  });
  after(() => fb.close());
  const get = (path: string) => fetch(`${fb.baseUrl}${path}`);

  it("listens on its configured port with /healthz and /readyz", async () => {
    assert.ok(fb.baseUrl, "the engine listens");
    assert.ok(fb.running.runner, "and runs jobs");
    const health = await get("/healthz");
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    const ready = await get("/readyz");
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { status: string }).status, "ok");
  });

  it("serves the engine's job metrics and the queue's gauges on /metrics", async () => {
    await fb.running.store.run((tx) => tx.jobs.enqueue("sessions.purge", {}, { runAt: new Date() }));
    const body = await waitFor(
      async () => {
        const text = await (await get("/metrics")).text();
        return /^firebreak_jobs_finished_total\{kind="sessions.purge",outcome="succeeded"\} [1-9]/m.test(text)
          ? text
          : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 50, what: "the engine's run of sessions.purge in its metrics" },
    );
    assert.equal(gauge(body, "firebreak_database_up"), 1);
    assert.equal(typeof gauge(body, "firebreak_jobs_overdue"), "number");
    assert.equal(typeof gauge(body, "firebreak_jobs_urgent_waiting"), "number");
    assert.match(body, /^http_request_duration_seconds_count\{[^}]*route="\/healthz"/m);
  });

  it("serves no API and no console: anything else is a 404 that says where they are", async () => {
    for (const path of [
      "/",
      "/api/v1/status",
      "/api/v1/incidents",
      "/openapi.json",
      "/docs",
      "/v2/enqueue",
    ]) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.match(String(res.headers.get("content-type")), /^application\/problem\+json/, path);
      const problem = (await res.json()) as { code: string; detail: string };
      assert.equal(problem.code, "NOT_FOUND", path);
      assert.match(problem.detail, /--role engine.*\/healthz, \/readyz and \/metrics/, path);
    }
  });
});

describe("serve --help", () => {
  it("says what an engine serves, and that each process on one host needs its own port", async () => {
    const help = (await runCliCaptured(["serve", "--help"], {})).stdout;
    assert.match(help, /An engine serves only \/healthz, \/readyz and \/metrics, on its own port/);
    assert.match(help, /each process on one host\s+needs a port of its own/);
  });
});

describe("an engine-role process whose port is taken", () => {
  it("says so, names FIREBREAK_ENGINE_PORT, and does not start", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-engine-port-"));
    try {
      const port = String((holder.address() as AddressInfo).port);
      const config = loadConfig({
        FIREBREAK_DATA_DIR: dataDir,
        FIREBREAK_ROLE: "engine",
        FIREBREAK_ENGINE_PORT: port,
      });
      await assert.rejects(
        startFirebreak(config, { logger: createLogger({ logLevel: "silent" }) }),
        new RegExp(
          `port ${port} on 127\\.0\\.0\\.1 is in use by another process.*--port or FIREBREAK_ENGINE_PORT \\(the engine role's port`,
        ),
      );
    } finally {
      holder.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("starts when only FIREBREAK_PORT is taken (by the api process of the same settings)", async () => {
    const apiHolder = createServer();
    await new Promise<void>((resolve) => apiHolder.listen(0, "127.0.0.1", resolve));
    const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-engine-port-"));
    try {
      const apiPort = String((apiHolder.address() as AddressInfo).port);
      const config = loadConfig({
        FIREBREAK_DATA_DIR: dataDir,
        FIREBREAK_ROLE: "engine",
        FIREBREAK_PORT: apiPort,
        FIREBREAK_ENGINE_PORT: "0",
      });
      const running = await startFirebreak(config, { logger: createLogger({ logLevel: "silent" }) });
      try {
        const address = running.address as string;
        assert.notEqual(new URL(address).port, apiPort);
        assert.equal((await fetch(`${address}/readyz`)).status, 200);
      } finally {
        await running.stop();
      }
    } finally {
      apiHolder.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
