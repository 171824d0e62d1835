// CPU per alert of the ingest use case, in-process, without HTTP: a figure that a busy machine does
// not distort much (wall-clock alerts/s do). Distinct Prometheus-style alerts, as the alerts bench
// sends, grouped the way the group commit groups 16 requests in flight.
//   npx tsx bench/support/ingest-cpu.ts [sqlite|postgres] [alerts per batch size, default 4000] [1,10,100]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ingestRequests } from "../../src/app/alerts/ingest-alert-events.js";
import { createChannel } from "../../src/app/channels/manage-channels.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { silentLogger } from "../../src/app/ports/logger.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { parsePostableAlerts } from "../../src/core/alerts/parse-alertmanager-v2.js";
import { loadConfig } from "../../src/server/config.js";
import { openStore } from "../../src/server/firebreak.js";
import { notifierCatalog } from "../../src/server/notification-wiring.js";
import { systemClock } from "../../src/server/system-clock.js";
import { createFreshDatabase } from "../../test/support/dialects.js";
import { alertBatch } from "./load.js";

const admin = { actor: systemActor("bench"), requestId: null };
const REQUESTS_IN_FLIGHT = 16;

export interface IngestCpuRow {
  readonly batch: number;
  readonly cpuMicrosPerAlert: number;
  /** Of which in the kernel (writes, fsync). */
  readonly systemMicrosPerAlert: number;
  readonly wallMicrosPerAlert: number;
}

export async function measureIngestCpu(
  store: "sqlite" | "postgres",
  alertsPerBatchSize = 4_000,
  batchSizes: readonly number[] = [1, 10, 100],
): Promise<IngestCpuRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "firebreak-ingest-cpu-"));
  const fresh = store === "postgres" ? await createFreshDatabase("postgres", { migrate: false }) : undefined;
  await fresh?.handle.close();
  const env: Record<string, string> = {
    FIREBREAK_DATA_DIR: dir,
    FIREBREAK_SQLITE_SYNCHRONOUS: "full",
    ...(fresh?.location.kind === "postgres" && { FIREBREAK_DATABASE_URL: fresh.location.url }),
  };
  const local = await openStore(loadConfig(env), systemClock, silentLogger);
  const deps = {
    ...local.deps,
    publicUrl: "http://127.0.0.1:1",
    linkSecret: "bench-secret-bench-secret-bench-secret",
    notifiers: notifierCatalog,
    actionLinkTtlMs: 3_600_000,
  };
  const rows: IngestCpuRow[] = [];
  try {
    const channel = await createChannel(deps, admin, {
      name: "bench receiver",
      kind: "webhook",
      config: { url: "http://127.0.0.1:1/firebreak" },
    });
    const service = await createService(deps, admin, { name: "bench", channelId: channel.id });
    const integration = await createIntegration(deps, admin, {
      serviceId: service.id,
      kind: "prometheus",
      rateLimitPerMinute: 10_000_000,
    });
    let run = 0;
    const ingestDistinct = async (batch: number, total: number) => {
      const runId = `r${run++}`;
      const perGroup = Math.min(REQUESTS_IN_FLIGHT, Math.max(1, Math.floor(2_000 / batch)));
      let cpuMicros = 0;
      let systemMicros = 0;
      let wallMs = 0;
      for (let from = 0; from < total; from += batch * perGroup) {
        const requests = Array.from({ length: perGroup }, (_, r) => ({
          integrationId: integration.id,
          events: parsePostableAlerts(alertBatch(runId, from + r * batch, batch, Date.now()), new Date())
            .events,
        }));
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        await ingestRequests(deps, requests);
        wallMs += performance.now() - t0;
        const used = process.cpuUsage(cpu);
        cpuMicros += used.user + used.system;
        systemMicros += used.system;
      }
      return { cpuMicros, systemMicros, wallMs };
    };
    await ingestDistinct(10, 500); // warm-up: JIT, statement caches
    for (const batch of batchSizes) {
      const { cpuMicros, systemMicros, wallMs } = await ingestDistinct(batch, alertsPerBatchSize);
      rows.push({
        batch,
        cpuMicrosPerAlert: cpuMicros / alertsPerBatchSize,
        systemMicrosPerAlert: systemMicros / alertsPerBatchSize,
        wallMicrosPerAlert: (wallMs * 1000) / alertsPerBatchSize,
      });
    }
  } finally {
    await local.store.close();
    await fresh?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stores = (process.argv[2] ?? "sqlite,postgres").split(",") as Array<"sqlite" | "postgres">;
  const total = Number(process.argv[3] ?? 4_000);
  const batchSizes = (process.argv[4] ?? "1,10,100").split(",").map(Number);
  for (const store of stores) {
    for (const row of await measureIngestCpu(store, total, batchSizes)) {
      console.log(
        `${store} batch ${row.batch}: ${row.cpuMicrosPerAlert.toFixed(0)} µs CPU/alert (${row.systemMicrosPerAlert.toFixed(0)} system), ${row.wallMicrosPerAlert.toFixed(0)} µs wall/alert`,
      );
    }
  }
}
