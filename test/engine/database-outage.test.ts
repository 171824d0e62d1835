import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import type { JobQueue } from "../../src/app/ports/jobs.js";
import type { Logger } from "../../src/app/ports/logger.js";
import type { Tx } from "../../src/app/ports/store.js";
import { HandlerRegistry } from "../../src/engine/handler-registry.js";
import { JobRunner } from "../../src/engine/job-runner.js";
import { createLogger } from "../../src/server/logger.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { openDatabase } from "../../src/store/open-database.js";
import { createFreshDatabase, describeOnPostgres, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { waitFor } from "../support/wait-for.js";

// The engine must outlive a database outage: a claim or a completion that fails is logged and tried
// again at the next poll, the loop never dies, and what came due meanwhile runs once the database is
// back. The poll is short here (real timers); job times move on a fake clock.

interface OutageJobs {
  "test.record": { label: string };
}

/** The server's own logger (pino, redaction, error serialiser), writing into `lines`. */
function capturingLogger(lines: string[]): Logger {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return createLogger({ logLevel: "debug" }, stream);
}

/** The messages logged at error level (pino's 50). */
const errorMessages = (lines: readonly string[]) =>
  lines
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.level >= 50)
    .map((l) => l.msg);

/** Trust auth ignores it; no log line may show it. */
const DB_PASSWORD = "engine-db-password-51c9";

const queue = (tx: Tx) => tx.jobs as unknown as JobQueue<OutageJobs>;

describeOnPostgres("job engine while PostgreSQL is unreachable or kills its connections", () => {
  let fresh: FreshDatabase;
  let proxy: TcpProxy;
  /** The engine's store, through the proxy. */
  let store: KyselyStore;
  let admin: pg.Client;
  let clock: FakeClock;
  let ran: string[];
  let onRun: (label: string) => void;
  let logLines: string[];
  let runner: JobRunner;

  const url = (via?: TcpProxy) => {
    const direct = fresh.location.kind === "postgres" ? fresh.location.url : "";
    const parsed = new URL(via ? via.through(direct) : direct);
    parsed.password = DB_PASSWORD;
    return parsed.toString();
  };
  const openStore = (via?: TcpProxy) =>
    new KyselyStore(openDatabase({ kind: "postgres", url: url(via), poolSize: 4 }), () => clock.now());
  const enqueue = (on: KyselyStore, label: string, runAt = clock.now()) =>
    on.run((tx) => queue(tx).enqueue("test.record", { label }, { runAt }));
  const newRunner = (on: KyselyStore, pollMs: number) =>
    new JobRunner(
      on.jobs,
      new HandlerRegistry<OutageJobs>().register("test.record", async ({ label }) => {
        ran.push(label);
        onRun(label);
      }),
      clock,
      capturingLogger(logLines),
      { pollMs, concurrency: 4, random: () => 0 },
    );
  const runnerErrors = (atLeast: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      const off = runner.events.on("runner:error", () => {
        if (++seen < atLeast) return;
        off();
        resolve();
      });
    });

  before(async () => {
    fresh = await createFreshDatabase("postgres");
    proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    admin = new pg.Client({ connectionString: url() });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await proxy?.close();
    await fresh?.drop();
  });
  beforeEach(async () => {
    clock = new FakeClock();
    ran = [];
    onRun = () => undefined;
    logLines = [];
    await admin.query("delete from jobs");
    store = openStore(proxy);
  });
  afterEach(async () => {
    proxy.up();
    await runner?.stop({ deadlineMs: 1_000 });
    await store.close();
    for (const line of logLines) assert.ok(!line.includes(DB_PASSWORD), line);
  });

  it("keeps polling through the outage and runs the job that came due during it, once", async () => {
    runner = newRunner(store, 20);
    await enqueue(store, "due-during-the-outage", new Date(clock.now().getTime() + MINUTE));
    const idle = runner.events.next("runner:idle");
    runner.start();
    await idle;
    proxy.down();
    clock.advance(MINUTE);
    // Several failed claims in a row: the loop survived each and tried again at its poll.
    await runnerErrors(3);
    const done = runner.events.next("job:succeeded");
    proxy.up();
    await done;
    assert.deepEqual(ran, ["due-during-the-outage"]);
    assert.ok(
      errorMessages(logLines).includes("claiming jobs failed"),
      "the outage's first failed claim is logged",
    );
  });

  it("a completion that fails while the database is away is written once it is back: the job runs once, with no wait for the lease", async () => {
    runner = newRunner(store, 20);
    // The database goes away after the work is done and before the row is deleted.
    onRun = () => {
      if (ran.length === 1) proxy.down();
    };
    const failedCompletions = runnerErrors(2);
    const done = runner.events.next("job:succeeded");
    await enqueue(store, "ran-then-lost");
    runner.start();
    await failedCompletions;
    const back = performance.now();
    proxy.up();
    await done;
    // The lease (60 s) never ran out: the fake clock did not move.
    assert.ok(
      performance.now() - back < 8_000,
      `${performance.now() - back} ms after the database came back`,
    );
    assert.deepEqual(ran, ["ran-then-lost"]);
    assert.ok(!errorMessages(logLines).some((m) => m.startsWith("could not mark job complete")));
    const { rows } = await admin.query("select id from jobs");
    assert.deepEqual(rows, []);
  });

  it("a job that failed as the database went away runs again seconds after it is back, not after the lease", async () => {
    runner = newRunner(store, 20);
    // As escalation.advance did while PostgreSQL restarted (57P03): its work and then its retry's write fail.
    onRun = () => {
      if (ran.length > 1) return;
      proxy.down();
      throw new Error("the database system is starting up");
    };
    const retryWriteFailed = runnerErrors(3);
    const retried = runner.events.next("job:retried");
    await enqueue(store, "escalation-step");
    runner.start();
    await retryWriteFailed;
    const back = performance.now();
    proxy.up();
    const { runAt } = await retried;
    // Due after its first backoff (half a second at most), well inside the minute's lease.
    clock.advance(Math.max(0, runAt.getTime() - clock.now().getTime()));
    const again = runner.events.next("job:succeeded");
    await again;
    const tookMs = performance.now() - back;
    assert.ok(tookMs < 8_000, `ran again ${tookMs} ms after the database came back`);
    assert.deepEqual(ran, ["escalation-step", "escalation-step"]);
    const warnings = logLines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.level === 40);
    assert.ok(
      warnings.some((l) => l.msg === "could not record job failure; trying again while the lease lasts"),
      "the retry's write failed while the database was away",
    );
    assert.ok(
      !errorMessages(logLines).some((m) => m.startsWith("could not record job failure")),
      "the failure was recorded, not left to the lease",
    );
  });

  it("claims again right after its connections were killed (pg_terminate_backend)", async () => {
    runner = newRunner(store, 20);
    const idle = runner.events.next("runner:idle");
    runner.start();
    await idle;
    await terminateBackends(admin);
    const done = runner.events.next("job:succeeded");
    await waitFor(() => enqueue(store, "after-the-kill").then(() => true), {
      timeoutMs: 10_000,
      what: "an enqueue to succeed after the kill",
    });
    await done;
    assert.deepEqual(ran, ["after-the-kill"]);
  });

  describe("LISTEN/NOTIFY", () => {
    /** A second instance (straight to PostgreSQL) whose poll sleeps a minute: only NOTIFY wakes it. */
    let other: KyselyStore;
    beforeEach(async () => {
      other = openStore();
      await other.listenForOtherInstances();
      runner = newRunner(other, 60_000);
    });
    afterEach(async () => {
      await runner.stop({ deadlineMs: 1_000 });
      await other.close();
    });

    it("the listener comes back after its connection was killed: missed and later nudges both wake the runner", async () => {
      let idle = runner.events.next("runner:idle");
      runner.start();
      await idle;
      await terminateBackends(admin);
      // Enqueued while the listener is down: its NOTIFY is lost, the reconnect's wake-up finds it.
      const missed = runner.events.next("job:succeeded");
      // The first look for work after that job, which finds none: then the runner sleeps.
      idle = missed.then(() => runner.events.next("runner:idle"));
      await waitFor(() => enqueue(store, "while-not-listening").then(() => true), { timeoutMs: 10_000 });
      await missed;
      await idle;
      await waitFor(() => listening(admin), { timeoutMs: 10_000, what: "LISTEN on a new connection" });
      // Back: an ordinary NOTIFY wakes it again (the poll sleeps a minute).
      const heard = runner.events.next("job:succeeded");
      await enqueue(store, "after-the-listener-is-back");
      await heard;
      assert.deepEqual(ran, ["while-not-listening", "after-the-listener-is-back"]);
    });
  });
});

/** Kills every connection to the admin's database but its own. */
async function terminateBackends(admin: pg.Client): Promise<void> {
  await admin.query(
    `select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()`,
  );
}

/** Whether a connection of this database is listening for the engine's channel. */
async function listening(admin: pg.Client): Promise<boolean> {
  const { rowCount } = await admin.query(
    `select 1 from pg_stat_activity
      where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`,
  );
  return (rowCount ?? 0) > 0;
}

describe("sqlite: job engine while another process holds the write lock", () => {
  let fresh: FreshDatabase;
  let other: SqliteDatabase.Database;
  let store: KyselyStore;
  let runner: JobRunner;
  const clock = new FakeClock();
  const ran: string[] = [];

  before(async () => {
    fresh = await createFreshDatabase("sqlite");
    store = new KyselyStore(fresh.handle, () => clock.now());
    other = new SqliteDatabase(fresh.location.kind === "sqlite" ? fresh.location.file : "");
  });
  after(async () => {
    other.close();
    await runner?.stop({ deadlineMs: 1_000 });
    await fresh.drop();
  });

  it("claims fail with SQLITE_BUSY while the lock is held; the loop goes on and runs the job after", async () => {
    const lines: string[] = [];
    runner = new JobRunner(
      store.jobs,
      new HandlerRegistry<OutageJobs>().register("test.record", async ({ label }) => void ran.push(label)),
      clock,
      capturingLogger(lines),
      { pollMs: 20 },
    );
    await store.run((tx) =>
      queue(tx).enqueue(
        "test.record",
        { label: "due-while-busy" },
        { runAt: new Date(clock.now().getTime() + MINUTE) },
      ),
    );
    const idle = runner.events.next("runner:idle");
    runner.start();
    await idle;
    // Wait 20 ms for the lock instead of the server's 5 s, so that the claims fail quickly.
    await sql`pragma busy_timeout = 20`.execute(fresh.handle.db);
    other.exec("begin immediate");
    const codes: string[] = [];
    const busy = new Promise<void>((resolve) => {
      const off = runner.events.on("runner:error", ({ error }) => {
        if (codes.push(String((error as { code?: string }).code)) < 3) return;
        off();
        resolve();
      });
    });
    // The runner's poll timer does not hold the process open (a server's HTTP listener does).
    const keepAlive = setInterval(() => undefined, 1_000);
    try {
      clock.advance(MINUTE);
      await busy;
      other.exec("rollback");
      await runner.events.next("job:succeeded");
    } finally {
      clearInterval(keepAlive);
      if (other.inTransaction) other.exec("rollback");
      await sql`pragma busy_timeout = 5000`.execute(fresh.handle.db);
    }
    assert.ok(
      codes.every((code) => code.startsWith("SQLITE_BUSY")),
      codes.join(),
    );
    assert.deepEqual(ran, ["due-while-busy"]);
    assert.ok(errorMessages(lines).includes("claiming jobs failed"));
  });
});
