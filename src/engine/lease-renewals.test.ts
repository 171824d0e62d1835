import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JobRecord, JobStore } from "../app/ports/jobs.js";
import { silentLogger } from "../app/ports/logger.js";
import { EngineEvents } from "./events.js";
import { LeaseRenewals } from "./lease-renewals.js";

const LEASE_MS = 30_000;
const T0 = Date.parse("2021-01-01T00:00:00Z");

const job = (id: string): JobRecord => ({
  id,
  kind: "notification.send",
  payload: {},
  runAt: new Date(T0),
  attempts: 1,
  maxAttempts: 25,
  key: null,
  lockedBy: "w",
  lockedUntil: new Date(T0 + LEASE_MS),
  lastError: null,
  failedAt: null,
  createdAt: new Date(T0),
  urgent: false,
});

/** A store whose renewals wait until the test answers them with the ids it renewed. */
function pendingRenewals() {
  const calls: Array<{ ids: string[]; answer: (renewed: string[]) => void }> = [];
  const store = {
    renewLeases: ({ leases }) =>
      new Promise<string[]>((resolve) => calls.push({ ids: leases.map((l) => l.id), answer: resolve })),
  } as Pick<JobStore, "renewLeases"> as JobStore;
  return { store, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("LeaseRenewals", () => {
  const setUp = () => {
    const { store, calls } = pendingRenewals();
    const events = new EngineEvents();
    const lost: string[] = [];
    events.on("lease:lost", ({ job }) => lost.push(job.id));
    let nowMs = T0;
    const renewals = new LeaseRenewals(
      store,
      { now: () => new Date(nowMs) },
      silentLogger,
      events,
      "w",
      LEASE_MS,
    );
    return { renewals, calls, lost, advance: (ms: number) => (nowMs += ms) };
  };

  it("renews every running job in one statement, and one renewal at a time", async () => {
    const { renewals, calls } = setUp();
    const a = renewals.hold(job("1"));
    renewals.hold(job("2"));
    const first = renewals.renew();
    const second = renewals.renew();
    await tick();
    assert.deepEqual(
      calls.map((c) => c.ids),
      [["1", "2"]],
    );
    calls[0]!.answer(["1", "2"]);
    assert.equal(await first, 2);
    assert.equal(await second, 2, "the second waited for the first");
    renewals.letGoOfAll();
    assert.ok(renewals.leaseLeftMs(a) > 0);
  });

  it("does not call a job lost whose handler finished while the renewal was on its way", async () => {
    const { renewals, calls, lost } = setUp();
    const finished = renewals.hold(job("1"));
    renewals.hold(job("2"));
    const renewing = renewals.renew();
    await tick();
    // Job 1 finishes and its completion deletes the row before the renewal reaches it.
    renewals.letGo(finished);
    calls[0]!.answer(["2"]);
    assert.equal(await renewing, 1);
    assert.deepEqual(lost, []);
    renewals.letGoOfAll();
  });

  it("calls a lease lost when the renewal finds it taken, and stops renewing it", async () => {
    const { renewals, calls, lost, advance } = setUp();
    const taken = renewals.hold(job("1"));
    const renewing = renewals.renew();
    await tick();
    calls[0]!.answer([]);
    assert.equal(await renewing, 0);
    assert.deepEqual(lost, ["1"]);
    assert.equal(taken.lost, true);

    advance(LEASE_MS);
    await renewals.renewIfDue();
    assert.equal(calls.length, 1, "a lost lease is not renewed again");
    renewals.letGoOfAll();
  });

  it("renews before a claim only once a third of the lease has passed", async () => {
    const { renewals, calls, advance } = setUp();
    renewals.hold(job("1"));
    advance(LEASE_MS / 3 - 1);
    await renewals.renewIfDue();
    assert.equal(calls.length, 0);
    advance(1);
    const renewing = renewals.renewIfDue();
    await tick();
    assert.equal(calls.length, 1);
    calls[0]!.answer(["1"]);
    await renewing;
    renewals.letGoOfAll();
  });

  it("keeps a lease whose renewal committed although the client saw an error", async () => {
    // One row, fenced like the store's statement: worker "w" and the exact locked_until.
    let rowLockedUntilMs = T0 + LEASE_MS;
    let failAfterCommit = false;
    const store = {
      renewLeases: async ({ leases, now, leaseMs }) => {
        const fenced = leases.some((l) => l.id === "1" && l.lockedUntil.getTime() === rowLockedUntilMs);
        if (fenced) rowLockedUntilMs = now.getTime() + leaseMs;
        if (failAfterCommit) {
          failAfterCommit = false;
          throw new Error("query timeout after COMMIT");
        }
        return fenced ? ["1"] : [];
      },
    } as Pick<JobStore, "renewLeases"> as JobStore;
    const events = new EngineEvents();
    const lost: string[] = [];
    events.on("lease:lost", ({ job }) => lost.push(job.id));
    let nowMs = T0;
    const renewals = new LeaseRenewals(
      store,
      { now: () => new Date(nowMs) },
      silentLogger,
      events,
      "w",
      LEASE_MS,
    );
    renewals.hold(job("1"));

    nowMs += LEASE_MS / 3;
    failAfterCommit = true;
    assert.equal(await renewals.renew(), 0, "the client saw the renewal fail");
    nowMs += LEASE_MS / 3;
    assert.equal(await renewals.renew(), 1, "the row holds the failed renewal's lease: still ours");
    assert.deepEqual(lost, []);
    assert.equal(rowLockedUntilMs, nowMs + LEASE_MS);
    renewals.letGoOfAll();
  });
});
