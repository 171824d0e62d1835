import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../errors.js";
import {
  OPEN_ENDED_HORIZON_MS,
  editRotation,
  finalShifts,
  layerShifts,
  onCallAt,
  scheduleGaps,
} from "./final-schedule.js";
import type { Layer, Override, RotationVersion, Schedule, Shift, TimeWindow } from "./schedule.js";
import { formatLocalAt, instantOfLocal, zoneRules } from "./zoned-time.js";

/** The fixed reference time: every rotation below is in force from here. */
const REFERENCE_MS = Date.UTC(2024, 11, 1);
const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

type RotationLayer = Extract<Layer, { source: "rotation" }>;

const version = (over: Partial<RotationVersion> = {}): RotationVersion => ({
  effectiveFromMs: REFERENCE_MS,
  effectiveUntilMs: null,
  memberIds: ["ann", "bob", "cat"],
  shiftLength: 1,
  shiftUnit: "days",
  startLocal: "2025-01-06T09:00",
  restrictions: [],
  ...over,
});

const rotation = (id: string, priority: number, ...versions: RotationVersion[]): RotationLayer => ({
  id,
  name: id,
  priority,
  source: "rotation",
  versions,
});

const schedule = (timeZone: string, layers: Layer[], overrides: Override[] = []): Schedule => ({
  id: "sched",
  name: "Primary",
  timeZone,
  layers,
  overrides,
});

const override = (
  id: string,
  userId: string,
  from: string,
  to: string,
  createdAtMs = REFERENCE_MS,
): Override => ({
  id,
  userId,
  startMs: utc(from),
  endMs: utc(to),
  replacesUserId: null,
  createdAtMs,
});

/** Shifts as [who, local start, local end] in the zone, for readable expectations. */
const local = (shifts: readonly Shift[], zone: string) =>
  shifts.map((s) => [s.userId, formatLocalAt(s.startMs, zone), formatLocalAt(s.endMs, zone)]);

const weekdays = (startTime: string, endTime: string, days = [1, 2, 3, 4, 5]): TimeWindow[] =>
  days.map((weekday) => ({ weekday, startTime, endTime }));

describe("handoffs stay at the wall-clock time across daylight-saving changes", () => {
  // zone, unit, length, anchor (member 0's first turn), the turn spanning the change in UTC, its
  // person and the next. Berlin 8 h from 02:00: the 18:00 turn ends at the skipped 02:00, when clocks
  // jump (8 h); the 02:00 turn starts then and runs to 10:00 (7 h); in October the first 02:00 starts it.
  const table = `
    America/New_York  days  1  2025-01-06T09:00  2025-03-08T14:00Z  2025-03-09T13:00Z  bob  cat
    America/New_York  days  1  2025-01-06T09:00  2025-11-01T13:00Z  2025-11-02T14:00Z  cat  ann
    Europe/Berlin     days  1  2025-01-06T09:00  2025-03-29T08:00Z  2025-03-30T07:00Z  bob  cat
    Europe/Berlin     days  1  2025-01-06T09:00  2025-10-25T07:00Z  2025-10-26T08:00Z  bob  cat
    Australia/Sydney  days  1  2025-01-06T09:00  2025-10-03T23:00Z  2025-10-04T22:00Z  bob  cat
    Australia/Sydney  days  1  2025-01-06T09:00  2025-04-04T22:00Z  2025-04-05T23:00Z  cat  ann
    America/New_York  weeks 1  2025-01-06T09:00  2025-03-03T14:00Z  2025-03-10T13:00Z  cat  ann
    America/New_York  weeks 1  2025-01-06T09:00  2025-10-27T13:00Z  2025-11-03T14:00Z  ann  bob
    Europe/Berlin     weeks 1  2025-01-06T09:00  2025-03-24T08:00Z  2025-03-31T07:00Z  cat  ann
    Europe/Berlin     weeks 1  2025-01-06T09:00  2025-10-20T07:00Z  2025-10-27T08:00Z  cat  ann
    Australia/Sydney  weeks 1  2025-01-06T09:00  2025-09-28T23:00Z  2025-10-05T22:00Z  cat  ann
    Australia/Sydney  weeks 1  2025-01-06T09:00  2025-03-30T22:00Z  2025-04-06T23:00Z  ann  bob
    America/New_York  hours 12 2025-01-01T08:00  2025-03-09T01:00Z  2025-03-09T12:00Z  bob  cat
    America/New_York  hours 12 2025-01-01T08:00  2025-11-02T00:00Z  2025-11-02T13:00Z  ann  bob
    Europe/Berlin     hours 12 2025-01-01T08:00  2025-03-29T19:00Z  2025-03-30T06:00Z  bob  cat
    Europe/Berlin     hours 12 2025-01-01T08:00  2025-10-25T18:00Z  2025-10-26T07:00Z  bob  cat
    Australia/Sydney  hours 12 2025-01-01T08:00  2025-10-04T10:00Z  2025-10-04T21:00Z  bob  cat
    Australia/Sydney  hours 12 2025-01-01T08:00  2025-04-05T09:00Z  2025-04-05T22:00Z  ann  bob
    America/New_York  hours 8  2025-01-01T01:00  2025-03-09T06:00Z  2025-03-09T13:00Z  ann  bob
    America/New_York  hours 8  2025-01-01T01:00  2025-11-02T05:00Z  2025-11-02T14:00Z  ann  bob
    Europe/Berlin     hours 8  2025-01-01T02:00  2025-03-29T17:00Z  2025-03-30T01:00Z  cat  ann
    Europe/Berlin     hours 8  2025-01-01T02:00  2025-03-30T01:00Z  2025-03-30T08:00Z  ann  bob
    Europe/Berlin     hours 8  2025-01-01T02:00  2025-10-26T00:00Z  2025-10-26T09:00Z  ann  bob
    Australia/Sydney  hours 8  2025-01-01T00:00  2025-10-04T14:00Z  2025-10-04T21:00Z  ann  bob
    Australia/Sydney  hours 8  2025-01-01T00:00  2025-04-05T13:00Z  2025-04-05T22:00Z  ann  bob`;
  const cases = table
    .trim()
    .split("\n")
    .map((row) => row.trim().split(/\s+/))
    .map(([zone, unit, length, startLocal, start, end, who, next]) => ({
      zone: zone!,
      shiftUnit: unit as RotationVersion["shiftUnit"],
      shiftLength: Number(length),
      startLocal: startLocal!,
      start: start!,
      end: end!,
      who: who!,
      next: next!,
    }));
  assert.equal(cases.length, 25);
  for (const { zone, shiftUnit, shiftLength, startLocal, start, end, who, next } of cases) {
    const hours = (utc(end) - utc(start)) / HOUR;
    it(`${zone}, ${shiftLength} ${shiftUnit} from ${startLocal}: ${who}'s shift from ${start} lasts ${hours} h`, () => {
      const layer = rotation("primary", 1, version({ shiftUnit, shiftLength, startLocal }));
      const shifts = layerShifts(layer, zone, { startMs: utc(start) - 1, endMs: utc(end) + 1 });
      const spanning = shifts.find((s) => s.startMs === utc(start));
      assert.deepEqual(spanning, {
        userId: who,
        startMs: utc(start),
        endMs: utc(end),
        layerId: "primary",
        overrideId: null,
      });
      // Both handoffs fall on the rotation's wall-clock handoff times (or when a skipped one jumps to).
      const anchorMinute = Number(startLocal.slice(11, 13)) * 60 + Number(startLocal.slice(14, 16));
      const stepMinutes = shiftUnit === "hours" ? shiftLength * 60 : 1440;
      for (const handoffMs of [utc(start), utc(end)]) {
        const wall = formatLocalAt(handoffMs, zone);
        const minuteOfDay = Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16));
        const jumped = zoneRules(zone).offsetAt(handoffMs - 1) !== zoneRules(zone).offsetAt(handoffMs);
        assert.ok((minuteOfDay - anchorMinute) % stepMinutes === 0 || jumped, `handoff at ${wall}`);
      }
      const final = schedule(zone, [layer]);
      assert.equal(onCallAt(final, utc(start))?.userId, who);
      assert.equal(onCallAt(final, utc(end) - 60_000)?.userId, who);
      assert.equal(onCallAt(final, utc(end))?.userId, next);
      assert.equal(onCallAt(final, utc(start) - 60_000)?.userId === who, false);
    });
  }

  it("an hourly turn that falls wholly in a spring-forward gap is squeezed to nothing", () => {
    // Berlin, 1-hour turns: the 02:00 turn on 30 March 2025 begins and ends when clocks jump to 03:00.
    const layer = rotation(
      "hourly",
      1,
      version({ shiftUnit: "hours", shiftLength: 1, startLocal: "2025-03-30T00:00" }),
    );
    const shifts = layerShifts(layer, "Europe/Berlin", {
      startMs: utc("2025-03-29T23:00Z"),
      endMs: utc("2025-03-30T03:00Z"),
    });
    assert.deepEqual(local(shifts, "Europe/Berlin"), [
      ["ann", "2025-03-30T00:00", "2025-03-30T01:00"],
      ["bob", "2025-03-30T01:00", "2025-03-30T03:00"],
      ["ann", "2025-03-30T03:00", "2025-03-30T04:00"],
      ["bob", "2025-03-30T04:00", "2025-03-30T05:00"],
    ]);
    assert.equal((shifts[1]!.endMs - shifts[1]!.startMs) / HOUR, 1);
  });
});

describe("the final schedule", () => {
  const zone = "America/New_York";
  const base = rotation("base", 1, version({ memberIds: ["ann", "bob"] }));
  const daytime = rotation(
    "daytime",
    5,
    version({ memberIds: ["dan"], shiftUnit: "weeks", restrictions: weekdays("09:00", "17:00") }),
  );
  const week = {
    startMs: instantOfLocal("2025-01-13T00:00", zone),
    endMs: instantOfLocal("2025-01-14T00:00", zone),
  };

  it("a higher-priority layer wins where it covers; the lower one fills the rest", () => {
    assert.deepEqual(local(finalShifts(schedule(zone, [daytime, base]), week), zone), [
      ["ann", "2025-01-13T00:00", "2025-01-13T09:00"],
      ["dan", "2025-01-13T09:00", "2025-01-13T17:00"],
      ["bob", "2025-01-13T17:00", "2025-01-14T00:00"],
    ]);
  });

  it("equal priorities: the later layer in the list wins", () => {
    const other = rotation("other", 1, version({ memberIds: ["eve"] }));
    assert.equal(onCallAt(schedule(zone, [base, other]), week.startMs)?.userId, "eve");
    assert.equal(onCallAt(schedule(zone, [other, base]), week.startMs)?.userId, "ann");
  });

  it("an override wins over every layer, and the layer resumes after it", () => {
    const cover = override("o1", "zoe", "2025-01-13T15:00Z", "2025-01-13T16:00Z");
    const shifts = finalShifts(schedule(zone, [daytime, base], [cover]), week);
    assert.deepEqual(local(shifts, zone), [
      ["ann", "2025-01-13T00:00", "2025-01-13T09:00"],
      ["dan", "2025-01-13T09:00", "2025-01-13T10:00"],
      ["zoe", "2025-01-13T10:00", "2025-01-13T11:00"],
      ["dan", "2025-01-13T11:00", "2025-01-13T17:00"],
      ["bob", "2025-01-13T17:00", "2025-01-14T00:00"],
    ]);
    assert.deepEqual(
      shifts.map((s) => [s.layerId, s.overrideId]),
      [
        ["base", null],
        ["daytime", null],
        [null, "o1"],
        ["daytime", null],
        ["base", null],
      ],
    );
  });

  it("overlapping overrides: the one created last wins, the other keeps what is left", () => {
    const older = override("old", "zoe", "2025-01-13T15:00Z", "2025-01-13T19:00Z", REFERENCE_MS);
    const newer = override("new", "yan", "2025-01-13T16:00Z", "2025-01-13T17:00Z", REFERENCE_MS + 1);
    // The newer one listed first: the order in the list does not matter, creation time does.
    const shifts = finalShifts(schedule(zone, [base], [newer, older]), week);
    assert.deepEqual(local(shifts, zone), [
      ["ann", "2025-01-13T00:00", "2025-01-13T09:00"],
      ["bob", "2025-01-13T09:00", "2025-01-13T10:00"],
      ["zoe", "2025-01-13T10:00", "2025-01-13T11:00"],
      ["yan", "2025-01-13T11:00", "2025-01-13T12:00"],
      ["zoe", "2025-01-13T12:00", "2025-01-13T14:00"],
      ["bob", "2025-01-13T14:00", "2025-01-14T00:00"],
    ]);
  });

  it("gaps: where no layer covers, and before the rotation starts", () => {
    const late = rotation(
      "late",
      1,
      version({ startLocal: "2025-01-13T12:00", restrictions: weekdays("12:00", "18:00") }),
    );
    const gaps = scheduleGaps(schedule(zone, [late]), {
      startMs: instantOfLocal("2025-01-10T00:00", zone),
      endMs: instantOfLocal("2025-01-15T00:00", zone),
    });
    assert.deepEqual(
      gaps.map((g) => [formatLocalAt(g.startMs, zone), formatLocalAt(g.endMs, zone)]),
      [
        ["2025-01-10T00:00", "2025-01-13T12:00"],
        ["2025-01-13T18:00", "2025-01-14T12:00"],
        ["2025-01-14T18:00", "2025-01-15T00:00"],
      ],
    );
    assert.equal(onCallAt(schedule(zone, [late]), instantOfLocal("2025-01-13T11:59", zone)), null);
  });

  it("a person's consecutive turns are one shift, and onCallAt reports all of it", () => {
    const doubled = rotation("doubled", 1, version({ memberIds: ["ann", "ann", "bob"] }));
    const final = schedule(zone, [doubled]);
    const shifts = finalShifts(final, {
      startMs: instantOfLocal("2025-01-06T00:00", zone),
      endMs: instantOfLocal("2025-01-10T00:00", zone),
    });
    assert.deepEqual(local(shifts, zone), [
      ["ann", "2025-01-06T09:00", "2025-01-08T09:00"],
      ["bob", "2025-01-08T09:00", "2025-01-09T09:00"],
      ["ann", "2025-01-09T09:00", "2025-01-10T00:00"],
    ]);
    assert.deepEqual(onCallAt(final, instantOfLocal("2025-01-07T12:00", zone)), shifts[0]);
  });

  it("a one-person rotation has no end in sight: onCallAt cuts it at the horizon", () => {
    const atMs = instantOfLocal("2025-02-01T00:00", zone);
    const shift = onCallAt(schedule(zone, [rotation("solo", 1, version({ memberIds: ["ann"] }))]), atMs);
    assert.deepEqual(shift, {
      userId: "ann",
      layerId: "solo",
      overrideId: null,
      startMs: instantOfLocal("2025-01-06T09:00", zone),
      endMs: atMs + OPEN_ENDED_HORIZON_MS,
    });
  });

  it("an imported layer's fixed shifts: the later in the list wins where they overlap", () => {
    const imported: Layer = {
      id: "ics",
      name: "Imported",
      priority: 1,
      source: "fixed",
      shifts: [
        { userId: "ann", startMs: utc("2025-01-13T00:00Z"), endMs: utc("2025-01-13T12:00Z"), sourceId: "a" },
        { userId: "bob", startMs: utc("2025-01-13T06:00Z"), endMs: utc("2025-01-13T08:00Z"), sourceId: "b" },
        { userId: "bob", startMs: utc("2025-01-13T08:00Z"), endMs: utc("2025-01-13T09:00Z"), sourceId: "c" },
      ],
    };
    const range = { startMs: utc("2025-01-12T00:00Z"), endMs: utc("2025-01-14T00:00Z") };
    assert.deepEqual(
      finalShifts(schedule("UTC", [imported]), range).map((s) => [s.userId, s.startMs, s.endMs]),
      [
        ["ann", utc("2025-01-13T00:00Z"), utc("2025-01-13T06:00Z")],
        ["bob", utc("2025-01-13T06:00Z"), utc("2025-01-13T09:00Z")],
        ["ann", utc("2025-01-13T09:00Z"), utc("2025-01-13T12:00Z")],
      ],
    );
    assert.equal(layerShifts(imported, "UTC", range).length, 4, "the layer's own shifts stay one per event");
  });

  it("shifts are clipped to the range asked for", () => {
    const range = {
      startMs: instantOfLocal("2025-01-13T10:00", zone),
      endMs: instantOfLocal("2025-01-13T10:30", zone),
    };
    assert.deepEqual(local(finalShifts(schedule(zone, [base]), range), zone), [
      ["bob", "2025-01-13T10:00", "2025-01-13T10:30"],
    ]);
    assert.deepEqual(finalShifts(schedule(zone, [base]), { startMs: range.endMs, endMs: range.startMs }), []);
  });
});

describe("editRotation", () => {
  const zone = "Australia/Sydney";
  const original = rotation("primary", 1, version({ memberIds: ["ann", "bob", "cat"] }));
  const editMs = instantOfLocal("2025-02-05T15:00", zone);
  const next = { ...version({ memberIds: ["dan", "eve"] }) };
  const edited = editRotation(original, next, editMs);
  const before = { startMs: instantOfLocal("2025-01-20T00:00", zone), endMs: editMs };

  it("closes the version in force and appends the new one from the edit", () => {
    assert.deepEqual(
      edited.versions.map((v) => [v.effectiveFromMs, v.effectiveUntilMs, v.memberIds]),
      [
        [REFERENCE_MS, editMs, ["ann", "bob", "cat"]],
        [editMs, null, ["dan", "eve"]],
      ],
    );
  });

  it("leaves every shift before the edit as it was", () => {
    assert.deepEqual(layerShifts(edited, zone, before), layerShifts(original, zone, before));
    assert.ok(layerShifts(original, zone, before).length >= 16);
  });

  it("keeps the handoff aligned to the unchanged anchor after the edit", () => {
    const after = layerShifts(edited, zone, {
      startMs: editMs,
      endMs: instantOfLocal("2025-02-08T00:00", zone),
    });
    assert.deepEqual(local(after, zone), [
      // 5 Feb 2025 is turn 30 of the anchor: dan, eve, dan…
      ["dan", "2025-02-05T15:00", "2025-02-06T09:00"],
      ["eve", "2025-02-06T09:00", "2025-02-07T09:00"],
      ["dan", "2025-02-07T09:00", "2025-02-08T00:00"],
    ]);
  });

  it("drops versions that would start at or after the edit, and re-editing the past changes nothing before it", () => {
    const later = editRotation(edited, version({ memberIds: ["fay"] }), editMs + 30 * 86_400_000);
    const rewound = editRotation(later, version({ memberIds: ["gus"] }), editMs - 86_400_000);
    assert.deepEqual(
      rewound.versions.map((v) => [v.memberIds, v.effectiveUntilMs]),
      [
        [["ann", "bob", "cat"], editMs - 86_400_000],
        [["gus"], null],
      ],
    );
    const window = { startMs: before.startMs, endMs: editMs - 86_400_000 };
    assert.deepEqual(layerShifts(rewound, zone, window), layerShifts(original, zone, window));
  });

  it("a rotation not yet begun is replaced whole; the new one starts at its own startLocal", () => {
    const future = rotation(
      "future",
      1,
      version({ effectiveFromMs: utc("2025-03-01T00:00Z"), startLocal: "2025-03-03T09:00" }),
    );
    const replaced = editRotation(
      future,
      version({ memberIds: ["hal"], startLocal: "2025-02-10T09:00" }),
      utc("2025-02-01T00:00Z"),
    );
    assert.equal(replaced.versions.length, 1);
    const shifts = layerShifts(replaced, zone, {
      startMs: utc("2025-01-01T00:00Z"),
      endMs: instantOfLocal("2025-02-11T09:00", zone),
    });
    assert.deepEqual(local(shifts, zone), [["hal", "2025-02-10T09:00", "2025-02-11T09:00"]]);
  });

  it("the same person on both sides of the edit is one final shift", () => {
    // Turn 30 (5 Feb) is ann's in [ann, bob, cat] and in [ann, bob]: she stays on across the edit.
    const same = editRotation(original, version({ memberIds: ["ann", "bob"] }), editMs);
    const final = finalShifts(schedule(zone, [same]), {
      startMs: instantOfLocal("2025-02-05T00:00", zone),
      endMs: instantOfLocal("2025-02-06T00:00", zone),
    });
    assert.deepEqual(local(final, zone), [
      ["cat", "2025-02-05T00:00", "2025-02-05T09:00"],
      ["ann", "2025-02-05T09:00", "2025-02-06T00:00"],
    ]);
    assert.deepEqual(onCallAt(schedule(zone, [same]), editMs - 1), {
      userId: "ann",
      layerId: "primary",
      overrideId: null,
      startMs: instantOfLocal("2025-02-05T09:00", zone),
      endMs: instantOfLocal("2025-02-06T09:00", zone),
    });
  });
});

describe("instants out of reach", () => {
  const plain = schedule("UTC", [rotation("base", 1, version())]);
  const cases: Array<[string, () => unknown]> = [
    ["onCallAt at NaN", () => onCallAt(plain, NaN)],
    ["onCallAt in the year 300,000", () => onCallAt(plain, 1e16)],
    ["finalShifts to Infinity", () => finalShifts(plain, { startMs: 0, endMs: Infinity })],
    ["scheduleGaps from NaN", () => scheduleGaps(plain, { startMs: NaN, endMs: 0 })],
    ["layerShifts to Infinity", () => layerShifts(plain.layers[0]!, "UTC", { startMs: 0, endMs: Infinity })],
    ["editRotation at NaN", () => editRotation(rotation("base", 1, version()), version(), NaN)],
  ];
  for (const [why, call] of cases)
    it(`${why} is a VALIDATION error, not a crash`, () =>
      assert.throws(call, (error: unknown) => error instanceof AppError && error.code === "VALIDATION"));
});
