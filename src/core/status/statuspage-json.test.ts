import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolvePage } from "./component-status.js";
import { component, HOUR, incident, maintenance, snapshot, T0 } from "./status-fixtures.test.js";
import { statuspageDocument, type StatuspageDocument } from "./statuspage-json.js";
import { COMPONENT_KEYS, INCIDENT_KEYS, UPDATE_KEYS } from "./statuspage-shapes.test.js";

const s = snapshot({
  groups: [{ id: "g-1", pageId: "p-1", name: "API", position: 0, createdAtMs: T0, updatedAtMs: T0 }],
  components: [
    component("c-1", { groupId: "g-1" }),
    component("c-2", { position: 1, description: "Web app" }),
  ],
  incidents: [
    incident("i-open", {
      updates: [
        {
          id: "u-1",
          incidentId: "i-open",
          status: "investigating",
          body: "Looking",
          componentStatus: "partial_outage",
          affectedComponents: [
            {
              componentId: "c-1",
              name: "Component c-1",
              oldStatus: "operational",
              newStatus: "partial_outage",
            },
          ],
          createdAtMs: T0 - HOUR,
        },
      ],
    }),
    incident("i-done", { status: "resolved", resolvedAtMs: T0 - 2 * HOUR, createdAtMs: T0 - 3 * HOUR }),
  ],
  maintenances: [
    maintenance("m-next", { scheduledForMs: T0 + HOUR, scheduledUntilMs: T0 + 2 * HOUR }),
    maintenance("m-now", { componentIds: ["c-2"] }),
  ],
});
const page = resolvePage(s, T0);
const doc = (name: StatuspageDocument) => statuspageDocument(name, s, page, T0) as Record<string, unknown>;

describe("Statuspage JSON", () => {
  it("summary.json has the page, components (groups too), unresolved incidents, upcoming and active maintenance, and status", () => {
    const summary = doc("summary.json");
    assert.deepEqual(Object.keys(summary).sort(), [
      "components",
      "incidents",
      "page",
      "scheduled_maintenances",
      "status",
    ]);
    assert.deepEqual(summary.page, {
      id: "p-1",
      name: "Acme",
      url: "https://status.acme.example",
      time_zone: "Etc/UTC",
      updated_at: new Date(T0 - 60_000).toISOString(),
    });
    assert.deepEqual(summary.status, { indicator: "major", description: "Partial System Outage" });
    const components = summary.components as Array<Record<string, unknown>>;
    assert.deepEqual(
      components.map((c) => [c.id, c.group, c.group_id]),
      [
        ["g-1", true, null],
        ["c-1", false, "g-1"],
        ["c-2", false, null],
      ],
    );
    assert.deepEqual(Object.keys(components[0] ?? {}).sort(), [...COMPONENT_KEYS, "components"].sort());
    assert.deepEqual(components[0]?.components, ["c-1"]);
    for (const c of components.slice(1)) assert.deepEqual(Object.keys(c).sort(), COMPONENT_KEYS);
    assert.equal(components[1]?.status, "partial_outage");
    assert.equal(components[2]?.status, "under_maintenance");
    assert.equal(components[1]?.description, null, "a missing description is null, not omitted");
    // Uptime counts from the creation day (T0 − 200 days), as Statuspage's start_date says; groups have none.
    assert.equal(components[0]?.start_date, null);
    assert.equal(components[1]?.start_date, "2024-08-14");
    assert.deepEqual(
      (summary.incidents as Array<{ id: string }>).map((i) => i.id),
      ["i-open"],
    );
    assert.deepEqual(
      (summary.scheduled_maintenances as Array<{ id: string; status: string }>).map((m) => [m.id, m.status]),
      [
        ["m-now", "in_progress"],
        ["m-next", "scheduled"],
      ],
    );
  });

  it("incidents carry every field, nulls included, updates newest first with affected components", () => {
    const [open, done] = doc("incidents.json").incidents as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(open ?? {}).sort(), INCIDENT_KEYS);
    assert.equal(open?.monitoring_at, null);
    assert.equal(open?.resolved_at, null);
    assert.equal(open?.shortlink, "https://status.acme.example/incidents/i-open");
    const [update] = open?.incident_updates as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(update ?? {}).sort(), UPDATE_KEYS);
    assert.deepEqual(update?.affected_components, [
      { code: "c-1", name: "Component c-1", old_status: "operational", new_status: "partial_outage" },
    ]);
    assert.equal(update?.custom_tweet, null);
    assert.equal(update?.tweet_id, null);
    assert.equal(update?.deliver_notifications, true);
    assert.equal(done?.resolved_at, new Date(T0 - 2 * HOUR).toISOString());
    assert.deepEqual(
      (open?.components as Array<{ id: string }>).map((c) => c.id),
      ["c-1"],
    );
    assert.deepEqual(
      (doc("incidents/unresolved.json").incidents as Array<{ id: string }>).map((i) => i.id),
      ["i-open"],
    );
  });

  it("scheduled maintenances have the incident shape, impact maintenance, and their window", () => {
    const all = doc("scheduled-maintenances.json").scheduled_maintenances as Array<Record<string, unknown>>;
    for (const m of all) {
      assert.deepEqual(Object.keys(m).sort(), [...INCIDENT_KEYS, "scheduled_for", "scheduled_until"].sort());
      assert.equal(m.impact, "maintenance");
    }
    assert.deepEqual(
      (doc("scheduled-maintenances/upcoming.json").scheduled_maintenances as Array<{ id: string }>).map(
        (m) => m.id,
      ),
      ["m-next"],
    );
    assert.deepEqual(
      (doc("scheduled-maintenances/active.json").scheduled_maintenances as Array<{ id: string }>).map(
        (m) => m.id,
      ),
      ["m-now"],
    );
    const next = all.find((m) => m.id === "m-next");
    assert.equal(next?.scheduled_for, new Date(T0 + HOUR).toISOString());
    assert.equal(next?.resolved_at, null);
  });

  it("status.json and components.json carry only what they name", () => {
    assert.deepEqual(Object.keys(doc("status.json")).sort(), ["page", "status"]);
    assert.deepEqual(Object.keys(doc("components.json")).sort(), ["components", "page"]);
  });

  it("start_date is the component's creation date in the page's zone", () => {
    const created = Date.parse("2025-03-01T23:30:00.000Z");
    const dateIn = (timeZone: string) => {
      const one = snapshot({ components: [component("c-1", { createdAtMs: created })] });
      const zoned = { ...one, page: { ...one.page, timeZone } };
      const json = statuspageDocument("components.json", zoned, resolvePage(zoned, T0), T0);
      return (json.components as Array<{ start_date: unknown }>)[0]?.start_date;
    };
    assert.equal(dateIn("Etc/UTC"), "2025-03-01");
    assert.equal(dateIn("Europe/Berlin"), "2025-03-02");
  });
});
