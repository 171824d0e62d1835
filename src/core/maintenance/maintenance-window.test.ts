import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  activeMaintenanceEndsAt,
  checkMaintenanceWindow,
  isWithinWindow,
  type MaintenanceWindow,
} from "./maintenance-window.js";

const weekly = (over: Partial<Extract<MaintenanceWindow, { kind: "weekly" }>>): MaintenanceWindow => ({
  kind: "weekly",
  weekdays: [2],
  startTime: "02:00",
  durationMinutes: 60,
  timeZone: "Europe/Berlin",
  ...over,
});

describe("maintenance windows", () => {
  it("one-off windows include their start and exclude their end", () => {
    const w: MaintenanceWindow = {
      kind: "one-off",
      startsAt: new Date("2021-03-01T10:00:00Z"),
      endsAt: new Date("2021-03-01T11:00:00Z"),
    };
    assert.equal(isWithinWindow(w, new Date("2021-03-01T09:59:59.999Z")), false);
    assert.equal(isWithinWindow(w, new Date("2021-03-01T10:00:00Z")), true);
    assert.equal(isWithinWindow(w, new Date("2021-03-01T11:00:00Z")), false);
  });

  const cases: Array<[name: string, window: MaintenanceWindow, at: string, inside: boolean]> = [
    ["Tuesday 02:30 Berlin (winter, UTC+1)", weekly({}), "2021-01-05T01:30:00Z", true],
    ["Tuesday 03:00 Berlin: the end is outside", weekly({}), "2021-01-05T02:00:00Z", false],
    ["Wednesday 02:30 Berlin: not a listed day", weekly({}), "2021-01-06T01:30:00Z", false],
    ["Tuesday 02:30 Berlin in summer (UTC+2)", weekly({}), "2021-07-06T00:30:00Z", true],
    [
      "New York, Sunday 01:30 on the spring-forward day",
      weekly({ weekdays: [0], startTime: "01:00", timeZone: "America/New_York" }),
      "2021-03-14T06:30:00Z",
      true,
    ],
    [
      "New York, Sunday 03:30 just after spring forward (wall clock 03:30 is past the hour)",
      weekly({ weekdays: [0], startTime: "01:00", timeZone: "America/New_York" }),
      "2021-03-14T07:30:00Z",
      false,
    ],
    [
      "New York, the repeated 01:30 on the fall-back day (second time round)",
      weekly({ weekdays: [0], startTime: "01:00", timeZone: "America/New_York" }),
      "2021-11-07T06:30:00Z",
      true,
    ],
    [
      "Sydney, Saturday 23:30 to Sunday 01:30 across midnight: Sunday 00:45",
      weekly({ weekdays: [6], startTime: "23:30", durationMinutes: 120, timeZone: "Australia/Sydney" }),
      "2021-01-02T13:45:00Z",
      true,
    ],
    [
      "Sydney window across the week's end: Saturday → Sunday, at Sunday 01:31",
      weekly({ weekdays: [6], startTime: "23:30", durationMinutes: 120, timeZone: "Australia/Sydney" }),
      "2021-01-02T14:31:00Z",
      false,
    ],
  ];
  for (const [name, window, at, inside] of cases) {
    it(`${inside ? "inside" : "outside"}: ${name}`, () => {
      assert.equal(isWithinWindow(window, new Date(at)), inside);
    });
  }

  it("names what is wrong with a window", () => {
    assert.deepEqual(
      checkMaintenanceWindow(
        weekly({ weekdays: [7], startTime: "25:00", durationMinutes: 0, timeZone: "Mars/Olympus" }),
      ).map((e) => e.path),
      ["/weekdays", "/startTime", "/durationMinutes", "/timeZone"],
    );
    assert.deepEqual(
      checkMaintenanceWindow({ kind: "one-off", startsAt: new Date(2), endsAt: new Date(1) }).map(
        (e) => e.path,
      ),
      ["/endsAt"],
    );
  });
});

describe("when the maintenance in force ends", () => {
  it("is the latest end among the active windows, or null", () => {
    const at = new Date("2021-01-05T01:30:00Z"); // Tuesday 02:30 in Berlin
    const oneOff: MaintenanceWindow = {
      kind: "one-off",
      startsAt: new Date("2021-01-05T00:00:00Z"),
      endsAt: new Date("2021-01-05T03:00:00Z"),
    };
    assert.deepEqual(activeMaintenanceEndsAt([weekly({})], at), new Date("2021-01-05T02:00:00Z"));
    assert.deepEqual(activeMaintenanceEndsAt([weekly({}), oneOff], at), new Date("2021-01-05T03:00:00Z"));
    assert.equal(activeMaintenanceEndsAt([weekly({})], new Date("2021-01-05T02:00:00Z")), null);
  });
});

/** Sunday windows in New York: clocks spring forward on 2021-03-14 and fall back on 2021-11-07. */
const newYork = (startTime: string, durationMinutes: number): MaintenanceWindow =>
  weekly({ weekdays: [0], startTime, durationMinutes, timeZone: "America/New_York" });

describe("weekly windows across daylight-saving changes", () => {
  const inside: Array<[name: string, window: MaintenanceWindow, at: string, inside: boolean]> = [
    [
      "fall back inside 01:30–02:30: 01:10 EST, after the clock went back, is still inside",
      newYork("01:30", 60),
      "2021-11-07T06:10:00Z",
      true,
    ],
    [
      "fall back after 00:30–01:30 ended: the repeated 01:10 EST does not run it again",
      newYork("00:30", 60),
      "2021-11-07T06:10:00Z",
      false,
    ],
    [
      "00:30–01:30 on the fall-back day: 01:10 EDT, the first time round",
      newYork("00:30", 60),
      "2021-11-07T05:10:00Z",
      true,
    ],
    [
      "02:30 skipped by spring forward: the window starts at the jump (03:00 EDT)",
      newYork("02:30", 60),
      "2021-03-14T07:00:00Z",
      true,
    ],
    [
      "02:30–03:30 on the spring-forward day: 01:59 EST is before it",
      newYork("02:30", 60),
      "2021-03-14T06:59:00Z",
      false,
    ],
    [
      "02:30–03:30 on the spring-forward day: 03:30 EDT is its end",
      newYork("02:30", 60),
      "2021-03-14T07:30:00Z",
      false,
    ],
    [
      "02:00–02:30 lies wholly in the skipped hour: no maintenance that day (wall clock)",
      newYork("02:00", 30),
      "2021-03-14T07:00:00Z",
      false,
    ],
    [
      "Berlin 02:00–04:00 across fall back: 02:30 CET, the second time round",
      weekly({ weekdays: [0], startTime: "02:00", durationMinutes: 120 }),
      "2021-10-31T01:30:00Z",
      true,
    ],
    [
      "Saturday 23:00 for 26 hours in Berlin, across the week's end and spring forward: Monday 00:30",
      weekly({ weekdays: [6], startTime: "23:00", durationMinutes: 26 * 60 }),
      "2021-03-28T22:30:00Z",
      true,
    ],
  ];
  for (const [name, window, at, expected] of inside) {
    it(`${expected ? "inside" : "outside"}: ${name}`, () => {
      assert.equal(isWithinWindow(window, new Date(at)), expected);
    });
  }

  const ends: Array<[name: string, window: MaintenanceWindow, at: string, endsAt: string]> = [
    [
      "Berlin Saturday 23:00 for 26 hours across spring forward ends Monday 01:00 CEST, not an hour later",
      weekly({ weekdays: [6], startTime: "23:00", durationMinutes: 26 * 60 }),
      "2021-03-27T22:30:00Z",
      "2021-03-28T23:00:00Z",
    ],
    [
      "01:30–02:30 on the spring-forward day ends at the jump (03:00 EDT), not half an hour later",
      newYork("01:30", 60),
      "2021-03-14T06:45:00Z",
      "2021-03-14T07:00:00Z",
    ],
    [
      "01:30–03:30 on the spring-forward day ends at 03:30 EDT, not an hour later",
      newYork("01:30", 120),
      "2021-03-14T06:45:00Z",
      "2021-03-14T07:30:00Z",
    ],
    [
      "02:30–03:30 skipped start: ends 03:30 EDT",
      newYork("02:30", 60),
      "2021-03-14T07:15:00Z",
      "2021-03-14T07:30:00Z",
    ],
    [
      "01:30–02:30 across fall back ends at 02:30 EST, past the repeated hour",
      newYork("01:30", 60),
      "2021-11-07T05:45:00Z",
      "2021-11-07T07:30:00Z",
    ],
    [
      "01:00–02:00 across fall back ends at 02:00 EST",
      newYork("01:00", 60),
      "2021-11-07T05:30:00Z",
      "2021-11-07T07:00:00Z",
    ],
    [
      "00:30–01:30 on the fall-back day ends the first time 01:30 comes (EDT)",
      newYork("00:30", 60),
      "2021-11-07T04:45:00Z",
      "2021-11-07T05:30:00Z",
    ],
    [
      "Berlin 02:00–04:00 across fall back ends at 04:00 CET",
      weekly({ weekdays: [0], startTime: "02:00", durationMinutes: 120 }),
      "2021-10-31T00:30:00Z",
      "2021-10-31T03:00:00Z",
    ],
    [
      "Sydney Saturday 23:30 for 2 hours, across midnight and the week's end: Sunday 01:30 AEDT",
      weekly({ weekdays: [6], startTime: "23:30", durationMinutes: 120, timeZone: "Australia/Sydney" }),
      "2021-01-02T13:45:00Z",
      "2021-01-02T14:30:00Z",
    ],
  ];
  for (const [name, window, at, endsAt] of ends) {
    it(`ends: ${name}`, () => {
      assert.deepEqual(activeMaintenanceEndsAt([window], new Date(at)), new Date(endsAt));
    });
  }

  it("the end it reports is where the window stops holding: inside every minute before, outside at it", () => {
    const windows = [
      newYork("00:30", 60),
      newYork("01:00", 60),
      newYork("01:30", 60),
      newYork("01:30", 120),
      newYork("02:30", 60),
      newYork("23:30", 240),
    ];
    for (const day of ["2021-03-13T12:00:00Z", "2021-11-06T12:00:00Z"]) {
      for (const window of windows) {
        for (let at = Date.parse(day); at < Date.parse(day) + 24 * 3_600_000; at += 5 * 60_000) {
          const endsAt = activeMaintenanceEndsAt([window], new Date(at));
          assert.equal(endsAt !== null, isWithinWindow(window, new Date(at)));
          if (endsAt === null) continue;
          const where = `${JSON.stringify(window)} at ${new Date(at).toISOString()}`;
          for (let t = at; t < endsAt.getTime(); t += 60_000)
            assert.ok(isWithinWindow(window, new Date(t)), `inside until the end: ${where}`);
          assert.equal(isWithinWindow(window, endsAt), false, `outside at the end: ${where}`);
        }
      }
    }
  });
});
