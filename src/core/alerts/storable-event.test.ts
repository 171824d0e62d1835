import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { boundedValue, MAX_DETAIL_DEPTH, withoutNul } from "./storable-event.js";

describe("storable events", () => {
  it("cuts free-form details deeper than the limit", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 5_000; i++) deep = { d: deep };
    const bounded = boundedValue(deep);
    assert.doesNotThrow(() => JSON.stringify(bounded));
    let depth = 0;
    let cursor = bounded as { d?: unknown } | string;
    while (typeof cursor === "object" && cursor !== null) {
      cursor = cursor.d as typeof cursor;
      depth++;
    }
    assert.equal(depth, MAX_DETAIL_DEPTH);
    assert.equal(cursor, "[nested too deep]");
  });

  it("keeps shallow values as they are, arrays included", () => {
    const value = { a: [1, "x", { b: null }], c: true };
    assert.deepEqual(boundedValue(value), value);
  });

  it("returns the value itself when nothing in it needs changing", () => {
    const value = { a: [1, "x", { b: null }], c: { d: "e" } };
    assert.equal(boundedValue(value), value);
  });

  it("copies an object with an own __proto__ key as before, so it is stored the same", () => {
    const value = JSON.parse('{"__proto__": {"p": 1}, "b": "x"}') as unknown;
    assert.notEqual(boundedValue(value), value);
    assert.equal(JSON.stringify(boundedValue(value)), '{"b":"x"}');
  });

  it("replaces NUL in strings and keys", () => {
    assert.equal(withoutNul("a\u0000b"), "a\uFFFDb");
    assert.deepEqual(boundedValue({ "k\u0000": ["v\u0000"] }), { "k\uFFFD": ["v\uFFFD"] });
  });
});
