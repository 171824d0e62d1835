import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkRotation } from "./final-schedule.js";
import type { RotationVersion } from "./schedule.js";

type Settings = Omit<RotationVersion, "effectiveFromMs" | "effectiveUntilMs">;

const valid: Settings = {
  memberIds: ["u1", "u2"],
  shiftLength: 1,
  shiftUnit: "weeks",
  startLocal: "2025-01-06T09:00",
  restrictions: [{ weekday: 1, startTime: "09:00", endTime: "17:00" }],
};

const broken = (over: Record<string, unknown>) => ({ ...valid, ...over }) as unknown as Settings;
const window = (over: Record<string, unknown>) => [
  { weekday: 1, startTime: "09:00", endTime: "17:00", ...over },
];

describe("checkRotation", () => {
  it("accepts good settings, including the longest shifts, an overnight window and 24:00", () => {
    assert.deepEqual(checkRotation(valid, "/rotation"), []);
    for (const [shiftUnit, shiftLength] of [
      ["hours", 168],
      ["days", 90],
      ["weeks", 52],
    ] as const)
      assert.deepEqual(checkRotation({ ...valid, shiftUnit, shiftLength }, ""), []);
    const windows = [
      { weekday: 5, startTime: "22:00", endTime: "06:00" },
      { weekday: 0, startTime: "00:00", endTime: "24:00" },
    ];
    assert.deepEqual(checkRotation({ ...valid, restrictions: windows, memberIds: ["a", "a"] }, ""), []);
  });

  const cases: Array<[why: string, settings: Settings, paths: string[]]> = [
    ["no members", broken({ memberIds: [] }), ["/r/memberIds"]],
    ["101 members", broken({ memberIds: Array.from({ length: 101 }, (_, i) => `u${i}`) }), ["/r/memberIds"]],
    ["a blank member", broken({ memberIds: ["u1", " "] }), ["/r/memberIds/1"]],
    ["a member that is not a string", broken({ memberIds: ["u1", 7] }), ["/r/memberIds/1"]],
    ["members not a list", broken({ memberIds: "u1" }), ["/r/memberIds"]],
    ["a zero shift", broken({ shiftLength: 0 }), ["/r/shiftLength"]],
    ["a fractional shift", broken({ shiftLength: 1.5 }), ["/r/shiftLength"]],
    ["169 hours", broken({ shiftUnit: "hours", shiftLength: 169 }), ["/r/shiftLength"]],
    ["91 days", broken({ shiftUnit: "days", shiftLength: 91 }), ["/r/shiftLength"]],
    ["53 weeks", broken({ shiftUnit: "weeks", shiftLength: 53 }), ["/r/shiftLength"]],
    ["an unknown unit", broken({ shiftUnit: "months" }), ["/r/shiftUnit"]],
    ["a start without a time", broken({ startLocal: "2025-01-06" }), ["/r/startLocal"]],
    ["a start on 30 February", broken({ startLocal: "2025-02-30T09:00" }), ["/r/startLocal"]],
    ["a start at 24:00", broken({ startLocal: "2025-01-06T24:00" }), ["/r/startLocal"]],
    ["a start with seconds", broken({ startLocal: "2025-01-06T09:00:00" }), ["/r/startLocal"]],
    ["weekday 7", broken({ restrictions: window({ weekday: 7 }) }), ["/r/restrictions/0/weekday"]],
    ["weekday 1.5", broken({ restrictions: window({ weekday: 1.5 }) }), ["/r/restrictions/0/weekday"]],
    [
      "a start of 24:00",
      broken({ restrictions: window({ startTime: "24:00" }) }),
      ["/r/restrictions/0/startTime"],
    ],
    [
      "an end of 24:30",
      broken({ restrictions: window({ endTime: "24:30" }) }),
      ["/r/restrictions/0/endTime"],
    ],
    [
      "a time of 9:00",
      broken({ restrictions: window({ startTime: "9:00" }) }),
      ["/r/restrictions/0/startTime"],
    ],
    ["minute 60", broken({ restrictions: window({ endTime: "10:60" }) }), ["/r/restrictions/0/endTime"]],
    [
      "start equal to end",
      broken({ restrictions: window({ endTime: "09:00" }) }),
      ["/r/restrictions/0/endTime"],
    ],
    [
      "a window that is not an object",
      broken({ restrictions: [null] }),
      ["/r/restrictions/0/weekday", "/r/restrictions/0/startTime", "/r/restrictions/0/endTime"],
    ],
    [
      "51 windows",
      broken({ restrictions: Array.from({ length: 51 }, () => window({})[0]) }),
      ["/r/restrictions"],
    ],
    ["restrictions not a list", broken({ restrictions: "weekdays" }), ["/r/restrictions"]],
    [
      "several problems at once",
      broken({ memberIds: [], shiftLength: -1, startLocal: "soon" }),
      ["/r/memberIds", "/r/shiftLength", "/r/startLocal"],
    ],
  ];
  for (const [why, settings, paths] of cases) {
    it(`names the field: ${why}`, () => {
      const errors = checkRotation(settings, "/r");
      assert.deepEqual(
        errors.map((e) => e.path),
        paths,
      );
      for (const error of errors) assert.ok(error.message.length > 0);
    });
  }
});
