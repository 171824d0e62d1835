import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newTimeOrderedId } from "./time-ordered-id.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("time-ordered ids (UUIDv7)", () => {
  it("are RFC 9562 version 7 with the variant bits set, the time in the first 48 bits", () => {
    const at = new Date("2026-12-04T15:00:00.123Z");
    const id = newTimeOrderedId(at);
    assert.match(id, UUID_V7);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    assert.ok(ms >= at.getTime() && ms <= at.getTime() + 1, `${ms} is the instant (or just after)`);
  });

  it("sort in the order they were made, within a millisecond and when the clock steps back", () => {
    const at = new Date("2027-03-01T00:00:00.000Z");
    const ids = [
      ...Array.from({ length: 5_000 }, () => newTimeOrderedId(at)), // more than 4,096 in one ms
      newTimeOrderedId(new Date(at.getTime() - 60_000)), // a clock that went back a minute
      newTimeOrderedId(new Date(at.getTime() + 5)),
    ];
    for (const id of ids) assert.match(id, UUID_V7);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  it("carry 62 random bits after the variant", () => {
    const ids = Array.from({ length: 2_000 }, () => newTimeOrderedId(new Date("2027-03-02T00:00:00.000Z")));
    assert.deepEqual(new Set(ids.map((id) => id[19])), new Set(["8", "9", "a", "b"]));
    assert.equal(new Set(ids.map((id) => id.slice(20))).size, ids.length);
  });
});
