import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { alertmanagerBody } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const system = { actor: systemActor("test"), requestId: null };
const ADA_SLACK = "U024BE7LH";
const NOT_LINKED = /Your Slack account is not linked to a Firebreak user/;

const sign = (body: string, timestamp: number, secret = SIGNING_SECRET) =>
  `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;

const blockActions = (slackUserId: string, actionId: string, value: string) =>
  `payload=${encodeURIComponent(
    JSON.stringify({
      type: "block_actions",
      user: { id: slackUserId, username: "someone", team_id: "T0001" },
      team: { id: "T0001" },
      response_url: "https://hooks.slack.com/actions/T0001/1/xyz",
      actions: [
        {
          type: "button",
          action_id: actionId,
          block_id: "incident_actions",
          value,
          action_ts: "1609459200.000100",
        },
      ],
    }),
  )}`;

describeEachDialect("Slack app interactions", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let adaId: string;
  let key: string;
  const now = () => Math.floor(clock.now().getTime() / 1000);

  const interact = (body: string, options: { timestamp?: number; signature?: string } = {}) => {
    const timestamp = options.timestamp ?? now();
    return fb.http.inject({
      method: "POST",
      url: "/slack/interactions",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": options.signature ?? sign(body, timestamp),
      },
      payload: body,
    });
  };
  const newIncident = async (alertname: string): Promise<Incident> => {
    await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody("firing", alertname),
    });
    return (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!;
  };
  const reload = (id: string) => fb.running.deps.uow.run(async (tx) => (await tx.incidents.findById(id))!);

  before(async () => {
    clock = new FakeClock();
    fb = await startTestFirebreak({
      dialect,
      clock,
      sender: new RecordingSender(),
      startEngine: false,
      env: { FIREBREAK_SLACK_SIGNING_SECRET: SIGNING_SECRET },
    });
    adaId = (await fb.user("responder", `ada-${dialect}@example.com`)).id;
    // Ada links her Slack account by naming her member ID in a Slack contact method's label.
    await addContactMethod(fb.running.deps, system, {
      userId: adaId,
      kind: "slack",
      label: `Slack ${ADA_SLACK}`,
      config: { mode: "webhook", url: "https://hooks.slack.com/services/T0001/B0001/secret" },
    });
    const policy = await createEscalationPolicy(fb.running.deps, system, {
      name: "Primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] }],
      repeatCount: 0,
    });
    const service = await createService(fb.running.deps, system, {
      name: "storage",
      escalationPolicyId: policy.id,
    });
    key = (await createIntegration(fb.running.deps, system, { serviceId: service.id, kind: "alertmanager" }))
      .key;
  });
  after(() => fb.close());

  it("a correctly signed Acknowledge click acknowledges as the linked user", async () => {
    const incident = await newIncident("Disk");
    const res = await interact(blockActions(ADA_SLACK, "incident_ack", incident.id));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      response_type: "ephemeral",
      replace_original: false,
      text: `INC-${incident.number} is acknowledged (as ada-${dialect}@example.com).`,
    });
    const acked = await reload(incident.id);
    assert.equal(acked.state, "acknowledged");
    assert.equal(acked.acknowledgedBy, adaId);
    const entry = (await getIncident(fb.running.deps, system, incident.id)).timeline.find(
      (e) => e.kind === "incident.acknowledged",
    );
    assert.equal(entry?.actor?.id, adaId);

    const resolved = await interact(blockActions(ADA_SLACK, "incident_resolve", incident.id));
    assert.equal(resolved.statusCode, 200);
    assert.equal((await reload(incident.id)).state, "resolved");
    // Acknowledging a resolved incident is refused, in words for the person who clicked.
    const late = await interact(blockActions(ADA_SLACK, "incident_ack", incident.id));
    assert.equal(late.statusCode, 200);
    assert.match((late.json() as { text: string }).text, /is resolved/);
  });

  it("a bad signature is a 401 and does nothing", async () => {
    const incident = await newIncident("Memory");
    const body = blockActions(ADA_SLACK, "incident_ack", incident.id);
    assertProblem(
      await interact(body, { signature: sign(body, now(), "another-apps-secret") }),
      401,
      "UNAUTHENTICATED",
    );
    assertProblem(await interact(body, { signature: "v0=deadbeef" }), 401, "UNAUTHENTICATED");
    // Signed, then changed on the way.
    const signature = sign(body, now());
    assertProblem(
      await interact(body.replace("incident_ack", "incident_resolve"), { signature }),
      401,
      "UNAUTHENTICATED",
    );
    assert.equal((await reload(incident.id)).state, "triggered");
  });

  it("a stale timestamp is a 401, however well signed", async () => {
    const incident = await newIncident("Stale");
    const stale = now() - 6 * 60;
    const body = blockActions(ADA_SLACK, "incident_ack", incident.id);
    assertProblem(
      await interact(body, { timestamp: stale, signature: sign(body, stale) }),
      401,
      "UNAUTHENTICATED",
    );
    assert.equal((await reload(incident.id)).state, "triggered");
  });

  it("a Slack member not linked to anyone is told how to link, and nothing happens", async () => {
    const incident = await newIncident("Unlinked");
    const res = await interact(blockActions("U0NOBODY1", "incident_ack", incident.id));
    assert.equal(res.statusCode, 200);
    assert.match((res.json() as { text: string }).text, NOT_LINKED);
    assert.equal((await reload(incident.id)).state, "triggered");
  });

  it("answers Slack's ssl_check, and ignores other clicks", async () => {
    const check = await fb.http.inject({
      method: "POST",
      url: "/slack/interactions",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "ssl_check=1&token=x",
    });
    assert.equal(check.statusCode, 200);
    const other = await interact(blockActions(ADA_SLACK, "incident_open", "whatever"));
    assert.equal(other.statusCode, 200);
    assert.deepEqual(other.json(), {});
  });

  it("is a 404 when no signing secret is configured", async () => {
    const bare = await startTestFirebreak({ startEngine: false });
    try {
      const body = blockActions(ADA_SLACK, "incident_ack", "x");
      const res = await bare.http.inject({
        method: "POST",
        url: "/slack/interactions",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": "1",
          "x-slack-signature": sign(body, 1),
        },
        payload: body,
      });
      assert.match(assertProblem(res, 404, "NOT_FOUND").detail, /FIREBREAK_SLACK_SIGNING_SECRET/);
    } finally {
      await bare.close();
    }
  });
});
