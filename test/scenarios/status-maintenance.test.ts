import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { releaseHeldAlerts } from "../../src/app/alerts/release-held-alerts.js";
import { syncMaintenancePaging } from "../../src/app/status/maintenance-jobs.js";
import type { StatusDeps } from "../../src/app/status/status-deps.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { makePage, statusAdmin, type StatusAdmin } from "../support/status-setup.js";

type Json = Record<string, unknown>;

describeEachDialect(
  "status page: scheduled maintenance moves itself and holds paging (fake clock)",
  (dialect) => {
    let s: ResponseScenario;
    let admin: StatusAdmin;
    let page: Awaited<ReturnType<typeof makePage>>;
    let maintenanceId = "";
    let startMs = 0;
    const doc = async (path: string) =>
      (await s.fb.http.inject({ method: "GET", url: `/status/acme/api/v2/${path}` })).json() as Json;
    const windows = () => s.fb.running.deps.uow.run((tx) => tx.maintenance.listForService(s.serviceId));
    const apiStatus = async () =>
      ((await doc("components.json")).components as Json[]).find((c) => c.id === page.apiId)?.status;

    before(async () => {
      s = await startResponseScenario(dialect);
      admin = statusAdmin(s.fb.http, await s.fb.apiKey("admin"));
      page = await makePage(admin, { slug: "acme", serviceIds: [s.serviceId] });
      startMs = s.clock.now().getTime() + HOUR;
    });
    after(() => s.close());

    it("scheduled: listed as upcoming, and a maintenance window for the linked service is made", async () => {
      const created = await admin.call<{ id: string; status: string }>(
        "POST",
        `/api/v1/status-pages/${page.pageId}/maintenances`,
        {
          name: "Database upgrade",
          body: "We upgrade the checkout database.",
          componentIds: [page.apiId],
          scheduledFor: new Date(startMs).toISOString(),
          scheduledUntil: new Date(startMs + HOUR).toISOString(),
        },
      );
      maintenanceId = created.id;
      assert.equal(created.status, "scheduled");
      await s.run();
      const [window] = await windows();
      assert.ok(window, "a maintenance window holds the service's paging");
      assert.deepEqual(window.window, {
        kind: "one-off",
        startsAt: new Date(startMs),
        endsAt: new Date(startMs + HOUR),
      });
      assert.match(window.reason, /Database upgrade/);
      const upcoming = (await doc("scheduled-maintenances/upcoming.json")).scheduled_maintenances as Json[];
      assert.deepEqual(
        upcoming.map((m) => [m.id, m.status]),
        [[maintenanceId, "scheduled"]],
      );
      assert.equal(await apiStatus(), "operational");
      // Running the jobs again changes nothing (the sync is idempotent).
      await s.run();
      assert.equal((await windows()).length, 1);
    });

    it("at its start it is in progress: the component is under maintenance and alerts page nobody", async () => {
      await s.advance(HOUR);
      const active = (await doc("scheduled-maintenances/active.json")).scheduled_maintenances as Json[];
      assert.deepEqual(
        active.map((m) => [m.id, m.status]),
        [[maintenanceId, "in_progress"]],
      );
      assert.equal(await apiStatus(), "under_maintenance");
      assert.deepEqual((await doc("status.json")).status, {
        indicator: "maintenance",
        description: "Service Under Maintenance",
      });
      const sentBefore = s.sender.sent.length;
      await s.fireAgain("DatabaseSlow", "fp-db-slow", s.clock.now());
      await s.run();
      await s.advance(10 * MINUTE);
      assert.equal(s.sender.sent.length, sentBefore, "nobody is paged during the maintenance");
    });

    it("at its end it completes by itself, and what it held back pages", async () => {
      const sentBefore = s.sender.sent.length;
      await s.advance(50 * MINUTE);
      const [done] = (await doc("scheduled-maintenances.json")).scheduled_maintenances as Json[];
      assert.equal(done?.status, "completed");
      assert.equal(done?.resolved_at, new Date(startMs + HOUR).toISOString());
      assert.deepEqual(
        (done?.incident_updates as Json[]).map((u) => u.status),
        ["completed", "in_progress", "scheduled"],
      );
      assert.equal(await apiStatus(), "operational");
      assert.ok(
        s.sender.sent.length > sentBefore,
        "the alert that still fires pages once the maintenance is over",
      );
    });

    it("rescheduling moves its window; cancelling removes it and it stays in the history as cancelled", async () => {
      const from = s.clock.now().getTime() + 2 * HOUR;
      const m = await admin.call<{ id: string }>("POST", `/api/v1/status-pages/${page.pageId}/maintenances`, {
        name: "Network work",
        body: "Switches.",
        componentIds: [page.apiId],
        scheduledFor: new Date(from).toISOString(),
        scheduledUntil: new Date(from + HOUR).toISOString(),
      });
      await s.run();
      await admin.call("PATCH", `/api/v1/status-pages/${page.pageId}/maintenances/${m.id}`, {
        scheduledFor: new Date(from + HOUR).toISOString(),
        scheduledUntil: new Date(from + 3 * HOUR).toISOString(),
      });
      await s.run();
      const mine = (await windows()).filter((w) => w.reason.includes(m.id));
      assert.deepEqual(
        mine.map((w) => w.window),
        [{ kind: "one-off", startsAt: new Date(from + HOUR), endsAt: new Date(from + 3 * HOUR) }],
      );
      // The start armed for the old time is fenced: nothing happens then.
      await s.advance(2 * HOUR + MINUTE);
      assert.equal(
        ((await doc("scheduled-maintenances/upcoming.json")).scheduled_maintenances as Json[])[0]?.id,
        m.id,
      );
      const cancelled = await admin.call<{ status: string; cancelled: boolean }>(
        "DELETE",
        `/api/v1/status-pages/${page.pageId}/maintenances/${m.id}`,
        undefined,
        200,
      );
      assert.deepEqual([cancelled.status, cancelled.cancelled], ["completed", true]);
      await s.run();
      assert.deepEqual(
        (await windows()).filter((w) => w.reason.includes(m.id)),
        [],
      );
      const html = await s.fb.http.inject({ method: "GET", url: `/status/acme/maintenances/${m.id}` });
      assert.match(html.body, /Cancelled/);
      await s.advance(HOUR);
      const again = await admin.call<{ status: string }>(
        "GET",
        `/api/v1/status-pages/${page.pageId}/maintenances/${m.id}`,
      );
      assert.equal(again.status, "completed", "its old start does not revive it");
    });

    it("extending a maintenance in progress never lets go of what it holds, whenever the engine runs", async () => {
      const from = s.clock.now().getTime() + MINUTE;
      const m = await admin.call<{ id: string }>("POST", `/api/v1/status-pages/${page.pageId}/maintenances`, {
        name: "Long migration",
        body: "Moving data.",
        componentIds: [page.apiId],
        scheduledFor: new Date(from).toISOString(),
        scheduledUntil: new Date(from + HOUR).toISOString(),
      });
      await s.run();
      await s.advance(2 * MINUTE);
      const sentBefore = s.sender.sent.length;
      await s.fireAgain("MigrationSlow", "fp-migration-slow", s.clock.now());
      await s.run();
      assert.equal(s.sender.sent.length, sentBefore, "held by the maintenance");

      await admin.call("PATCH", `/api/v1/status-pages/${page.pageId}/maintenances/${m.id}`, {
        scheduledUntil: new Date(from + 3 * HOUR).toISOString(),
      });
      // The engine's release may run between any two of the sync's transactions: do that after each.
      const real = s.fb.running.deps.uow;
      const releaseAfterEach = Object.assign(Object.create(real) as typeof real, {
        run: async <T>(work: Parameters<typeof real.run<T>>[0], options?: Parameters<typeof real.run>[1]) => {
          const result = await real.run(work, options);
          await real.run((tx) => releaseHeldAlerts(tx, s.serviceId, s.clock.now()));
          return result;
        },
      });
      const deps = { ...s.fb.running.deps, uow: releaseAfterEach } as unknown as StatusDeps;
      await syncMaintenancePaging(deps, m.id, s.clock.now());
      await s.run();
      assert.equal(s.sender.sent.length, sentBefore, "nobody is paged while the maintenance goes on");
      assert.deepEqual(
        (await windows()).filter((w) => w.reason.includes(m.id)).map((w) => w.window),
        [{ kind: "one-off", startsAt: new Date(from), endsAt: new Date(from + 3 * HOUR) }],
      );
    });
  },
);

describe("status page: uptime from incident and maintenance history (fake clock)", () => {
  // 2021-01-10 00:00 UTC: the page and its components are made at this instant.
  const clock = new FakeClock(Date.parse("2021-01-10T00:00:00.000Z"));
  let fb: TestFirebreak;
  let admin: StatusAdmin;
  let page: Awaited<ReturnType<typeof makePage>>;

  before(async () => {
    fb = await startTestFirebreak({ clock, startEngine: false });
    admin = statusAdmin(fb.http, await fb.apiKey("admin"));
    page = await makePage(admin, { slug: "acme" });
  });
  after(() => fb.close());

  it("counts a 90-minute major outage, a 2-hour partial outage at 30%, and no maintenance, per day", async () => {
    const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
    clock.set(Date.parse("2021-01-10T06:00:00.000Z"));
    const major = await admin.call<{ id: string }>("POST", `/api/v1/status-pages/${page.pageId}/incidents`, {
      name: "API down",
      impact: "critical",
      componentIds: [page.apiId],
      body: "Down.",
    });
    clock.advance(90 * MINUTE);
    await admin.call("POST", `/api/v1/status-pages/${page.pageId}/incidents/${major.id}/updates`, {
      status: "resolved",
      body: "Up.",
    });
    clock.set(Date.parse("2021-01-11T10:00:00.000Z"));
    const partial = await admin.call<{ id: string }>(
      "POST",
      `/api/v1/status-pages/${page.pageId}/incidents`,
      {
        name: "Some requests fail",
        impact: "major",
        componentIds: [page.apiId],
        body: "Some fail.",
      },
    );
    clock.advance(2 * HOUR);
    await admin.call("POST", `/api/v1/status-pages/${page.pageId}/incidents/${partial.id}/updates`, {
      status: "resolved",
      body: "Fine.",
    });
    await admin.call("POST", `/api/v1/status-pages/${page.pageId}/maintenances`, {
      name: "Upgrade",
      body: "Upgrade.",
      componentIds: [page.apiId],
      scheduledFor: "2021-01-11T20:00:00.000Z",
      scheduledUntil: "2021-01-11T22:00:00.000Z",
    });
    clock.set(Date.parse("2021-01-12T00:00:00.000Z"));
    await run();

    const html = (await fb.http.inject({ method: "GET", url: "/status/acme" })).body;
    const apiItem = html.slice(html.indexOf("<h3>API</h3>"), html.indexOf("<h3>Website</h3>"));
    assert.match(
      apiItem,
      /class="b-major" title="10 Jan 2021: Major outage 1 hour 30 minutes\. Related: API down"/,
    );
    assert.match(
      apiItem,
      /class="b-outage" title="11 Jan 2021: Partial outage 2 hours, under maintenance 2 hours\. Related: Some requests fail; Upgrade"/,
    );
    assert.equal((apiItem.match(/class="b-no_data"/g) ?? []).length, 88, "days before the component existed");
    // Tracked: 2 days = 2,880 minutes; down: 90 + 0.3 × 120 = 126 minutes → 95.625%, shown as 95.62%,
    // and said to be since the component's creation, not over the 90 days the bars span.
    assert.match(apiItem, /<span class="pct">95\.62% uptime since 10 Jan 2021<\/span>/);
    const webItem = html.slice(html.indexOf("<h3>Website</h3>"));
    assert.match(webItem, /<span class="pct">100\.00% uptime since 10 Jan 2021<\/span>/);
  });
});
