// A shared channel's delete, and its name, against what runs at the same time, on SQLite and
// PostgreSQL. One transaction is held open just before its commit while the other runs; on PostgreSQL
// the test waits until the second waits for a lock, so the interleaving is the same every time. Without
// the channel's row lock the delete lost a service its channel (ON DELETE SET NULL) or failed the
// service's save on the foreign key (a 500); without the names lock both creates of one name went in.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { sql } from "kysely";
import { createChannel, deleteChannel, updateChannel } from "../../src/app/channels/manage-channels.js";
import type { AlertingDeps } from "../../src/app/alerting-deps.js";
import type { UnitOfWork } from "../../src/app/ports/store.js";
import { createService, updateService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { AppError } from "../../src/core/errors.js";
import { describeEachDialect, type DialectName } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { waitFor } from "../support/wait-for.js";

const admin = { actor: systemActor("channel race test"), requestId: null };

/** The error a rejected use case threw, or a failure when it did not reject with an AppError. */
async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}`, { cause: err });
  }
  throw new Error("expected a refusal, and it went through");
}

/**
 * Deps whose transactions, once their work is done, wait for `release()` before they commit. `reached`
 * resolves when one is waiting.
 */
function heldBeforeCommit(deps: AlertingDeps) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const inner = deps.uow;
  const uow: UnitOfWork = {
    run: (work, options) =>
      inner.run(async (tx) => {
        const result = await work(tx);
        reach();
        await released;
        return result;
      }, options),
    read: (work) => inner.read(work),
    durable: () => inner.durable(),
    onCredentialChange: (listener) => inner.onCredentialChange(listener),
  };
  return { deps: { ...deps, uow }, reached, release };
}

describeEachDialect("a shared channel against concurrent changes", (dialect: DialectName) => {
  let fb: TestFirebreak;
  let deps: AlertingDeps;
  let counter = 0;

  before(async () => {
    fb = await startTestFirebreak({ dialect, startEngine: false });
    deps = fb.running.deps;
  });
  after(() => fb.close());

  /** Until another transaction of this database waits for a lock (PostgreSQL); SQLite queues in process. */
  const untilOneWaitsForALock = async () => {
    if (dialect !== "postgres") return;
    const db = fb.running.store.handle.db;
    await waitFor(
      async () => {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        return rows[0]!.n >= 1;
      },
      { timeoutMs: 10_000, intervalMs: 20, what: "a transaction waiting for a lock" },
    );
  };

  const newChannel = (name: string) =>
    createChannel(deps, admin, {
      name,
      kind: "webhook",
      config: { url: "https://hooks.example.net/race" },
    });
  const unique = (what: string) => `${what} ${++counter}`;

  for (const way of ["update", "create"] as const) {
    it(`a service ${way} naming the channel while its delete commits waits, then gets a 400: channel not found`, async () => {
      const channel = await newChannel(unique("#going"));
      const existing = way === "update" ? await createService(deps, admin, { name: unique("Svc") }) : null;
      const held = heldBeforeCommit(deps);
      const deleting = deleteChannel(held.deps, admin, channel.id);
      await Promise.race([held.reached, deleting]);

      const pointing =
        existing === null
          ? createService(deps, admin, { name: unique("New svc"), channelId: channel.id })
          : updateService(deps, admin, existing.id, { channelId: channel.id });
      const refused = refusal(pointing);
      await untilOneWaitsForALock();
      held.release();
      await deleting;

      const err = await refused;
      assert.equal(err.code, "VALIDATION", err.message);
      assert.deepEqual(err.fields, [{ path: "/channelId", message: `channel ${channel.id} not found` }]);
      const services = await deps.uow.run((tx) => tx.services.list());
      assert.equal(
        services.filter((s) => s.channelId === channel.id).length,
        0,
        "no service names the deleted channel",
      );
      assert.equal(await deps.uow.run((tx) => tx.channels.findById(channel.id)), undefined);
    });
  }

  it("a delete while a service is being pointed at the channel waits, then is refused naming it (409)", async () => {
    const channel = await newChannel(unique("#staying"));
    const service = await createService(deps, admin, { name: unique("Pointed") });
    const held = heldBeforeCommit(deps);
    const pointing = updateService(held.deps, admin, service.id, { channelId: channel.id });
    await Promise.race([held.reached, pointing]);

    const refused = refusal(deleteChannel(deps, admin, channel.id));
    await untilOneWaitsForALock();
    held.release();
    assert.equal((await pointing).channelId, channel.id);

    const err = await refused;
    assert.equal(err.code, "CONFLICT", err.message);
    assert.equal(
      err.message,
      `channel ${channel.name} is the shared channel of service ${service.name}: choose another channel (or none) on it before deleting it`,
    );
    assert.equal((await deps.uow.run((tx) => tx.services.findById(service.id)))?.channelId, channel.id);
    assert.ok(await deps.uow.run((tx) => tx.channels.findById(channel.id)));
  });

  it("of two creates of one name (in any case) at once, the second waits and gets a 409 naming the first", async () => {
    const name = unique("#twins");
    const held = heldBeforeCommit(deps);
    const first = createChannel(held.deps, admin, {
      name,
      kind: "webhook",
      config: { url: "https://hooks.example.net/one" },
    });
    await Promise.race([held.reached, first]);

    const refused = refusal(newChannel(` ${name.toUpperCase()} `));
    await untilOneWaitsForALock();
    held.release();
    const created = await first;

    const err = await refused;
    assert.equal(err.code, "CONFLICT", err.message);
    const message = `a channel named ${name} already exists (webhook, id ${created.id})`;
    assert.equal(err.message, message);
    assert.deepEqual(err.fields, [{ path: "/name", message: `is taken: ${message}` }]);
    const same = (await deps.uow.run((tx) => tx.channels.list())).filter(
      (c) => c.name.toLowerCase() === name.toLowerCase(),
    );
    assert.deepEqual(
      same.map((c) => c.id),
      [created.id],
    );
  });

  it("of a rename and a create of one name at once, the second waits and gets a 409 naming the first", async () => {
    const name = unique("#renamed");
    const old = await newChannel(unique("#before"));
    const held = heldBeforeCommit(deps);
    const renaming = updateChannel(held.deps, admin, old.id, { name });
    await Promise.race([held.reached, renaming]);

    const refused = refusal(newChannel(name.toUpperCase()));
    await untilOneWaitsForALock();
    held.release();
    assert.equal((await renaming).name, name);

    const err = await refused;
    assert.equal(err.code, "CONFLICT", err.message);
    assert.equal(err.message, `a channel named ${name} already exists (webhook, id ${old.id})`);
  });
});
