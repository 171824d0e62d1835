import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { createChannel } from "../../src/app/channels/manage-channels.js";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { acknowledge, escalateNow } from "../../src/app/incidents/incident-actions.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender, type SentMessage } from "../support/recording-sender.js";

const admin = { actor: systemActor("scenario"), requestId: null };
const NOBODY = "Nobody acknowledged: every step of Storage primary was tried";

const alertmanagerBody = {
  version: "4",
  groupKey: `{}/{team="storage"}:{alertname="DiskAlmostFull"}`,
  truncatedAlerts: 0,
  status: "firing",
  receiver: "firebreak",
  groupLabels: { alertname: "DiskAlmostFull" },
  commonLabels: { alertname: "DiskAlmostFull", severity: "critical" },
  commonAnnotations: { summary: "DiskAlmostFull on db-7" },
  externalURL: "http://alertmanager.example.net",
  alerts: [
    {
      status: "firing",
      labels: { alertname: "DiskAlmostFull", instance: "db-7:9100", severity: "critical" },
      annotations: { summary: "DiskAlmostFull on db-7" },
      startsAt: "2021-01-01T00:00:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example.net/graph",
      fingerprint: "5d4b1f0c2a9e7c31",
    },
  ],
};

/** The shared channel's messages saying the policy ran out. */
const ranOut = (sent: readonly SentMessage[]) =>
  sent.filter(
    (s) =>
      s.message.recipientName !== "Test responder" &&
      s.message.event === "escalated" &&
      s.message.details.some((d) => d.value === NOBODY),
  );

describeEachDialect("escalation runs out: the shared channel hears it (fake clock)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;

  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const advance = async (ms: number) => {
    clock.advance(ms);
    return run();
  };
  const latestIncident = async () =>
    (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!;

  /** One step (5 minutes, Ada), no repeat; with or without a shared channel. Returns the alert's POST. */
  const setUp = async (withChannel: boolean) => {
    const deps = fb.running.deps;
    const ada = await fb.user("responder", `ada-${dialect}@example.com`);
    await addContactMethod(deps, admin, {
      userId: ada.id,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    const policy = await createEscalationPolicy(deps, admin, {
      name: "Storage primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    const channel = withChannel
      ? await createChannel(deps, admin, {
          name: "ops",
          kind: "webhook",
          config: { url: "http://127.0.0.1:9/channel" },
        })
      : null;
    const service = await createService(deps, admin, {
      name: "storage",
      escalationPolicyId: policy.id,
      ...(channel && { channelId: channel.id }),
    });
    const { key } = await createIntegration(deps, admin, { serviceId: service.id, kind: "alertmanager" });
    return () =>
      fb.http.inject({ method: "POST", url: `/integrations/alertmanager/${key}`, payload: alertmanagerBody });
  };

  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
  });
  after(() => fb?.close());

  it("nobody acknowledges step 1: the channel is told once, and why, first", async () => {
    const post = await setUp(true);
    assert.equal((await post()).statusCode, 200);
    await run();
    assert.deepEqual(
      sender.sent.map((s) => s.message.event),
      ["triggered", "triggered"],
      "Ada is paged, the channel told",
    );
    await advance(5 * MINUTE - 1);
    assert.equal(ranOut(sender.sent).length, 0, "not before the step's timeout");
    await advance(1);
    await advance(60 * MINUTE);
    const told = ranOut(sender.sent);
    assert.equal(told.length, 1, "exactly one message says the policy ran out");
    assert.deepEqual(told[0]!.message.details[0], { label: "Escalation", value: NOBODY });
    assert.equal(told[0]!.message.acknowledgeUrl, null, "a channel gets no signed links");
    assert.equal(sender.sent.length, 3, "and nobody else is paged");

    const detail = await getIncident(fb.running.deps, admin, (await latestIncident()).id);
    assert.equal(detail.incident.state, "triggered");
    assert.ok(detail.timeline.some((e) => e.kind === "escalation.exhausted"));
  });

  it("run out again after escalate-now: the channel is told again", async () => {
    const post = await setUp(true);
    await post();
    await run();
    await advance(5 * MINUTE);
    assert.equal(ranOut(sender.sent).length, 1);
    const incident = await latestIncident();
    await escalateNow(fb.running.deps, admin, `INC-${incident.number}`);
    await run();
    await advance(5 * MINUTE);
    assert.equal(ranOut(sender.sent).length, 2, "the second run-out is a new message");
  });

  it("acknowledged before the timeout: the channel hears the acknowledgement, not a run-out", async () => {
    const post = await setUp(true);
    await post();
    await run();
    await acknowledge(fb.running.deps, admin, `INC-${(await latestIncident()).number}`);
    await advance(60 * MINUTE);
    assert.equal(ranOut(sender.sent).length, 0);
    assert.equal(
      sender.sent.filter((s) => s.message.event === "escalated").length,
      0,
      "no escalated message of any kind",
    );
  });

  it("a service without a channel: nothing more is sent and the escalation ends cleanly", async () => {
    const post = await setUp(false);
    await post();
    await run();
    await advance(5 * MINUTE);
    await advance(60 * MINUTE);
    assert.deepEqual(sender.summary(), ["Test responder:triggered"]);
    const detail = await getIncident(fb.running.deps, admin, (await latestIncident()).id);
    assert.equal(detail.timeline.at(-1)?.kind, "escalation.exhausted");
    const deliveries = await fb.running.deps.uow.run((tx) =>
      tx.deliveries.listForIncident(detail.incident.id),
    );
    assert.deepEqual(
      deliveries.map((d) => `${d.recipientKind} ${d.event} ${d.status}`),
      ["user triggered sent"],
    );
  });
});
