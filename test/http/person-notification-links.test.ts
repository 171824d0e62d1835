import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { addContactMethod, setNotificationRules } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { alertmanagerBody, pathOf, PUBLIC_URL } from "./alerting-helpers.js";

const system = { actor: systemActor("test"), requestId: null };
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** Links in the messages a person's rules send: when they arrive late, and once paging started over. */
describeEachDialect("signed links in a person's paged messages", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let key: string;
  let adaId: string;
  let pushId: string;

  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const post = (status: "firing" | "resolved") =>
    fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody(status),
    });
  const confirm = (url: string) =>
    fb.http.inject({ method: "POST", url: pathOf(url), headers: FORM, payload: "" });
  const open = (url: string) =>
    fb.http.inject({ method: "GET", url: pathOf(url), headers: { accept: "text/html" } });
  const incident = async () => (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!;

  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({
      dialect,
      clock,
      sender,
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL },
    });
    adaId = (await fb.user("responder", `ada-${dialect}@example.com`)).id;
    pushId = (
      await addContactMethod(fb.running.deps, system, {
        userId: adaId,
        kind: "webhook",
        label: "push",
        config: { url: "http://127.0.0.1:9/push" },
      })
    ).id;
    const policy = await createEscalationPolicy(fb.running.deps, system, {
      name: "Primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] }],
      repeatCount: 0,
    });
    const service = await createService(fb.running.deps, system, {
      name: "storage",
      escalationPolicyId: policy.id,
      reopenWindowMinutes: 60,
    });
    key = (await createIntegration(fb.running.deps, system, { serviceId: service.id, kind: "alertmanager" }))
      .key;
  });
  after(() => fb?.close());

  it("a rule at the longest delay (a day) sends links that still work when it arrives", async () => {
    await setNotificationRules(fb.running.deps, system, adaId, [
      { contactMethodId: pushId, delayMinutes: 24 * 60 },
    ]);
    await post("firing");
    await run();
    assert.equal(sender.sent.length, 0);
    clock.advance(24 * 60 * MINUTE);
    await run();
    assert.equal(sender.sent.length, 1, "nobody acknowledged: the day-later rule goes out");
    const done = await confirm(sender.sent[0]!.message.acknowledgeUrl!);
    assert.equal(done.statusCode, 200, done.body);
    assert.equal((await incident()).state, "acknowledged");
  });

  it("a link from before the incident was reopened does not act on the reopened page", async () => {
    await post("firing");
    await run();
    const first = sender.sent[0]!.message;
    clock.advance(MINUTE);
    await post("resolved");
    clock.advance(MINUTE);
    await post("firing");
    await run();
    assert.equal((await incident()).state, "triggered", "reopened");

    for (const res of [
      await open(first.resolveUrl!),
      await confirm(first.resolveUrl!),
      await confirm(first.acknowledgeUrl!),
    ]) {
      assert.equal(res.statusCode, 412, res.body);
      assert.match(res.body, /paged again after this link was sent/);
    }
    assert.equal((await incident()).state, "triggered", "the stale links changed nothing");
    // The reopened page's own link works.
    assert.equal((await confirm(sender.sent.at(-1)!.message.acknowledgeUrl!)).statusCode, 200);
    assert.equal((await incident()).state, "acknowledged");
  });
});
