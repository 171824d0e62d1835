import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { pageByHand } from "../../src/app/incidents/page-by-hand.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import {
  createMaintenanceWindow,
  deleteMaintenanceWindow,
} from "../../src/app/maintenance/manage-maintenance-windows.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { MaintenanceWindow } from "../../src/core/maintenance/maintenance-window.js";
import { alertmanagerBody } from "../http/alerting-helpers.js";
import { createServicePagingOneResponder } from "../support/alerting-setup.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";

const admin = { actor: systemActor("scenario"), requestId: null };

/** A Sunday window in New York, where clocks spring forward on 2021-03-14 and fall back on 2021-11-07. */
const sundayInNewYork = (startTime: string, durationMinutes: number): MaintenanceWindow => ({
  kind: "weekly",
  weekdays: [0],
  startTime,
  durationMinutes,
  timeZone: "America/New_York",
});

describeEachDialect("maintenance windows hold and release pages (fake clock, no sleeps)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let serviceId: string;
  let key: string;

  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const advanceTo = async (iso: string) => {
    clock.set(Date.parse(iso));
    await run();
  };
  const advance = async (ms: number) => {
    clock.advance(ms);
    await run();
  };
  const post = async (status: "firing" | "resolved", alertname: string) => {
    const res = await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody(status, alertname),
    });
    assert.equal(res.statusCode, 200, res.body);
  };
  const held = async () =>
    (await fb.running.deps.uow.run((tx) => tx.alerts.list({ serviceId, limit: 50 })))
      .filter((a) => a.suppressed && a.status === "firing")
      .map((a) => a.summary)
      .sort();
  const incidents = async () =>
    (await fb.running.deps.uow.run((tx) => tx.incidents.list({ serviceId, limit: 50 })))
      .map((i) => i.title)
      .sort();
  const addWindow = async (window: MaintenanceWindow) =>
    (await createMaintenanceWindow(fb.running.deps, admin, { serviceId, window })).id;

  const start = async (at: string) => {
    await fb?.close();
    clock = new FakeClock(Date.parse(at));
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    serviceId = (
      await createServicePagingOneResponder(fb, {
        serviceName: "storage",
        policyName: "Storage primary",
        email: `ada-maintenance-${dialect}@example.com`,
      })
    ).id;
    key = (await createIntegration(fb.running.deps, admin, { serviceId, kind: "alertmanager" })).key;
  };
  beforeEach(() => start("2021-01-01T00:00:00Z"));
  after(() => fb?.close());

  it("spring forward: a 01:30–02:30 window releases what it held at the jump to 03:00, not later", async () => {
    await start("2021-03-14T06:40:00Z"); // 01:40 EST
    await addWindow(sundayInNewYork("01:30", 60));
    await post("firing", "DiskAlmostFull");
    await run();
    assert.deepEqual(await held(), ["DiskAlmostFull on db-7"]);
    await advanceTo("2021-03-14T06:59:59Z");
    assert.deepEqual(sender.summary(), []);
    await advanceTo("2021-03-14T07:00:00Z"); // 03:00 EDT: the window is over
    assert.deepEqual(await incidents(), ["DiskAlmostFull on db-7"]);
    assert.deepEqual(sender.summary(), ["Test responder:triggered"]);
  });

  it("fall back: a 01:30–02:30 window holds through the repeated hour, then pages what it held", async () => {
    await start("2021-11-07T05:45:00Z"); // 01:45 EDT
    await addWindow(sundayInNewYork("01:30", 60));
    await post("firing", "DiskAlmostFull");
    await advanceTo("2021-11-07T06:10:00Z"); // 01:10 EST: the clock went back, the work goes on
    await post("firing", "ReplicaLag");
    await run();
    assert.deepEqual(await held(), ["DiskAlmostFull on db-7", "ReplicaLag on db-7"]);
    assert.deepEqual(sender.summary(), []);
    await advanceTo("2021-11-07T07:29:59Z");
    assert.deepEqual(sender.summary(), [], "02:29 EST: still held");
    await advanceTo("2021-11-07T07:30:00Z");
    assert.deepEqual(await held(), []);
    assert.deepEqual(await incidents(), ["DiskAlmostFull on db-7", "ReplicaLag on db-7"]);
    assert.equal(sender.sent.length, 2);
  });

  it("a window deleted early pages what it held at once, and only once", async () => {
    const now = clock.now().getTime();
    const id = await addWindow({ kind: "one-off", startsAt: new Date(now), endsAt: new Date(now + HOUR) });
    await post("firing", "DiskAlmostFull");
    await advance(10 * MINUTE);
    assert.deepEqual(sender.summary(), []);
    await deleteMaintenanceWindow(fb.running.deps, admin, id);
    await run();
    assert.deepEqual(sender.summary(), ["Test responder:triggered"]);
    await advance(2 * HOUR);
    assert.deepEqual(await incidents(), ["DiskAlmostFull on db-7"]);
    assert.deepEqual(sender.summary(), ["Test responder:triggered"], "the original end pages nobody again");
  });

  it("overlapping windows: deleting one holds the alert until the other ends", async () => {
    const now = clock.now().getTime();
    const short = await addWindow({ kind: "one-off", startsAt: new Date(now), endsAt: new Date(now + HOUR) });
    await addWindow({
      kind: "one-off",
      startsAt: new Date(now + 30 * MINUTE),
      endsAt: new Date(now + 2 * HOUR),
    });
    await post("firing", "DiskAlmostFull");
    await advance(40 * MINUTE);
    await deleteMaintenanceWindow(fb.running.deps, admin, short);
    await run();
    await advance(HOUR);
    assert.deepEqual(await held(), ["DiskAlmostFull on db-7"], "1 h 40 min in: the longer window holds it");
    assert.deepEqual(sender.summary(), []);
    await advance(20 * MINUTE);
    assert.deepEqual(sender.summary(), ["Test responder:triggered"]);
  });

  it("a page by hand goes through maintenance at once, while the senders' alerts stay held", async () => {
    const now = clock.now().getTime();
    await addWindow({ kind: "one-off", startsAt: new Date(now), endsAt: new Date(now + HOUR) });
    await post("firing", "DiskAlmostFull");
    const page = await pageByHand(fb.running.deps, admin, { service: serviceId, summary: "Call Ada now" });
    assert.equal(page.pagedNobody, false);
    await run();
    assert.deepEqual(await held(), ["DiskAlmostFull on db-7"]);
    assert.deepEqual(await incidents(), ["Call Ada now"]);
    assert.equal(sender.summary().length, 1, JSON.stringify(sender.summary()));
  });

  it("an alert that resolves while held pages nobody when the window ends", async () => {
    const now = clock.now().getTime();
    await addWindow({ kind: "one-off", startsAt: new Date(now), endsAt: new Date(now + HOUR) });
    await post("firing", "DiskAlmostFull");
    await advance(20 * MINUTE);
    await post("resolved", "DiskAlmostFull");
    await advance(2 * HOUR);
    assert.deepEqual(await held(), []);
    assert.deepEqual(await incidents(), []);
    assert.deepEqual(sender.summary(), []);
  });
});
