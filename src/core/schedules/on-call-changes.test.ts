import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { onCallChanges, subtractRanges } from "./on-call-changes.js";
import type { Shift } from "./schedule.js";

const T0 = Date.parse("2026-12-07T08:00:00.000Z");
const HOUR = 3_600_000;
const r = (from: number, to: number) => ({ startMs: T0 + from * HOUR, endMs: T0 + to * HOUR });
const shift = (userId: string, from: number, to: number, overrideId: string | null = null): Shift => ({
  userId,
  ...r(from, to),
  layerId: overrideId ? null : "l1",
  overrideId,
});
/** "bob +0-24 -30-40" per person, for readable tables. */
const show = (changes: ReturnType<typeof onCallChanges>) =>
  changes.map((c) =>
    [
      c.userId,
      ...c.gained.map((g) => `+${(g.startMs - T0) / HOUR}-${(g.endMs - T0) / HOUR}`),
      ...c.lost.map((l) => `-${(l.startMs - T0) / HOUR}-${(l.endMs - T0) / HOUR}`),
    ].join(" "),
  );

describe("subtractRanges", () => {
  const cases: Array<[string, Array<[number, number]>, Array<[number, number]>, Array<[number, number]>]> = [
    ["nothing taken", [[0, 10]], [], [[0, 10]]],
    [
      "a hole in the middle",
      [[0, 10]],
      [[3, 5]],
      [
        [0, 3],
        [5, 10],
      ],
    ],
    ["the whole range", [[0, 10]], [[0, 10]], []],
    [
      "overlapping both ends",
      [[2, 8]],
      [
        [0, 3],
        [7, 12],
      ],
      [[3, 7]],
    ],
    [
      "several ranges",
      [
        [0, 4],
        [6, 10],
      ],
      [[3, 7]],
      [
        [0, 3],
        [7, 10],
      ],
    ],
    ["touching only", [[0, 4]], [[4, 6]], [[0, 4]]],
  ];
  for (const [name, from, minus, expected] of cases) {
    it(name, () =>
      assert.deepEqual(
        subtractRanges(
          from.map(([a, b]) => r(a, b)),
          minus.map(([a, b]) => r(a, b)),
        ),
        expected.map(([a, b]) => r(a, b)),
      ),
    );
  }
});

describe("onCallChanges", () => {
  it("an override removed gives the time back to whoever the layers name there", () => {
    const before = [shift("alice", 0, 72, "o1")];
    const after = [shift("bob", 0, 24), shift("cy", 24, 48), shift("bob", 48, 72)];
    assert.deepEqual(show(onCallChanges(before, after)), ["alice -0-72", "bob +0-24 +48-72", "cy +24-48"]);
  });

  it("a take-over from now: the replaced person loses the rest of the shift", () => {
    assert.deepEqual(show(onCallChanges([shift("bob", 0, 24)], [shift("alice", 0, 24, "o2")])), [
      "alice +0-24",
      "bob -0-24",
    ]);
  });

  it("the same person from another source is no change", () => {
    const before = [shift("bob", 0, 12), shift("bob", 12, 24)];
    const after = [shift("bob", 0, 24, "o3")];
    assert.deepEqual(onCallChanges(before, after), []);
  });

  it("a gap filled or opened counts for the one person on call", () => {
    assert.deepEqual(show(onCallChanges([shift("bob", 0, 4)], [shift("bob", 0, 4), shift("bob", 6, 8)])), [
      "bob +6-8",
    ]);
    assert.deepEqual(show(onCallChanges([shift("bob", 0, 8, "o4")], [])), ["bob -0-8"]);
  });
});
