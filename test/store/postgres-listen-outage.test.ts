import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import pg from "pg";
import type { Logger } from "../../src/app/ports/logger.js";
import { openDatabase, type DatabaseHandle } from "../../src/store/open-database.js";
import { createFreshDatabase, describeOnPostgres, type FreshDatabase } from "../support/dialects.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { waitFor } from "../support/wait-for.js";

// The LISTEN connection reconnects by itself; an operator must still learn that it was lost (once
// per outage, however many reconnects fail) and that it is back, without the URL or its password.

/** Trust auth ignores it; no log line may show it. */
const DB_PASSWORD = "listen-db-password-93e1";

interface Line {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly fields: object;
  readonly message: string;
}

function recordingLogger(lines: Line[]): Logger {
  const at =
    (level: Line["level"]) =>
    (fields: object, message: string): void =>
      void lines.push({ level, fields, message });
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: () => logger,
  };
  return logger;
}

describeOnPostgres("store: the LISTEN connection's outages are logged", () => {
  let fresh: FreshDatabase;
  let proxy: TcpProxy;
  let handle: DatabaseHandle;
  let admin: pg.Client;
  let stopListening: () => Promise<void>;
  const lines: Line[] = [];
  const heard: Array<string | undefined> = [];

  before(async () => {
    fresh = await createFreshDatabase("postgres", { migrate: false });
    proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    const direct = fresh.location.kind === "postgres" ? fresh.location.url : "";
    const url = new URL(proxy.through(direct));
    url.password = DB_PASSWORD;
    handle = openDatabase(
      { kind: "postgres", url: url.toString(), poolSize: 1 },
      { logger: recordingLogger(lines) },
    );
    admin = new pg.Client({ connectionString: direct });
    await admin.connect();
    stopListening = await handle.listen!("listen_outage", (payload) => heard.push(payload));
  });
  after(async () => {
    await stopListening?.();
    await admin?.end();
    await handle?.close();
    await proxy?.close();
    await fresh?.drop();
  });

  const logged = (level: Line["level"]) => lines.filter((l) => l.level === level);
  const notifyHeard = async (payload: string) => {
    await admin.query("select pg_notify('listen_outage', $1)", [payload]);
    await waitFor(() => heard.includes(payload), { timeoutMs: 10_000, what: `NOTIFY ${payload}` });
  };

  it("one warning while the database refuses every reconnect, one line when it is back", async () => {
    await notifyHeard("before");
    proxy.down();
    await waitFor(() => proxy.refused >= 3, { timeoutMs: 15_000, what: "three refused reconnects" });
    assert.equal(logged("warn").length, 1, JSON.stringify(lines));
    assert.match(logged("warn")[0]!.message, /lost the LISTEN connection to PostgreSQL/);
    assert.equal(logged("info").length, 0);
    proxy.up();
    await waitFor(() => logged("info").length === 1, { timeoutMs: 10_000, what: "the 'back' line" });
    assert.match(logged("info")[0]!.message, /LISTEN connection to PostgreSQL is back/);
    assert.ok(heard.includes(undefined), "the listener said it may have missed some");
    await notifyHeard("after the outage");
  });

  it("a connection the server ended is one more outage: one warning, one line when back", async () => {
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`,
    );
    await waitFor(() => logged("info").length === 2, { timeoutMs: 10_000, what: "the second 'back' line" });
    assert.equal(logged("warn").length, 2);
    await notifyHeard("after the kill");
  });

  it("no line names the database URL or its password", () => {
    for (const line of lines) {
      const text = JSON.stringify(line);
      assert.ok(!text.includes(DB_PASSWORD) && !text.includes("postgres://"), text);
    }
    assert.equal(logged("error").length, 0);
  });
});
