import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  deriveComponentStatus,
  maintenanceStatusAt,
  resolvePage,
  rollUpPageStatus,
} from "./component-status.js";
import type { ComponentStatus, IncidentImpact, MaintenanceStatus } from "./status-records.js";
import { component, HOUR, incident, maintenance, snapshot, T0 } from "./status-fixtures.test.js";

describe("maintenanceStatusAt", () => {
  const cases: Array<[string, Parameters<typeof maintenance>[1], number, MaintenanceStatus]> = [
    [
      "before its start: scheduled",
      { scheduledForMs: T0 + HOUR, scheduledUntilMs: T0 + 2 * HOUR },
      T0,
      "scheduled",
    ],
    ["at its start: in progress", { scheduledForMs: T0, scheduledUntilMs: T0 + HOUR }, T0, "in_progress"],
    ["a stored scheduled status moves by time", { status: "scheduled" }, T0, "in_progress"],
    ["verifying stays while it runs", { status: "verifying" }, T0, "verifying"],
    ["at its end: completed", { scheduledUntilMs: T0 }, T0, "completed"],
    ["completed early by a person", { completedAtMs: T0 - 1 }, T0, "completed"],
    [
      "cancelled before it started",
      { scheduledForMs: T0 + HOUR, scheduledUntilMs: T0 + 2 * HOUR, cancelledAtMs: T0 - 1 },
      T0,
      "completed",
    ],
  ];
  for (const [name, over, now, want] of cases)
    it(name, () => assert.equal(maintenanceStatusAt(maintenance("m-1", over), now), want));
});

describe("deriveComponentStatus", () => {
  const cases: Array<{
    name: string;
    manual?: ComponentStatus;
    incidents?: ReturnType<typeof incident>[];
    maintenances?: ReturnType<typeof maintenance>[];
    want: ComponentStatus;
  }> = [
    { name: "nothing going on: operational", want: "operational" },
    { name: "an open incident's component status", incidents: [incident("i-1")], want: "partial_outage" },
    {
      name: "the worst of two open incidents",
      incidents: [
        incident("i-1", { componentStatus: "degraded_performance" }),
        incident("i-2", { componentStatus: "major_outage" }),
      ],
      want: "major_outage",
    },
    {
      name: "a resolved incident no longer counts",
      incidents: [incident("i-1", { status: "resolved", resolvedAtMs: T0 })],
      want: "operational",
    },
    {
      name: "an incident of another component does not count",
      incidents: [incident("i-1", { componentIds: ["c-2"] })],
      want: "operational",
    },
    {
      name: "a running maintenance: under maintenance",
      maintenances: [maintenance("m-1")],
      want: "under_maintenance",
    },
    {
      name: "an upcoming maintenance does not count",
      maintenances: [maintenance("m-1", { scheduledForMs: T0 + HOUR, scheduledUntilMs: T0 + 2 * HOUR })],
      want: "operational",
    },
    {
      name: "an outage during maintenance shows the outage",
      incidents: [incident("i-1", { componentStatus: "major_outage" })],
      maintenances: [maintenance("m-1")],
      want: "major_outage",
    },
    {
      name: "degraded performance during maintenance shows degraded (worse than maintenance)",
      incidents: [incident("i-1", { componentStatus: "degraded_performance" })],
      maintenances: [maintenance("m-1")],
      want: "degraded_performance",
    },
    {
      name: "a manual override wins over an outage",
      manual: "operational",
      incidents: [incident("i-1", { componentStatus: "major_outage" })],
      want: "operational",
    },
    {
      name: "a manual override on a quiet component",
      manual: "degraded_performance",
      want: "degraded_performance",
    },
  ];
  for (const c of cases)
    it(c.name, () =>
      assert.equal(
        deriveComponentStatus(
          { id: "c-1", manualStatus: c.manual ?? null },
          c.incidents ?? [],
          c.maintenances ?? [],
          T0,
        ),
        c.want,
      ),
    );
});

describe("rollUpPageStatus", () => {
  const cases: Array<[ComponentStatus[], IncidentImpact[], string, string]> = [
    [["operational", "operational"], [], "none", "All Systems Operational"],
    [["operational", "under_maintenance"], [], "maintenance", "Service Under Maintenance"],
    [["degraded_performance"], [], "minor", "Partially Degraded Service"],
    [["operational"], ["minor"], "minor", "Minor Service Outage"],
    [["partial_outage", "degraded_performance"], [], "major", "Partial System Outage"],
    [["major_outage"], ["minor"], "critical", "Major Service Outage"],
    [["operational"], ["critical"], "critical", "Major Service Outage"],
    [["under_maintenance"], ["none"], "maintenance", "Service Under Maintenance"],
    [[], [], "none", "All Systems Operational"],
  ];
  for (const [statuses, impacts, indicator, description] of cases)
    it(`${statuses.join("+") || "no components"} with impacts [${impacts.join(",")}] → ${indicator}`, () =>
      assert.deepEqual(rollUpPageStatus(statuses, impacts), { indicator, description }));
});

describe("resolvePage", () => {
  it("orders groups and ungrouped components by position, groups take their members' worst status", () => {
    const s = snapshot({
      groups: [{ id: "g-1", pageId: "p-1", name: "Backend", position: 1, createdAtMs: T0, updatedAtMs: T0 }],
      components: [
        component("c-1", { groupId: "g-1", position: 2 }),
        component("c-2", { groupId: "g-1", position: 1 }),
        component("c-3", { position: 0 }),
        component("c-4", { position: 5 }),
      ],
      incidents: [incident("i-1", { componentIds: ["c-1"], componentStatus: "major_outage" })],
      maintenances: [
        maintenance("m-1", {
          componentIds: ["c-4"],
          scheduledForMs: T0 + HOUR,
          scheduledUntilMs: T0 + 2 * HOUR,
        }),
      ],
    });
    const page = resolvePage(s, T0);
    assert.deepEqual(
      page.entries.map((e) =>
        e.kind === "group"
          ? `group ${e.group.id}: ${e.group.components.map((c) => c.component.id).join(",")}`
          : e.component.id,
      ),
      ["c-3", "group g-1: c-2,c-1", "c-4"],
    );
    const group = page.entries.find((e) => e.kind === "group");
    assert.equal(group?.kind === "group" && group.group.status, "major_outage");
    assert.deepEqual(page.status, { indicator: "critical", description: "Major Service Outage" });
    assert.deepEqual(
      page.upcomingMaintenances.map((m) => m.id),
      ["m-1"],
    );
    assert.deepEqual(page.activeMaintenances, []);
    assert.deepEqual(
      page.openIncidents.map((i) => i.id),
      ["i-1"],
    );
  });
});
