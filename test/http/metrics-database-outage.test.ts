/**
 * /metrics must answer 200, quickly, while the database cannot: Prometheus lost every series (the
 * process's, the HTTP 503 counts) during the very outage it should show. The job gauges are read
 * with a 2 s limit; when that read fails or runs out they are left out, firebreak_database_up says 0,
 * and the outage is logged once, not at every scrape.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import type { Api } from "../../src/http/api-instance.js";
import { loadConfig } from "../../src/server/config.js";
import { startFirebreak, type RunningFirebreak } from "../../src/server/firebreak.js";
import { createLogger } from "../../src/server/logger.js";
import { createFreshDatabase, describeOnPostgres, type FreshDatabase } from "../support/dialects.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { waitFor } from "../support/wait-for.js";

/** A scrape must answer well inside Prometheus's default 10 s timeout (and an operator's 5 s). */
const QUICK_MS = 3_000;

interface LogEntry {
  level: number;
  msg: string;
  cause?: { message: string; code?: string };
  err?: unknown;
}

/** Firebreak on `env` with its log kept; the engine does not run (its claims would fill the log). */
async function startLogged(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-metrics-outage-"));
  const lines: LogEntry[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as LogEntry);
      done();
    },
  });
  const running = await startFirebreak(
    loadConfig({ FIREBREAK_DATA_DIR: dataDir, FIREBREAK_PORT: "0", ...env }),
    { logger: createLogger({ logLevel: "info" }, logStream), listen: false, startEngine: false },
  );
  return {
    running,
    http: running.http as Api,
    lines,
    async close() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A scrape, timed. */
async function scrape(http: Api): Promise<{ status: number; body: string; ms: number }> {
  const startedMs = performance.now();
  const res = await http.inject({ method: "GET", url: "/metrics" });
  return { status: res.statusCode, body: res.body, ms: performance.now() - startedMs };
}

const databaseUp = (body: string) => /^firebreak_database_up (\d)$/m.exec(body)?.[1];

/** The process and HTTP series are there whatever the database does. */
function assertProcessSeries(body: string): void {
  assert.match(body, /^process_cpu_user_seconds_total /m);
  assert.match(body, /^http_request_duration_seconds_count\{/m);
}

function assertJobGauges(body: string, present: boolean): void {
  for (const name of ["firebreak_jobs", "firebreak_jobs_urgent_waiting", "firebreak_jobs_overdue"]) {
    const sample = new RegExp(`^${name}(\\{[^}]*\\})? \\d+$`, "m");
    if (present) assert.match(body, sample, name);
    else assert.doesNotMatch(body, new RegExp(`^(# (HELP|TYPE) )?${name}[ {]`, "m"), `${name} left out`);
  }
}

const outageWarnings = (lines: readonly LogEntry[]) =>
  lines.filter((l) => l.level === 40 && l.msg.startsWith("metrics: cannot read the job queue"));

describe("sqlite: /metrics while the job queue cannot be read", () => {
  let fb: Awaited<ReturnType<typeof startLogged>>;
  let originalRead: RunningFirebreak["store"]["read"];
  before(async () => {
    fb = await startLogged({ FIREBREAK_SQLITE_SYNCHRONOUS: "normal" });
    originalRead = fb.running.store.read;
  });
  after(() => fb.close());
  const restoreRead = () => {
    fb.running.store.read = originalRead;
  };

  it("reads the job gauges and says firebreak_database_up 1 while the database answers", async () => {
    await fb.http.inject({ method: "GET", url: "/healthz" });
    const res = await scrape(fb.http);
    assert.equal(res.status, 200);
    assert.equal(databaseUp(res.body), "1");
    assertJobGauges(res.body, true);
    assertProcessSeries(res.body);
    assert.match(
      res.body,
      /^# HELP firebreak_jobs_overdue .*same on every instance: aggregate with max\(\)$/m,
    );
  });

  it("a read that fails (an I/O error) leaves the gauges out at once, logged once, and back once it reads", async () => {
    // SQLite fails a read only when its file does (an I/O error, corruption): put one in its way.
    const ioError = Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR_READ" });
    fb.running.store.read = () => Promise.reject(ioError);
    try {
      for (let i = 0; i < 3; i++) {
        const res = await scrape(fb.http);
        assert.equal(res.status, 200, res.body);
        assert.ok(res.ms < 1_000, `answered in ${Math.round(res.ms)} ms`);
        assert.equal(databaseUp(res.body), "0");
        assertJobGauges(res.body, false);
        assertProcessSeries(res.body);
      }
    } finally {
      restoreRead();
    }
    const warned = outageWarnings(fb.lines);
    assert.equal(warned.length, 1, "one warning for the outage, not one per scrape");
    assert.deepEqual(warned[0]?.cause, { message: "disk I/O error", code: "SQLITE_IOERR_READ" });
    assert.equal(warned[0]?.err, undefined, "no stack");
    const back = await scrape(fb.http);
    assert.equal(databaseUp(back.body), "1");
    assertJobGauges(back.body, true);
    assert.ok(fb.lines.some((l) => l.level === 30 && /reading the job queue works again/.test(l.msg)));
  });

  it("a read that hangs is given up after 2 s, and scrapes meanwhile share it instead of piling up", async () => {
    let reads = 0;
    let release: (() => void) | undefined;
    fb.running.store.read = <T>() => {
      reads++;
      return new Promise<T>((_resolve, reject) => {
        release = () => reject(new Error("Query read timeout"));
      });
    };
    try {
      const [first, second] = await Promise.all([scrape(fb.http), scrape(fb.http)]);
      for (const res of [first, second]) {
        assert.equal(res.status, 200);
        assert.ok(res.ms >= 1_900 && res.ms < QUICK_MS, `answered in ${Math.round(res.ms)} ms`);
        assert.equal(databaseUp(res.body), "0");
        assertJobGauges(res.body, false);
      }
      assert.equal(reads, 1, "one read in flight at a time");
    } finally {
      release?.();
      restoreRead();
    }
    await waitFor(async () => databaseUp((await scrape(fb.http)).body) === "1", {
      timeoutMs: 5_000,
      intervalMs: 20,
      what: "the gauges to come back",
    });
  });

  it("another process holding the write lock does not stop /metrics from answering", async () => {
    const file = fb.running.store.handle.description.replace(/^sqlite:/, "");
    const other = new SqliteDatabase(file);
    try {
      other.exec("begin immediate");
      const res = await scrape(fb.http);
      assert.equal(res.status, 200);
      assert.ok(res.ms < QUICK_MS, `answered in ${Math.round(res.ms)} ms`);
      assertProcessSeries(res.body);
      // Reads wait behind this process's own writes, which wait for the lock: up may say 0 or 1.
      assertJobGauges(res.body, databaseUp(res.body) === "1");
    } finally {
      other.exec("rollback");
      other.close();
    }
  });
});

describeOnPostgres("/metrics while PostgreSQL cannot answer", () => {
  let fresh: FreshDatabase;
  let proxy: TcpProxy;
  let fb: Awaited<ReturnType<typeof startLogged>>;
  /** Straight to the database, not through the proxy: holds the lock on the jobs table. */
  let locker: pg.Client;
  /** Watches pg_stat_activity from outside the locker's transaction (a snapshot per transaction). */
  let admin: pg.Client;
  let dbName: string;

  before(async () => {
    fresh = await createFreshDatabase("postgres", { migrate: false });
    await fresh.handle.close();
    const direct = fresh.location.kind === "postgres" ? fresh.location.url : "";
    dbName = new URL(direct).pathname.slice(1);
    proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    fb = await startLogged({
      FIREBREAK_DATABASE_URL: proxy.through(direct),
      // Pool waits and statements well past the scrape's 2 s: the scrape's own limit must hold.
      FIREBREAK_PG_CONNECT_TIMEOUT_MS: "10000",
    });
    locker = new pg.Client({ connectionString: direct });
    admin = new pg.Client({ connectionString: direct });
    await Promise.all([locker.connect(), admin.connect()]);
  });
  after(async () => {
    await locker?.end();
    await admin?.end();
    await fb?.close();
    await proxy?.close();
    await fresh?.drop();
  });

  const upAgain = () =>
    waitFor(async () => databaseUp((await scrape(fb.http)).body) === "1", {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: "firebreak_database_up 1 again",
    });

  it("PostgreSQL stopped (connections refused): 200 at once with firebreak_database_up 0, logged once", async () => {
    assert.equal(databaseUp((await scrape(fb.http)).body), "1");
    const before = outageWarnings(fb.lines).length;
    proxy.down();
    try {
      for (let i = 0; i < 2; i++) {
        const res = await scrape(fb.http);
        assert.equal(res.status, 200, res.body);
        assert.ok(res.ms < QUICK_MS, `answered in ${Math.round(res.ms)} ms`);
        assert.equal(databaseUp(res.body), "0");
        assertJobGauges(res.body, false);
        assertProcessSeries(res.body);
      }
      assert.equal(outageWarnings(fb.lines).length - before, 1, "logged once");
      assert.equal(
        fb.lines.filter((l) => l.level >= 50).length,
        0,
        "no unexpected error in /metrics any more",
      );
      // A refused request logs one line: the cause's message and code, no stack.
      const refused = await fb.http.inject({
        method: "POST",
        url: "/v2/enqueue",
        payload: pagerDutyTrigger({ routingKey: "a".repeat(32), dedupKey: "d", summary: "s", source: "t" }),
      });
      assert.equal(refused.statusCode, 503, refused.body);
      const warning = fb.lines.find((l) => l.level === 40 && /^answered 503 /.test(l.msg));
      assert.ok(warning, "the refusal is logged");
      assert.equal(warning.err, undefined, "without the error's stack");
      assert.ok(warning.cause?.code, JSON.stringify(warning.cause));
      assert.doesNotMatch(JSON.stringify(warning), /\n\s+at /, "no stack anywhere in the line");
    } finally {
      proxy.up();
    }
    await upAgain();
  });

  it("PostgreSQL hung (no answer at all): 200 within the scrape's limit", async () => {
    proxy.pause();
    try {
      const res = await scrape(fb.http);
      assert.equal(res.status, 200);
      assert.ok(res.ms < QUICK_MS, `answered in ${Math.round(res.ms)} ms`);
      assert.equal(databaseUp(res.body), "0");
      assertJobGauges(res.body, false);
    } finally {
      proxy.resume();
    }
    await upAgain();
  });

  it("the jobs table locked by another session: 200 within the limit, and PostgreSQL cancels the read", async () => {
    await locker.query("begin");
    try {
      await locker.query("lock table jobs in access exclusive mode");
      const res = await scrape(fb.http);
      assert.equal(res.status, 200);
      assert.ok(res.ms < QUICK_MS, `answered in ${Math.round(res.ms)} ms`);
      assert.equal(databaseUp(res.body), "0");
      assertJobGauges(res.body, false);
      // The read's statement_timeout frees its connection while the lock is still held: a scrape
      // per 15 s must not keep pool connections waiting for FIREBREAK_PG_QUERY_TIMEOUT_MS (30 s).
      await waitFor(
        async () =>
          (
            await admin.query(
              "select 1 from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'",
              [dbName],
            )
          ).rowCount === 0,
        { timeoutMs: 3_000, intervalMs: 50, what: "the scrape's read to be cancelled" },
      );
    } finally {
      await locker.query("rollback");
    }
    await upAgain();
  });
});
