// GET /api/v1/api-keys/names: any signed-in role reads what timelines already show of a key (its
// name and whom it acts for) so a responder's CLI can name who acknowledged; never its secret,
// hash, prefix or role. The full list stays admin-only.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";

interface KeyJson {
  id: string;
  name: string;
  prefix: string;
}

describeEachDialect("API key names for every role, over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;
  let responder: Client;
  let viewer: Client;
  let deeId: string;
  const tokens: string[] = [];
  const system = { actor: systemActor("test"), requestId: null };

  before(async () => {
    fb = await startTestFirebreak({ dialect, startEngine: false });
    const adminToken = await fb.apiKey("admin");
    tokens.push(adminToken);
    admin = client(fb, { key: adminToken });
    const dee = await fb.user("responder", "dee@example.com");
    deeId = dee.id;
    responder = client(fb, await fb.signIn(dee.email, dee.password));
    const viewerToken = await fb.apiKey("viewer");
    tokens.push(viewerToken);
    viewer = client(fb, { key: viewerToken });
    const laptop = await createApiKey(fb.running.deps, system, {
      name: "laptop",
      role: "responder",
      actsForEmail: "dee@example.com",
    });
    tokens.push(laptop.token);
    const old = await createApiKey(fb.running.deps, system, { name: "old deploy bot", role: "admin" });
    tokens.push(old.token);
    assert.equal((await admin.delete(`/api/v1/api-keys/${old.apiKey.id}`)).statusCode, 200);
  });
  after(() => fb?.close());

  it("a responder reads each key's id, name, person and revocation, and nothing secret", async () => {
    const res = await responder.get("/api/v1/api-keys/names");
    assert.equal(res.statusCode, 200, res.body);
    const names = res.json() as Array<Record<string, unknown>>;
    const full = (await admin.get("/api/v1/api-keys")).json() as KeyJson[];
    assert.equal(names.length, full.length);
    for (const key of names)
      assert.deepEqual(
        Object.keys(key).sort(),
        ["createdBy", "id", "name", "revokedAt"],
        JSON.stringify(key),
      );
    const laptop = names.find((k) => k.name === "laptop");
    assert.equal(laptop?.createdBy, deeId);
    assert.equal(laptop?.revokedAt, null);
    assert.match(String(names.find((k) => k.name === "old deploy bot")?.revokedAt), /^\d{4}-\d\d-\d\dT/);
    // Neither a key, nor the prefix that starts it, nor a hash appears anywhere in the answer.
    for (const token of tokens) assert.ok(!res.body.includes(token), "a key in the answer");
    for (const key of full) assert.ok(!res.body.includes(key.prefix), `prefix ${key.prefix} in the answer`);
    assert.doesNotMatch(res.body, /prefix|hash|role|lastUsed/i);
  });

  it("a viewer reads them too; without credentials it is a 401; the full list stays admin-only", async () => {
    const asViewer = await viewer.get("/api/v1/api-keys/names");
    assert.equal(asViewer.statusCode, 200, asViewer.body);
    assert.deepEqual(asViewer.json(), (await responder.get("/api/v1/api-keys/names")).json());

    const anonymous = await fb.http.inject({ method: "GET", url: "/api/v1/api-keys/names" });
    assert.equal(anonymous.statusCode, 401, anonymous.body);
    assert.doesNotMatch(anonymous.body, /laptop/);

    assert.equal((await responder.get("/api/v1/api-keys")).statusCode, 403);
    assert.equal((await viewer.get("/api/v1/api-keys")).statusCode, 403);
    // It is a read: no query parameters, and no other method.
    assert.equal((await viewer.get("/api/v1/api-keys/names?fields=prefix")).statusCode, 400);
  });

  it("is in /openapi.json without the secret fields", async () => {
    const doc = (await fb.http.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    };
    const ok = JSON.stringify(doc.paths["/api/v1/api-keys/names"]?.get?.responses["200"]);
    assert.match(ok, /"createdBy"/);
    assert.doesNotMatch(ok, /prefix|hash|"role"/);
  });
});
