import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy, updateEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { acknowledge, resolve } from "../../src/app/incidents/incident-actions.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { EscalationStep } from "../../src/core/escalation/policy.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";

const admin = { actor: systemActor("scenario"), requestId: null };

/** An Alertmanager webhook body with one alert. */
const alertmanagerBody = (
  status: "firing" | "resolved",
  alertname = "DiskAlmostFull",
  fingerprint = "5d4b1f0c2a9e7c31",
) => ({
  version: "4",
  groupKey: `{}/{team="storage"}:{alertname="${alertname}"}`,
  truncatedAlerts: 0,
  status,
  receiver: "firebreak",
  groupLabels: { alertname },
  commonLabels: { alertname, severity: "critical" },
  commonAnnotations: { summary: `${alertname} on db-7` },
  externalURL: "http://alertmanager.example.net",
  alerts: [
    {
      status,
      labels: { alertname, instance: "db-7:9100", severity: "critical" },
      annotations: { summary: `${alertname} on db-7` },
      startsAt: "2021-01-01T00:00:00Z",
      endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : "2021-01-01T00:30:00Z",
      generatorURL: "http://prometheus.example.net/graph",
      fingerprint,
    },
  ],
});

describeEachDialect("escalation scenarios (fake clock, no sleeps)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let key: string;
  let policyId: string;
  let steps: EscalationStep[];

  const post = (body: unknown) =>
    fb.http.inject({ method: "POST", url: `/integrations/alertmanager/${key}`, payload: body as object });
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const advance = async (ms: number) => {
    clock.advance(ms);
    return run();
  };
  const latestIncident = async () =>
    (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!;

  let START_MS = 0;
  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock();
    START_MS = clock.now().getTime();
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    const ada = await fb.user("responder", `ada-${dialect}@example.com`);
    const bob = await fb.user("responder", `bob-${dialect}@example.com`);
    for (const person of [ada, bob]) {
      await addContactMethod(fb.running.deps, admin, {
        userId: person.id,
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
    }
    steps = [
      { delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] },
      { delayMinutes: 10, targets: [{ kind: "user", userId: bob.id }] },
    ];
    policyId = (
      await createEscalationPolicy(fb.running.deps, admin, { name: "Storage primary", steps, repeatCount: 0 })
    ).id;
    const service = await createService(fb.running.deps, admin, {
      name: "storage",
      escalationPolicyId: policyId,
    });
    key = (await createIntegration(fb.running.deps, admin, { serviceId: service.id, kind: "alertmanager" }))
      .key;
  });
  after(() => fb?.close());

  it("alert → incident → step 1 → no ack → step 2 → ack stops it", async () => {
    assert.equal((await post(alertmanagerBody("firing"))).statusCode, 200);
    await run();
    assert.deepEqual(sender.summary(), [`Test responder:triggered`]);
    assert.match(sender.sent[0]!.message.title, /DiskAlmostFull on db-7/);
    assert.ok(
      sender.sent[0]!.message.acknowledgeUrl?.includes("/actions/"),
      "a person gets a signed acknowledge link",
    );

    await advance(5 * MINUTE - 1);
    assert.equal(sender.sent.length, 1, "not before the step's ack timeout");
    await advance(1);
    assert.equal(sender.sent.length, 2);
    assert.equal(sender.sent[1]!.message.event, "escalated");

    const incident = await latestIncident();
    await acknowledge(fb.running.deps, admin, `INC-${incident.number}`);
    await advance(60 * MINUTE);
    assert.equal(sender.sent.length, 2, "acknowledged: nobody else is paged");
    const detail = await getIncident(fb.running.deps, admin, incident.id);
    assert.deepEqual(
      detail.timeline.map((e) => e.kind),
      [
        "incident.triggered",
        "escalation.started",
        "notification.sent",
        "incident.escalated",
        "notification.sent",
        "incident.acknowledged",
      ],
    );
    assert.equal(detail.incident.state, "acknowledged");
  });

  it("a page that comes due after the acknowledgement is skipped, not sent", async () => {
    await post(alertmanagerBody("firing"));
    const incident = await latestIncident();
    await acknowledge(fb.running.deps, admin, `INC-${incident.number}`);
    await run();
    assert.equal(sender.sent.length, 0, "nobody is woken for an incident someone already has");
    const deliveries = await fb.running.deps.uow.run((tx) => tx.deliveries.listForIncident(incident.id));
    assert.deepEqual(
      deliveries.map((d) => [d.event, d.status]),
      [["triggered", "skipped"]],
    );
    await advance(60 * MINUTE);
    assert.equal(sender.sent.length, 0);
  });

  it("the same alert delivered twice changes nothing", async () => {
    await post(alertmanagerBody("firing"));
    await post(alertmanagerBody("firing"));
    await run();
    const incidents = await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 10 }));
    assert.equal(incidents.length, 1);
    assert.equal(sender.sent.length, 1);
  });

  it("repeats the policy, then stops when every round was tried", async () => {
    await updateEscalationPolicy(fb.running.deps, admin, policyId, {
      name: "Storage primary",
      steps,
      repeatCount: 1,
    });
    await post(alertmanagerBody("firing"));
    await run();
    await advance(5 * MINUTE); // step 2
    await advance(10 * MINUTE); // round 2, step 1
    await advance(5 * MINUTE); // round 2, step 2
    await advance(10 * MINUTE); // exhausted
    await advance(60 * MINUTE);
    assert.deepEqual(
      sender.sent.map((s) => s.message.event),
      ["triggered", "escalated", "escalated", "escalated"],
    );
    const detail = await getIncident(fb.running.deps, admin, (await latestIncident()).id);
    assert.equal(detail.timeline.at(-1)?.kind, "escalation.exhausted");
  });

  it("resolving stops everything, and the source's resolve resolves the incident", async () => {
    await post(alertmanagerBody("firing"));
    await run();
    await resolve(fb.running.deps, admin, (await latestIncident()).id);
    await advance(60 * MINUTE);
    assert.equal(sender.sent.length, 1);

    await post(alertmanagerBody("firing", "HighLatency", "aaaaaaaaaaaaaaaa"));
    await run();
    assert.equal(sender.sent.length, 2);
    await post(alertmanagerBody("resolved", "HighLatency", "aaaaaaaaaaaaaaaa"));
    await advance(60 * MINUTE);
    assert.equal((await latestIncident()).state, "resolved", "all its alerts resolved");
    assert.equal(sender.sent.length, 2, "no escalation after the resolve");
  });

  it("a policy edited mid-escalation does not change the escalation in flight", async () => {
    await post(alertmanagerBody("firing"));
    await run();
    // Step 2 now pages ada again and waits an hour; the open incident keeps its snapshot.
    await updateEscalationPolicy(fb.running.deps, admin, policyId, {
      name: "Edited",
      steps: [steps[0]!, { delayMinutes: 60, targets: steps[0]!.targets }],
      repeatCount: 0,
    });
    await advance(5 * MINUTE);
    assert.deepEqual(
      sender.sent.map((s) => s.message.event),
      ["triggered", "escalated"],
    );
    assert.notEqual(sender.sent[1]!.message.recipientName, null);
    const incident = await latestIncident();
    assert.equal(incident.escalation?.policyName, "Storage primary");
    assert.equal(incident.escalation?.steps[1]?.delayMinutes, 10);
  });

  it("a receiver that fails with a retryable error gets the message exactly once more", async () => {
    sender.failNext(1, true);
    await post(alertmanagerBody("firing"));
    assert.deepEqual(await run(), { succeeded: 0, retried: 1, failed: 0 });
    assert.equal(sender.sent.length, 0);
    await advance(MINUTE);
    assert.equal(sender.sent.length, 1);
    await advance(MINUTE);
    assert.equal(sender.sent.filter((s) => s.message.event === "triggered").length, 1);
  });

  it("pages held back through a receiver's hour-long outage arrive once it is back, none given up", async () => {
    sender.holdBackNext(30);
    await post(alertmanagerBody("firing"));
    for (let minutes = 0; minutes < 180 && sender.sent.length < 2; minutes += 5) await advance(5 * MINUTE);
    assert.ok(clock.now().getTime() - START_MS >= 60 * MINUTE, "held back for an hour");
    assert.deepEqual(sender.summary().sort(), ["Test responder:escalated", "Test responder:triggered"]);
    const detail = await getIncident(fb.running.deps, admin, (await latestIncident()).id);
    assert.equal(detail.timeline.filter((e) => e.kind === "notification.failed").length, 0);
    const deliveries = await fb.running.deps.uow.run((tx) =>
      tx.deliveries.listForIncident(detail.incident.id),
    );
    assert.deepEqual(
      deliveries.filter((d) => d.recipientKind === "user").map((d) => [d.status, d.attempts]),
      [
        ["sent", 1],
        ["sent", 1],
      ],
      "held-back runs are not counted as attempts",
    );
  });

  it("a permanent failure is written on the timeline and escalation goes on", async () => {
    sender.failNext(1, false, "receiver answered 404: no such webhook");
    await post(alertmanagerBody("firing"));
    await run();
    await advance(5 * MINUTE);
    const detail = await getIncident(fb.running.deps, admin, (await latestIncident()).id);
    const failed = detail.timeline.find((e) => e.kind === "notification.failed");
    assert.match(failed?.message ?? "", /failed: receiver answered 404/);
    assert.deepEqual(sender.summary(), ["Test responder:escalated"]);
  });
});
