import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startStallTolerantTimer } from "./stall-tolerant-timer.js";

/** Blocks this thread as a SIGSTOP or a VM pause would: no timer and no I/O runs meanwhile. */
const stallFor = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

describe("a stall-tolerant timer", () => {
  it("fires on time, saying no stall, when the process kept running", async () => {
    const startedMs = performance.now();
    const stalledMs = await new Promise<number | undefined>((resolve) =>
      startStallTolerantTimer(resolve, 50),
    );
    assert.equal(stalledMs, undefined);
    assert.ok(performance.now() - startedMs >= 45); // libuv rounds to whole ms
  });

  it("after a stall past its due time, waits one grace before firing and says how long the stall was", async () => {
    const events: string[] = [];
    const fired = new Promise<number | undefined>((resolve) =>
      startStallTolerantTimer((stalledMs) => {
        events.push("expired");
        resolve(stalledMs);
      }, 100),
    );
    stallFor(1_300);
    // Queued behind the stall: runs before the grace ends, as a socket read would.
    setImmediate(() => events.push("after the stall"));
    const stalledMs = await fired;
    assert.deepEqual(events, ["after the stall", "expired"]);
    assert.ok(stalledMs !== undefined && stalledMs >= 1_000, `stalled ${stalledMs} ms`);
  });

  it("can be cleared, during the grace too", async () => {
    let expired = false;
    const timer = startStallTolerantTimer(() => (expired = true), 50);
    stallFor(1_100);
    await new Promise((resolve) => setImmediate(resolve));
    timer.clear();
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(expired, false);
  });
});
