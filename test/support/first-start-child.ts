/**
 * One process of test/store/first-start-processes.test.ts: what a server's start does to the
 * database (open it, migrate it, make the first admin), begun when the test says "go" on stdin, so
 * that every process reaches the database at the same instant. Its settings come from FIREBREAK_*
 * variables; it prints "ready", then one JSON line with what it did or why it failed.
 */
import { once } from "node:events";
import { silentLogger } from "../../src/app/ports/logger.js";
import { ensureFirstAdmin } from "../../src/app/setup/ensure-first-admin.js";
import { loadConfig } from "../../src/server/config.js";
import { openStore } from "../../src/server/firebreak.js";
import { systemClock } from "../../src/server/system-clock.js";

export interface FirstStartOutcome {
  readonly ok: boolean;
  /** Migrations this process applied (the others found them applied). */
  readonly applied?: string[];
  /** What ensureFirstAdmin did here: "created-from-config" or "already-set-up". */
  readonly firstAdmin?: string;
  readonly error?: string;
}

const config = loadConfig(process.env);
process.stdout.write("ready\n");
await once(process.stdin, "data");
process.stdin.pause();

let outcome: FirstStartOutcome;
try {
  // A server's own first steps (startFirebreak), without its HTTP and engine.
  const { store, deps, applied } = await openStore(config, systemClock, silentLogger);
  try {
    const firstAdmin = await ensureFirstAdmin(deps, {
      email: config.adminEmail,
      password: config.adminPassword?.reveal(),
    });
    outcome = { ok: true, applied, firstAdmin: firstAdmin.kind };
  } finally {
    await store.close();
  }
} catch (err) {
  outcome = { ok: false, error: (err as Error).message };
}
process.stdout.write(`${JSON.stringify(outcome)}\n`);
process.exitCode = outcome.ok ? 0 : 1;
