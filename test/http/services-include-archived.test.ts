// GET /api/v1/services?includeArchived=true: the deleted services too, after the live ones and under
// the names they had, each with its archivedAt, so an old incident's service can be named. The
// default list is unchanged.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";

interface ServiceJson {
  id: string;
  name: string;
  archivedAt?: string | null;
  integrationCount: number;
  maintenanceUntil: string | null;
}

describeEachDialect("listing deleted services over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let viewer: Client;
  const ids: Record<string, string> = {};

  const create = async (name: string) => {
    const res = await admin.post("/api/v1/services", { name });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: string }).id;
  };
  const list = async (query: string, who: Client = admin) => {
    const res = await who.get(`/api/v1/services${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as ServiceJson[];
  };

  before(async () => {
    clock = new FakeClock();
    fb = await startTestFirebreak({ dialect, clock, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    viewer = client(fb, { key: await fb.apiKey("viewer") });
    ids.billing = await create("billing");
    ids.search = await create("search");
    ids.checkout = await create("checkout");
    const integration = await admin.post(`/api/v1/services/${ids.search}/integrations`, { kind: "webhook" });
    assert.equal(integration.statusCode, 201, integration.body);
    clock.advance(60_000);
    assert.equal((await admin.delete(`/api/v1/services/${ids.search}`)).statusCode, 204);
    clock.advance(60_000);
    assert.equal((await admin.delete(`/api/v1/services/${ids.checkout}`)).statusCode, 204);
    // The name is free again: a new, live "checkout" beside the deleted one.
    ids.newCheckout = await create("checkout");
  });
  after(() => fb?.close());

  it("leaves deleted services out by default, with no archivedAt field", async () => {
    const services = await list("");
    assert.deepEqual(
      services.map((s) => [s.name, s.id]),
      [
        ["billing", ids.billing],
        ["checkout", ids.newCheckout],
      ],
    );
    assert.ok(
      services.every((s) => !("archivedAt" in s)),
      JSON.stringify(services),
    );
  });

  it("with includeArchived=true, lists the deleted ones after the live ones, by their names", async () => {
    const services = await list("?includeArchived=true", viewer);
    const deletedAt = (minutes: number) => new Date(clock.now().getTime() - minutes * 60_000).toISOString();
    assert.deepEqual(
      services.map((s) => [s.name, s.id, s.archivedAt]),
      [
        ["billing", ids.billing, null],
        ["checkout", ids.newCheckout, null],
        ["checkout", ids.checkout, deletedAt(0)],
        ["search", ids.search, deletedAt(1)],
      ],
    );
    const search = services.find((s) => s.id === ids.search)!;
    // Its integrations were deleted with it.
    assert.deepEqual([search.integrationCount, search.maintenanceUntil], [0, null]);
    assert.deepEqual(await list("?includeArchived=false"), await list(""));
  });

  it("refuses a bad value naming the parameter, and an unknown parameter listing the known one", async () => {
    const bad = await admin.get("/api/v1/services?includeArchived=yes");
    assert.equal(bad.statusCode, 400, bad.body);
    assert.deepEqual(errorPaths(bad), ["querystring /includeArchived"]);
    assert.match(bad.body, /must be true or false/);

    const unknown = await admin.get("/api/v1/services?include=archived");
    assert.equal(unknown.statusCode, 400, unknown.body);
    assert.match(unknown.body, /include is not a known field: this route takes includeArchived/);
  });

  it("needs credentials, and documents the parameter and archivedAt in /openapi.json", async () => {
    const anonymous = await fb.http.inject({ method: "GET", url: "/api/v1/services?includeArchived=true" });
    assert.equal(anonymous.statusCode, 401, anonymous.body);
    const doc = (await fb.http.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, { get: { parameters: Array<{ name: string; schema: { type: string } }> } }>;
    };
    const get = doc.paths["/api/v1/services"]!.get;
    assert.equal(get.parameters.find((p) => p.name === "includeArchived")?.schema.type, "boolean");
    assert.match(JSON.stringify(get), /when the service was deleted; null: it is live/);
  });
});
