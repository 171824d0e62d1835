import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { acknowledgeIncident } from "../../src/app/incidents/incident-lifecycle.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { updateUser } from "../../src/app/users/update-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { alertmanagerBody, pathOf, PUBLIC_URL } from "./alerting-helpers.js";

const system = { actor: systemActor("test"), requestId: null };
const FORM = { "content-type": "application/x-www-form-urlencoded" };

describeEachDialect("signed acknowledge/resolve links", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let adaId: string;

  const incident = async () => (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!;
  const open = (url: string) =>
    fb.http.inject({ method: "GET", url: pathOf(url), headers: { accept: "text/html" } });
  const confirm = (url: string) =>
    fb.http.inject({ method: "POST", url: pathOf(url), headers: FORM, payload: "" });

  /** Pages Ada for a new incident and returns the message she got. */
  const pageAda = async (summary = "DiskAlmostFull on db-7") => {
    const key = (await fb.running.deps.uow.run((tx) => tx.integrations.listForService(serviceId)))[0]!.key;
    const res = await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody("firing", "DiskAlmostFull", summary),
    });
    assert.equal(res.statusCode, 200, res.body);
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const message = sender.sent.at(-1)!.message;
    assert.ok(message.acknowledgeUrl && message.resolveUrl);
    return { acknowledgeUrl: message.acknowledgeUrl, resolveUrl: message.resolveUrl };
  };
  let serviceId: string;

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
    await addContactMethod(fb.running.deps, system, {
      userId: adaId,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never" },
    });
    const policy = await createEscalationPolicy(fb.running.deps, system, {
      name: "Primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] }],
      repeatCount: 0,
    });
    serviceId = (
      await createService(fb.running.deps, system, { name: "storage", escalationPolicyId: policy.id })
    ).id;
    await createIntegration(fb.running.deps, system, { serviceId, kind: "alertmanager" });
  });
  after(() => fb?.close());

  it("GET shows the incident and one button, and changes nothing; POST acknowledges as the link's person", async () => {
    const { acknowledgeUrl } = await pageAda();
    assert.ok(acknowledgeUrl.startsWith(`${PUBLIC_URL}/actions/`));
    const token = acknowledgeUrl.slice(`${PUBLIC_URL}/actions/`.length);

    const page = await open(acknowledgeUrl);
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers["content-type"]), /^text\/html/);
    assert.equal(page.headers["cache-control"], "no-store");
    assert.match(String(page.headers["content-security-policy"]), /default-src 'none'/);
    assert.match(page.body, /<form method="post"><button type="submit">Acknowledge<\/button><\/form>/);
    assert.match(page.body, /INC-1: DiskAlmostFull on db-7/);
    assert.match(page.body, /name="viewport"/);
    assert.ok(!page.body.includes(token), "the token is not in the page");
    assert.ok(!page.body.includes("<script"), "no script");
    // Opening twice (a link scanner, then the person) changes nothing.
    await open(acknowledgeUrl);
    assert.equal((await incident()).state, "triggered");

    clock.advance(60_000);
    const done = await confirm(acknowledgeUrl);
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /INC-1 acknowledged/);
    const acked = await incident();
    assert.equal(acked.state, "acknowledged");
    assert.equal(acked.acknowledgedBy, adaId);
    const entry = (await getIncident(fb.running.deps, system, acked.id)).timeline.find(
      (e) => e.kind === "incident.acknowledged",
    );
    assert.deepEqual(entry?.actor, { kind: "user", id: adaId, label: "Test responder" });

    // Confirming again is harmless; the page now says it is settled and shows no button.
    assert.equal((await confirm(acknowledgeUrl)).statusCode, 200);
    const settled = await open(acknowledgeUrl);
    assert.match(settled.body, /already acknowledged/);
    assert.ok(!settled.body.includes("<form"));
  });

  it("a resolve link resolves", async () => {
    const { resolveUrl } = await pageAda();
    assert.match((await open(resolveUrl)).body, />Resolve<\/button>/);
    const done = await confirm(resolveUrl);
    assert.equal(done.statusCode, 200, done.body);
    assert.equal((await incident()).state, "resolved");
    assert.equal((await incident()).resolvedBy, adaId);
    assert.match((await open(resolveUrl)).body, /already resolved/);
  });

  it("escapes what the incident says", async () => {
    const { acknowledgeUrl } = await pageAda(`<script>alert("x")</script> & "quotes"`);
    const page = await open(acknowledgeUrl);
    assert.ok(!page.body.includes("<script>alert"), "no markup from the alert");
    assert.match(page.body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &quot;quotes&quot;/);
  });

  it("a tampered link is refused with a 400 page, and does nothing", async () => {
    const { acknowledgeUrl } = await pageAda();
    const tampered = `${acknowledgeUrl.slice(0, -2)}${acknowledgeUrl.endsWith("AA") ? "BB" : "AA"}`;
    for (const res of [
      await open(tampered),
      await confirm(tampered),
      await open(`${PUBLIC_URL}/actions/not-a-token`),
    ]) {
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers["content-type"]), /^text\/html/);
      assert.match(res.body, /This link is not valid\./);
    }
    assert.equal((await incident()).state, "triggered");
  });

  it("an expired link is refused with a 400 page that says so", async () => {
    const { acknowledgeUrl } = await pageAda();
    clock.advance(25 * HOUR);
    for (const res of [await open(acknowledgeUrl), await confirm(acknowledgeUrl)]) {
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /This link has expired/);
    }
    assert.equal((await incident()).state, "triggered");
  });

  it("the link of a person since disabled does nothing", async () => {
    const { acknowledgeUrl } = await pageAda();
    await updateUser(fb.running.deps, system, adaId, { disabled: true });
    const res = await confirm(acknowledgeUrl);
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /disabled/);
    assert.equal((await incident()).state, "triggered");
  });
  it("a link used after someone else acknowledged says so instead of crediting its person", async () => {
    const { acknowledgeUrl } = await pageAda();
    const bob = await fb.user("responder", `bob-${dialect}@example.com`);
    const acked = await fb.running.deps.uow.run(async (tx) => {
      const found = (await tx.incidents.list({ limit: 1 }))[0]!;
      return acknowledgeIncident(tx, found, { kind: "user", id: bob.id, label: bob.email }, clock.now());
    });
    assert.equal(acked.acknowledgedBy, bob.id);
    const res = await confirm(acknowledgeUrl);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /INC-1 was already acknowledged/);
    assert.match(res.body, /Someone else did it before this link was used/);
    assert.ok(!res.body.includes(`As ada-${dialect}@example.com`));
    assert.equal((await incident()).acknowledgedBy, bob.id);
  });
});
