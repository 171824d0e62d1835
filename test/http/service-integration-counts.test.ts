// A service's listings say how many integrations it has and how many take alerts, so a list (the
// console's Home, a script) can say which services no monitoring reaches without reading each one's
// integrations. Deleted integrations and the system's own "manual pages" one are not counted.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";

interface ServiceView {
  id: string;
  name: string;
  integrationCount: number;
  enabledIntegrationCount: number;
}

const countsOf = (s: ServiceView) => ({ total: s.integrationCount, enabled: s.enabledIntegrationCount });

describeEachDialect("a service's integration counts in listings", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;
  let viewer: Client;
  const ids: Record<string, string> = {};

  const addIntegration = async (service: string, kind = "alertmanager") => {
    const res = await admin.post(`/api/v1/services/${ids[service]}/integrations`, { kind });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: string }).id;
  };
  const listed = async () => {
    const res = await viewer.get("/api/v1/services");
    assert.equal(res.statusCode, 200, res.body);
    return Object.fromEntries((res.json() as ServiceView[]).map((s) => [s.name, countsOf(s)]));
  };
  const one = async (ref: string) => {
    const res = await viewer.get(`/api/v1/services/${ref}`);
    assert.equal(res.statusCode, 200, res.body);
    return countsOf(res.json() as ServiceView);
  };

  before(async () => {
    fb = await startTestFirebreak({ dialect, clock: new FakeClock(), startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    viewer = client(fb, { key: await fb.apiKey("viewer") });
    for (const name of ["checkout", "search", "reports"]) {
      const created = await admin.post("/api/v1/services", { name });
      assert.equal(created.statusCode, 201, created.body);
      ids[name] = (created.json() as { id: string }).id;
    }
  });
  after(() => fb.close());

  it("is 0 and 0 for a service no monitoring reaches yet", async () => {
    assert.deepEqual(await listed(), {
      checkout: { total: 0, enabled: 0 },
      reports: { total: 0, enabled: 0 },
      search: { total: 0, enabled: 0 },
    });
    assert.deepEqual(await one("checkout"), { total: 0, enabled: 0 });
  });

  it("counts each service's own integrations, and the enabled ones apart", async () => {
    await addIntegration("checkout");
    await addIntegration("checkout", "heartbeat");
    const disabled = await addIntegration("search");
    const res = await admin.post(`/api/v1/integrations/${disabled}/disable`);
    assert.equal(res.statusCode, 200, res.body);

    assert.deepEqual(await listed(), {
      checkout: { total: 2, enabled: 2 },
      reports: { total: 0, enabled: 0 },
      search: { total: 1, enabled: 0 },
    });
    assert.deepEqual(await one("search"), { total: 1, enabled: 0 });
    assert.deepEqual(await one(ids.checkout as string), { total: 2, enabled: 2 });
  });

  it("leaves out deleted integrations and the one a page by hand makes", async () => {
    const deleted = await addIntegration("reports");
    assert.equal((await admin.delete(`/api/v1/integrations/${deleted}`)).statusCode, 204);
    const paged = await admin.post("/api/v1/incidents", { service: "reports", summary: "Reports are late" });
    assert.equal(paged.statusCode, 201, paged.body);

    assert.deepEqual(await one("reports"), { total: 0, enabled: 0 });
    assert.deepEqual((await listed()).reports, { total: 0, enabled: 0 });
  });

  it("a create or an update answers the settings alone, as before", async () => {
    const res = await admin.patch(`/api/v1/services/${ids.checkout}`, { description: "The shop" });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal("integrationCount" in (res.json() as object), false);
  });
});
