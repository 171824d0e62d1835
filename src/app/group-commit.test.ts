import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GroupCommit } from "./group-commit.js";

/** Commits that take one turn of the event loop, recording each group they were given. */
function recorder(failOn?: string) {
  const groups: string[][] = [];
  const singles: string[] = [];
  const commitGroup = async (requests: readonly string[]) => {
    groups.push([...requests]);
    await new Promise((resolve) => setImmediate(resolve));
    if (failOn && requests.includes(failOn)) throw new Error(`bad request ${failOn}`);
    return requests.map((r) => `done ${r}`);
  };
  const commitOne = async (request: string) => {
    singles.push(request);
    if (request === failOn) throw new Error(`bad request ${failOn}`);
    return `done alone ${request}`;
  };
  return { groups, singles, commitGroup, commitOne };
}

describe("group commit", () => {
  it("takes every request already waiting in one group, and the ones that came meanwhile in the next", async () => {
    const r = recorder();
    const commit = new GroupCommit(r.commitGroup, r.commitOne, 100);
    const first = ["a", "b"].map((x) => commit.submit(x));
    // Arrives while the first group commits (its commit takes a turn of the event loop).
    await new Promise((resolve) => setImmediate(resolve));
    const later = ["c", "d"].map((x) => commit.submit(x));
    const outcomes = await Promise.all([...first, ...later]);
    assert.deepEqual(r.groups, [
      ["a", "b"],
      ["c", "d"],
    ]);
    assert.deepEqual(outcomes, ["done a", "done b", "done c", "done d"]);
  });

  it("gathers before taking a group, so requests read during that turn join it", async () => {
    const r = recorder();
    const commit = new GroupCommit(r.commitGroup, r.commitOne, 100, undefined, () => {
      // A request read from the socket during the gathering turn.
      void commit.submit("late");
      return new Promise<void>((resolve) => setImmediate(resolve));
    });
    await commit.submit("a");
    assert.deepEqual(r.groups[0], ["a", "late"]);
  });

  it("keeps groups within their size", async () => {
    const r = recorder();
    const commit = new GroupCommit(r.commitGroup, r.commitOne, 5, (x: string) => x.length);
    await Promise.all(["a", "bbb", "cc", "dddd", "e"].map((x) => commit.submit(x)));
    assert.deepEqual(r.groups, [["a", "bbb"], ["cc"], ["dddd", "e"]]);
  });

  it("isolates a failing request: the rest of its group commit alone and succeed", async () => {
    const r = recorder("bad");
    const commit = new GroupCommit(r.commitGroup, r.commitOne, 100);
    const outcomes = await Promise.allSettled(["first", "x", "bad", "y"].map((v) => commit.submit(v)));
    assert.deepEqual(r.groups, [["first", "x", "bad", "y"]]);
    assert.deepEqual(r.singles, ["first", "x", "bad", "y"]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === "fulfilled" ? o.value : `rejected: ${(o.reason as Error).message}`)),
      ["done alone first", "done alone x", "rejected: bad request bad", "done alone y"],
    );
  });
});
