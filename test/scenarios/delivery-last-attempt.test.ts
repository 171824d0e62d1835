import assert from "node:assert/strict";
import { after, before, beforeEach, it } from "node:test";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import type { NotificationSender } from "../../src/app/ports/notifications.js";
import type { Tx } from "../../src/app/ports/store.js";
import type { Delivery } from "../../src/core/alerts/records.js";
import { AppError } from "../../src/core/errors.js";
import { HELD_BACK_ALLOWANCE_MS } from "../../src/core/jobs/retry-decision.js";
import type { JobRunner } from "../../src/engine/job-runner.js";
import { heldBackError } from "../../src/notifiers/receiver-gate.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createServicePagingOneResponder, setupCaller } from "../support/alerting-setup.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import { RecordingSender } from "../support/recording-sender.js";

// A page always ends sent or failed, even when its last attempt comes more than a day after it was
// planned (past the allowance in which held-back sends keep their attempts): a send whose record
// fails is written by the next run, and so is a failure for good, which lands on the timeline.
// The engine runs by hand, an hour of the fake clock at a time.

/** One receiver (the responder's webhook): held back, as its open gate does, while `down`. */
class ReceiverThatComesBack implements NotificationSender {
  readonly recording = new RecordingSender();
  down = true;
  async send(...args: Parameters<NotificationSender["send"]>) {
    if (this.down) throw heldBackError("Webhook (127.0.0.1:9)", { retryAfterMs: HOUR, failures: 5 });
    return this.recording.send(...args);
  }
}

describeEachDialect("a page's last attempt, more than a day after it was planned (fake clock)", (dialect) => {
  let fb: TestFirebreak;
  let runner: JobRunner;
  let routingKey: string;
  let alertCounter = 0;
  const clock = new FakeClock();
  let receiver: ReceiverThatComesBack;
  /** Called once, as a page's job is claimed for its last attempt. */
  let onLastAttempt: () => void;

  before(async () => {
    receiver = new ReceiverThatComesBack();
    fb = await startTestFirebreak({ dialect, clock, sender: receiver, startEngine: false });
    runner = fb.running.runner!;
    runner.events.on("job:claimed", ({ job }) => {
      if (job.kind !== "notification.send" || job.attempts !== job.maxAttempts) return;
      // Once: a run that only writes a kept outcome is claimed at the same attempt again.
      const first = onLastAttempt;
      onLastAttempt = () => undefined;
      first();
    });
    const service = await createServicePagingOneResponder(fb, {
      serviceName: "late pages",
      policyName: "late pages policy",
      email: "late-pages-oncall@example.com",
    });
    const integration = await createIntegration(fb.running.deps, setupCaller, {
      serviceId: service.id,
      kind: "pagerduty",
    });
    routingKey = integration.key;
  });
  after(() => fb?.close());
  beforeEach(() => {
    receiver.down = true;
    receiver.recording.clear();
    onLastAttempt = () => undefined;
    delete (fb.running.store as { run?: unknown }).run;
  });

  /** Opens an incident and returns its page to the responder, planned at the clock's now. */
  const triggerPage = async (): Promise<Delivery> => {
    const res = await fb.http.inject({
      method: "POST",
      url: "/v2/enqueue",
      payload: pagerDutyTrigger({
        routingKey,
        dedupKey: `late-${++alertCounter}`,
        summary: "disk full",
        source: "db-1",
      }),
    });
    assert.equal(res.statusCode, 202, res.body);
    const [incident] = await fb.running.store.read((tx) => tx.incidents.list({ limit: 1 }));
    return (await pageOf(incident!.id))!;
  };
  const pageOf = async (incidentId: string) =>
    (await fb.running.store.read((tx) => tx.deliveries.listForIncident(incidentId))).find(
      (d) => d.recipientKind === "user",
    );
  const timelineOf = async (incidentId: string) =>
    fb.running.store.read((tx) => tx.timeline.listForIncident(incidentId));
  /** The page's job, while it is still to run (not done, not given up). */
  const jobStillToRun = async (delivery: Delivery) =>
    (
      await fb.running.store.handle.db
        .selectFrom("jobs")
        .select("id")
        .where("kind", "=", "notification.send")
        .where("payload_json", "like", `%${delivery.id}%`)
        .where("failed_at", "is", null)
        .execute()
    ).length > 0;
  /** Runs the engine every hour until the page is no longer pending or its job stopped running. */
  const runHourlyUntilSettled = async (delivery: Delivery): Promise<Delivery> => {
    for (let hour = 0; hour < 72; hour++) {
      await runner.runDueOnce();
      const now = (await pageOf(delivery.incidentId))!;
      if (now.status !== "pending" || !(await jobStillToRun(delivery))) return now;
      clock.advance(HOUR);
    }
    assert.fail("the page's job still runs after 72 hours");
  };
  /**
   * The next `count` writes of delivery outcomes fail as they do while the database cannot be
   * reached; every other write goes through.
   */
  const failOutcomeWrites = (count: number) => {
    const store = fb.running.store;
    let left = count;
    const failing = (tx: Tx): Tx => ({
      ...tx,
      deliveries: {
        ...tx.deliveries,
        recordAttempts: async (deliveries) => {
          if (left-- > 0) throw new AppError("UNAVAILABLE", "the database cannot be reached; try again");
          return tx.deliveries.recordAttempts(deliveries);
        },
      },
    });
    const run = KyselyStore.prototype.run.bind(store);
    store.run = (work, options) => run((tx) => work(failing(tx)), options);
  };

  it("held back for more than a day: its last attempt fails it on the timeline, and the escalation went on meanwhile", async () => {
    const delivery = await triggerPage();
    const settled = await runHourlyUntilSettled(delivery);

    assert.equal(settled.status, "failed");
    assert.match(settled.lastError ?? "", /not tried/);
    assert.equal(receiver.recording.sent.length, 0);
    assert.ok(clock.now().getTime() - delivery.createdAt.getTime() > HELD_BACK_ALLOWANCE_MS);
    const timeline = await timelineOf(delivery.incidentId);
    const failed = timeline.filter((e) => e.kind === "notification.failed");
    assert.deepEqual(
      failed.map((e) => e.message),
      [`Notifying Test responder by webhook (pager) failed: ${settled.lastError}`],
    );
    // The escalation did not wait for the page: its only step ran out an hour after it began.
    const exhausted = timeline.find((e) => e.kind === "escalation.exhausted");
    assert.equal(exhausted?.at.getTime(), delivery.createdAt.getTime() + HOUR);
    assert.equal(await jobStillToRun(delivery), false);
  });

  it("sent on its last attempt, more than a day late, with its record failing: the next run records it as sent", async () => {
    const delivery = await triggerPage();
    onLastAttempt = () => {
      assert.ok(clock.now().getTime() - delivery.createdAt.getTime() > HELD_BACK_ALLOWANCE_MS);
      receiver.down = false;
      failOutcomeWrites(1);
    };
    const settled = await runHourlyUntilSettled(delivery);

    assert.equal(settled.status, "sent", "the job must not give up with the page sent and not recorded");
    assert.equal(receiver.recording.sent.length, 1, "written by the next run, not sent again");
    const sent = (await timelineOf(delivery.incidentId)).filter((e) => e.kind.startsWith("notification."));
    assert.deepEqual(
      sent.map((e) => e.kind),
      ["notification.sent"],
    );
    assert.equal(await jobStillToRun(delivery), false);
  });

  it("failed for good on its last attempt, more than a day late, with its record failing: the next run writes the failure on the timeline", async () => {
    const delivery = await triggerPage();
    onLastAttempt = () => failOutcomeWrites(1);
    const settled = await runHourlyUntilSettled(delivery);

    assert.equal(settled.status, "failed", "the job must not give up with the failure unwritten");
    assert.equal(receiver.recording.sent.length, 0);
    const failed = (await timelineOf(delivery.incidentId)).filter((e) => e.kind === "notification.failed");
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.message, /^Notifying Test responder by webhook \(pager\) failed: .*not tried/);
    assert.equal(await jobStillToRun(delivery), false);
  });
});
