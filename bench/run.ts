// `npm run bench`: measures the foundation on this machine and prints Markdown for docs/benchmarks.md.
//   npm run bench                 job engine on SQLite and PostgreSQL, then HTTP
//   npm run bench -- engine|http|alerts|oncall|status|slow-channel  one part only
// Never part of `npm test`. PostgreSQL at FIREBREAK_TEST_PG_URL (default 127.0.0.1:5432) if reachable.
import os from "node:os";
import { performance } from "node:perf_hooks";
import { silentLogger } from "../src/app/ports/logger.js";
import { HandlerRegistry } from "../src/engine/handler-registry.js";
import { JobRunner } from "../src/engine/job-runner.js";
import { KyselyStore } from "../src/store/kysely-store.js";
import { createFreshDatabase, postgresUnavailable, type DialectName } from "../test/support/dialects.js";
import { startTestFirebreak } from "../test/support/firebreak-harness.js";
import type { JobQueue } from "../src/app/ports/jobs.js";
import { alertBenchMarkdown } from "./alerts-bench.js";
import { autocannon } from "./support/autocannon.js";
import { onCallBenchMarkdown } from "./oncall.js";
import { slowChannelBenchMarkdown } from "./slow-channel.js";
import { statusBenchMarkdown } from "./status-page.js";

interface BenchJobs {
  "bench.noop": { n: number };
}

const part = process.argv[2];
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2));

async function benchEngine(dialect: DialectName, synchronous: "full" | "normal" = "full"): Promise<void> {
  const fresh = await createFreshDatabase(dialect);
  // The bench's fresh SQLite file uses synchronous=NORMAL; reopen with the setting under test.
  let handle = fresh.handle;
  if (fresh.location.kind === "sqlite") {
    const { openDatabase } = await import("../src/store/open-database.js");
    await fresh.handle.close();
    handle = openDatabase({ kind: "sqlite", file: fresh.location.file, synchronous });
  }
  const store = new KyselyStore(handle, () => new Date());
  const queue = (tx: Parameters<Parameters<KyselyStore["run"]>[0]>[0]) =>
    tx.jobs as unknown as JobQueue<BenchJobs>;
  const label = dialect === "sqlite" ? `SQLite (synchronous=${synchronous})` : "PostgreSQL 15";
  try {
    // 1. One job per transaction: the cost of a durable enqueue.
    const singles = 1_000;
    const latencies: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < singles; i++) {
      const s = performance.now();
      await store.run((tx) => queue(tx).enqueue("bench.noop", { n: i }, { runAt: new Date() }));
      latencies.push(performance.now() - s);
    }
    const singleSeconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);

    // 2. 100 jobs per transaction.
    const batches = 100;
    const t1 = performance.now();
    for (let b = 0; b < batches; b++) {
      await store.run(async (tx) => {
        for (let i = 0; i < 100; i++) await queue(tx).enqueue("bench.noop", { n: i }, { runAt: new Date() });
      });
    }
    const batchSeconds = (performance.now() - t1) / 1000;

    // 3. Run them all: claim with lease, no-op handler, delete.
    const total = singles + batches * 100;
    const registry = new HandlerRegistry<BenchJobs>().register("bench.noop", async () => undefined);
    const runner = new JobRunner(store.jobs, registry, { now: () => new Date() }, silentLogger, {
      concurrency: 32,
    });
    const t2 = performance.now();
    const summary = await runner.runDueOnce({ maxRounds: 100_000 });
    const runSeconds = (performance.now() - t2) / 1000;
    if (summary.succeeded !== total) throw new Error(`ran ${summary.succeeded} of ${total}`);

    say(
      `| ${label} | ${fmt(singles / singleSeconds)} | ${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 99))} | ` +
        `${fmt((batches * 100) / batchSeconds)} | ${fmt(total / runSeconds)} |`,
    );
  } finally {
    await store.close().catch(() => undefined);
    await fresh.drop();
  }
}

async function benchHttp(): Promise<void> {
  const fb = await startTestFirebreak({ listen: true, env: { FIREBREAK_SQLITE_SYNCHRONOUS: "full" } });
  try {
    const key = await fb.apiKey("viewer");
    for (const [name, path, headers] of [
      ["GET /healthz", "/healthz", {}],
      ["GET /api/v1/users (API key)", "/api/v1/users", { authorization: `Bearer ${key}` }],
    ] as const) {
      const concurrency = 32;
      const result = await autocannon(`${fb.baseUrl}${path}`, concurrency, 5, headers);
      say(
        `| ${name} | ${concurrency} | ${fmt(result.requests.average)} | ${fmt(result.latency.p50)} | ${fmt(result.latency.p99)} | ${result.non2xx + result.errors} |`,
      );
    }
  } finally {
    await fb.close();
  }
}

say(
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
if (!part || part === "engine") {
  say("");
  say(
    "| Store | enqueue, 1 job/tx (jobs/s) | 1 job/tx latency p50 / p99 (ms) | enqueue, 100 jobs/tx (jobs/s) | claim + run + complete (jobs/s) |",
  );
  say("| --- | --- | --- | --- | --- |");
  await benchEngine("sqlite", "full");
  await benchEngine("sqlite", "normal");
  const reason = await postgresUnavailable();
  if (reason) say(`| PostgreSQL | not measured: ${reason} | | | |`);
  else await benchEngine("postgres");
}
if (!part || part === "http") {
  say("");
  say(
    "HTTP, closed loop from autocannon in a child process on the same machine (it shares the 2 cores), 5 s each, SQLite store:",
  );
  say("");
  say("| Request | concurrency | requests/s | p50 (ms) | p99 (ms) | errors |");
  say("| --- | --- | --- | --- | --- | --- |");
  await benchHttp();
}
if (!part || part === "alerts") {
  say("");
  say(
    "Alerts: ingest through /api/v2/alerts (distinct alerts, 16 requests in flight) and alert → notification at one local receiver:",
  );
  say("");
  for (const line of await alertBenchMarkdown()) say(line);
}
if (!part || part === "oncall") {
  say("");
  for (const line of onCallBenchMarkdown()) say(line);
}
if (!part || part === "status") {
  say("");
  for (const line of await statusBenchMarkdown()) say(line);
}
if (!part || part === "slow-channel") {
  say("");
  for (const line of await slowChannelBenchMarkdown()) say(line);
}
process.exit(0);
