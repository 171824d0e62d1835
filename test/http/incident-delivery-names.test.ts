// GET /api/v1/incidents/{ref} names whom each delivery is for and how, so the console can say "Still
// trying to reach Ada by webhook (pager)" while a send is being retried, long before it fails for good.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { client, PUBLIC_URL, type Client } from "./alerting-helpers.js";

interface Detail {
  deliveries: Array<{
    id: string;
    status: string;
    lastError: string | null;
    recipientName: string | null;
    via: string | null;
  }>;
}

describeEachDialect("an incident's deliveries say whom and how", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;

  before(async () => {
    fb = await startTestFirebreak({
      dialect,
      clock: new FakeClock(),
      sender: new RecordingSender(),
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL },
    });
    admin = client(fb, { key: await fb.apiKey("admin") });
  });
  after(() => fb.close());

  it("names the person and the contact method of a send that is still being retried", async () => {
    const created = await admin.post("/api/v1/users", {
      email: `ada-${dialect}@example.com`,
      name: "Ada",
      role: "responder",
      password: "a long enough password",
    });
    assert.equal(created.statusCode, 201, created.body);
    const adaId = (created.json() as { id: string }).id;
    const method = await admin.post(`/api/v1/users/${adaId}/contact-methods`, {
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    assert.equal(method.statusCode, 201, method.body);
    const policy = await admin.post("/api/v1/escalation-policies", {
      name: "Storage primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] }],
      repeatCount: 0,
    });
    assert.equal(policy.statusCode, 201, policy.body);
    const service = await admin.post("/api/v1/services", {
      name: "storage",
      escalationPolicyId: (policy.json() as { id: string }).id,
    });
    assert.equal(service.statusCode, 201, service.body);
    const paged = await admin.post("/api/v1/incidents", {
      service: (service.json() as { id: string }).id,
      summary: "Disk full on db-7",
    });
    assert.equal(paged.statusCode, 201, paged.body);
    const { id: incidentId, number } = paged.json() as { id: string; number: number };

    // What the sender records after a try that will be repeated: still pending, with the error.
    const error = "not tried: the last 10 sends got no answer; next try in 299 s";
    await fb.running.deps.uow.run(async (tx) => {
      const [delivery] = await tx.deliveries.listForIncident(incidentId);
      assert.ok(delivery, "the page planned a delivery");
      await tx.deliveries.markAttempt(delivery.id, { status: "pending", attempts: 0, lastError: error });
    });

    const res = await admin.get(`/api/v1/incidents/${number}`);
    assert.equal(res.statusCode, 200, res.body);
    const [delivery] = (res.json() as Detail).deliveries;
    assert.deepEqual(
      delivery && [delivery.status, delivery.lastError, delivery.recipientName, delivery.via],
      ["pending", error, "Ada", "webhook (pager)"],
    );
  });
});
