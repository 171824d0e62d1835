import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setIntegrationEnabled } from "../../src/app/integrations/manage-integrations.js";
import { createIngestService, setupCaller, type IngestService } from "../support/alerting-setup.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";

// Grafana's Alertmanager data source ("Save & test") and amtool read GET {prefix}/api/v2/status to
// check the URL. Under /int/KEY that answer must say whether the key takes alerts, as
// POST {prefix}/api/v2/alerts would, in the same plain text.
describe("Alertmanager API v2 status under /int/KEY", () => {
  let fb: TestFirebreak;
  let ingest: IngestService;

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    ingest = await createIngestService(fb.running.deps, {
      name: "status-check",
      kinds: ["prometheus", "alertmanager", "webhook", "pagerduty"],
    });
  });
  after(() => fb.close());

  const get = (url: string) => fb.http.inject({ method: "GET", url });

  it("answers the status for a prometheus or alertmanager key", async () => {
    for (const kind of ["prometheus", "alertmanager"] as const) {
      const res = await get(`/int/${ingest.keys[kind]}/api/v2/status`);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((res.json() as { cluster: { status: string } }).cluster.status, "disabled");
    }
    assert.equal((await get("/api/v2/status")).statusCode, 200, "without a prefix there is no key to check");
  });

  it("answers 404 in plain text for a key that takes no alerts here", async () => {
    for (const key of ["not-a-key", ingest.keys.webhook!, ingest.keys.pagerduty!, "bad key!"]) {
      const res = await get(`/int/${encodeURIComponent(key)}/api/v2/status`);
      assert.equal(res.statusCode, 404, key);
      assert.match(res.headers["content-type"] as string, /^text\/plain/);
      assert.match(res.body, /^no prometheus or alertmanager integration has this key/);
      const posted = await fb.http.inject({
        method: "POST",
        url: `/int/${encodeURIComponent(key)}/api/v2/alerts`,
        payload: [],
      });
      assert.equal(posted.statusCode, 404, "the alerts endpoint agrees");
    }
  });

  it("answers 403 for a disabled integration, and 200 again once enabled", async () => {
    const found = await fb.running.deps.uow.read((tx) => tx.integrations.findByKey(ingest.keys.prometheus!));
    await setIntegrationEnabled(fb.running.deps, setupCaller, found!.id, false);
    const res = await get(`/int/${ingest.keys.prometheus}/api/v2/status`);
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /is disabled\n$/);
    await setIntegrationEnabled(fb.running.deps, setupCaller, found!.id, true);
    assert.equal((await get(`/int/${ingest.keys.prometheus}/api/v2/status`)).statusCode, 200);
  });

  it("keeps /-/healthy and /-/ready at 200 whatever the key (liveness, no database)", async () => {
    for (const probe of ["/-/healthy", "/-/ready"]) {
      assert.equal((await get(`/int/not-a-key${probe}`)).statusCode, 200);
    }
  });
});
