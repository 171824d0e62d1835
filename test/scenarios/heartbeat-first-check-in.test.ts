// A heartbeat that has never checked in waits for its first check-in and never alerts, whatever
// happens to it meanwhile (disable and enable, a new key), and so do heartbeats made before this rule:
// their pending timer raises nothing, while an alert they already raised stays open until a check-in.
import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { ingestAlertEvents } from "../../src/app/alerts/ingest-alert-events.js";
import { heartbeatDedupKey } from "../../src/app/heartbeats/heartbeats.js";
import {
  createIntegration,
  rotateIntegrationKey,
  setIntegrationEnabled,
} from "../../src/app/integrations/manage-integrations.js";
import type { Integration } from "../../src/core/alerts/records.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { createServicePagingOneResponder } from "../support/alerting-setup.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE, SECOND } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { heartbeatProbes } from "./heartbeat-probes.js";

const admin = { actor: systemActor("scenario"), requestId: null };
const INTERVAL = 5 * MINUTE;
const GRACE = MINUTE;
const DEADLINE = INTERVAL + GRACE;

describeEachDialect("a heartbeat waiting for its first check-in (fake clock, no sleeps)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let serviceId: string;
  let heartbeat: Integration;

  const { run, advance, checkIn, alerts, firing, incidents, checkJobs } = heartbeatProbes({
    fb: () => fb,
    clock: () => clock,
    serviceId: () => serviceId,
    heartbeat: () => heartbeat,
  });
  /** What creating a heartbeat armed before it waited for the first check-in: a timer with no check-in. */
  const armAsBefore = () =>
    fb.running.deps.uow.run((tx) =>
      tx.jobs.enqueue(
        "heartbeat.check",
        { integrationId: heartbeat.id, checkInAtMs: null },
        { runAt: new Date(heartbeat.createdAt.getTime() + DEADLINE + 1), key: `heartbeat:${heartbeat.id}` },
      ),
    );

  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    serviceId = (
      await createServicePagingOneResponder(fb, {
        serviceName: "backups",
        policyName: "Backups",
        email: `ada-first-check-in-${dialect}@example.com`,
      })
    ).id;
    heartbeat = await createIntegration(fb.running.deps, admin, {
      serviceId,
      kind: "heartbeat",
      name: "nightly backup",
      heartbeatIntervalSeconds: INTERVAL / SECOND,
      heartbeatGraceSeconds: GRACE / SECOND,
    });
  });
  after(() => fb?.close());

  it("disabled and enabled before its first check-in: still waiting, no timer, no alert", async () => {
    await setIntegrationEnabled(fb.running.deps, admin, heartbeat.id, false);
    await advance(HOUR);
    await setIntegrationEnabled(fb.running.deps, admin, heartbeat.id, true);
    assert.deepEqual(await checkJobs(), [], "enabling arms nothing for a heartbeat that never checked in");
    await advance(DEADLINE + 1);
    assert.deepEqual(await alerts(), []);

    // Its first check-in starts the clock as usual.
    assert.equal(await checkIn(), 200);
    await advance(DEADLINE + 1);
    assert.equal((await firing()).length, 1);
  });

  it("a key rotated before its first check-in: still waiting; the new URL's first check-in starts it", async () => {
    const rotated = await rotateIntegrationKey(fb.running.deps, admin, heartbeat.id);
    await advance(DEADLINE + 1);
    assert.deepEqual(await checkJobs(), []);
    assert.deepEqual(await alerts(), [], "a new key is no check-in: it keeps waiting");
    assert.equal(await checkIn(), 404, "the old URL stops working at once");
    assert.equal(await checkIn(rotated.key), 200);
    await advance(DEADLINE + 1);
    assert.equal((await firing()).length, 1);
  });

  it("made before this rule, never checked in, its timer pending: the timer raises nothing", async () => {
    await armAsBefore();
    await advance(DEADLINE + 1);
    assert.deepEqual(await checkJobs(), [], "the old timer ran and is gone");
    assert.deepEqual(await alerts(), []);
    assert.deepEqual(sender.summary(), []);

    assert.equal(await checkIn(), 200);
    await advance(DEADLINE + 1);
    assert.equal((await firing()).length, 1, "from its first check-in on, it alerts as before");
  });

  it("made before this rule, checked in before its pending timer ran: that check-in's timer decides", async () => {
    await armAsBefore();
    clock.advance(MINUTE);
    assert.equal(await checkIn(), 200);
    assert.deepEqual(await checkJobs(), [clock.now().getTime() + DEADLINE + 1], "the check-in replaced it");
    await advance(DEADLINE);
    assert.deepEqual(await alerts(), []);
    await advance(1);
    assert.equal((await firing()).length, 1);
  });

  it("made before this rule with its alert already open: the alert stays until the first check-in", async () => {
    // What the old rule raised 6 minutes after creation.
    clock.advance(DEADLINE + 1);
    await ingestAlertEvents(fb.running.deps, heartbeat.id, [
      {
        action: "trigger",
        dedupKey: heartbeatDedupKey(heartbeat.id),
        groupKey: null,
        summary: `Heartbeat "nightly backup" missed: no check-in since it was created 6 minutes ago`,
        level: null,
        severity: null,
        labels: { heartbeat: heartbeat.name },
        details: {},
        source: "firebreak heartbeat",
        occurredAt: clock.now(),
        expiresAt: null,
        links: [],
      },
    ]);
    await advance(HOUR);
    assert.equal((await firing()).length, 1, "an open alert is left alone");
    assert.equal((await incidents())[0]?.state, "triggered");

    assert.equal(await checkIn(), 200);
    await run();
    assert.deepEqual(await firing(), []);
    assert.equal((await incidents())[0]?.state, "resolved");
  });
});
