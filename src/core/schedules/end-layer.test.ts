import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { endLayerAt } from "./end-layer.js";
import type { Layer, RotationVersion } from "./schedule.js";

const T0 = Date.parse("2026-11-23T09:00:00.000Z");
const DAY = 86_400_000;
const version = (fromDays: number, untilDays: number | null, memberIds: string[]): RotationVersion => ({
  effectiveFromMs: T0 + fromDays * DAY,
  effectiveUntilMs: untilDays === null ? null : T0 + untilDays * DAY,
  memberIds,
  shiftLength: 1,
  shiftUnit: "weeks",
  startLocal: "2026-11-23T09:00",
  restrictions: [],
});

describe("endLayerAt", () => {
  it("a rotation: the version in force ends then, later versions go, earlier ones stay", () => {
    const layer: Layer = {
      id: "l1",
      name: "Primary",
      priority: 1,
      source: "rotation",
      versions: [version(0, 5, ["ada"]), version(5, 20, ["bob"]), version(20, null, ["cy"])],
    };
    const ended = endLayerAt(layer, T0 + 10 * DAY);
    assert.equal(ended.source, "rotation");
    assert.deepEqual(ended.source === "rotation" && ended.versions, [
      version(0, 5, ["ada"]),
      version(5, 10, ["bob"]),
    ]);
  });

  it("a fixed layer: shifts that began stay (cut at the end), later ones go", () => {
    const shift = (fromDays: number, toDays: number, sourceId: string) => ({
      userId: "ada",
      startMs: T0 + fromDays * DAY,
      endMs: T0 + toDays * DAY,
      sourceId,
    });
    const layer: Layer = {
      id: "l2",
      name: "Imported",
      priority: 2,
      source: "fixed",
      shifts: [shift(0, 1, "a"), shift(2, 4, "b"), shift(5, 6, "c")],
    };
    const ended = endLayerAt(layer, T0 + 3 * DAY);
    assert.deepEqual(ended.source === "fixed" && ended.shifts, [shift(0, 1, "a"), shift(2, 3, "b")]);
  });
});
