import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DAY, HOUR, incident, maintenance, MINUTE } from "./status-fixtures.test.js";
import { componentUptime, formatUptimePercent, lastLocalDays, localMidnightMs } from "./uptime.js";

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
