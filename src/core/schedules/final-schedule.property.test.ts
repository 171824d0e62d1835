/**
 * Property tests of the final schedule against a naive model written independently here: it finds a
 * rotation's turn by stepping wall-clock strings through instantOfLocal, and restriction windows by
 * trying each nearby date, where the code under test works in local milliseconds with one division.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { editRotation, finalShifts, layerShifts, onCallAt, scheduleGaps } from "./final-schedule.js";
import type { Layer, Override, RotationVersion, Schedule, Shift, TimeWindow } from "./schedule.js";
import { instantOfLocal, localDateTimeAt } from "./zoned-time.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNIT_MINUTES = { hours: 60, days: 1440, weeks: 10_080 } as const;
const ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "UTC"];
/** Two stretches of 2025 that hold every zone's spring-forward and fall-back changes. */
const PERIODS = [
  [Date.UTC(2025, 2, 1), Date.UTC(2025, 3, 20)],
  [Date.UTC(2025, 8, 25), Date.UTC(2025, 10, 15)],
] as const;

type RotationLayer = Extract<Layer, { source: "rotation" }>;
type Settings = Omit<RotationVersion, "effectiveFromMs" | "effectiveUntilMs">;
type Who = { userId: string; layerId: string | null; overrideId: string | null } | null;

// ── the naive model ──────────────────────────────────────────────────────────────────────────────────

const pad = (n: number) => String(n).padStart(2, "0");
/** "YYYY-MM-DDTHH:MM" plus some minutes of wall clock, by UTC Date arithmetic on the digits. */
const wallPlus = (wall: string, minutes: number) =>
  new Date(Date.parse(`${wall}:00Z`) + minutes * 60_000).toISOString().slice(0, 16);

function naiveTurnAt(settings: Settings, zone: string, atMs: number): number {
  const stepMinutes = settings.shiftLength * UNIT_MINUTES[settings.shiftUnit];
  const turnStart = (turn: number) => instantOfLocal(wallPlus(settings.startLocal, turn * stepMinutes), zone);
  let turn = Math.floor((atMs - turnStart(0)) / (stepMinutes * 60_000));
  while (turnStart(turn) > atMs) turn--;
  while (turnStart(turn + 1) <= atMs) turn++;
  return turn;
}

function naiveInsideWindows(windows: readonly TimeWindow[], zone: string, atMs: number): boolean {
  const wall = localDateTimeAt(atMs, zone);
  const today = Date.UTC(wall.year, wall.month - 1, wall.day);
  for (let dayMs = today - 2 * DAY; dayMs <= today + DAY; dayMs += DAY) {
    const date = new Date(dayMs).toISOString().slice(0, 10);
    for (const window of windows) {
      if (new Date(dayMs).getUTCDay() !== window.weekday) continue;
      const start = instantOfLocal(`${date}T${window.startTime}`, zone);
      const overnight = window.endTime === "24:00" || window.endTime <= window.startTime;
      const endDate = overnight ? new Date(dayMs + DAY).toISOString().slice(0, 10) : date;
      const end = instantOfLocal(`${endDate}T${window.endTime === "24:00" ? "00:00" : window.endTime}`, zone);
      if (start <= atMs && atMs < end) return true;
    }
  }
  return false;
}

function naiveLayerUserAt(layer: Layer, zone: string, atMs: number): string | null {
  if (layer.source === "fixed") {
    const covering = layer.shifts.filter((s) => s.startMs <= atMs && atMs < s.endMs);
    return covering[covering.length - 1]?.userId ?? null;
  }
  const index = layer.versions.findIndex(
    (v) => v.effectiveFromMs <= atMs && atMs < (v.effectiveUntilMs ?? Infinity),
  );
  const version = layer.versions[index];
  if (version === undefined) return null;
  const turn = naiveTurnAt(version, zone, atMs);
  if (index === 0 && turn < 0) return null;
  if (version.restrictions.length > 0 && !naiveInsideWindows(version.restrictions, zone, atMs)) return null;
  const members = version.memberIds;
  return members[((turn % members.length) + members.length) % members.length] ?? null;
}

function naiveWhoAt(schedule: Schedule, atMs: number): Who {
  let winner: Override | undefined;
  for (const o of schedule.overrides)
    if (o.startMs <= atMs && atMs < o.endMs && (winner === undefined || o.createdAtMs >= winner.createdAtMs))
      winner = o;
  if (winner !== undefined) return { userId: winner.userId, layerId: null, overrideId: winner.id };
  const strongestFirst = schedule.layers
    .map((layer, index) => ({ layer, index }))
    .sort((a, b) => b.layer.priority - a.layer.priority || b.index - a.index);
  for (const { layer } of strongestFirst) {
    const userId = naiveLayerUserAt(layer, schedule.timeZone, atMs);
    if (userId !== null) return { userId, layerId: layer.id, overrideId: null };
  }
  return null;
}

const whoOf = (shift: Shift | null | undefined): Who =>
  shift ? { userId: shift.userId, layerId: shift.layerId, overrideId: shift.overrideId } : null;

// ── generators ───────────────────────────────────────────────────────────────────────────────────────

/** The 2025 changes of offset in ZONES (New York, Berlin, Sydney, Lord Howe), where bugs would hide. */
const CHANGES = [
  "2025-03-09T07:00Z",
  "2025-11-02T06:00Z",
  "2025-03-30T01:00Z",
  "2025-10-26T01:00Z",
  "2025-04-05T16:00Z",
  "2025-10-04T16:00Z",
  "2025-04-05T15:00Z",
  "2025-10-04T15:30Z",
].map((iso) => Date.parse(iso));
const instantIn = fc.oneof(
  fc
    .tuple(fc.constantFrom(...PERIODS), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([[from, to], share]) => from + Math.floor(((to - from) * share) / 60_000) * 60_000),
  fc
    .tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -12 * 4, max: 12 * 4 }))
    .map(([changeMs, quarters]) => changeMs + quarters * 15 * 60_000),
);
const clock = (withEndOfDay: boolean) =>
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${pad(h)}:${pad(m)}`)
    .chain((time) => (withEndOfDay ? fc.oneof(fc.constant(time), fc.constant("24:00")) : fc.constant(time)));
const windowArb: fc.Arbitrary<TimeWindow> = fc
  .record({ weekday: fc.integer({ min: 0, max: 6 }), startTime: clock(false), endTime: clock(true) })
  .filter((w) => w.startTime !== w.endTime);
const settingsWith = (clockArb: fc.Arbitrary<string>): fc.Arbitrary<Settings> =>
  fc
    .record({
      memberIds: fc.array(fc.constantFrom("ann", "bob", "cat", "dan"), { minLength: 1, maxLength: 4 }),
      shiftUnit: fc.constantFrom("hours", "days", "weeks") as fc.Arbitrary<Settings["shiftUnit"]>,
      shiftLength: fc.constantFrom(1, 2, 3, 5, 8, 12, 36),
      startLocal: fc
        .tuple(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 10, 30) }), clockArb)
        .map(([dayMs, time]) => `${new Date(dayMs).toISOString().slice(0, 10)}T${time}`),
      restrictions: fc.oneof(fc.constant([]), fc.array(windowArb, { minLength: 1, maxLength: 3 })),
    })
    .map((s) => ({
      ...s,
      shiftLength: s.shiftUnit === "weeks" ? Math.min(s.shiftLength, 2) : s.shiftLength,
    }));
const settingsArb = settingsWith(clock(false));
/** Handoffs and window edges in the small hours, where the zones change their clocks. */
const smallHours = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${pad(h)}:${pad(m)}`);

const rotationArb = (id: string, priority: number): fc.Arbitrary<RotationLayer> =>
  fc
    .record({
      first: settingsArb,
      fromMs: fc.integer({ min: Date.UTC(2024, 11, 1), max: Date.UTC(2025, 9, 1) }),
      edits: fc.array(fc.tuple(instantIn, settingsArb), { maxLength: 2 }),
      endedAt: fc.option(instantIn, { freq: 5 }),
    })
    .map(({ first, fromMs, edits, endedAt }) => {
      let layer: RotationLayer = {
        id,
        name: id,
        priority,
        source: "rotation",
        versions: [{ ...first, effectiveFromMs: fromMs, effectiveUntilMs: null }],
      };
      for (const [atMs, next] of [...edits].sort((a, b) => a[0] - b[0]))
        layer = editRotation(layer, next, atMs);
      const last = layer.versions[layer.versions.length - 1];
      if (endedAt !== null && last !== undefined && endedAt > last.effectiveFromMs)
        layer = {
          ...layer,
          versions: [...layer.versions.slice(0, -1), { ...last, effectiveUntilMs: endedAt }],
        };
      return layer;
    });

const fixedArb = (id: string, priority: number): fc.Arbitrary<Layer> =>
  fc
    .array(fc.tuple(instantIn, fc.integer({ min: 1, max: 72 }), fc.constantFrom("eve", "fay", "ann")), {
      maxLength: 5,
    })
    .map((shifts) => ({
      id,
      name: id,
      priority,
      source: "fixed" as const,
      shifts: shifts.map(([startMs, hours, userId], i) => ({
        userId,
        startMs,
        endMs: startMs + hours * HOUR,
        sourceId: `ev${i}`,
      })),
    }));

const overrideArb = (index: number): fc.Arbitrary<Override> =>
  fc
    .record({
      startMs: instantIn,
      hours: fc.integer({ min: 1, max: 60 }),
      userId: fc.constantFrom("zoe", "yan", "ann"),
      createdAtMs: fc.integer({ min: 0, max: 3 }),
    })
    .map(({ startMs, hours, userId, createdAtMs }) => ({
      id: `o${index}`,
      userId,
      startMs,
      endMs: startMs + hours * HOUR,
      replacesUserId: null,
      createdAtMs,
    }));

const scheduleArb: fc.Arbitrary<Schedule> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    kinds: fc.array(
      fc.tuple(fc.constantFrom("rotation", "rotation", "fixed"), fc.integer({ min: 0, max: 2 })),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    overrideCount: fc.integer({ min: 0, max: 3 }),
  })
  .chain(({ timeZone, kinds, overrideCount }) =>
    fc.record({
      id: fc.constant("s"),
      name: fc.constant("s"),
      timeZone: fc.constant(timeZone),
      layers: fc.tuple(
        ...kinds.map(([kind, priority], i) =>
          kind === "fixed" ? fixedArb(`L${i}`, priority) : rotationArb(`L${i}`, priority),
        ),
      ),
      overrides: fc.tuple(...Array.from({ length: overrideCount }, (_, i) => overrideArb(i))),
    }),
  );

/** Ten days around an instant of a period: long enough for weekly turns to hand over. */
const rangeArb = instantIn.map((startMs) => ({ startMs, endMs: startMs + 10 * DAY }));

// ── properties ───────────────────────────────────────────────────────────────────────────────────────

describe("the final schedule (properties)", () => {
  it("onCallAt names whoever the naive model names, at any instant", () => {
    fc.assert(
      fc.property(scheduleArb, fc.array(instantIn, { minLength: 8, maxLength: 8 }), (schedule, instants) => {
        for (const atMs of instants)
          assert.deepEqual(whoOf(onCallAt(schedule, atMs)), naiveWhoAt(schedule, atMs));
      }),
      { numRuns: 150 },
    );
  });

  it("finalShifts: one person at each covered instant, the rest gaps, pieces merged, onCallAt agreeing", () => {
    fc.assert(
      fc.property(
        scheduleArb,
        rangeArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }),
        (schedule, range, shares) => {
          const shifts = finalShifts(schedule, range);
          const gaps = scheduleGaps(schedule, range);
          // Shifts and gaps interleave to tile the range exactly.
          const tiles = [
            ...shifts.map((s) => ({ ...s, gap: false })),
            ...gaps.map((g) => ({ ...g, gap: true })),
          ].sort((a, b) => a.startMs - b.startMs);
          let cursor = range.startMs;
          for (const tile of tiles) {
            assert.equal(tile.startMs, cursor, "no hole, no overlap");
            assert.ok(tile.endMs > tile.startMs, "no empty piece");
            cursor = tile.endMs;
          }
          assert.equal(cursor, range.endMs);
          shifts.forEach((shift, i) => {
            const previous = shifts[i - 1];
            if (previous !== undefined && previous.endMs === shift.startMs)
              assert.notDeepEqual(whoOf(previous), whoOf(shift), "touching pieces of one source are merged");
          });
          // Every change of the model happens at a layer, version or override boundary: check each side.
          const boundaries = new Set<number>([range.startMs, range.endMs - 1]);
          for (const layer of schedule.layers)
            for (const s of layerShifts(layer, schedule.timeZone, range))
              boundaries.add(s.startMs).add(s.endMs);
          for (const layer of schedule.layers)
            if (layer.source === "rotation")
              for (const v of layer.versions)
                boundaries.add(v.effectiveFromMs).add(v.effectiveUntilMs ?? range.startMs);
          for (const o of schedule.overrides) boundaries.add(o.startMs).add(o.endMs);
          for (const share of shares)
            boundaries.add(range.startMs + Math.floor(share * (range.endMs - range.startMs)));
          for (const boundary of boundaries)
            for (const atMs of [boundary - 1, boundary]) {
              if (atMs < range.startMs || atMs >= range.endMs) continue;
              const piece = shifts.find((s) => s.startMs <= atMs && atMs < s.endMs);
              assert.deepEqual(
                whoOf(piece),
                naiveWhoAt(schedule, atMs),
                `at ${new Date(atMs).toISOString()}`,
              );
              const found = onCallAt(schedule, atMs);
              assert.deepEqual(whoOf(found), whoOf(piece));
              if (piece !== undefined && piece.startMs > range.startMs && piece.endMs < range.endMs)
                assert.deepEqual(found, piece, "onCallAt reports the whole final piece");
            }
        },
      ),
      { numRuns: 80 },
    );
  });

  it("every 5 minutes across each change of offset, onCallAt names whoever the model names", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES.filter((zone) => zone !== "UTC")),
        fc.array(settingsWith(smallHours), { minLength: 1, maxLength: 2 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), smallHours, smallHours), {
          minLength: 1,
          maxLength: 2,
        }),
        (timeZone, rotations, windows) => {
          const restrictions = windows
            .map(([weekday, startTime, endTime]) => ({ weekday, startTime, endTime }))
            .filter((w) => w.startTime !== w.endTime);
          const layers: Layer[] = rotations.map((settings, i) => ({
            id: `L${i}`,
            name: `L${i}`,
            priority: i,
            source: "rotation",
            versions: [
              {
                ...settings,
                // Begun before the changes; the upper layer restricted to windows in the small hours.
                startLocal: `2025-01-0${1 + i}T${settings.startLocal.slice(11)}`,
                restrictions: i === 0 ? [] : restrictions,
                effectiveFromMs: 0,
                effectiveUntilMs: null,
              },
            ],
          }));
          const schedule: Schedule = { id: "s", name: "s", timeZone, layers, overrides: [] };
          for (const changeMs of CHANGES)
            for (let atMs = changeMs - 2 * HOUR; atMs < changeMs + 2 * HOUR; atMs += 5 * 60_000)
              assert.deepEqual(
                whoOf(onCallAt(schedule, atMs)),
                naiveWhoAt(schedule, atMs),
                new Date(atMs).toISOString(),
              );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("layerShifts of a rotation: in order, apart, and each piece the model's person throughout", () => {
    fc.assert(
      fc.property(rotationArb("L", 1), fc.constantFrom(...ZONES), rangeArb, (layer, zone, range) => {
        const shifts = layerShifts(layer, zone, range);
        shifts.forEach((shift, i) => {
          assert.ok(
            shift.startMs < shift.endMs && shift.startMs >= range.startMs && shift.endMs <= range.endMs,
          );
          assert.ok(i === 0 || shifts[i - 1]!.endMs <= shift.startMs, "in order, not overlapping");
          for (const atMs of [shift.startMs, shift.endMs - 1, Math.floor((shift.startMs + shift.endMs) / 2)])
            assert.equal(naiveLayerUserAt(layer, zone, atMs), shift.userId);
        });
        // Between pieces the layer covers nobody.
        let cursor = range.startMs;
        for (const shift of [...shifts, { startMs: range.endMs }]) {
          if (shift.startMs > cursor) {
            assert.equal(naiveLayerUserAt(layer, zone, cursor), null);
            assert.equal(naiveLayerUserAt(layer, zone, shift.startMs - 1), null);
          }
          cursor = "endMs" in shift ? shift.endMs : cursor;
        }
      }),
      { numRuns: 120 },
    );
  });

  it("an override created last wins over everything for all of its time", () => {
    fc.assert(
      fc.property(scheduleArb, instantIn, fc.integer({ min: 1, max: 48 }), (schedule, startMs, hours) => {
        const cover: Override = {
          id: "cover",
          userId: "newcomer",
          startMs,
          endMs: startMs + hours * HOUR,
          replacesUserId: null,
          createdAtMs: 10,
        };
        const covered = { ...schedule, overrides: [...schedule.overrides, cover] };
        assert.deepEqual(finalShifts(covered, cover), [
          {
            userId: "newcomer",
            startMs: cover.startMs,
            endMs: cover.endMs,
            layerId: null,
            overrideId: "cover",
          },
        ]);
        assert.deepEqual(onCallAt(covered, cover.endMs - 1), finalShifts(covered, cover)[0]);
        assert.notEqual(onCallAt(covered, cover.endMs)?.overrideId, "cover");
      }),
      { numRuns: 100 },
    );
  });

  it("editRotation loses and doubles no shift before the edit instant", () => {
    fc.assert(
      fc.property(scheduleArb, settingsArb, instantIn, (schedule, next, atMs) => {
        const index = schedule.layers.findIndex((layer) => layer.source === "rotation");
        const layer = schedule.layers[index];
        if (layer === undefined || layer.source !== "rotation") return;
        const edited = editRotation(layer, next, atMs);
        const before = { startMs: atMs - 20 * DAY, endMs: atMs };
        assert.deepEqual(
          layerShifts(edited, schedule.timeZone, before),
          layerShifts(layer, schedule.timeZone, before),
        );
        const editedSchedule = {
          ...schedule,
          layers: schedule.layers.map((l, i) => (i === index ? edited : l)),
        };
        assert.deepEqual(finalShifts(editedSchedule, before), finalShifts(schedule, before));
        // From the edit on, the new settings rule: every other version has ended by then.
        const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
        assert.deepEqual(
          plain(edited.versions[edited.versions.length - 1]),
          plain({ ...next, effectiveFromMs: atMs, effectiveUntilMs: null }),
        );
        for (const v of edited.versions.slice(0, -1)) assert.ok((v.effectiveUntilMs ?? Infinity) <= atMs);
      }),
      { numRuns: 100 },
    );
  });

  it("day and week handoffs fall at the handoff wall-clock time in the zone, across daylight saving", () => {
    fc.assert(
      fc.property(settingsArb, fc.constantFrom(...ZONES), rangeArb, (settings, zone, range) => {
        const unit = settings.shiftUnit === "hours" ? "days" : settings.shiftUnit;
        const version = {
          ...settings,
          shiftUnit: unit,
          restrictions: [],
          effectiveFromMs: 0,
          effectiveUntilMs: null,
        };
        const layer: Layer = { id: "L", name: "L", priority: 0, source: "rotation", versions: [version] };
        const handoff = settings.startLocal.slice(11);
        const shifts = layerShifts(layer, zone, { startMs: range.startMs, endMs: range.endMs + 14 * DAY });
        for (const shift of shifts.slice(1)) {
          const wall = localDateTimeAt(shift.startMs, zone);
          const date = `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`;
          assert.equal(shift.startMs, instantOfLocal(`${date}T${handoff}`, zone), `handoff ${date}`);
          // The wall-clock length is whole days: 23, 24 or 25 hours (23.5, 24.5 on Lord Howe) a day.
          const days = (settings.shiftLength * UNIT_MINUTES[unit]) / 1440;
          if (shift.endMs <= range.endMs && Number(handoff.slice(0, 2)) >= 4) {
            const drift = Math.abs(shift.endMs - shift.startMs - days * DAY);
            assert.ok(drift === 0 || drift === HOUR || drift === HOUR / 2, `drift ${drift}`);
          }
        }
      }),
      { numRuns: 120 },
    );
  });
});
