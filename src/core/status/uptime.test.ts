import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DAY, HOUR, incident, maintenance, MINUTE } from "./status-fixtures.test.js";
import type { StatusIncidentRecord } from "./status-records.js";
import {
  componentUptime,
  formatUptimePercent,
  lastLocalDays,
  localIsoDate,
  localMidnightMs,
  MIN_TRACKED_MS,
  uptimeWording,
} from "./uptime.js";

// A fixed "now": 2025-03-31 12:00 UTC, so the 90-day window starts on 2025-01-01.
const NOW = Date.parse("2025-03-31T12:00:00.000Z");
const CREATED_LONG_AGO = NOW - 400 * DAY;

describe("local days", () => {
  const cases: Array<[string, string, [number, number, number], string]> = [
    ["UTC midnight", "Etc/UTC", [2025, 3, 2], "2025-03-02T00:00:00.000Z"],
    ["Berlin in winter (UTC+1)", "Europe/Berlin", [2025, 3, 2], "2025-03-01T23:00:00.000Z"],
    ["Berlin on the spring-forward day", "Europe/Berlin", [2025, 3, 30], "2025-03-29T23:00:00.000Z"],
    ["Berlin the day after (UTC+2)", "Europe/Berlin", [2025, 3, 31], "2025-03-30T22:00:00.000Z"],
    ["New York on the fall-back day", "America/New_York", [2025, 11, 2], "2025-11-02T04:00:00.000Z"],
    ["Kolkata (UTC+5:30)", "Asia/Kolkata", [2025, 3, 2], "2025-03-01T18:30:00.000Z"],
  ];
  for (const [name, zone, [y, m, d], want] of cases)
    it(name, () => assert.equal(new Date(localMidnightMs(y, m, d, zone)).toISOString(), want));

  it("lists 90 days oldest first, the last one ending now; a 23-hour day across spring forward", () => {
    const days = lastLocalDays(NOW, "Europe/Berlin");
    assert.equal(days.length, 90);
    assert.equal(days[0]?.date, "2025-01-01");
    assert.equal(days.at(-1)?.date, "2025-03-31");
    assert.equal(days.at(-1)?.endMs, NOW);
    const springForward = days.find((d) => d.date === "2025-03-30");
    assert.equal(springForward && springForward.endMs - springForward.startMs, 23 * HOUR);
  });
});

describe("componentUptime", () => {
  const base = {
    componentId: "c-1",
    componentCreatedAtMs: CREATED_LONG_AGO,
    timeZone: "Etc/UTC",
    nowMs: NOW,
    maintenances: [],
  };
  const at = (iso: string) => Date.parse(iso);

  it("no incidents: every day operational, 100%", () => {
    const u = componentUptime({ ...base, incidents: [] });
    assert.equal(u.days.length, 90);
    assert.ok(u.days.every((d) => d.worst === "operational"));
    assert.equal(u.uptimePercent, 100);
    assert.equal(formatUptimePercent(u.uptimePercent), "100.00%");
  });

  it("counts major outage in full and partial outage at 30%; degraded is not downtime", () => {
    const incidents = [
      incident("major", {
        componentStatus: "major_outage",
        createdAtMs: at("2025-03-10T10:00:00Z"),
        resolvedAtMs: at("2025-03-10T11:00:00Z"),
        status: "resolved",
      }),
      incident("partial", {
        componentStatus: "partial_outage",
        createdAtMs: at("2025-03-11T10:00:00Z"),
        resolvedAtMs: at("2025-03-11T12:00:00Z"),
        status: "resolved",
      }),
      incident("slow", {
        componentStatus: "degraded_performance",
        createdAtMs: at("2025-03-12T10:00:00Z"),
        resolvedAtMs: at("2025-03-12T15:00:00Z"),
        status: "resolved",
      }),
    ];
    const u = componentUptime({ ...base, incidents });
    const day = (date: string) => u.days.find((d) => d.date === date);
    assert.equal(day("2025-03-10")?.worst, "major_outage");
    assert.equal(day("2025-03-10")?.minutes.major_outage, 60);
    assert.equal(day("2025-03-11")?.worst, "partial_outage");
    assert.equal(day("2025-03-11")?.minutes.partial_outage, 120);
    assert.equal(day("2025-03-12")?.worst, "degraded_performance");
    assert.equal(day("2025-03-12")?.minutes.degraded_performance, 300);
    const trackedMinutes = (NOW - at("2025-01-01T00:00:00Z")) / MINUTE;
    const expected = 100 * (1 - (60 + 0.3 * 120) / trackedMinutes);
    assert.ok(Math.abs((u.uptimePercent ?? 0) - expected) < 1e-9, `${u.uptimePercent} vs ${expected}`);
  });

  it("overlapping incidents: the worst status counts once, not twice", () => {
    const incidents = [
      incident("a", {
        componentStatus: "partial_outage",
        createdAtMs: at("2025-03-20T10:00:00Z"),
        resolvedAtMs: at("2025-03-20T12:00:00Z"),
        status: "resolved",
      }),
      incident("b", {
        componentStatus: "major_outage",
        createdAtMs: at("2025-03-20T11:00:00Z"),
        resolvedAtMs: at("2025-03-20T11:30:00Z"),
        status: "resolved",
      }),
    ];
    const d = componentUptime({ ...base, incidents }).days.find((x) => x.date === "2025-03-20");
    assert.deepEqual(d?.minutes, {
      major_outage: 30,
      partial_outage: 90,
      degraded_performance: 0,
      under_maintenance: 0,
    });
  });

  it("follows the component status the updates set, and an incident running past midnight splits", () => {
    const inc = incident("i", {
      componentStatus: "degraded_performance",
      createdAtMs: at("2025-03-25T23:00:00Z"),
      resolvedAtMs: at("2025-03-26T02:00:00Z"),
      status: "resolved",
      updates: [
        {
          id: "u1",
          incidentId: "i",
          status: "investigating",
          body: "x",
          componentStatus: "major_outage",
          affectedComponents: [],
          createdAtMs: at("2025-03-25T23:00:00Z"),
        },
        {
          id: "u2",
          incidentId: "i",
          status: "monitoring",
          body: "x",
          componentStatus: "degraded_performance",
          affectedComponents: [],
          createdAtMs: at("2025-03-26T01:00:00Z"),
        },
      ],
    });
    const u = componentUptime({ ...base, incidents: [inc] });
    assert.equal(u.days.find((d) => d.date === "2025-03-25")?.minutes.major_outage, 60);
    const next = u.days.find((d) => d.date === "2025-03-26");
    assert.equal(next?.minutes.major_outage, 60);
    assert.equal(next?.minutes.degraded_performance, 60);
  });

  it("an open incident counts up to now", () => {
    const u = componentUptime({
      ...base,
      incidents: [incident("open", { componentStatus: "major_outage", createdAtMs: NOW - 2 * HOUR })],
    });
    assert.equal(u.days.at(-1)?.minutes.major_outage, 120);
  });

  it("maintenance shows as under maintenance and is not downtime", () => {
    const m = maintenance("m", {
      scheduledForMs: at("2025-03-05T01:00:00Z"),
      scheduledUntilMs: at("2025-03-05T03:00:00Z"),
    });
    const u = componentUptime({ ...base, incidents: [], maintenances: [m] });
    const d = u.days.find((x) => x.date === "2025-03-05");
    assert.equal(d?.worst, "under_maintenance");
    assert.equal(d?.minutes.under_maintenance, 120);
    assert.equal(u.uptimePercent, 100);
  });

  it("a cancelled maintenance that never started leaves no mark", () => {
    const m = maintenance("m", {
      scheduledForMs: at("2025-03-05T01:00:00Z"),
      scheduledUntilMs: at("2025-03-05T03:00:00Z"),
      cancelledAtMs: at("2025-03-04T00:00:00Z"),
    });
    assert.equal(
      componentUptime({ ...base, incidents: [], maintenances: [m] }).days.find((x) => x.date === "2025-03-05")
        ?.worst,
      "operational",
    );
  });

  it("days before the component existed have no data and do not count", () => {
    const created = at("2025-03-30T12:00:00Z");
    const u = componentUptime({
      ...base,
      componentCreatedAtMs: created,
      incidents: [
        incident("i", {
          componentStatus: "major_outage",
          createdAtMs: at("2025-03-31T00:00:00Z"),
          resolvedAtMs: at("2025-03-31T06:00:00Z"),
          status: "resolved",
        }),
      ],
    });
    assert.equal(u.days.filter((d) => d.worst === "no_data").length, 88);
    // Tracked: 12 h on the 30th + 12 h today = 24 h, 6 h of it down.
    assert.ok(Math.abs((u.uptimePercent ?? 0) - 75) < 1e-9);
    assert.equal(formatUptimePercent(99.99999), "99.99%");
    assert.equal(formatUptimePercent(null), "no data");
  });

  it("ignores incidents of other components", () => {
    const u = componentUptime({
      ...base,
      incidents: [
        incident("i", { componentIds: ["c-2"], componentStatus: "major_outage", createdAtMs: NOW - HOUR }),
      ],
    });
    assert.equal(u.uptimePercent, 100);
  });
});

describe("the period the uptime figure is over (a fixed now: 2025-03-31 12:00 UTC)", () => {
  const at = (iso: string) => Date.parse(iso);
  const major = (fromIso: string, toIso: string): StatusIncidentRecord =>
    incident(`major-${fromIso}`, {
      componentStatus: "major_outage",
      createdAtMs: at(fromIso),
      resolvedAtMs: at(toIso),
      status: "resolved",
    });
  interface Case {
    readonly name: string;
    readonly zone: string;
    readonly createdAtMs: number;
    readonly incidents: readonly StatusIncidentRecord[];
    /** Days of the 90 before the component's creation day. */
    readonly noData: number;
    readonly trackedMs: number;
    readonly wholeWindow: boolean;
    /** The figure as shown, or null for none yet. */
    readonly percent: string | null;
    readonly text: string;
    readonly label: string;
  }
  const cases: Case[] = [
    {
      // The defect: 3 bad minutes out of 7 read as "52.46% uptime" under a 90-day bar.
      name: "created 7 minutes ago with a 3-minute outage: no figure, only the day's bar",
      zone: "Etc/UTC",
      createdAtMs: NOW - 7 * MINUTE,
      incidents: [major("2025-03-31T11:55:00Z", "2025-03-31T11:58:00Z")],
      noData: 89,
      trackedMs: 7 * MINUTE,
      wholeWindow: false,
      percent: null,
      text: "Tracked since 31 Mar 2025, 11:53 UTC",
      label: "Tracked since 31 Mar 2025, 11:53 UTC, no uptime figure before its first full day",
    },
    {
      name: "created 23 hours ago, across midnight: still no figure",
      zone: "Etc/UTC",
      createdAtMs: NOW - 23 * HOUR,
      incidents: [],
      noData: 88,
      trackedMs: 23 * HOUR,
      wholeWindow: false,
      percent: null,
      text: "Tracked since 30 Mar 2025, 13:00 UTC",
      label: "Tracked since 30 Mar 2025, 13:00 UTC, no uptime figure before its first full day",
    },
    {
      name: "created exactly a day ago: a figure since then",
      zone: "Etc/UTC",
      createdAtMs: NOW - 24 * HOUR,
      incidents: [major("2025-03-31T00:00:00Z", "2025-03-31T00:30:00Z")],
      noData: 88,
      trackedMs: 24 * HOUR,
      wholeWindow: false,
      percent: "97.91%", // 30 of 1,440 minutes
      text: "97.91% uptime since 30 Mar 2025",
      label: "97.91% uptime since 30 Mar 2025",
    },
    {
      name: "created 10 days ago with a 1-hour outage: over the 10 days, said so",
      zone: "Etc/UTC",
      createdAtMs: NOW - 10 * DAY,
      incidents: [major("2025-03-25T10:00:00Z", "2025-03-25T11:00:00Z")],
      noData: 79,
      trackedMs: 10 * DAY,
      wholeWindow: false,
      percent: "99.58%", // 1 − 60 / 14,400
      text: "99.58% uptime since 21 Mar 2025",
      label: "99.58% uptime since 21 Mar 2025",
    },
    {
      name: "older than 90 days with the same outage: over the window, from its first midnight",
      zone: "Etc/UTC",
      createdAtMs: NOW - 400 * DAY,
      incidents: [major("2025-03-25T10:00:00Z", "2025-03-25T11:00:00Z")],
      noData: 0,
      trackedMs: NOW - at("2025-01-01T00:00:00Z"),
      wholeWindow: true,
      percent: "99.95%", // 1 − 60 / 128,880
      text: "99.95% uptime",
      label: "99.95% uptime over the last 90 days",
    },
    {
      // Berlin's 30 March 2025 has 23 hours; the component starts at its local midnight (29 Mar in UTC).
      name: "Berlin, created at midnight of the spring-forward day: a 23-hour day, dates are local",
      zone: "Europe/Berlin",
      createdAtMs: at("2025-03-29T23:00:00Z"),
      incidents: [major("2025-03-30T01:00:00Z", "2025-03-30T02:00:00Z")],
      noData: 88,
      trackedMs: 37 * HOUR, // 23 h on the 30th + 14 h today
      wholeWindow: false,
      percent: "97.29%", // 1 − 60 / 2,220
      text: "97.29% uptime since 30 Mar 2025",
      label: "97.29% uptime since 30 Mar 2025",
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const u = componentUptime({
        componentId: "c-1",
        componentCreatedAtMs: c.createdAtMs,
        incidents: c.incidents,
        maintenances: [],
        timeZone: c.zone,
        nowMs: NOW,
      });
      assert.equal(u.days.length, 90);
      assert.equal(u.days.filter((d) => d.worst === "no_data").length, c.noData, "days without data");
      assert.ok(
        u.days.slice(c.noData).every((d) => d.worst !== "no_data"),
        "every day from the creation day on has data",
      );
      assert.equal(u.trackedMs, c.trackedMs);
      assert.equal(u.fromMs, NOW - c.trackedMs);
      assert.equal(u.wholeWindow, c.wholeWindow);
      assert.equal(u.uptimePercent === null ? null : formatUptimePercent(u.uptimePercent), c.percent);
      assert.deepEqual(uptimeWording(u, c.zone), { text: c.text, label: c.label });
      assert.ok(!/90 days/.test(c.text) || c.wholeWindow, "only a whole window is worded as the 90 days");
    });

  it("a minutes-old component's outage still shows on today's bar", () => {
    const u = componentUptime({
      componentId: "c-1",
      componentCreatedAtMs: NOW - 7 * MINUTE,
      incidents: [incident("open", { componentStatus: "major_outage", createdAtMs: NOW - 3 * MINUTE })],
      maintenances: [],
      timeZone: "Etc/UTC",
      nowMs: NOW,
    });
    assert.equal(u.days.at(-1)?.worst, "major_outage");
    assert.equal(u.days.at(-1)?.minutes.major_outage, 3);
    assert.equal(u.uptimePercent, null);
    assert.ok(u.trackedMs < MIN_TRACKED_MS);
  });

  it("the Berlin spring-forward day is 23 hours long and counts as such", () => {
    const u = componentUptime({
      componentId: "c-1",
      componentCreatedAtMs: at("2025-03-29T23:00:00Z"),
      incidents: [],
      maintenances: [],
      timeZone: "Europe/Berlin",
      nowMs: NOW,
    });
    const first = u.days.find((d) => d.worst !== "no_data");
    assert.equal(first?.date, "2025-03-30");
    assert.equal(first && first.endMs - first.startMs, 23 * HOUR);
  });

  it("the creation date is local: Statuspage's start_date", () => {
    const cases: Array<[string, string, string]> = [
      ["2025-03-29T23:00:00Z", "Europe/Berlin", "2025-03-30"],
      ["2025-03-29T23:00:00Z", "Etc/UTC", "2025-03-29"],
      ["2025-03-31T02:00:00Z", "America/New_York", "2025-03-30"],
    ];
    for (const [instant, zone, want] of cases) assert.equal(localIsoDate(at(instant), zone), want, zone);
  });
});
