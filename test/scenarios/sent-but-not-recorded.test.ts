import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { AlertingDeps } from "../../src/app/alerting-deps.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import {
  groupedOutcomeRecorder,
  sendDelivery,
  type OutcomeRecorder,
} from "../../src/app/notifications/send-delivery.js";
import { AppError } from "../../src/core/errors.js";
import type { Delivery } from "../../src/core/alerts/records.js";
import { willRetry } from "../../src/core/jobs/retry-decision.js";
import { alertingDepsOf, createServicePagingOneResponder, setupCaller } from "../support/alerting-setup.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import { RecordingSender } from "../support/recording-sender.js";

// A page that went out is never recorded as failed because writing its outcome failed, not even on
// the job's last attempt: the outcome is kept and written by the next run, which sends nothing again.

describeEachDialect("a sent page whose record fails (fake clock)", (dialect) => {
  let fb: TestFirebreak;
  let deps: AlertingDeps;
  let routingKey: string;
  const clock = new FakeClock();
  const sender = new RecordingSender();

  before(async () => {
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    deps = alertingDepsOf(fb.running.deps);
    const service = await createServicePagingOneResponder(fb, {
      serviceName: "unrecorded",
      policyName: "unrecorded policy",
      email: "unrecorded-oncall@example.com",
    });
    routingKey = (await createIntegration(deps, setupCaller, { serviceId: service.id, kind: "pagerduty" }))
      .key;
  });
  after(() => fb?.close());

  /** Opens an incident; its page to the responder is planned, not sent (the engine does not run). */
  const triggerPage = async (dedupKey: string): Promise<Delivery> => {
    const res = await fb.http.inject({
      method: "POST",
      url: "/v2/enqueue",
      payload: pagerDutyTrigger({ routingKey, dedupKey, summary: "disk full", source: "db-1" }),
    });
    assert.equal(res.statusCode, 202, res.body);
    return page(await newestIncidentId());
  };
  const newestIncidentId = async () =>
    (await fb.running.store.read((tx) => tx.incidents.list({ limit: 1 })))[0]!.id;
  const page = async (incidentId: string): Promise<Delivery> =>
    (await fb.running.store.read((tx) => tx.deliveries.listForIncident(incidentId))).find(
      (d) => d.recipientKind === "user",
    )!;
  const notificationEntries = async (incidentId: string) =>
    (await fb.running.store.read((tx) => tx.timeline.listForIncident(incidentId)))
      .filter((e) => e.kind.startsWith("notification."))
      .map((e) => ({ kind: e.kind, at: e.at.toISOString() }));
  /** A recorder over `real` whose next `failures` writes fail as an unreachable database does. */
  const failingFirst = (failures: number, real: OutcomeRecorder): OutcomeRecorder => {
    let left = failures;
    return async (delivery, outcome) => {
      if (left-- > 0) throw new AppError("UNAVAILABLE", "the database cannot be reached; try again");
      return real(delivery, outcome);
    };
  };

  it("on the last attempt: not failed, no failure on the timeline; the next run records it as sent without sending again", async () => {
    sender.clear();
    // The engine keeps one recorder for its life; so does this test.
    const recordOutcome = failingFirst(1, groupedOutcomeRecorder(deps));
    const lastAttempt = { attempt: 12, maxAttempts: 12, enqueuedAt: clock.now() };
    const delivery = await triggerPage("unrecorded-1");
    const sentAt = clock.now().toISOString();

    const err = await sendDelivery(deps, sender, delivery.id, lastAttempt, recordOutcome).then(
      () => assert.fail("a send whose record failed must not finish the job"),
      (e: unknown) => e,
    );
    assert.equal(sender.sent.length, 1);
    assert.match(String(err), /sent, but recording it failed: the database cannot be reached/);
    assert.ok(willRetry(err, lastAttempt, clock.now()), "the runner runs even a last attempt again");
    assert.equal((await page(delivery.incidentId)).status, "pending", "not marked failed: it was sent");
    assert.deepEqual(await notificationEntries(delivery.incidentId), []);

    clock.advance(MINUTE);
    await sendDelivery(deps, sender, delivery.id, lastAttempt, recordOutcome);
    assert.equal(sender.sent.length, 1, "written, not sent again");
    const recorded = await page(delivery.incidentId);
    assert.equal(recorded.status, "sent");
    assert.equal(recorded.sentAt?.toISOString(), sentAt, "stamped when it went out");
    assert.deepEqual(await notificationEntries(delivery.incidentId), [
      { kind: "notification.sent", at: sentAt },
    ]);

    // Recorded: a further run (a lease that expired meanwhile) does nothing.
    await sendDelivery(deps, sender, delivery.id, lastAttempt, recordOutcome);
    assert.equal(sender.sent.length, 1);
    assert.equal((await notificationEntries(delivery.incidentId)).length, 1);
  });

  it("the next run writes the kept outcome whichever recorder it is given, the default one too", async () => {
    sender.clear();
    const attempt = { attempt: 1, maxAttempts: 12, enqueuedAt: clock.now() };
    const delivery = await triggerPage("unrecorded-2");
    const sentAt = clock.now().toISOString();
    await assert.rejects(
      sendDelivery(deps, sender, delivery.id, attempt, failingFirst(1, groupedOutcomeRecorder(deps))),
      /sent, but recording it failed/,
    );
    assert.equal(sender.sent.length, 1);

    clock.advance(MINUTE);
    // No recorder passed: the default one, new on every call.
    await sendDelivery(deps, sender, delivery.id, { ...attempt, attempt: 2 });
    assert.equal(sender.sent.length, 1, "written, not sent again");
    assert.equal((await page(delivery.incidentId)).status, "sent");
    assert.deepEqual(await notificationEntries(delivery.incidentId), [
      { kind: "notification.sent", at: sentAt },
    ]);
  });
});
