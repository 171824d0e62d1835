import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";

/** services/integrations/policies/teams delete against a real server, through its REST API. */
describe("CLI delete commands against a running server", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;

  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  const api = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${fb.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}`, "content-type": "application/json" },
      ...(body && { body: JSON.stringify(body) }),
    });
    return (res.status === 204 ? null : await res.json()) as { id: string; name: string };
  };

  before(async () => {
    fb = await startTestFirebreak({ listen: true });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
  });
  after(() => fb.close());

  it("lists a service's integrations and deletes one: its URL stops taking alerts", async () => {
    assert.equal((await cli("services", "create", "billing")).code, 0);
    const made = await cli("integrations", "create", "--service", "billing", "--kind", "webhook", "--json");
    const integration = JSON.parse(made.stdout) as { id: string; url: string };

    const listed = await cli("integrations", "list", "--service", "billing");
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${integration.id}\\s+webhook`, "m"));

    const deleted = await cli("integrations", "delete", integration.id, "--json");
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(JSON.parse(deleted.stdout), { id: integration.id, deleted: true });
    const posted = await fetch(integration.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ summary: "after delete", dedup_key: "x" }),
    });
    assert.equal(posted.status, 404);
    assert.match((await cli("integrations", "list", "--service", "billing")).stdout, /No integrations/);
    const again = await cli("integrations", "delete", integration.id);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /404 integration .* not found/);
  });

  it("deletes a service by name, and says why when it cannot", async () => {
    const made = await cli("integrations", "create", "--service", "billing", "--kind", "webhook", "--json");
    const { url } = JSON.parse(made.stdout) as { url: string };
    const posted = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ summary: "invoices stuck", dedup_key: "inv" }),
    });
    assert.equal(posted.status, 200);
    const refused = await cli("services", "delete", "billing");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /409 service billing has unresolved incidents \(INC-\d+\)/);

    const [incident] = (await (
      await fetch(`${fb.baseUrl}/api/v1/incidents`, {
        headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}` },
      })
    ).json()) as Array<{ number: number }>;
    assert.equal((await cli("resolve", `INC-${incident!.number}`)).code, 0);

    const deleted = await cli("services", "delete", "billing", "--json");
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((JSON.parse(deleted.stdout) as { name: string; deleted: boolean }).deleted, true);
    assert.doesNotMatch((await cli("services", "list")).stdout, /billing/);
    const typo = await cli("services", "delete", "bliling");
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /404 service bliling not found/);
  });

  it("deletes policies and teams by name, naming what is in the way first", async () => {
    const team = await api("POST", "/api/v1/teams", { name: "Platform" });
    const policy = await api("POST", "/api/v1/escalation-policies", {
      name: "Platform on call",
      steps: [{ delayMinutes: 5, targets: [{ kind: "team", teamId: team.id }] }],
      repeatCount: 0,
    });
    await api("POST", "/api/v1/services", { name: "gateway", escalationPolicyId: policy.id });

    const inUse = await cli("policies", "delete", "Platform on call");
    assert.equal(inUse.code, 1);
    assert.match(inUse.stderr, /409 escalation policy Platform on call pages for service gateway/);
    const paged = await cli("teams", "delete", "Platform");
    assert.equal(paged.code, 1);
    assert.match(paged.stderr, /409 team Platform is paged by escalation policy Platform on call/);

    await api("PATCH", "/api/v1/services/gateway", { escalationPolicyId: null });
    const deletedPolicy = await cli("policies", "delete", "Platform on call");
    assert.equal(deletedPolicy.code, 0, deletedPolicy.stderr);
    assert.match(deletedPolicy.stdout, /Deleted escalation policy Platform on call/);
    assert.doesNotMatch((await cli("policies", "list")).stdout, /Platform on call/);

    const deletedTeam = await cli("teams", "delete", "Platform", "--json");
    assert.equal(deletedTeam.code, 0, deletedTeam.stderr);
    assert.deepEqual(JSON.parse(deletedTeam.stdout), { ...team, deleted: true });
    const gone = await cli("teams", "delete", "Platfrom");
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /404 team Platfrom not found/);
    assert.equal((await cli("teams", "delete")).code, 2);
  });
});
