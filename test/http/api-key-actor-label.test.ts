// An API key that acts for a person shows up as that person with the key: the timeline and the audit
// log say who acknowledged ("Dee Dawson (API key laptop)"), and a key of nobody stays "API key …".
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { alertmanagerBody, client, pathOf, type Client } from "./alerting-helpers.js";

interface Timeline {
  timeline: Array<{ kind: string; message: string; actor: { kind: string; label: string } | null }>;
}

describeEachDialect("the actor label of an API key, over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let dees: Client;
  let nobodys: Client;
  let integrationPath: string;
  const system = { actor: systemActor(), requestId: null };

  before(async () => {
    fb = await startTestFirebreak({ dialect, startEngine: false });
    const deps = fb.running.deps;
    await createUser(deps, system, {
      email: "dee@example.com",
      name: "Dee Dawson",
      role: "admin",
      password: "correct horse battery staple",
    });
    const laptop = await createApiKey(deps, system, {
      name: "laptop",
      role: "admin",
      actsForEmail: "dee@example.com",
    });
    dees = client(fb, { key: laptop.token });
    nobodys = client(fb, {
      key: (await createApiKey(deps, system, { name: "deploy bot", role: "admin" })).token,
    });

    const service = await nobodys.post("/api/v1/services", { name: "storage" });
    assert.equal(service.statusCode, 201, service.body);
    const integration = await nobodys.post(
      `/api/v1/services/${(service.json() as { id: string }).id}/integrations`,
      { kind: "alertmanager" },
    );
    assert.equal(integration.statusCode, 201, integration.body);
    integrationPath = pathOf((integration.json() as { url: string }).url);
  });
  after(() => fb.close());

  const openIncident = async (alertname: string): Promise<number> => {
    const posted = await fb.http.inject({
      method: "POST",
      url: integrationPath,
      payload: alertmanagerBody("firing", alertname),
    });
    assert.equal(posted.statusCode, 200, posted.body);
    const list = (await nobodys.get("/api/v1/incidents")).json() as Array<{ number: number; title: string }>;
    const found = list.find((i) => i.title === `${alertname} on db-7`);
    assert.ok(found, "the alert opened an incident");
    return found.number;
  };
  const entry = async (number: number, kind: string) => {
    const res = await nobodys.get(`/api/v1/incidents/${number}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as Timeline).timeline.find((e) => e.kind === kind);
  };

  it("a key acting for Dee acknowledges as Dee with the key, on the timeline", async () => {
    const number = await openIncident("DiskFull");
    const ack = await dees.post(`/api/v1/incidents/${number}/acknowledge`);
    assert.equal(ack.statusCode, 200, ack.body);
    const acked = await entry(number, "incident.acknowledged");
    assert.deepEqual(acked?.actor, {
      kind: "api_key",
      id: (acked?.actor as { id: string } | null)?.id,
      label: "Dee Dawson (API key laptop)",
    });
    assert.equal(acked?.message, "Acknowledged by Dee Dawson (API key laptop)");
  });

  it("a key acting for nobody stays 'API key deploy bot'", async () => {
    const number = await openIncident("QueueFull");
    const resolved = await nobodys.post(`/api/v1/incidents/${number}/resolve`);
    assert.equal(resolved.statusCode, 200, resolved.body);
    const entryOf = await entry(number, "incident.resolved");
    assert.equal(entryOf?.actor?.label, "API key deploy bot");
    assert.equal(entryOf?.message, "Resolved by API key deploy bot");
  });

  it("the audit log names Dee with the key, and whoami says the same", async () => {
    const made = await dees.post("/api/v1/services", { name: "payments" });
    assert.equal(made.statusCode, 201, made.body);
    const id = (made.json() as { id: string }).id;
    const log = await nobodys.get(`/api/v1/audit-log?entityId=${id}`);
    assert.equal(log.statusCode, 200, log.body);
    const entries = log.json() as Array<{ action: string; actor: { kind: string; label: string } }>;
    assert.ok(entries.length > 0, "the create was audited");
    for (const e of entries) assert.equal(e.actor.label, "Dee Dawson (API key laptop)", e.action);

    const session = (await dees.get("/api/v1/auth/session")).json() as {
      actor: { label: string };
      actsFor: { name: string } | null;
    };
    assert.equal(session.actor.label, "Dee Dawson (API key laptop)");
    assert.equal(session.actsFor?.name, "Dee Dawson");
  });
});
