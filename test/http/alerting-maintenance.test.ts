import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { maintenanceWindowView } from "../../src/app/maintenance/manage-maintenance-windows.js";
import type { MaintenanceWindowRecord } from "../../src/core/alerts/records.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE, REFERENCE_TIME } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { alertmanagerBody, client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

interface WindowView {
  id: string;
  serviceId: string;
  window:
    | { kind: "one-off"; startsAt: string; endsAt: string }
    | { kind: "weekly"; weekdays: number[]; startTime: string; durationMinutes: number; timeZone: string };
  reason: string;
  createdBy: string | null;
  createdAt: string;
  activeNow: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
const weekly = (over: object = {}) => ({
  kind: "weekly",
  weekdays: [2, 4],
  startTime: "02:00",
  durationMinutes: 60,
  timeZone: "Europe/Berlin",
  ...over,
});

describe("maintenance window views", () => {
  it("activeNow flips when the window opens and again when it ends", () => {
    const record: MaintenanceWindowRecord = {
      id: "mw-1",
      serviceId: "svc-1",
      window: {
        kind: "one-off",
        startsAt: new Date(REFERENCE_TIME),
        endsAt: new Date(REFERENCE_TIME + HOUR),
      },
      reason: "DB upgrade",
      createdBy: null,
      createdAt: new Date(REFERENCE_TIME - HOUR),
    };
    const at = (ms: number) => maintenanceWindowView(record, new Date(ms)).activeNow;
    assert.equal(at(REFERENCE_TIME - 1), false);
    assert.equal(at(REFERENCE_TIME), true);
    assert.equal(at(REFERENCE_TIME + HOUR - 1), true);
    assert.equal(at(REFERENCE_TIME + HOUR), false);
  });
});

describeEachDialect("maintenance windows over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let admin: Client;
  let responder: Client;
  let viewer: Client;
  let serviceId: string;

  before(async () => {
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    responder = client(fb, { key: await fb.apiKey("responder") });
    viewer = client(fb, { key: await fb.apiKey("viewer") });
    const service = await admin.post("/api/v1/services", { name: "database" });
    assert.equal(service.statusCode, 201, service.body);
    serviceId = (service.json() as { id: string }).id;
  });
  after(() => fb.close());

  const windowsOf = async (who: Client, ref: string): Promise<WindowView[]> => {
    const res = await who.get(`/api/v1/services/${encodeURIComponent(ref)}/maintenance-windows`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as WindowView[];
  };
  const create = (ref: string, body: object) =>
    admin.post(`/api/v1/services/${ref}/maintenance-windows`, body);

  it("creates, lists (by service id or name) and deletes windows, and audits each change", async () => {
    const now = clock.now().getTime();
    const oneOff = await create(serviceId, {
      reason: "  Postgres 16 upgrade ",
      window: { kind: "one-off", startsAt: iso(now + HOUR), endsAt: iso(now + 2 * HOUR) },
    });
    assert.equal(oneOff.statusCode, 201, oneOff.body);
    const created = oneOff.json() as WindowView;
    assert.deepEqual(created.window, {
      kind: "one-off",
      startsAt: iso(now + HOUR),
      endsAt: iso(now + 2 * HOUR),
    });
    assert.equal(created.reason, "Postgres 16 upgrade");
    assert.equal(created.serviceId, serviceId);
    assert.equal(created.activeNow, false);
    assert.equal(created.createdAt, iso(now));

    clock.advance(1); // listings are oldest first
    const recurring = await create("database", {
      window: weekly({ weekdays: [4, 2, 4], timeZone: "europe/BERLIN" }),
    });
    assert.equal(recurring.statusCode, 201, recurring.body);
    const weeklyView = recurring.json() as WindowView;
    assert.deepEqual(
      weeklyView.window,
      weekly(),
      "weekdays once each, in order; the zone as the tz database spells it",
    );
    assert.equal(weeklyView.reason, "");

    assert.deepEqual(
      (await windowsOf(viewer, "database")).map((w) => w.id),
      [created.id, weeklyView.id],
    );
    assert.deepEqual(await windowsOf(viewer, serviceId), await windowsOf(admin, "database"));

    const deleted = await admin.delete(`/api/v1/maintenance-windows/${created.id}`);
    assert.equal(deleted.statusCode, 204, deleted.body);
    assert.equal(deleted.body, "");
    assert.deepEqual(
      (await windowsOf(viewer, serviceId)).map((w) => w.id),
      [weeklyView.id],
    );
    assertProblem(await admin.delete(`/api/v1/maintenance-windows/${created.id}`), 404, "NOT_FOUND");
    assert.equal((await admin.delete(`/api/v1/maintenance-windows/${weeklyView.id}`)).statusCode, 204);

    const audit = await admin.get(`/api/v1/audit-log?entityType=service&entityId=${serviceId}`);
    assert.equal(audit.statusCode, 200, audit.body);
    const entries = (audit.json() as Array<{ action: string; before: unknown; after: unknown }>).reverse();
    assert.deepEqual(
      entries.map((e) => e.action).filter((a) => a.startsWith("maintenance_window.")),
      [
        "maintenance_window.create",
        "maintenance_window.create",
        "maintenance_window.delete",
        "maintenance_window.delete",
      ],
    );
    const removal = entries.find((e) => e.action === "maintenance_window.delete");
    assert.equal((removal?.before as { id: string }).id, created.id);
    assert.equal(removal?.after, null);
  });

  it("refuses bad windows, naming the field", async () => {
    const now = clock.now().getTime();
    const oneOff = (startsAt: number, endsAt: number) => ({
      window: { kind: "one-off", startsAt: iso(startsAt), endsAt: iso(endsAt) },
    });
    const backwards = await create(serviceId, oneOff(now + 2 * HOUR, now + HOUR));
    assert.deepEqual(
      assertProblem(backwards, 400, "VALIDATION").errors?.map((e) => e.path),
      ["/window/endsAt"],
    );
    assert.deepEqual(errorPaths(await create(serviceId, oneOff(now - 2 * HOUR, now - HOUR))), [
      "/window/endsAt",
    ]);
    assert.match(
      (await create(serviceId, oneOff(now - 2 * HOUR, now))).body,
      /must be in the future/,
      "ending right now is not in the future",
    );
    const tooLong = await create(serviceId, oneOff(now, now + 31 * 24 * HOUR));
    assert.deepEqual(errorPaths(tooLong), ["/window/endsAt"]);
    assert.match(tooLong.body, /at most 30 days/);
    assert.equal((await create(serviceId, oneOff(now, now + 30 * 24 * HOUR))).statusCode, 201);
    assert.deepEqual(
      errorPaths(
        await create(serviceId, {
          window: { kind: "one-off", startsAt: "tomorrow", endsAt: iso(now + HOUR) },
        }),
      ),
      ["/window/startsAt"],
    );

    assert.deepEqual(errorPaths(await create(serviceId, { window: weekly({ timeZone: "Mars/Olympus" }) })), [
      "/window/timeZone",
    ]);
    assert.deepEqual(errorPaths(await create(serviceId, { window: weekly({ weekdays: [] }) })), [
      "/window/weekdays",
    ]);
    assert.deepEqual(errorPaths(await create(serviceId, { window: weekly({ weekdays: [1, 7] }) })), [
      "/window/weekdays",
    ]);
    assert.deepEqual(
      errorPaths(
        await create(serviceId, { window: weekly({ startTime: "2pm", durationMinutes: 0 }) }),
      ).sort(),
      ["/window/durationMinutes", "/window/startTime"],
    );
    // Only the branch the kind names is reported, not the one-off branch's complaints too.
    assert.deepEqual(errorPaths(await create(serviceId, { window: weekly({ timeZone: undefined }) })), [
      "/window/timeZone",
    ]);
    assert.deepEqual(errorPaths(await create(serviceId, { window: { kind: "monthly" } })), ["/window/kind"]);
    assert.deepEqual(errorPaths(await create(serviceId, { window: weekly(), reason: "x".repeat(501) })), [
      "/reason",
    ]);
    assert.deepEqual(errorPaths(await create(serviceId, { window: weekly(), colour: "red" })), ["/colour"]);
    assertProblem(await create("no-such-service", { window: weekly() }), 404, "NOT_FOUND");
    assertProblem(await viewer.get("/api/v1/services/no-such-service/maintenance-windows"), 404, "NOT_FOUND");
  });

  it("keeps maintenance windows for admins", async () => {
    const body = { window: weekly() };
    assertProblem(
      await responder.post(`/api/v1/services/${serviceId}/maintenance-windows`, body),
      403,
      "FORBIDDEN",
    );
    assertProblem(
      await viewer.post(`/api/v1/services/${serviceId}/maintenance-windows`, body),
      403,
      "FORBIDDEN",
    );
    const created = (await create(serviceId, body)).json() as WindowView;
    assertProblem(await responder.delete(`/api/v1/maintenance-windows/${created.id}`), 403, "FORBIDDEN");
    assert.ok((await windowsOf(responder, serviceId)).some((w) => w.id === created.id));
    assert.equal((await admin.delete(`/api/v1/maintenance-windows/${created.id}`)).statusCode, 204);
  });

  it("an alert during a window pages nobody; re-sent after it, it opens the incident and pages", async () => {
    const people = { actor: systemActor("scenario"), requestId: null };
    const deps = fb.running.deps;
    const ada = await fb.user("responder", `ada-maintenance-${dialect}@example.com`);
    await addContactMethod(deps, people, {
      userId: ada.id,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    const policy = await createEscalationPolicy(deps, people, {
      name: "Storage primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    const service = (
      await admin.post("/api/v1/services", { name: "storage", escalationPolicyId: policy.id })
    ).json() as { id: string };
    const integration = (
      await admin.post(`/api/v1/services/${service.id}/integrations`, { kind: "alertmanager" })
    ).json() as { key: string };
    const post = () =>
      fb.http.inject({
        method: "POST",
        url: `/integrations/alertmanager/${integration.key}`,
        payload: alertmanagerBody("firing"),
      });
    const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
    const incidents = () => deps.uow.run((tx) => tx.incidents.list({ serviceId: service.id, limit: 10 }));

    const now = clock.now().getTime();
    const window = await create("storage", {
      reason: "Disk replacement",
      window: { kind: "one-off", startsAt: iso(now), endsAt: iso(now + HOUR) },
    });
    assert.equal(window.statusCode, 201, window.body);
    assert.equal((window.json() as WindowView).activeNow, true);

    const during = await post();
    assert.equal(during.statusCode, 200, during.body);
    assert.equal((during.json() as { incidentsOpened: number }).incidentsOpened, 0);
    await run();
    assert.deepEqual(await incidents(), [], "no incident during the window");
    assert.deepEqual(sender.summary(), [], "nobody is paged during the window");
    const [alert] = await deps.uow.run((tx) => tx.alerts.list({ serviceId: service.id, limit: 10 }));
    assert.equal(alert?.suppressed, true, "the alert is recorded, marked suppressed");
    assert.equal(alert?.incidentId, null);

    clock.advance(61 * MINUTE);
    assert.deepEqual(
      (await windowsOf(viewer, "storage")).map((w) => w.activeNow),
      [false],
      "the window has closed",
    );
    // The window's end releases what it held: the still-firing alert pages without being sent again.
    await run();
    const opened = await incidents();
    assert.equal(opened.length, 1);
    assert.equal(opened[0]?.state, "triggered");
    assert.deepEqual(sender.summary(), ["Test responder:triggered"]);
    const afterwards = await post();
    assert.equal(afterwards.statusCode, 200, afterwards.body);
    assert.equal(
      (afterwards.json() as { incidentsOpened: number }).incidentsOpened,
      0,
      "the re-sent alert changes nothing",
    );

    // A window deleted early releases at once.
    const start = clock.now().getTime();
    const second = await create("storage", {
      reason: "Failover test",
      window: { kind: "one-off", startsAt: iso(start), endsAt: iso(start + HOUR) },
    });
    await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${integration.key}`,
      payload: alertmanagerBody("firing", "Failover", "bbbbbbbbbbbbbbbb"),
    });
    await run();
    assert.equal((await incidents()).length, 1, "held by the second window");
    const removed = await admin.delete(`/api/v1/maintenance-windows/${(second.json() as WindowView).id}`);
    assert.equal(removed.statusCode, 204);
    await run();
    assert.equal((await incidents()).length, 2, "released when the window was deleted");
  });
});
