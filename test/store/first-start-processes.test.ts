/**
 * Processes starting at the same instant on one brand-new database (an api and an engine on one
 * host, a restart overlapping the old process). On SQLite each read which migrations were applied
 * before any had run, so all but one failed their start ("table users already exists", or a later
 * migration's "duplicate column"); PostgreSQL's advisory lock kept them apart. Now each takes the
 * file's write lock first, and the later ones find the work done.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { loadConfig } from "../../src/server/config.js";
import { pendingMigrations } from "../../src/store/migrate.js";
import { MIGRATION_NAMES } from "../../src/store/migrations/index.js";
import { openDatabase } from "../../src/store/open-database.js";
import { REPO_ROOT } from "../support/child-processes.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import type { FirstStartOutcome } from "../support/first-start-child.js";

const PROCESSES = 3;
const CHILD = path.join(REPO_ROOT, "test", "support", "first-start-child.ts");
const ADMIN_EMAIL = "owner@example.com";

interface FirstStartChild {
  readonly ready: Promise<void>;
  readonly outcome: Promise<FirstStartOutcome>;
  go(): void;
  kill(): void;
}

/** A child that loads, says "ready", and starts on `go()`; its outcome is its last stdout line. */
function spawnFirstStart(env: Record<string, string>): FirstStartChild {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("FIREBREAK_")),
  );
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ["--import", "tsx", CHILD], {
    cwd: REPO_ROOT,
    env: { ...inherited, NODE_NO_WARNINGS: "1", ...env },
    stdio: "pipe",
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.startsWith("ready\n")) resolve();
    });
    void exited.then((code) => reject(new Error(`child exited (${code}) before it was ready: ${stderr}`)));
  });
  const outcome = exited.then((code) => {
    const last = stdout.trim().split("\n").at(-1) ?? "";
    if (!last.startsWith("{")) throw new Error(`child exited (${code}) with no outcome: ${stderr}`);
    return JSON.parse(last) as FirstStartOutcome;
  });
  return {
    ready,
    outcome,
    go: () => child.stdin.end("go\n"),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

describeEachDialect(`${PROCESSES} processes starting at once on one new database`, (dialect) => {
  let workDir: string;
  let fresh: FreshDatabase | undefined;
  let env: Record<string, string>;

  before(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), `firebreak-first-start-${dialect}-`));
    env = {
      FIREBREAK_DATA_DIR: path.join(workDir, "data"),
      FIREBREAK_ADMIN_EMAIL: ADMIN_EMAIL,
      FIREBREAK_ADMIN_PASSWORD: "first start password",
    };
    if (dialect === "postgres") {
      fresh = await createFreshDatabase("postgres", { migrate: false });
      await fresh.handle.close();
      if (fresh.location.kind === "postgres") env.FIREBREAK_DATABASE_URL = fresh.location.url;
    }
  });
  after(async () => {
    await fresh?.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("every one starts; each migration is applied once, and one first admin is made", async () => {
    const children = Array.from({ length: PROCESSES }, () => spawnFirstStart(env));
    let outcomes: FirstStartOutcome[];
    try {
      // Loading takes each a different while; the database work starts for all at one instant.
      await Promise.all(children.map((child) => child.ready));
      for (const child of children) child.go();
      outcomes = await Promise.all(children.map((child) => child.outcome));
    } finally {
      for (const child of children) child.kill();
    }
    assert.deepEqual(
      outcomes.filter((outcome) => !outcome.ok).map((outcome) => outcome.error),
      [],
      "no start failed",
    );
    const applied = outcomes.flatMap((outcome) => outcome.applied ?? []).sort();
    assert.deepEqual(applied, [...MIGRATION_NAMES], "each migration applied by exactly one process");
    assert.deepEqual(outcomes.map((outcome) => outcome.firstAdmin).sort(), [
      ...Array<string>(PROCESSES - 1).fill("already-set-up"),
      "created-from-config",
    ]);

    const handle = openDatabase(loadConfig(env).store, { backgroundCheckpoints: false });
    try {
      assert.deepEqual(await pendingMigrations(handle), [], "the schema is complete");
      const users = await handle.db.selectFrom("users").select(["email", "role"]).execute();
      assert.deepEqual(users, [{ email: ADMIN_EMAIL, role: "admin" }]);
    } finally {
      await handle.close();
    }
  });
});
