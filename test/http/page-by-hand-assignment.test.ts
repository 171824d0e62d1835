import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { alertmanagerBody, client, errorPaths, pathOf, PUBLIC_URL, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

interface Step {
  delayMinutes: number;
  targets: Array<{ kind: string; userId?: string }>;
}
interface ManualPage {
  id: string;
  number: number;
  state: string;
  escalation: { policyId: string; policyName: string; steps: Step[]; repeatCount: number } | null;
  paged: string[];
  pagedNobody: boolean;
  warning: string | null;
}
interface Detail {
  timeline: Array<{ kind: string; actor: { kind: string; id: string } | null; message: string }>;
}

describeEachDialect("paging chosen people or a chosen policy by hand", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let admin: Client;
  let responder: Client;
  const ids: Record<string, string> = {};
  let dbaPolicyId: string;
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const pagedNames = () => sender.summary().sort();

  /** A person with a webhook contact method, so a page reaches them. */
  async function person(name: string): Promise<string> {
    const created = await admin.post("/api/v1/users", {
      email: `${name.toLowerCase()}-${dialect}@example.com`,
      name,
      role: "responder",
      password: "a long enough password",
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = (created.json() as { id: string }).id;
    const method = await admin.post(`/api/v1/users/${id}/contact-methods`, {
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    assert.equal(method.statusCode, 201, method.body);
    return id;
  }

  before(async () => {
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({
      dialect,
      clock,
      sender,
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL },
    });
    admin = client(fb, { key: await fb.apiKey("admin") });
    responder = client(fb, { key: await fb.apiKey("responder") });
    for (const name of ["Ada", "Bob", "Carol", "Dave"]) ids[name] = await person(name);
    const disabled = await admin.patch(`/api/v1/users/${ids.Dave}`, { disabled: true });
    assert.equal(disabled.statusCode, 200, disabled.body);
    const primary = await admin.post("/api/v1/escalation-policies", {
      name: "Storage primary",
      steps: [{ delayMinutes: 10, targets: [{ kind: "user", userId: ids.Ada }] }],
      repeatCount: 0,
    });
    assert.equal(primary.statusCode, 201, primary.body);
    const dba = await admin.post("/api/v1/escalation-policies", {
      name: "DBAs",
      steps: [
        { delayMinutes: 7, targets: [{ kind: "user", userId: ids.Carol }] },
        { delayMinutes: 3, targets: [{ kind: "user", userId: ids.Bob }] },
      ],
      repeatCount: 1,
    });
    assert.equal(dba.statusCode, 201, dba.body);
    dbaPolicyId = (dba.json() as { id: string }).id;
    const storage = await admin.post("/api/v1/services", {
      name: "storage",
      escalationPolicyId: (primary.json() as { id: string }).id,
    });
    assert.equal(storage.statusCode, 201, storage.body);
    const lonely = await admin.post("/api/v1/services", { name: "lonely" });
    assert.equal(lonely.statusCode, 201, lonely.body);
  });
  after(() => fb.close());

  it("pages exactly the chosen people, not the service's on-call, with one step of its first timeout", async () => {
    sender.clear();
    const res = await responder.post("/api/v1/incidents", {
      service: "storage",
      summary: "Replication is stuck",
      userIds: [ids.Bob, ids.Carol, ids.Bob],
    });
    assert.equal(res.statusCode, 201, res.body);
    const page = res.json() as ManualPage;
    assert.deepEqual([...page.paged].sort(), ["Bob", "Carol"]);
    assert.equal(page.pagedNobody, false);
    assert.equal(page.warning, null);
    assert.equal(page.escalation?.policyId, "");
    assert.equal(page.escalation?.repeatCount, 0);
    assert.deepEqual(page.escalation?.steps, [
      {
        delayMinutes: 10,
        targets: [
          { kind: "user", userId: ids.Bob },
          { kind: "user", userId: ids.Carol },
        ],
      },
    ]);
    await run();
    assert.deepEqual(pagedNames(), ["Bob:triggered", "Carol:triggered"]);
    const detail = (await admin.get(`/api/v1/incidents/${page.id}`)).json() as Detail;
    const note = detail.timeline.find((e) => e.kind === "incident.assigned_by_hand");
    assert.match(note?.message ?? "", /paged Bob, Carol instead of storage's on-call/);
    assert.equal(note?.actor?.kind, "api_key");
  });

  it("pages by a chosen policy's steps, snapshotted: a later edit of the policy changes nothing", async () => {
    sender.clear();
    const res = await responder.post("/api/v1/incidents", {
      service: "storage",
      summary: "Vacuum runs forever",
      escalationPolicyId: "DBAs",
    });
    assert.equal(res.statusCode, 201, res.body);
    const page = res.json() as ManualPage;
    assert.deepEqual(page.paged, ["Carol"]);
    assert.equal(page.escalation?.policyId, dbaPolicyId);
    assert.equal(page.escalation?.steps.length, 2);
    await run();
    assert.deepEqual(pagedNames(), ["Carol:triggered"]);

    const edited = await admin.put(`/api/v1/escalation-policies/${dbaPolicyId}`, {
      name: "DBAs",
      steps: [{ delayMinutes: 1, targets: [{ kind: "user", userId: ids.Ada }] }],
      repeatCount: 0,
    });
    assert.equal(edited.statusCode, 200, edited.body);
    const after = (await admin.get(`/api/v1/incidents/${page.id}`)).json() as { incident: ManualPage };
    assert.deepEqual(after.incident.escalation, page.escalation);
    // Step 1 waits its 7 minutes, then step 2 pages Bob: the policy as it was, not Ada of the edit.
    sender.clear();
    clock.advance(7 * 60_000);
    await run();
    assert.deepEqual(pagedNames(), ["Bob:escalated"]);
  });

  it("refuses both userIds and escalationPolicyId, naming both fields", async () => {
    const res = await responder.post("/api/v1/incidents", {
      service: "storage",
      summary: "x",
      userIds: [ids.Bob],
      escalationPolicyId: dbaPolicyId,
    });
    assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(errorPaths(res), ["/userIds", "/escalationPolicyId"]);
    assert.deepEqual(
      errorPaths(
        await responder.post("/api/v1/incidents", { service: "storage", summary: "x", userIds: [] }),
      ),
      ["/userIds"],
    );
  });

  it("names an unknown person or policy (404) and a disabled person (400), and opens nothing", async () => {
    const before = ((await admin.get("/api/v1/incidents?state=triggered")).json() as unknown[]).length;
    const unknown = await responder.post("/api/v1/incidents", {
      service: "storage",
      summary: "x",
      userIds: [ids.Bob, "no-such-user"],
    });
    assertProblem(unknown, 404, "NOT_FOUND");
    assert.match((unknown.json() as { detail: string }).detail, /user no-such-user not found/);
    const policy = await responder.post("/api/v1/incidents", {
      service: "storage",
      summary: "x",
      escalationPolicyId: "Nobody's policy",
    });
    assertProblem(policy, 404, "NOT_FOUND");
    assert.match((policy.json() as { detail: string }).detail, /escalation policy Nobody's policy not found/);
    const disabled = await responder.post("/api/v1/incidents", {
      service: "storage",
      summary: "x",
      userIds: [ids.Bob, ids.Dave],
    });
    assertProblem(disabled, 400, "VALIDATION");
    assert.deepEqual(errorPaths(disabled), ["/userIds/1"]);
    assert.match(disabled.body, /Dave is disabled/);
    const now = ((await admin.get("/api/v1/incidents?state=triggered")).json() as unknown[]).length;
    assert.equal(now, before);
  });

  it("pages chosen people on a service without any policy, with a 5-minute step", async () => {
    sender.clear();
    const res = await responder.post("/api/v1/incidents", {
      service: "lonely",
      summary: "The lonely service is down",
      userIds: [ids.Ada],
    });
    assert.equal(res.statusCode, 201, res.body);
    const page = res.json() as ManualPage;
    assert.deepEqual(page.paged, ["Ada"]);
    assert.equal(page.warning, null);
    assert.equal(page.escalation?.steps[0]?.delayMinutes, 5);
    await run();
    assert.deepEqual(pagedNames(), ["Ada:triggered"]);
    // Without a choice the same service still warns that nobody is paged.
    const unpaged = (
      await responder.post("/api/v1/incidents", { service: "lonely", summary: "again" })
    ).json() as ManualPage;
    assert.equal(unpaged.pagedNobody, true);
    assert.match(unpaged.warning ?? "", /lonely has no escalation policy/);
  });

  it("a page by hand opens its own incident: a later alert or page never joins it and pages its own on-call", async () => {
    const policies = (await admin.get("/api/v1/escalation-policies")).json() as Array<{
      id: string;
      name: string;
    }>;
    const grouped = await admin.post("/api/v1/services", {
      name: "grouped",
      escalationPolicyId: policies.find((p) => p.name === "Storage primary")?.id,
      grouping: { mode: "labels", labels: ["cluster"], windowMinutes: 30 },
    });
    assert.equal(grouped.statusCode, 201, grouped.body);
    const integration = await admin.post(
      `/api/v1/services/${(grouped.json() as { id: string }).id}/integrations`,
      {
        kind: "alertmanager",
      },
    );
    assert.equal(integration.statusCode, 201, integration.body);
    sender.clear();
    const chosen = await responder.post("/api/v1/incidents", {
      service: "grouped",
      summary: "Bob, look at this",
      userIds: [ids.Bob],
    });
    assert.equal(chosen.statusCode, 201, chosen.body);
    const plain = await responder.post("/api/v1/incidents", {
      service: "grouped",
      summary: "Whoever is on call",
    });
    assert.equal(plain.statusCode, 201, plain.body);
    const alerted = await fb.http.inject({
      method: "POST",
      url: pathOf((integration.json() as { url: string }).url),
      payload: alertmanagerBody("firing", "NoClusterLabel"),
    });
    assert.equal(alerted.statusCode, 200, alerted.body);
    await run();
    const numbers = [chosen, plain].map((r) => (r.json() as ManualPage).number);
    assert.notEqual(numbers[0], numbers[1]);
    const open = (
      await admin.get("/api/v1/incidents?state=triggered&service=grouped")
    ).json() as ManualPage[];
    assert.equal(open.length, 3, "three incidents, none joined another");
    assert.deepEqual(pagedNames(), ["Ada:triggered", "Ada:triggered", "Bob:triggered"]);
  });

  it("reopened by hand, pages the chosen people again (not the service's none), and says reopened", async () => {
    const res = await responder.post("/api/v1/incidents", {
      service: "lonely",
      summary: "The lonely disk is full",
      userIds: [ids.Bob],
    });
    assert.equal(res.statusCode, 201, res.body);
    const page = res.json() as ManualPage;
    await run();
    const resolved = await responder.post(`/api/v1/incidents/${page.id}/resolve`, {});
    assert.equal(resolved.statusCode, 200, resolved.body);
    sender.clear();
    const reopened = await responder.post(`/api/v1/incidents/${page.id}/reopen`, { reason: "still full" });
    assert.equal(reopened.statusCode, 200, reopened.body);
    assert.deepEqual((reopened.json() as ManualPage).escalation, page.escalation);
    await run();
    assert.deepEqual(pagedNames(), ["Bob:reopened"]);
  });
});
