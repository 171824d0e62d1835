import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../errors.js";
import { checkRotation, finalShifts } from "./final-schedule.js";
import {
  checkFollowTheSun,
  planFollowTheSun,
  type FollowTheSunInput,
  type FollowTheSunMember,
  type FollowTheSunPlan,
} from "./follow-the-sun.js";
import type { Schedule } from "./schedule.js";
import { instantOfLocal } from "./zoned-time.js";

const HOUR_MS = 3_600_000;

/** Oracle independent of the module: the wall-clock minute of the day in `timeZone` at `atMs`. */
function wallMinute(atMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(atMs);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return part("hour") * 60 + part("minute");
}
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Early and late workers in each of Berlin, New York and Singapore: nine-hour days. */
const threeZoneTeam: FollowTheSunMember[] = [
  ["berlin", "Europe/Berlin"],
  ["newyork", "America/New_York"],
  ["singapore", "Asia/Singapore"],
].flatMap(([city, timeZone]) => [
  { userId: `${city}-early`, timeZone: timeZone ?? "", workStart: "07:00", workEnd: "16:00" },
  { userId: `${city}-late`, timeZone: timeZone ?? "", workStart: "10:00", workEnd: "19:00" },
]);

const berliners = (ids: readonly string[]): FollowTheSunMember[] =>
  ids.map((userId) => ({ userId, timeZone: "Europe/Berlin", workStart: "09:00", workEnd: "17:00" }));

const input = (over: Partial<FollowTheSunInput>): FollowTheSunInput => ({
  scheduleTimeZone: "Europe/Berlin",
  members: threeZoneTeam,
  shiftHours: 6,
  referenceDate: "2025-01-15",
  startLocal: "2025-01-06T08:00",
  ...over,
});

/** Slots tile the day: contiguous, in order from the first, 24 hours in all. */
function assertTilesTheDay(plan: FollowTheSunPlan): void {
  assert.equal(
    plan.slots.reduce((sum, s) => sum + s.hours, 0),
    24,
  );
  plan.slots.forEach((slot, i) => {
    const next = plan.slots[(i + 1) % plan.slots.length];
    assert.equal(
      slot.endTime === "24:00" ? "00:00" : slot.endTime,
      next?.startTime,
      `slot ${i} meets slot ${i + 1}`,
    );
    assert.ok(slot.startTime.endsWith(":00") && slot.startUtcTime.endsWith(":00"), "handoffs on the hour");
  });
}

describe("follow-the-sun: Berlin, New York and Singapore", () => {
  const cases: Array<[scheduleTimeZone: string, shiftHours: number, referenceDate: string]> = [];
  for (const zone of ["Europe/Berlin", "UTC"])
    for (const hours of [6, 4])
      // Winter, summer, and the weeks in March when the US has changed clocks and Europe has not.
      for (const date of ["2025-01-15", "2025-07-15", "2025-03-20"]) cases.push([zone, hours, date]);

  for (const [scheduleTimeZone, shiftHours, referenceDate] of cases) {
    it(`${shiftHours} h slots in ${scheduleTimeZone} on ${referenceDate}: nothing uncovered, nobody at night`, () => {
      const plan = planFollowTheSun(input({ scheduleTimeZone, shiftHours, referenceDate }));
      assertTilesTheDay(plan);
      assert.equal(plan.slots.length, 24 / shiftHours);
      assert.deepEqual(plan.uncovered, []);
      assert.equal(plan.uncoveredHoursPerDay, 0);
      assert.deepEqual(
        plan.nightHoursPerWeekByUser,
        Object.fromEntries(threeZoneTeam.map((m) => [m.userId, 0])),
      );
      // Check each assignment on the members' own clocks, independently of the planner's arithmetic.
      const dayStartMs = Date.parse(`${referenceDate}T00:00:00Z`);
      for (const slot of plan.slots) {
        assert.ok(slot.assignedIds.length > 0, `slot ${slot.startTime} has someone`);
        assert.deepEqual(slot.assignedIds, slot.candidateIds);
        const startMs = dayStartMs + minutesOf(slot.startUtcTime) * 60_000;
        for (const userId of slot.assignedIds) {
          const member = threeZoneTeam.find((m) => m.userId === userId);
          assert.ok(member);
          const localStart = wallMinute(startMs, member.timeZone);
          assert.ok(
            localStart >= minutesOf(member.workStart) &&
              localStart + slot.hours * 60 <= minutesOf(member.workEnd),
            `${userId} works ${member.workStart}–${member.workEnd}, slot starts at ${localStart} min local`,
          );
        }
      }
    });
  }

  it("one person per zone working 08:00–18:00 leaves an evening hour, taken in New York's evening", () => {
    const plan = planFollowTheSun(
      input({
        scheduleTimeZone: "UTC",
        shiftHours: 4,
        members: [
          { userId: "berlin", timeZone: "Europe/Berlin", workStart: "08:00", workEnd: "18:00" },
          { userId: "newyork", timeZone: "America/New_York", workStart: "08:00", workEnd: "18:00" },
          { userId: "singapore", timeZone: "Asia/Singapore", workStart: "08:00", workEnd: "18:00" },
        ],
      }),
    );
    // New York ends at 23:00 UTC and Singapore begins at 00:00 UTC in January.
    assert.deepEqual(plan.uncovered, [
      {
        slotIndex: 5,
        startTime: "20:00",
        endTime: "24:00",
        startUtcTime: "20:00",
        endUtcTime: "00:00",
        hours: 1,
        takenByIds: ["newyork"],
        nightHours: 0,
      },
    ]);
    assert.equal(plan.uncoveredHoursPerDay, 1);
  });

  it("each slot becomes a weekly rotation restricted to the slot, handing off at the slot's start", () => {
    const plan = planFollowTheSun(input({ shiftHours: 6, referenceDate: "2025-01-15" }));
    assert.equal(plan.layers.length, plan.slots.length);
    plan.layers.forEach((layer, i) => {
      const slot = plan.slots[i];
      assert.ok(slot);
      assert.deepEqual(checkRotation(layer.rotation, `/layers/${i}/rotation`), []);
      assert.deepEqual(layer.rotation.memberIds, slot.assignedIds);
      assert.equal(layer.rotation.shiftUnit, "weeks");
      assert.equal(layer.rotation.shiftLength, 1);
      // startLocal 2025-01-06T08:00: slots starting earlier in the day begin the next day.
      const firstDay = minutesOf(slot.startTime) < 8 * 60 ? "2025-01-07" : "2025-01-06";
      assert.equal(layer.rotation.startLocal, `${firstDay}T${slot.startTime}`);
      assert.deepEqual(
        layer.rotation.restrictions,
        [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
          weekday,
          startTime: slot.startTime,
          endTime: slot.endTime,
        })),
      );
    });
  });

  it("notes that clock changes on other dates move coverage by an hour", () => {
    const plan = planFollowTheSun(input({}));
    assert.equal(plan.notes.length, 1);
    assert.match(plan.notes[0] ?? "", /2025-01-15.*America\/New_York, Asia\/Singapore.*an hour/);
  });

  it("the generated layers, run through the layer maths for a week, keep everyone inside working hours", () => {
    const plan = planFollowTheSun(input({ shiftHours: 4, referenceDate: "2025-01-15" }));
    const schedule: Schedule = {
      id: "s1",
      name: "Follow the sun",
      timeZone: "Europe/Berlin",
      overrides: [],
      layers: plan.layers.map((draft, i) => ({
        id: `l${i}`,
        name: draft.name,
        priority: draft.priority,
        source: "rotation",
        versions: [{ ...draft.rotation, effectiveFromMs: 0, effectiveUntilMs: null }],
      })),
    };
    const range = {
      startMs: instantOfLocal("2025-01-13T00:00", "Europe/Berlin"),
      endMs: instantOfLocal("2025-01-20T00:00", "Europe/Berlin"),
    };
    const shifts = finalShifts(schedule, range);
    let coveredMs = 0;
    for (const shift of shifts) {
      coveredMs += shift.endMs - shift.startMs;
      const member = threeZoneTeam.find((m) => m.userId === shift.userId);
      assert.ok(member);
      // A shift may span two slots held by the same person; check it hour by hour.
      for (let atMs = shift.startMs; atMs < shift.endMs; atMs += HOUR_MS) {
        const local = wallMinute(atMs, member.timeZone);
        assert.ok(
          local >= minutesOf(member.workStart) && local < minutesOf(member.workEnd),
          `${shift.userId} on call at ${new Date(atMs).toISOString()} (${local} min local)`,
        );
      }
    }
    assert.equal(coveredMs, range.endMs - range.startMs, "the week is covered without gaps");
  });
});

describe("follow-the-sun: a team in one zone", () => {
  for (const shiftHours of [6, 5, 4]) {
    it(`${shiftHours} h slots: the 16 hours outside 09:00–17:00 are reported, shared by all three`, () => {
      const plan = planFollowTheSun(
        input({ members: berliners(["carol", "alice", "bob"]), shiftHours, startLocal: "2025-01-06T00:00" }),
      );
      assertTilesTheDay(plan);
      assert.equal(plan.uncoveredHoursPerDay, 16);
      assert.equal(
        plan.uncovered.reduce((sum, u) => sum + u.hours, 0),
        16,
      );
      for (const stretch of plan.uncovered) assert.deepEqual(stretch.takenByIds, ["alice", "bob", "carol"]);
      // 22:00–07:00 is always outside 09:00–17:00: nine night hours a day, a third each over a cycle.
      assert.equal(
        plan.uncovered.reduce((sum, u) => sum + u.nightHours, 0),
        9,
      );
      assert.deepEqual(plan.nightHoursPerWeekByUser, { alice: 21, bob: 21, carol: 21 });
      assert.deepEqual(plan.notes.length, shiftHours === 5 ? 1 : 0);
    });
  }

  it("5 h slots are 5, 5, 5, 5 and 4 hours", () => {
    const plan = planFollowTheSun(input({ members: berliners(["alice"]), shiftHours: 5 }));
    assert.deepEqual(plan.slots.map((s) => s.hours).sort(), [4, 5, 5, 5, 5]);
    assert.match(plan.notes[0] ?? "", /one slot is shorter/);
  });

  it("a slot inside working hours lists its candidates; the others have none", () => {
    const plan = planFollowTheSun(input({ members: berliners(["bob", "alice"]), shiftHours: 6 }));
    const covered = plan.slots.filter((s) => s.candidateIds.length > 0);
    assert.equal(covered.length, 1);
    assert.deepEqual(covered[0]?.candidateIds, ["alice", "bob"]);
    assert.ok(
      minutesOf(covered[0]?.startTime ?? "") >= 9 * 60 && minutesOf(covered[0]?.endTime ?? "") <= 17 * 60,
    );
  });
});

describe("follow-the-sun: input", () => {
  it("names each bad field", () => {
    const bad = input({
      scheduleTimeZone: "Mars/Olympus",
      members: [
        { userId: "", timeZone: "Europe/Berlin", workStart: "09:00", workEnd: "17:00" },
        { userId: "a", timeZone: "Nowhere/City", workStart: "9:00", workEnd: "25:00" },
        { userId: "a", timeZone: "UTC", workStart: "09:00", workEnd: "09:00" },
      ],
      shiftHours: 7,
      referenceDate: "2025-02-30",
      startLocal: "2025-01-06 08:00",
    });
    assert.deepEqual(
      checkFollowTheSun(bad).map((e) => e.path),
      [
        "/scheduleTimeZone",
        "/members/0/userId",
        "/members/1/timeZone",
        "/members/1/workStart",
        "/members/1/workEnd",
        "/members/2/userId",
        "/members/2/workEnd",
        "/shiftHours",
        "/referenceDate",
        "/startLocal",
      ],
    );
    assert.throws(
      () => planFollowTheSun(bad),
      (err: unknown) => err instanceof AppError && err.code === "VALIDATION" && err.fields.length === 10,
    );
  });

  const singleErrors: Array<[name: string, over: Partial<FollowTheSunInput>, path: string]> = [
    ["no members", { members: [] }, "/members"],
    ["shift of 3 hours", { shiftHours: 3 }, "/shiftHours"],
    ["shift of 4.5 hours", { shiftHours: 4.5 }, "/shiftHours"],
    ["startLocal at 24:00", { startLocal: "2025-01-06T24:00" }, "/startLocal"],
  ];
  for (const [name, over, path] of singleErrors) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(
        checkFollowTheSun(input(over)).map((e) => e.path),
        [path],
      );
    });
  }

  it("accepts working hours past midnight and an end of 24:00", () => {
    const members: FollowTheSunMember[] = [
      { userId: "night", timeZone: "UTC", workStart: "20:00", workEnd: "04:00" },
      { userId: "day", timeZone: "UTC", workStart: "04:00", workEnd: "20:00" },
      { userId: "late", timeZone: "UTC", workStart: "12:00", workEnd: "24:00" },
    ];
    assert.deepEqual(checkFollowTheSun(input({ members })), []);
    const plan = planFollowTheSun(input({ scheduleTimeZone: "UTC", members, shiftHours: 4 }));
    assert.equal(plan.uncoveredHoursPerDay, 0);
  });

  it("gives the same plan whatever the members' order, every time", () => {
    const forwards = planFollowTheSun(input({ shiftHours: 4 }));
    const backwards = planFollowTheSun(input({ shiftHours: 4, members: [...threeZoneTeam].reverse() }));
    assert.deepEqual(backwards, forwards);
    assert.deepEqual(planFollowTheSun(input({ shiftHours: 4 })), forwards);
  });
});
