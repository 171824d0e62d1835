/**
 * An operator's first start of the split on one host: `serve --role api`, `serve --role engine` and
 * a second api (`--port`) launched together from one settings file on a brand-new SQLite file.
 * Two defects stopped it: the engine listened on FIREBREAK_PORT, so the api or the engine failed
 * to bind; and processes migrating the new file together failed ("table users already exists").
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { loadConfig } from "../../src/server/config.js";
import { pendingMigrations } from "../../src/store/migrate.js";
import { openDatabase } from "../../src/store/open-database.js";
import {
  freePort,
  REPO_ROOT,
  startProcess,
  waitUntilServing,
  type RunningProcess,
} from "../support/child-processes.js";

const MAIN = path.join(REPO_ROOT, "src", "server", "main.ts");

describe("api, engine and a second api started together from one settings file", () => {
  const workDir = mkdtempSync(path.join(tmpdir(), "firebreak-shared-settings-"));
  const processes: RunningProcess[] = [];

  after(async () => {
    for (const proc of processes) await proc.stop("SIGKILL");
    rmSync(workDir, { recursive: true, force: true });
  });

  it("all three start on a new SQLite file, the engine on FIREBREAK_ENGINE_PORT", async () => {
    const [apiPort, enginePort, secondApiPort] = [await freePort(), await freePort(), await freePort()];
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("FIREBREAK_")),
    );
    // The one settings file every process on the host reads.
    const settings = {
      FIREBREAK_DATA_DIR: path.join(workDir, "data"),
      FIREBREAK_HOST: "127.0.0.1",
      FIREBREAK_PORT: String(apiPort),
      FIREBREAK_ENGINE_PORT: String(enginePort),
      FIREBREAK_LOG_LEVEL: "warn",
      FIREBREAK_SHUTDOWN_DRAIN_MS: "0",
    };
    const env = { ...inherited, NODE_NO_WARNINGS: "1", ...settings };
    const serve = (name: string, args: string[]) =>
      startProcess(name, process.execPath, ["--import", "tsx", MAIN, "serve", ...args], { env });
    processes.push(
      serve("api", ["--role", "api"]),
      serve("engine", ["--role", "engine"]),
      serve("second api", ["--role", "api", "--port", String(secondApiPort)]),
    );
    const [api, engine, secondApi] = processes as [RunningProcess, RunningProcess, RunningProcess];
    await Promise.all([
      waitUntilServing(api, `http://127.0.0.1:${apiPort}/readyz`),
      waitUntilServing(engine, `http://127.0.0.1:${enginePort}/readyz`),
      waitUntilServing(secondApi, `http://127.0.0.1:${secondApiPort}/readyz`),
    ]);
    assert.match(engine.output(), new RegExp(`/metrics at http://127\\.0\\.0\\.1:${enginePort}\\)`));
    const status = await fetch(`http://127.0.0.1:${apiPort}/api/v1/status`);
    assert.notEqual(status.status, 404, "FIREBREAK_PORT is the api's, not the engine's");

    const handle = openDatabase(loadConfig(settings).store, { backgroundCheckpoints: false });
    try {
      assert.deepEqual(await pendingMigrations(handle), [], "the schema is complete");
      const users = await handle.db.selectFrom("users").select("role").execute();
      assert.deepEqual(users, [{ role: "admin" }], "one first admin, whose link each process printed");
    } finally {
      await handle.close();
    }
    for (const proc of processes) {
      assert.match(proc.output(), /First start: sign in as the first admin/, proc.name);
      assert.equal((await proc.stop("SIGTERM")).code, 0, proc.output().slice(-3_000));
    }
  });
});
