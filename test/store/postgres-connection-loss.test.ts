import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import { AppError } from "../../src/core/errors.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { openDatabase } from "../../src/store/open-database.js";
import { createFreshDatabase, describeOnPostgres, type FreshDatabase } from "../support/dialects.js";
import { waitFor } from "../support/wait-for.js";

// What the store does when PostgreSQL ends one of its connections (pg_terminate_backend, a restart,
// a failover): the work on it fails as UNAVAILABLE (a 503 at the edge, never a 500), and the pool
// does not hand the dead connection to the next statement.

describeOnPostgres("store: connections PostgreSQL ends", () => {
  let fresh: FreshDatabase;
  let store: KyselyStore;
  let admin: pg.Client;
  let adminPid: number;

  before(async () => {
    fresh = await createFreshDatabase("postgres");
    const url = fresh.location.kind === "postgres" ? fresh.location.url : "";
    // One connection, so the next statement can only run on the one the kill broke, or a new one.
    store = new KyselyStore(openDatabase({ kind: "postgres", url, poolSize: 1 }), () => new Date(0));
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    adminPid = (await admin.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
  });
  after(async () => {
    await admin?.end();
    await store?.close();
    await fresh?.drop();
  });

  /** The pid of the store's one connection once it runs a statement matching `query`. */
  const storeBackend = (query: string, state = "active") =>
    waitFor(
      async () =>
        (
          await admin.query<{ pid: number }>(
            `select pid from pg_stat_activity
              where datname = current_database() and pid <> $1 and state = $2 and query like $3`,
            [adminPid, state, query],
          )
        ).rows[0]?.pid,
      { timeoutMs: 10_000, intervalMs: 5, what: `a backend running ${query}` },
    );
  const terminate = async (pid: number) => {
    await admin.query("select pg_terminate_backend($1)", [pid]);
    await waitFor(
      async () => (await admin.query("select 1 from pg_stat_activity where pid = $1", [pid])).rowCount === 0,
      { timeoutMs: 10_000, intervalMs: 5, what: "the killed backend to exit" },
    );
  };
  const selectOne = () => store.read(() => sql<{ one: number }>`select 1 as one`.execute(store.handle.db));

  it("a statement killed while it runs fails as UNAVAILABLE, and the very next one runs", async () => {
    const sleeping = store
      .read(() => sql`select pg_sleep(30)`.execute(store.handle.db))
      .then(
        () => assert.fail("the killed statement succeeded"),
        (err: unknown) => err,
      );
    await terminate(await storeBackend("select pg_sleep%"));
    const err = await sleeping;
    assert.ok(err instanceof AppError && err.code === "UNAVAILABLE", String(err));
    // At once: the killed connection must have left the pool rather than wait to be found dead.
    const { rows } = await selectOne();
    assert.deepEqual(rows, [{ one: 1 }]);
  });

  it("a connection ended between two statements of a transaction fails the unit of work as UNAVAILABLE", async () => {
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    const work = store
      .run(async (tx) => {
        await tx.settings.get("first statement");
        await paused;
        return tx.settings.get("second statement");
      })
      .then(
        () => assert.fail("the unit of work succeeded"),
        (err: unknown) => err,
      );
    // Killed while idle in the transaction; the driver learns of it before the next statement.
    await terminate(await storeBackend("%settings%", "idle in transaction"));
    release();
    const err = await work;
    assert.ok(err instanceof AppError, `an AppError, not ${String(err)}`);
    assert.equal(err.code, "UNAVAILABLE");
    const { rows } = await selectOne();
    assert.deepEqual(rows, [{ one: 1 }]);
  });

  it("a transaction whose BEGIN meets a connection the server just ended runs on a fresh one", async () => {
    // Killed while idle in the pool, and used at once: the driver has not yet seen the end when
    // BEGIN is sent on it. Nothing ran, so the store moves to a new connection instead of a 503.
    for (let round = 0; round < 10; round++) {
      await store.run((tx) => tx.settings.get("warm"));
      const pid = await storeBackend("%", "idle");
      await admin.query("select pg_terminate_backend($1)", [pid]);
      await store.run((tx) => tx.settings.get(`round ${round}`));
    }
  });
});
