import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { createUser } from "../../src/app/users/create-user.js";
import type { Delivery, TimelineEntry } from "../../src/core/alerts/records.js";
import type { EscalationStep } from "../../src/core/escalation/policy.js";
import { setupCaller } from "../support/alerting-setup.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE, SECOND } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import { RecordingSender } from "../support/recording-sender.js";

// What the timeline says when paging came late: an escalation step whose timer was due while no
// engine ran (run by hand here, with a fake clock), and a message that got through only after its
// receiver failed several times. No sleeps: the clock moves only when the test moves it.

const WHY_LATE = "Firebreak was not running or was behind";

describeEachDialect("late steps and retried messages on the timeline (fake clock)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let alice: string;
  let bob: string;
  let counter = 0;

  const run = () => fb.running.runner!.runDueOnce();
  const person = async (name: string) => {
    const user = await createUser(fb.running.deps, setupCaller, {
      email: `${name.split(" ")[0]!.toLowerCase()}-${dialect}-${++counter}@example.com`,
      name,
      role: "responder",
      password: "correct horse battery staple",
    });
    await addContactMethod(fb.running.deps, setupCaller, {
      userId: user.id,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    return user.id;
  };
  /** A service paging through `steps`; returns its PagerDuty routing key. */
  const servicePaging = async (steps: EscalationStep[], repeatCount: number) => {
    const policy = await createEscalationPolicy(fb.running.deps, setupCaller, {
      name: `policy ${++counter}`,
      steps,
      repeatCount,
    });
    const service = await createService(fb.running.deps, setupCaller, {
      name: `service ${++counter}`,
      escalationPolicyId: policy.id,
    });
    return (
      await createIntegration(fb.running.deps, setupCaller, { serviceId: service.id, kind: "pagerduty" })
    ).key;
  };
  /** Opens an incident through the PagerDuty route; returns its id. */
  const trigger = async (routingKey: string) => {
    const res = await fb.http.inject({
      method: "POST",
      url: "/v2/enqueue",
      payload: pagerDutyTrigger({
        routingKey,
        dedupKey: `late-${++counter}`,
        summary: "disk full",
        source: "db-1",
      }),
    });
    assert.equal(res.statusCode, 202, res.body);
    const [incident] = await fb.running.store.read((tx) => tx.incidents.list({ limit: 1 }));
    return incident!.id;
  };
  const timelineOf = (incidentId: string): Promise<TimelineEntry[]> =>
    fb.running.store.read((tx) => tx.timeline.listForIncident(incidentId));
  const pageOf = async (incidentId: string): Promise<Delivery> =>
    (await fb.running.store.read((tx) => tx.deliveries.listForIncident(incidentId))).find(
      (d) => d.recipientKind === "user",
    )!;
  /** When the page's job is due next (its retry, after a failed try). */
  const pageJobRunAt = async (delivery: Delivery): Promise<number> => {
    const row = await fb.running.store.handle.db
      .selectFrom("jobs")
      .select("run_at")
      .where("kind", "=", "notification.send")
      .where("payload_json", "like", `%${delivery.id}%`)
      .executeTakeFirstOrThrow();
    return Number(row.run_at);
  };

  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    alice = await person("Alice Admin");
    bob = await person("Bob Responder");
  });
  after(() => fb?.close());

  it("a step (and a repeat) that ran late says how late and why; one on time says nothing", async () => {
    const key = await servicePaging(
      [
        { delayMinutes: 5, targets: [{ kind: "user", userId: alice }] },
        { delayMinutes: 10, targets: [{ kind: "user", userId: bob }] },
      ],
      1,
    );
    const openedAt = clock.now().getTime();
    const incidentId = await trigger(key);
    await run();

    // Step 2 was due 5 min in; no engine ran until 3 min 20 s after that.
    clock.advance(5 * MINUTE + 3 * MINUTE + 20 * SECOND);
    await run();
    const step2Ran = clock.now().getTime();
    // Round 2's step 1, on time; its step 2, 61 s late; then the timer that finds no step left, 2 h late.
    clock.advance(10 * MINUTE);
    await run();
    clock.advance(5 * MINUTE + 61 * SECOND);
    await run();
    const round2Step2Ran = clock.now().getTime();
    clock.advance(10 * MINUTE + 2 * HOUR);
    await run();

    const timeline = await timelineOf(incidentId);
    const steps = timeline.filter((e) => e.kind.startsWith("escalation.") || e.kind === "incident.escalated");
    assert.deepEqual(
      steps.map((e) => e.message),
      [
        "Step 1: paged Alice Admin",
        `Step 2: paged Bob Responder (ran 3 min 20 s after it was due: ${WHY_LATE})`,
        "Step 1 (round 2): paged Alice Admin",
        `Step 2 (round 2): paged Bob Responder (ran 1 min 1 s after it was due: ${WHY_LATE})`,
        `Every escalation step was tried and nobody acknowledged (ran 2 h after it was due: ${WHY_LATE})`,
      ],
    );
    const lateFacts = steps.map((e) => ({ dueAt: e.data.dueAt, lateMs: e.data.lateMs }));
    assert.deepEqual(lateFacts, [
      { dueAt: undefined, lateMs: undefined },
      { dueAt: new Date(openedAt + 5 * MINUTE).toISOString(), lateMs: 200_000 },
      { dueAt: undefined, lateMs: undefined },
      { dueAt: new Date(step2Ran + 15 * MINUTE).toISOString(), lateMs: 61_000 },
      { dueAt: new Date(round2Step2Ran + 10 * MINUTE).toISOString(), lateMs: 2 * HOUR },
    ]);
    assert.equal(steps[1]!.data.step, 2, "the step's own facts stay");

    // Bob's page went out as the late step ran: the message itself was not late.
    assert.ok(timeline.some((e) => e.message === "Notified Bob Responder by webhook (pager)"));
  });

  it("a message that got through after 8 failed tries says so once, with the last error in its data", async () => {
    const key = await servicePaging([{ delayMinutes: 60, targets: [{ kind: "user", userId: alice }] }], 0);
    sender.failNext(8, true, "webhook answered HTTP 500");
    const incidentId = await trigger(key);
    const dueAt = clock.now().getTime();

    for (let tries = 0; tries < 8; tries++) {
      await run();
      const page = await pageOf(incidentId);
      assert.equal(page.status, "pending");
      assert.equal(page.attempts, tries + 1);
      if (tries < 7) clock.set(await pageJobRunAt(page));
    }
    // Eight retries wait at most 1 + 2 + … + 128 s: by 4 min 30 s the ninth try is due.
    assert.ok((await pageJobRunAt(await pageOf(incidentId))) <= dueAt + 4 * MINUTE + 30 * SECOND);
    clock.set(dueAt + 4 * MINUTE + 30 * SECOND);
    await run();

    const page = await pageOf(incidentId);
    assert.equal(page.status, "sent");
    assert.equal(sender.sent.length, 1);
    const entries = (await timelineOf(incidentId)).filter((e) => e.kind.startsWith("notification."));
    assert.deepEqual(
      entries.map((e) => [e.kind, e.message]),
      [
        [
          "notification.sent",
          "Notified Alice Admin by webhook (pager) after 9 tries, 4 min 30 s after it was due",
        ],
      ],
      "one entry for the delivery, none per failed try",
    );
    assert.deepEqual(
      { ...entries[0]!.data, deliveryId: undefined },
      {
        deliveryId: undefined,
        event: "triggered",
        attempts: 9,
        dueAt: new Date(dueAt).toISOString(),
        lateMs: 4 * MINUTE + 30 * SECOND,
        lastError: "webhook answered HTTP 500",
      },
    );
  });

  it("a message sent on its first try, late because no engine ran, says why", async () => {
    const key = await servicePaging([{ delayMinutes: 60, targets: [{ kind: "user", userId: bob }] }], 0);
    const incidentId = await trigger(key);
    clock.advance(2 * MINUTE + 5 * SECOND);
    await run();
    const sent = (await timelineOf(incidentId)).filter((e) => e.kind === "notification.sent");
    assert.deepEqual(
      sent.map((e) => e.message),
      [`Notified Bob Responder by webhook (pager), 2 min 5 s after it was due (${WHY_LATE})`],
    );
    assert.equal(sent[0]!.data.attempts, 1);
    assert.equal(sent[0]!.data.lateMs, 125_000);
    assert.equal(sent[0]!.data.lastError, undefined);
  });
});
