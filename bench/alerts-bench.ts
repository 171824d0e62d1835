// Alert ingest and alert→notification latency, Firebreak (SQLite and PostgreSQL) beside Debian's
// Alertmanager 0.25, with the same load generator and the same receiver. Part of `npm run bench`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createChannel } from "../src/app/channels/manage-channels.js";
import { createIntegration } from "../src/app/integrations/manage-integrations.js";
import { createService } from "../src/app/services/manage-services.js";
import type { ServiceInput } from "../src/app/services/service-input.js";
import type { AlertingDeps } from "../src/app/alerting-deps.js";
import { silentLogger } from "../src/app/ports/logger.js";
import { systemActor } from "../src/core/auth/actor.js";
import { loadConfig } from "../src/server/config.js";
import { openStore } from "../src/server/firebreak.js";
import { openDatabase } from "../src/store/open-database.js";
import { sql } from "kysely";
import { notifierCatalog } from "../src/server/notification-wiring.js";
import { systemClock } from "../src/server/system-clock.js";
import { createFreshDatabase, postgresUnavailable } from "../test/support/dialects.js";
import { latencies, paced, throughput } from "./support/load.js";
import { freePort, rssMiB, start, stop, waitUntilUp } from "./support/processes.js";
import { NotificationReceiver } from "./support/receiver.js";

export interface AlertBenchTarget {
  readonly name: string;
  /** POST target for Prometheus-style alert batches. */
  readonly alertsUrl: string;
  readonly pid: number;
  /** Brings the store to the state a server that has run for a while has (see settleStore). */
  settle?(): Promise<void>;
  stop(): Promise<void>;
}

const admin = { actor: systemActor("bench"), requestId: null };

/** The server runs as `npm start` runs it (package.json's start script sets the same flag). */
const NODE_FLAG_OF_NPM_START = "--max-semi-space-size=32";

/** Firebreak as a child process; `fromSource` runs src/ through tsx instead of the build in dist/. */
export async function startFirebreak(
  receiver: NotificationReceiver,
  store: "sqlite" | "postgres",
  options: {
    fromSource?: boolean;
    nodeArgs?: readonly string[];
    fresh?: boolean;
    /** Sets up more (people, policies, channels) and returns what the service takes instead. */
    prepare?: (deps: AlertingDeps, caller: typeof admin) => Promise<ServiceInput>;
  } = {},
): Promise<AlertBenchTarget> {
  const dir = mkdtempSync(path.join(tmpdir(), "firebreak-bench-"));
  const port = await freePort();
  const fresh = store === "postgres" ? await createFreshDatabase("postgres", { migrate: false }) : undefined;
  await fresh?.handle.close();
  const env: Record<string, string> = {
    FIREBREAK_DATA_DIR: dir,
    FIREBREAK_PORT: String(port),
    FIREBREAK_LOG_LEVEL: "warn",
    FIREBREAK_SQLITE_SYNCHRONOUS: "full",
    FIREBREAK_ADMIN_EMAIL: "bench@example.com",
    FIREBREAK_ADMIN_PASSWORD: "bench password 123",
    ...(fresh?.location.kind === "postgres" && { FIREBREAK_DATABASE_URL: fresh.location.url }),
  };
  const local = await openStore(loadConfig(env), systemClock, silentLogger);
  const deps = {
    ...local.deps,
    publicUrl: `http://127.0.0.1:${port}`,
    linkSecret: "bench-secret-bench-secret-bench-secret",
    notifiers: notifierCatalog,
    actionLinkTtlMs: 3_600_000,
  };
  const channel = await createChannel(deps, admin, {
    name: "bench receiver",
    kind: "webhook",
    config: { url: receiver.url("/firebreak") },
  });
  const service = await createService(deps, admin, {
    name: "bench",
    channelId: channel.id,
    ...(await options.prepare?.(deps, admin)),
  });
  const integration = await createIntegration(deps, admin, {
    serviceId: service.id,
    kind: "prometheus",
    rateLimitPerMinute: 10_000_000,
  });
  await local.store.close();

  const child = start(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...(options.fromSource
        ? [NODE_FLAG_OF_NPM_START, "--import", "tsx", "src/server/main.ts", "serve"]
        : ["--enable-source-maps", NODE_FLAG_OF_NPM_START, "dist/server/main.js", "serve"]),
    ],
    env,
  );
  await waitUntilUp(`http://127.0.0.1:${port}/readyz`);
  const postgresUrl = fresh?.location.kind === "postgres" ? fresh.location.url : undefined;
  return {
    name:
      store === "sqlite"
        ? "Firebreak (SQLite, synchronous=full)"
        : `Firebreak (PostgreSQL${options.fresh ? ", no planner statistics yet" : ""})`,
    alertsUrl: `http://127.0.0.1:${port}/int/${integration.key}/api/v2/alerts`,
    pid: child.pid as number,
    ...(postgresUrl && !options.fresh && { settle: () => analyzePostgres(postgresUrl) }),
    stop: async () => {
      await stop(child);
      await fresh?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * ANALYZE, as autovacuum does within a minute of a table's growth. A database created a second
 * ago has no planner statistics: PostgreSQL then guesses that `id IN (64 ids)` matches a third of
 * a table and scans all of it, which made the engine's look-ups several times slower (the
 * "no planner statistics yet" row shows that case).
 */
async function analyzePostgres(url: string): Promise<void> {
  const handle = openDatabase({ kind: "postgres", url, poolSize: 1 });
  try {
    await sql`analyze`.execute(handle.db);
  } finally {
    await handle.close();
  }
}

export async function startAlertmanager(receiver: NotificationReceiver): Promise<AlertBenchTarget> {
  const dir = mkdtempSync(path.join(tmpdir(), "alertmanager-bench-"));
  const port = await freePort();
  writeFileSync(
    path.join(dir, "alertmanager.yml"),
    [
      "route:",
      "  receiver: bench",
      "  group_by: ['...']",
      "  group_wait: 0s",
      "  group_interval: 1s",
      "  repeat_interval: 24h",
      "receivers:",
      "  - name: bench",
      "    webhook_configs:",
      `      - url: ${receiver.url("/alertmanager")}`,
      "        send_resolved: false",
      "",
    ].join("\n"),
  );
  const child = start("prometheus-alertmanager", [
    `--config.file=${path.join(dir, "alertmanager.yml")}`,
    `--storage.path=${dir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--cluster.listen-address=",
  ]);
  await waitUntilUp(`http://127.0.0.1:${port}/-/ready`);
  return {
    name: "Alertmanager 0.25",
    alertsUrl: `http://127.0.0.1:${port}/api/v2/alerts`,
    pid: child.pid as number,
    stop: async () => {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Seconds until every id arrived, and how many had not when `timeoutMs` ran out. */
export async function waitForArrivals(
  receiver: NotificationReceiver,
  ids: Iterable<string>,
  timeoutMs: number,
): Promise<{ seconds: number; missing: number }> {
  const wanted = [...ids];
  const started = performance.now();
  let missing = wanted.length;
  while (performance.now() - started < timeoutMs) {
    missing = wanted.filter((id) => !receiver.arrivals.has(id)).length;
    if (missing === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { seconds: (performance.now() - started) / 1000, missing };
}

export interface AlertBenchRow {
  target: string;
  throughput: Record<string, number>;
  drain: { seconds: number; missing: number };
  latency: Record<string, { p50: number; p99: number; missing: number }>;
  rssAfterLoadMiB: number;
  rssWith100kMiB: number | null;
}

/** Alerts every target ingests and notifies before anything is timed. */
const WARM_UP_ALERTS = 2_000;

async function measure(
  target: AlertBenchTarget,
  receiver: NotificationReceiver,
  withOpenAlerts: boolean,
): Promise<AlertBenchRow> {
  const row: AlertBenchRow = {
    target: target.name,
    throughput: {},
    drain: { seconds: 0, missing: 0 },
    latency: {},
    rssAfterLoadMiB: 0,
    rssWith100kMiB: null,
  };
  const run = `${target.name.replace(/\W+/g, "").toLowerCase().slice(0, 12)}${Date.now().toString(36)}`;
  // Every target first takes the same warm-up load and delivers it, so that what is timed is the
  // steady state, not a JIT compiling or a cache filling (Node's JIT, Go's allocator, SQLite's pages).
  await throughput(target.alertsUrl, `${run}warm`, WARM_UP_ALERTS, 10, 16);
  await waitForArrivals(
    receiver,
    Array.from({ length: WARM_UP_ALERTS }, (_, i) => `${run}warm-${i}`),
    60_000,
  );
  await target.settle?.();
  for (const [batch, total] of [
    [1, 3_000],
    [10, 5_000],
    [100, 10_000],
  ] as const) {
    row.throughput[`batch ${batch}`] = await throughput(
      target.alertsUrl,
      `${run}b${batch}`,
      total,
      batch,
      16,
    );
  }
  const lastRun = Array.from({ length: 10_000 }, (_, i) => `${run}b100-${i}`);
  row.drain = await waitForArrivals(receiver, lastRun, 120_000);
  for (const [rate, seconds] of [
    [20, 5],
    [500, 4],
    [2_000, 3],
  ] as const) {
    const sent = await paced(target.alertsUrl, `${run}r${rate}`, rate, seconds);
    await waitForArrivals(receiver, sent.keys(), 30_000);
    row.latency[`${rate}/s`] = latencies(sent, receiver.arrivals);
  }
  row.rssAfterLoadMiB = rssMiB(target.pid);
  if (withOpenAlerts) {
    await throughput(target.alertsUrl, `${run}open`, 100_000, 100, 16);
    row.rssWith100kMiB = rssMiB(target.pid);
  }
  return row;
}

export async function runAlertBench(options: { postgres: boolean }): Promise<AlertBenchRow[]> {
  const receiver = new NotificationReceiver();
  await receiver.start();
  const rows: AlertBenchRow[] = [];
  try {
    const starters: Array<() => Promise<AlertBenchTarget>> = [
      () => startAlertmanager(receiver),
      () => startFirebreak(receiver, "sqlite"),
      ...(options.postgres
        ? [
            () => startFirebreak(receiver, "postgres"),
            () => startFirebreak(receiver, "postgres", { fresh: true }),
          ]
        : []),
    ];
    for (const startTarget of starters) {
      const target = await startTarget();
      try {
        rows.push(await measure(target, receiver, true));
      } finally {
        await target.stop();
      }
    }
  } finally {
    await receiver.stop();
  }
  return rows;
}

export async function alertBenchMarkdown(): Promise<string[]> {
  const postgres = (await postgresUnavailable()) === undefined;
  const rows = await runAlertBench({ postgres });
  const fmt = (n: number) =>
    Number.isFinite(n) ? (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1)) : "—";
  const am = rows.find((r) => r.target.startsWith("Alertmanager"));
  const lines = [
    "| Target | alerts/s, batch 1 | batch 10 | batch 100 | drain after load (s) | p50/p99 ms @20/s | @500/s | @2000/s | RSS after load (MiB) | RSS with 100k open (MiB) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const lat = (k: string) =>
      `${fmt(r.latency[k]!.p50)} / ${fmt(r.latency[k]!.p99)}${r.latency[k]!.missing ? ` (${r.latency[k]!.missing} missing)` : ""}`;
    lines.push(
      `| ${r.target} | ${fmt(r.throughput["batch 1"]!)} | ${fmt(r.throughput["batch 10"]!)} | ${fmt(r.throughput["batch 100"]!)} | ${r.drain.missing === 0 ? fmt(r.drain.seconds) : `> ${fmt(r.drain.seconds)} (${r.drain.missing} not yet sent)`} | ${lat("20/s")} | ${lat("500/s")} | ${lat("2000/s")} | ${r.rssAfterLoadMiB} | ${r.rssWith100kMiB ?? "—"} |`,
    );
  }
  if (am) {
    lines.push("", "Ratio of Firebreak's ingest rate to Alertmanager's (target: at least 2×):", "");
    for (const r of rows.filter((x) => x !== am)) {
      lines.push(
        `- ${r.target}: ${["batch 1", "batch 10", "batch 100"].map((b) => `${b} ${(r.throughput[b]! / am.throughput[b]!).toFixed(2)}×`).join(", ")}`,
      );
    }
  }
  return lines;
}
