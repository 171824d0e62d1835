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
