import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, it } from "node:test";
import { sql } from "kysely";
import { AppError } from "../../src/core/errors.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { openDatabase, type PostgresTimeouts } from "../../src/store/open-database.js";
import { createFreshDatabase, describeOnPostgres, type FreshDatabase } from "../support/dialects.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

// A PostgreSQL that hangs (accepts, never answers) or a statement that runs too long must fail as
// UNAVAILABLE (a 503 at the edge) within the configured bounds, never hold the caller forever, and
// a connection whose answer never came must leave the pool.

const TIMEOUTS: PostgresTimeouts = { connectMs: 300, queryMs: 300, idleInTransactionMs: 1_000 };
/** The driver gives up 1 s after statement_timeout (see open-database.ts). */
const CLIENT_GIVES_UP_MS = TIMEOUTS.queryMs + 1_000;
/** Slack for a loaded test machine; still far below "forever". */
const SLACK_MS = 2_000;

describeOnPostgres("store: bounded waits on PostgreSQL", () => {
  let fresh: FreshDatabase;
  let proxy: TcpProxy;
  let store: KyselyStore;

  before(async () => {
    fresh = await createFreshDatabase("postgres");
    proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
  });
  after(async () => {
    await proxy?.close();
    await fresh?.drop();
  });
  beforeEach(() => {
    const url = proxy.through(fresh.location.kind === "postgres" ? fresh.location.url : "");
    // One connection: the next statement runs on the one that timed out, or on a new one.
    store = new KyselyStore(
      openDatabase({ kind: "postgres", url, poolSize: 1, timeouts: TIMEOUTS }),
      () => new Date(0),
    );
  });
  afterEach(async () => {
    proxy.resume();
    await store.close();
  });

  const backendPid = async () =>
    (await store.read(() => sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.handle.db)))
      .rows[0]!.pid;
  /** The error `work` fails with, and how long it took. */
  const failure = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    const err = await work().then(
      () => assert.fail("it succeeded"),
      (e: unknown) => e,
    );
    return { err, elapsedMs: performance.now() - started };
  };
  const assertUnavailable = (err: unknown, detail: RegExp) => {
    assert.ok(err instanceof AppError, `an AppError, not ${String(err)}`);
    assert.equal(err.code, "UNAVAILABLE");
    assert.match(err.message, detail);
  };

  it("every session of both pools carries statement_timeout and idle_in_transaction_session_timeout", async () => {
    for (const db of [store.handle.db, store.handle.engineDb]) {
      const { rows } = await sql<{
        statement: string;
        idle: string;
      }>`select current_setting('statement_timeout') as statement,
                current_setting('idle_in_transaction_session_timeout') as idle`.execute(db);
      assert.deepEqual(rows, [{ statement: "300ms", idle: "1s" }]);
    }
  });

  it("a statement that runs past the query timeout is cancelled by the server: UNAVAILABLE, and the connection goes on", async () => {
    const pid = await backendPid();
    const { err, elapsedMs } = await failure(() =>
      store.read(() => sql`select pg_sleep(5)`.execute(store.handle.db)),
    );
    assertUnavailable(err, /^the database did not answer in time; try again$/);
    assert.ok(elapsedMs < CLIENT_GIVES_UP_MS, `the server's cancel came first (${elapsedMs} ms)`);
    assert.equal(await backendPid(), pid, "a cancelled statement leaves its connection usable");
  });

  it("a hung server: a statement gives up at the query timeout, and its connection leaves the pool", async () => {
    const pid = await backendPid();
    proxy.pause();
    const { err, elapsedMs } = await failure(() => backendPid());
    assertUnavailable(err, /^the database did not answer in time; try again$/);
    assert.ok(elapsedMs < CLIENT_GIVES_UP_MS + SLACK_MS, `gave up after ${elapsedMs} ms`);
    proxy.resume();
    assert.notEqual(await backendPid(), pid, "the next statement ran on a new connection");
  });

  it("a server that hangs inside a transaction: the unit of work fails after one timeout, its ROLLBACK does not wait another", async () => {
    let pausedAt = 0;
    const { err } = await failure(() =>
      store.run(async (tx) => {
        await tx.settings.get("first");
        proxy.pause();
        pausedAt = performance.now();
        return tx.settings.get("second");
      }),
    );
    const elapsedMs = performance.now() - pausedAt;
    assertUnavailable(err, /^the database did not answer in time; try again$/);
    assert.ok(elapsedMs < CLIENT_GIVES_UP_MS + SLACK_MS / 2, `failed ${elapsedMs} ms after the pause`);
    proxy.resume();
    assert.equal(await store.read((tx) => tx.settings.get("after")), undefined);
  });

  it("a hung server: opening a new connection gives up at the connect timeout", async () => {
    proxy.pause();
    const { err, elapsedMs } = await failure(() => backendPid());
    assertUnavailable(err, /^the database cannot be reached; try again$/);
    assert.ok(elapsedMs < TIMEOUTS.connectMs + SLACK_MS, `gave up after ${elapsedMs} ms`);
    assert.ok(proxy.held >= 1, "the connection was accepted and never answered");
  });

  it("waiting for a free connection is bounded by the connect timeout too", async () => {
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    // The pool's one connection stays inside this unit of work until released.
    const busy = store.run(async (tx) => {
      await tx.settings.get("holding the only connection");
      await holding;
    });
    try {
      await new Promise((resolve) => setImmediate(resolve));
      const { err, elapsedMs } = await failure(() => backendPid());
      assertUnavailable(err, /^the database did not answer in time; try again$/);
      assert.ok(elapsedMs < TIMEOUTS.connectMs + SLACK_MS, `gave up after ${elapsedMs} ms`);
    } finally {
      release();
      await busy;
    }
  });
});
