// A service's listings say whether a maintenance window holds its pages back now, and until when:
// a responder wondering why nobody was paged sees it on the list of services.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";

interface ServiceView {
  id: string;
  name: string;
  maintenanceUntil: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

describeEachDialect("a service's maintenance state in listings", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let viewer: Client;
  const ids: Record<string, string> = {};

  before(async () => {
    clock = new FakeClock();
    fb = await startTestFirebreak({ dialect, clock, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    viewer = client(fb, { key: await fb.apiKey("viewer") });
    for (const name of ["database", "web"]) {
      const created = await admin.post("/api/v1/services", { name });
      assert.equal(created.statusCode, 201, created.body);
      ids[name] = (created.json() as { id: string }).id;
    }
  });
  after(() => fb.close());

  const listed = async () => {
    const res = await viewer.get("/api/v1/services");
    assert.equal(res.statusCode, 200, res.body);
    return Object.fromEntries((res.json() as ServiceView[]).map((s) => [s.name, s.maintenanceUntil]));
  };
  const one = async (ref: string) => {
    const res = await viewer.get(`/api/v1/services/${ref}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as ServiceView).maintenanceUntil;
  };
  const addWindow = async (serviceId: string, window: object) => {
    const res = await admin.post(`/api/v1/services/${serviceId}/maintenance-windows`, { window });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: string }).id;
  };

  it("is null with no window, and a window's end while it runs, by the server's clock", async () => {
    assert.deepEqual(await listed(), { database: null, web: null });
    const now = clock.now().getTime();
    await addWindow(ids.database as string, {
      kind: "one-off",
      startsAt: iso(now - MINUTE),
      endsAt: iso(now + HOUR),
    });
    await addWindow(ids.web as string, {
      kind: "one-off",
      startsAt: iso(now + HOUR),
      endsAt: iso(now + 2 * HOUR),
    });
    assert.deepEqual(await listed(), { database: iso(now + HOUR), web: null });
    assert.equal(await one("database"), iso(now + HOUR));
    assert.equal(await one(ids.web as string), null);

    clock.advance(HOUR);
    assert.deepEqual(await listed(), { database: null, web: iso(now + 2 * HOUR) });
  });

  it("takes the latest end among the windows running now, and is gone once the window is deleted", async () => {
    const now = clock.now().getTime();
    const longer = await addWindow(ids.web as string, {
      kind: "one-off",
      startsAt: iso(now - MINUTE),
      endsAt: iso(now + 3 * HOUR),
    });
    assert.equal(await one("web"), iso(now + 3 * HOUR));
    assert.equal((await admin.delete(`/api/v1/maintenance-windows/${longer}`)).statusCode, 204);
    assert.equal(await one("web"), iso(now + HOUR), "the first window still runs");
  });

  it("a create or an update answers the settings alone, as before", async () => {
    const res = await admin.patch(`/api/v1/services/${ids.web}`, { description: "The shop" });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal("maintenanceUntil" in (res.json() as object), false);
  });
});
