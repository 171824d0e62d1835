import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { createUser } from "../../src/app/users/create-user.js";
import type { RemoteTarget } from "../../src/cli/api-client.js";
import { actorNames } from "../../src/cli/commands/actor-names.js";
import { serviceNamesById } from "../../src/cli/commands/service-lookup.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";
import { Problem, startFakeApi } from "./fake-api.js";

/**
 * The names the CLI's incident list shows for what the API gives as ids: a deleted service as
 * "NAME (deleted)" (GET /services?includeArchived=true) and an API key by name for any role
 * (GET /api-keys/names), against a real server on 127.0.0.1; and an older server's answers.
 */
describe("CLI: naming deleted services and API keys", () => {
  let fb: TestFirebreak;
  let admin: RemoteTarget;
  let responder: RemoteTarget;
  let viewer: RemoteTarget;
  let laptop: RemoteTarget;
  const ids: Record<string, string> = {};
  const system = { actor: systemActor("test"), requestId: null };
  const remote = (apiKey: string): RemoteTarget => ({ url: fb.baseUrl as string, apiKey });
  const env = (target: RemoteTarget) => ({ FIREBREAK_URL: target.url, FIREBREAK_API_KEY: target.apiKey });
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fb.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.status === 204 ? { id: "" } : (res.json() as Promise<{ id: string }>);
  };

  before(async () => {
    fb = await startTestFirebreak({ listen: true });
    admin = remote(await fb.apiKey("admin"));
    responder = remote(await fb.apiKey("responder"));
    viewer = remote(await fb.apiKey("viewer"));
    await createUser(fb.running.deps, system, {
      email: "ada@example.com",
      name: "Ada Lovelace",
      role: "responder",
      password: "correct horse battery staple",
    });
    const key = await createApiKey(fb.running.deps, system, {
      name: "laptop",
      role: "responder",
      actsForEmail: "ada@example.com",
    });
    laptop = remote(key.token);
    ids.laptop = key.apiKey.id;
    ids.checkout = (await api("POST", "/api/v1/services", { name: "checkout" })).id;
    ids.search = (await api("POST", "/api/v1/services", { name: "search" })).id;
    // An incident on search, acknowledged with Ada's key and resolved, then search is deleted.
    // Exit 3: search has no escalation policy, so the page reached nobody; the incident is what counts.
    assert.equal(
      (await runCliCaptured(["page", "--service", "search", "search is down"], env(admin))).code,
      3,
    );
    assert.equal((await runCliCaptured(["ack", "INC-1"], env(laptop))).code, 0);
    assert.equal((await runCliCaptured(["resolve", "INC-1"], env(admin))).code, 0);
    await api("DELETE", `/api/v1/services/${ids.search}`);
    ids.newSearch = (await api("POST", "/api/v1/services", { name: "search" })).id;
  });
  after(() => fb?.close());

  it("names a deleted service 'NAME (deleted)' beside a live one of the same name", async () => {
    for (const who of [admin, responder, viewer]) {
      const names = await serviceNamesById(who);
      assert.deepEqual(Object.fromEntries(names), {
        [ids.checkout!]: "checkout",
        [ids.newSearch!]: "search",
        [ids.search!]: "search (deleted)",
      });
    }
  });

  it("a responder and a viewer name an API key by its name and person, as the timeline does", async () => {
    for (const who of [responder, viewer]) {
      const names = await actorNames(who, [{ serviceId: ids.search!, acknowledgedBy: ids.laptop! }]);
      assert.equal(names.get(ids.laptop!), "Ada Lovelace (API key laptop)");
    }
  });

  it("an older server: its live list, and its admin-only key list, serve as before", async () => {
    const older = await startFakeApi((request) => {
      if (request.url === "/api/v1/services?includeArchived=true")
        return new Problem(400, {
          code: "VALIDATION",
          detail: "query parameter includeArchived is not a known field",
        });
      if (request.url === "/api/v1/services")
        return [{ id: "s1", name: "checkout", teamId: null, escalationPolicyId: null }];
      if (request.url === "/api/v1/users") return [{ id: "u1", name: "Ada" }];
      if (request.url === "/api/v1/api-keys") return [{ id: "k1", name: "laptop", createdBy: "u1" }];
      return undefined;
    });
    try {
      const target = { url: older.url, apiKey: "fb_whatever" };
      assert.deepEqual(Object.fromEntries(await serviceNamesById(target)), { s1: "checkout" });
      const names = await actorNames(target, [{ serviceId: "s1", acknowledgedBy: "k1" }]);
      assert.equal(names.get("k1"), "Ada (API key laptop)");
      assert.ok(older.requests.some((r) => r.url === "/api/v1/api-keys/names"));
    } finally {
      await older.close();
    }
  });

  it("firebreak incidents names the deleted service and, for a responder, the key", async () => {
    const listed = await runCliCaptured(["incidents", "--state", "all"], env(responder));
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      /^INC-1\s+resolved\s+-\s+page\s+search \(deleted\)\s+\S+\s+Ada Lovelace \(API key laptop\)\s+search is down$/m,
    );
  });
});
