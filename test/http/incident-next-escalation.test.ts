// GET /api/v1/incidents/:ref says when the escalation moves on (`nextEscalationAt`), so the console
// can say "next step at 03:14": the instant the escalation timer really runs (checked by running the
// engine a moment before and at it), after a reassignment the current step's timeout, and null once
// acknowledged, resolved, run out or with no policy.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { client, PUBLIC_URL, type Client } from "./alerting-helpers.js";

interface Detail {
  incident: { number: number; state: string; escalationStep: number; assigneeIds: string[] };
  nextEscalationAt: string | null;
  timeline: Array<{ kind: string }>;
}

describeEachDialect("the incident's next escalation time over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let adaId: string;
  let serviceId: string;
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const created = async (url: string, body: object) => {
    const res = await admin.post(url, body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; number: number };
  };
  const detail = async (number: number): Promise<Detail> => {
    const res = await admin.get(`/api/v1/incidents/${number}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Detail;
  };
  const inMinutes = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE).toISOString();
  const stepsPaged = (d: Detail) =>
    d.timeline.filter((e) => e.kind === "escalation.started" || e.kind === "incident.escalated").length;

  before(async () => {
    clock = new FakeClock();
    fb = await startTestFirebreak({
      dialect,
      clock,
      sender: new RecordingSender(),
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL },
    });
    admin = client(fb, { key: await fb.apiKey("admin") });
    const people = [];
    for (const name of ["Ada", "Grace"]) {
      const user = await created("/api/v1/users", {
        email: `${name.toLowerCase()}-${dialect}@example.com`,
        name,
        role: "responder",
        password: "a long enough password",
      });
      await created(`/api/v1/users/${user.id}/contact-methods`, {
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
      people.push(user.id);
    }
    adaId = people[0]!;
    const policy = await created("/api/v1/escalation-policies", {
      name: "Storage primary",
      steps: [
        { delayMinutes: 5, targets: [{ kind: "user", userId: people[0] }] },
        { delayMinutes: 10, targets: [{ kind: "user", userId: people[1] }] },
      ],
      repeatCount: 0,
    });
    serviceId = (await created("/api/v1/services", { name: "storage", escalationPolicyId: policy.id })).id;
  });
  after(() => fb.close());

  it("is when the timer pages the next step, and moves with it; reassigning gets the step's timeout", async () => {
    const { number } = await created("/api/v1/incidents", { service: serviceId, summary: "Disk full" });
    const opened = await detail(number);
    assert.equal(opened.nextEscalationAt, inMinutes(5));

    // The engine agrees: a moment before, nothing moves; at that instant, step 2 is paged.
    clock.advance(5 * MINUTE - 1);
    await run();
    assert.equal(stepsPaged(await detail(number)), 1);
    clock.advance(1);
    await run();
    const second = await detail(number);
    assert.equal(stepsPaged(second), 2);
    assert.equal(second.incident.escalationStep, 1);
    assert.equal(second.nextEscalationAt, inMinutes(10), "the last step's timeout, after which it runs out");

    clock.advance(2 * MINUTE);
    const reassigned = await admin.post(`/api/v1/incidents/${number}/reassign`, { userIds: [adaId] });
    assert.equal(reassigned.statusCode, 200, reassigned.body);
    const afterReassign = await detail(number);
    assert.deepEqual(afterReassign.incident.assigneeIds, [adaId]);
    assert.equal(afterReassign.nextEscalationAt, inMinutes(10));

    const acked = await admin.post(`/api/v1/incidents/${number}/acknowledge`);
    assert.equal(acked.statusCode, 200, acked.body);
    assert.equal((await detail(number)).nextEscalationAt, null);

    clock.advance(MINUTE);
    // Escalating an acknowledged incident at its last step starts the policy over: step 1's timeout.
    assert.equal((await admin.post(`/api/v1/incidents/${number}/escalate`)).statusCode, 200);
    assert.equal((await detail(number)).nextEscalationAt, inMinutes(5));

    assert.equal((await admin.post(`/api/v1/incidents/${number}/resolve`)).statusCode, 200);
    assert.equal((await detail(number)).nextEscalationAt, null);
  });

  it("is null once every step has paged and nobody acknowledged, and with no policy", async () => {
    const { number } = await created("/api/v1/incidents", { service: serviceId, summary: "Disk full again" });
    clock.advance(5 * MINUTE);
    await run();
    clock.advance(10 * MINUTE);
    await run();
    const ranOut = await detail(number);
    assert.ok(ranOut.timeline.some((e) => e.kind === "escalation.exhausted"));
    assert.equal(ranOut.incident.state, "triggered");
    assert.equal(ranOut.nextEscalationAt, null);

    const unpaged = await created("/api/v1/services", { name: "no policy" });
    const lonely = await created("/api/v1/incidents", { service: unpaged.id, summary: "Nobody to page" });
    assert.equal((await detail(lonely.number)).nextEscalationAt, null);
  });
});
