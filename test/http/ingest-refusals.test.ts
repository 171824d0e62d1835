import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setIntegrationEnabled } from "../../src/app/integrations/manage-integrations.js";
import { createIngestService, setupCaller, type IngestService } from "../support/alerting-setup.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem } from "./problem-assertions.js";

const FORBIDDEN_PROTO = 'Body contains a forbidden key "__proto__"';

// Each ingest endpoint refuses what a sender got wrong in the sender's own format, and says what it was:
// a valid body with a refused key is not "not valid JSON"; a disabled key is not an unknown one.
describe("ingest endpoints name what they refuse", () => {
  let fb: TestFirebreak;
  let ingest: IngestService;

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    ingest = await createIngestService(fb.running.deps, {
      name: "refusals",
      kinds: ["webhook", "prometheus", "pagerduty"],
    });
  });
  after(() => fb.close());

  const post = (url: string, payload: string) =>
    fb.http.inject({ method: "POST", url, headers: { "content-type": "application/json" }, payload });

  const pagerDutyEvent = (overrides: Record<string, unknown> = {}) => ({
    routing_key: ingest.keys.pagerduty,
    event_action: "trigger",
    dedup_key: "refusals-1",
    payload: { summary: "Disk almost full", source: "db-7", severity: "critical" },
    ...overrides,
  });

  /** Alerts and change events stored for the service: a refusal stores neither. */
  const storedCount = () =>
    fb.running.deps.uow.read(async (tx) => {
      const alerts = await tx.alerts.list({ serviceId: ingest.service.id, limit: 100 });
      const changes = await tx.changeEvents.listForService(
        ingest.service.id,
        new Date(0),
        new Date(8.64e15),
        100,
      );
      return alerts.length + changes.length;
    });

  describe("a valid JSON body with a prototype-poisoning key", () => {
    it("the generic webhook answers a problem naming the key and where it is", async () => {
      const res = await post(
        `/integrations/webhook/${ingest.keys.webhook}`,
        '{"summary": "Disk almost full", "labels": {"__proto__": {"polluted": true}}}',
      );
      const problem = assertProblem(res, 400, "VALIDATION");
      assert.equal(problem.detail, `${FORBIDDEN_PROTO} at /labels/__proto__`);
      assert.deepEqual(problem.errors, [
        { path: "/labels/__proto__", message: '"__proto__" is a forbidden key' },
      ]);
    });

    it("the Alertmanager API answers in plain text, naming constructor.prototype too", async () => {
      const proto = await post(
        `/int/${ingest.keys.prometheus}/api/v2/alerts`,
        '[{"labels": {"__proto__": {}}}]',
      );
      assert.equal(proto.statusCode, 400);
      assert.match(String(proto.headers["content-type"]), /^text\/plain/);
      assert.equal(proto.body, `${FORBIDDEN_PROTO} at /0/labels/__proto__\n`);
      const ctor = await post(
        `/int/${ingest.keys.prometheus}/api/v2/alerts`,
        '[{"labels": {"a": "b"}, "annotations": {"constructor": {"prototype": {"x": 1}}}}]',
      );
      assert.equal(ctor.statusCode, 400);
      assert.equal(
        ctor.body,
        'Body contains a forbidden key "constructor.prototype" at /0/annotations/constructor/prototype\n',
      );
    });

    it("PagerDuty's endpoints answer PagerDuty's 400 body with the key in errors", async () => {
      for (const url of ["/v2/enqueue", "/v2/change/enqueue"]) {
        const body = JSON.stringify(pagerDutyEvent()).replace("{", '{"__proto__": {"x": 1}, ');
        const res = await post(url, body);
        assert.equal(res.statusCode, 400, res.body);
        assert.match(String(res.headers["content-type"]), /^application\/json/);
        assert.deepEqual(res.json(), {
          status: "invalid event",
          message: "Event object is invalid",
          errors: [`${FORBIDDEN_PROTO} at /__proto__`],
        });
      }
      assert.equal(await storedCount(), 0, "nothing was stored");
    });

    it("a body over PagerDuty's 512 KB is still 413, and malformed JSON still 'not valid JSON'", async () => {
      const huge = JSON.stringify(pagerDutyEvent({ payload: { summary: "x".repeat(600 * 1024) } }));
      const tooLarge = await post("/v2/enqueue", huge);
      assert.equal(tooLarge.statusCode, 413, tooLarge.body);
      assert.equal((tooLarge.json() as { status: string }).status, "invalid event");
      const malformed = await post("/v2/enqueue", '{"routing_key": ');
      assert.equal(malformed.statusCode, 400);
      assert.match((malformed.json() as { errors: string[] }).errors[0] ?? "", /not valid JSON/);
    });
  });

  describe("PagerDuty Events v2 with a disabled integration's routing key", () => {
    it("answers 403, as the other ingest endpoints do, in PagerDuty's body saying it is disabled", async () => {
      const found = await fb.running.deps.uow.read((tx) => tx.integrations.findByKey(ingest.keys.pagerduty!));
      await setIntegrationEnabled(fb.running.deps, setupCaller, found!.id, false);
      try {
        for (const url of ["/v2/enqueue", "/v2/change/enqueue"]) {
          const res = await post(url, JSON.stringify(pagerDutyEvent()));
          assert.equal(res.statusCode, 403, res.body);
          assert.match(String(res.headers["content-type"]), /^application\/json/);
          assert.deepEqual(res.json(), {
            status: "invalid event",
            message: "Integration is disabled",
            errors: [`integration ${found!.name} is disabled`],
          });
        }
        const webhook = await post(`/integrations/webhook/${ingest.keys.pagerduty}`, '{"summary": "x"}');
        assertProblem(webhook, 404, "NOT_FOUND");
        assert.equal(await storedCount(), 0, "nothing was stored");
      } finally {
        await setIntegrationEnabled(fb.running.deps, setupCaller, found!.id, true);
      }
      const enabled = await post("/v2/enqueue", JSON.stringify(pagerDutyEvent()));
      assert.equal(enabled.statusCode, 202, enabled.body);
    });

    it("still answers an unknown routing key with PagerDuty's 400 'Invalid routing key'", async () => {
      const res = await post("/v2/enqueue", JSON.stringify(pagerDutyEvent({ routing_key: "no-such-key" })));
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), {
        status: "invalid event",
        message: "Event object is invalid",
        errors: ["Invalid routing key"],
      });
    });
  });
});
