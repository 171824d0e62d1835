/**
 * The documented split: `serve --role api` and `serve --role engine` as two processes on one
 * database, while a third process (`firebreak apikey create`, as an operator would run it) writes to it
 * too. On SQLite the three share one file and its one write lock; a transaction that began deferred
 * there failed with SQLITE_BUSY when another process wrote between its read and its write, and the
 * sender got a 500. Every alert must be accepted at the first attempt, and every notification must
 * arrive once.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import {
  createPagedService,
  withLocalStore,
  configFor,
  type PagedService,
} from "../support/alerting-setup.js";
import {
  freePort,
  runFirebreakCommand,
  startFirebreakEngineProcess,
  startFirebreakProcess,
  type FirebreakProcess,
} from "../support/child-processes.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import { startRecordingReceiver, type RecordingReceiver } from "../support/recording-receiver.js";
import { waitFor } from "../support/wait-for.js";

const ALERTS = 400;
const CONCURRENCY = 8;

describeEachDialect("api and engine as two processes on one database, with a CLI writing too", (dialect) => {
  let workDir: string;
  let fresh: FreshDatabase | undefined;
  let env: Record<string, string>;
  let receiver: RecordingReceiver;
  let paged: PagedService;
  let api: FirebreakProcess | undefined;
  let engine: FirebreakProcess | undefined;

  before(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), `firebreak-split-${dialect}-`));
    receiver = await startRecordingReceiver();
    env = {
      FIREBREAK_DATA_DIR: path.join(workDir, "data"),
      // On SQLite the engine process hears of new jobs only by polling.
      FIREBREAK_ENGINE_POLL_MS: "100",
      FIREBREAK_SECRET_KEY: "split-test-link-signing-key-0123456789abcdef",
    };
    if (dialect === "postgres") {
      fresh = await createFreshDatabase("postgres", { migrate: false });
      await fresh.handle.close();
      if (fresh.location.kind === "postgres") env.FIREBREAK_DATABASE_URL = fresh.location.url;
    }
    paged = await withLocalStore(configFor(env), ({ deps }) =>
      createPagedService(deps, {
        name: `split ${dialect}`,
        receiverUrl: receiver.url,
        kinds: ["pagerduty"],
        rateLimitPerMinute: 10_000_000,
      }),
    );
  });

  after(async () => {
    await api?.stop("SIGKILL");
    await engine?.stop("SIGKILL");
    await receiver?.close();
    await fresh?.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it(`${ALERTS} alerts: each accepted at the first attempt, each notified once`, async () => {
    // One settings file for both, as on one host: the engine listens on FIREBREAK_ENGINE_PORT.
    const apiPort = await freePort();
    const shared = { ...env, FIREBREAK_PORT: String(apiPort) };
    api = await startFirebreakProcess(
      { ...shared, FIREBREAK_ROLE: "api" },
      { name: `api (${dialect})`, port: apiPort },
    );
    engine = await startFirebreakEngineProcess(
      { ...shared, FIREBREAK_ROLE: "engine" },
      { name: `engine (${dialect})` },
    );
    const refused: string[] = [];
    let next = 0;
    const send = async (i: number) => {
      const res = await fetch(`${api!.baseUrl}/v2/enqueue`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          pagerDutyTrigger({
            routingKey: paged.keys.pagerduty,
            dedupKey: `split-${i}`,
            summary: `split test ${i}`,
            source: "split-test",
          }),
        ),
      });
      const text = await res.text();
      if (res.status !== 202) refused.push(`split-${i}: ${res.status} ${text}`);
    };
    const senders = Array.from({ length: CONCURRENCY }, async () => {
      while (next < ALERTS) await send(next++);
    });
    // An operator's command writing to the same database while the stream runs.
    const cli = (async () => {
      const codes: Array<number | null> = [];
      while (next < ALERTS) {
        const { code, output } = await runFirebreakCommand(
          ["apikey", "create", "--role", "viewer", "--name", `during-${codes.length}`],
          env,
        );
        assert.equal(code, 0, output);
        codes.push(code);
      }
      return codes.length;
    })();
    await Promise.all(senders);
    const commandsRun = await cli;
    assert.deepEqual(refused.slice(0, 5), [], `${refused.length} of ${ALERTS} alerts were refused`);

    const expectedPerIncident = 2; // the person's page and the shared channel's message
    const arrived = await waitFor(
      () => {
        const keys = receiver.byKey();
        return keys.size >= ALERTS * expectedPerIncident ? keys : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 50, what: `${ALERTS * expectedPerIncident} notifications` },
    );
    assert.equal(arrived.size, ALERTS * expectedPerIncident, "none planned twice");
    const sentTwice = [...arrived].filter(([, requests]) => requests.length > 1).map(([key]) => key);
    assert.deepEqual(sentTwice, [], "with no crash, every notification arrives exactly once");
    process.stderr.write(`# ${dialect}: ${ALERTS} alerts while ${commandsRun} CLI commands wrote\n`);

    // Both can be scraped: the engine's own job metrics on its port, the queue's gauges on either.
    const engineMetrics = await (await fetch(`${engine.baseUrl}/metrics`)).text();
    const sent =
      /^firebreak_jobs_finished_total\{kind="notification.send",outcome="succeeded"\} (\d+)$/m.exec(
        engineMetrics,
      );
    assert.ok(Number(sent?.[1]) >= ALERTS, "the engine's sends are in its metrics");
    const apiMetrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    for (const text of [engineMetrics, apiMetrics]) {
      assert.match(text, /^firebreak_database_up 1$/m);
      assert.match(text, /^firebreak_jobs_overdue 0$/m);
    }
    assert.equal((await fetch(`${engine.baseUrl}/api/v1/status`)).status, 404, "no API on the engine");

    assert.equal((await engine.stop("SIGTERM")).code, 0, engine.output().slice(-3_000));
    assert.equal((await api.stop("SIGTERM")).code, 0, api.output().slice(-3_000));
  });
});
