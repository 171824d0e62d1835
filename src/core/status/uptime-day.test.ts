import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HOUR, incident, maintenance, MINUTE } from "./status-fixtures.test.js";
import type { MaintenanceRecord, StatusIncidentRecord } from "./status-records.js";
import { componentUptime } from "./uptime.js";
import { type DayLevel, dayLevel, type DayMinutes, daySpoken, dayTitle } from "./uptime-day.js";

// A fixed "now": 2025-03-31 12:00 UTC. Berlin springs forward on 2025-03-30 at 01:00 UTC (a 23-hour day).
const NOW = Date.parse("2025-03-31T12:00:00.000Z");
const at = (iso: string) => Date.parse(iso);

const mins = (over: Partial<DayMinutes> = {}): DayMinutes => ({
  major_outage: 0,
  partial_outage: 0,
  degraded_performance: 0,
  under_maintenance: 0,
  ...over,
});

describe("dayLevel: a day's colour follows its minutes, not its worst status", () => {
  const cases: Array<[string, DayMinutes | null, DayLevel]> = [
    ["before the component existed", null, "no_data"],
    ["nothing happened", mins(), "operational"],
    ["only maintenance, however long", mins({ under_maintenance: 600 }), "maintenance"],
    ["1 minute of major outage is a blip", mins({ major_outage: 1 }), "minor"],
    ["5 minutes of degraded performance", mins({ degraded_performance: 5 }), "minor"],
    ["59 minutes degraded", mins({ degraded_performance: 59 }), "minor"],
    ["an hour degraded", mins({ degraded_performance: 60 }), "degraded"],
    ["8 hours degraded", mins({ degraded_performance: 480 }), "degraded"],
    [
      "8 hours degraded with a 1-minute outage",
      mins({ degraded_performance: 480, major_outage: 1 }),
      "degraded",
    ],
    ["9 minutes of major outage", mins({ major_outage: 9 }), "minor"],
    ["10 minutes of major outage", mins({ major_outage: 10 }), "outage"],
    ["33 minutes partial (9.9 weighted)", mins({ partial_outage: 33 }), "minor"],
    ["34 minutes partial (10.2 weighted)", mins({ partial_outage: 34 }), "outage"],
    ["2 hours partial (36 weighted)", mins({ partial_outage: 120 }), "outage"],
    ["59 minutes of major outage", mins({ major_outage: 59 }), "outage"],
    ["an hour of major outage", mins({ major_outage: 60 }), "major"],
    ["3 h 20 min partial (60 weighted)", mins({ partial_outage: 200 }), "major"],
    ["8 hours of major outage", mins({ major_outage: 480 }), "major"],
    ["trouble outranks maintenance", mins({ under_maintenance: 240, degraded_performance: 5 }), "minor"],
  ];
  for (const [name, minutes, want] of cases) it(name, () => assert.equal(dayLevel(minutes), want));
});

describe("a day in words", () => {
  const day = (minutes: DayMinutes, level: DayLevel, related: string[] = []) => ({
    startMs: at("2025-03-10T00:00:00Z"),
    level,
    minutes,
    related: related.map((name) => ({ name })),
  });
  const cases: Array<[string, ReturnType<typeof day>, string, string]> = [
    [
      "durations worst first, with the related incidents",
      day(mins({ major_outage: 12, partial_outage: 63 }), "outage", ["API down", "Slow logins"]),
      "10 Mar 2025: Major outage 12 minutes, partial outage 1 hour 3 minutes. Related: API down; Slow logins",
      "10 March 2025, major outage 12 minutes, partial outage 1 hour 3 minutes",
    ],
    [
      "maintenance",
      day(mins({ under_maintenance: 120 }), "maintenance", ["Upgrade"]),
      "10 Mar 2025: Under maintenance 2 hours. Related: Upgrade",
      "10 March 2025, under maintenance 2 hours",
    ],
    [
      "a quiet day",
      day(mins(), "operational"),
      "10 Mar 2025: no incidents or maintenance",
      "10 March 2025, ",
    ],
  ];
  for (const [name, d, title, spoken] of cases)
    it(name, () => {
      assert.equal(dayTitle(d, "Etc/UTC"), title);
      assert.equal(daySpoken(d, "Etc/UTC"), spoken);
    });
  it("a day without data says so", () =>
    assert.equal(dayTitle(day(mins(), "no_data"), "Etc/UTC"), "10 Mar 2025: no data"));
});

describe("componentUptime: each day carries its minutes, its level and what caused it", () => {
  const major = (name: string, from: string, to: string): StatusIncidentRecord =>
    incident(name, {
      name,
      componentStatus: "major_outage",
      createdAtMs: at(from),
      resolvedAtMs: at(to),
      status: "resolved",
    });
  const slow = (name: string, from: string, to: string): StatusIncidentRecord =>
    incident(name, {
      name,
      componentStatus: "degraded_performance",
      createdAtMs: at(from),
      resolvedAtMs: at(to),
      status: "resolved",
    });
  interface Case {
    readonly name: string;
    readonly zone: string;
    readonly incidents?: readonly StatusIncidentRecord[];
    readonly maintenances?: readonly MaintenanceRecord[];
    readonly date: string;
    readonly minutes: Partial<DayMinutes>;
    readonly level: DayLevel;
    readonly title: string;
    /** The day's length, when it is not 24 hours. */
    readonly hours?: number;
  }
  const cases: Case[] = [
    {
      name: "a 1-minute major outage is a light day, not a red one",
      zone: "Etc/UTC",
      incidents: [major("Blip", "2025-03-10T10:00:00Z", "2025-03-10T10:01:00Z")],
      date: "2025-03-10",
      minutes: { major_outage: 1 },
      level: "minor",
      title: "10 Mar 2025: Major outage 1 minute. Related: Blip",
    },
    {
      name: "an 8-hour major outage is red",
      zone: "Etc/UTC",
      incidents: [major("Down", "2025-03-10T09:00:00Z", "2025-03-10T17:00:00Z")],
      date: "2025-03-10",
      minutes: { major_outage: 480 },
      level: "major",
      title: "10 Mar 2025: Major outage 8 hours. Related: Down",
    },
    {
      name: "8 hours of degraded performance is amber",
      zone: "Etc/UTC",
      incidents: [slow("Slow", "2025-03-12T09:00:00Z", "2025-03-12T17:00:00Z")],
      date: "2025-03-12",
      minutes: { degraded_performance: 480 },
      level: "degraded",
      title: "12 Mar 2025: Degraded performance 8 hours. Related: Slow",
    },
    {
      name: "5 minutes of degraded performance is a light day",
      zone: "Etc/UTC",
      incidents: [slow("Slow", "2025-03-12T09:00:00Z", "2025-03-12T09:05:00Z")],
      date: "2025-03-12",
      minutes: { degraded_performance: 5 },
      level: "minor",
      title: "12 Mar 2025: Degraded performance 5 minutes. Related: Slow",
    },
    {
      name: "20 seconds of outage counts as a minute, so the day does not read clean",
      zone: "Etc/UTC",
      incidents: [major("Flap", "2025-03-10T10:00:00Z", "2025-03-10T10:00:20Z")],
      date: "2025-03-10",
      minutes: { major_outage: 1 },
      level: "minor",
      title: "10 Mar 2025: Major outage 1 minute. Related: Flap",
    },
    {
      name: "Berlin, spring forward: 01:30 to 03:30 on the wall clock is one real hour, so red",
      zone: "Europe/Berlin",
      incidents: [major("Night", "2025-03-30T00:30:00Z", "2025-03-30T01:30:00Z")],
      date: "2025-03-30",
      minutes: { major_outage: 60 },
      level: "major",
      title: "30 Mar 2025: Major outage 1 hour. Related: Night",
      hours: 23,
    },
    {
      name: "Berlin, spring forward: degraded from midnight to midnight is 23 hours",
      zone: "Europe/Berlin",
      incidents: [slow("All day", "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z")],
      date: "2025-03-30",
      minutes: { degraded_performance: 23 * 60 },
      level: "degraded",
      title: "30 Mar 2025: Degraded performance 23 hours. Related: All day",
      hours: 23,
    },
    {
      name: "the same instants in UTC: the day before gets the first hour",
      zone: "Etc/UTC",
      incidents: [slow("All day", "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z")],
      date: "2025-03-29",
      minutes: { degraded_performance: 60 },
      level: "degraded",
      title: "29 Mar 2025: Degraded performance 1 hour. Related: All day",
    },
    {
      name: "maintenance alone is blue and names the maintenance",
      zone: "Etc/UTC",
      maintenances: [
        maintenance("m", {
          name: "Upgrade",
          scheduledForMs: at("2025-03-05T01:00:00Z"),
          scheduledUntilMs: at("2025-03-05T03:00:00Z"),
        }),
      ],
      date: "2025-03-05",
      minutes: { under_maintenance: 120 },
      level: "maintenance",
      title: "5 Mar 2025: Under maintenance 2 hours. Related: Upgrade",
    },
    {
      name: "an incident of another day is not related",
      zone: "Etc/UTC",
      incidents: [major("Elsewhere", "2025-03-11T10:00:00Z", "2025-03-11T11:00:00Z")],
      date: "2025-03-10",
      minutes: {},
      level: "operational",
      title: "10 Mar 2025: no incidents or maintenance",
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const u = componentUptime({
        componentId: "c-1",
        componentCreatedAtMs: NOW - 400 * 24 * HOUR,
        incidents: c.incidents ?? [],
        maintenances: c.maintenances ?? [],
        timeZone: c.zone,
        nowMs: NOW,
      });
      const d = u.days.find((x) => x.date === c.date);
      assert.ok(d, c.date);
      assert.deepEqual(d.minutes, mins(c.minutes));
      assert.equal(d.level, c.level);
      assert.equal(dayTitle(d, c.zone), c.title);
      assert.equal(d.endMs - d.startMs, (c.hours ?? 24) * HOUR, "the day's length");
    });

  it("days before the component existed stay no data, with nothing related", () => {
    const u = componentUptime({
      componentId: "c-1",
      componentCreatedAtMs: NOW - 30 * MINUTE,
      incidents: [major("Old", "2025-03-10T10:00:00Z", "2025-03-10T11:00:00Z")],
      maintenances: [],
      timeZone: "Etc/UTC",
      nowMs: NOW,
    });
    const before = u.days.slice(0, -1);
    assert.ok(before.every((d) => d.level === "no_data" && d.worst === "no_data" && d.related.length === 0));
    assert.equal(u.days.at(-1)?.level, "operational");
  });
});
