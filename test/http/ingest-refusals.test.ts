import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setIntegrationEnabled } from "../../src/app/integrations/manage-integrations.js";
import { createIngestService, setupCaller, type IngestService } from "../support/alerting-setup.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem } from "./problem-assertions.js";

const FORBIDDEN = "is a forbidden key: keys that could change an object's prototype are refused";

// Each ingest endpoint refuses what a sender got wrong in the sender's own format, and says what it was:
// a valid body with a refused key is not "not valid JSON"; a disabled key is not an unknown one.
describe("ingest endpoints name what they refuse", () => {
  let fb: TestFirebreak;
  let ingest: IngestService;

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    ingest = await createIngestService(fb.running.deps, {
      name: "refusals",
      kinds: ["webhook", "alertmanager", "prometheus", "pagerduty", "heartbeat"],
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
      assert.equal(problem.detail, `labels.__proto__ ${FORBIDDEN}`);
      assert.deepEqual(problem.errors, [{ path: "/labels/__proto__", message: FORBIDDEN }]);
    });

    it("the Alertmanager API answers in plain text, naming constructor.prototype too", async () => {
      const proto = await post(
        `/int/${ingest.keys.prometheus}/api/v2/alerts`,
        '[{"labels": {"__proto__": {}}}]',
      );
      assert.equal(proto.statusCode, 400);
      assert.match(String(proto.headers["content-type"]), /^text\/plain/);
      assert.equal(proto.body, `[0].labels.__proto__ ${FORBIDDEN}\n`);
      const ctor = await post(
        `/int/${ingest.keys.prometheus}/api/v2/alerts`,
        '[{"labels": {"a": "b"}, "annotations": {"constructor": {"prototype": {"x": 1}}}}]',
      );
      assert.equal(ctor.statusCode, 400);
      assert.equal(ctor.body, `[0].annotations.constructor.prototype ${FORBIDDEN}\n`);
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
          errors: [`__proto__ ${FORBIDDEN}`],
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

  // Each fault is said at its field, once, as on every other endpoint: "the request body" is only ever
  // the body itself, never a field inside it.
  describe("a refused body's detail names the field at fault", () => {
    const webhook = () => `/integrations/webhook/${ingest.keys.webhook}`;
    const alertmanager = () => `/integrations/alertmanager/${ingest.keys.alertmanager}`;
    const cases: Array<{
      name: string;
      url: () => string;
      body: string;
      detail: string;
      errors: Array<{ path: string; message: string }>;
    }> = [
      {
        name: "generic webhook, {}",
        url: webhook,
        body: "{}",
        detail: "summary is required",
        errors: [{ path: "/summary", message: "is required" }],
      },
      {
        name: "generic webhook, an unknown status",
        url: webhook,
        body: '{"summary": "x", "status": "burning"}',
        detail: "status must be one of firing, resolved",
        errors: [{ path: "/status", message: "must be one of firing, resolved" }],
      },
      {
        name: "generic webhook, no summary and an unknown status",
        url: webhook,
        body: '{"status": "burning"}',
        detail: "summary is required; status must be one of firing, resolved",
        errors: [
          { path: "/summary", message: "is required" },
          { path: "/status", message: "must be one of firing, resolved" },
        ],
      },
      {
        name: "generic webhook, an array of things that are not objects",
        url: webhook,
        body: '["a", 2]',
        detail: "[0] must be an object; [1] must be an object",
        errors: [
          { path: "/0", message: "must be an object" },
          { path: "/1", message: "must be an object" },
        ],
      },
      {
        name: "generic webhook, a label in an array's event",
        url: webhook,
        body: '[{"summary": "x", "labels": {"team name": 1}}]',
        detail: "[0].labels.team name must be a string",
        errors: [{ path: "/0/labels/team name", message: "must be a string" }],
      },
      {
        name: "generic webhook, a body that is neither",
        url: webhook,
        body: '"x"',
        detail: "the request body must be a JSON object or an array of objects",
        errors: [{ path: "/", message: "must be a JSON object or an array of objects" }],
      },
      {
        name: 'Alertmanager webhook, "alerts": "x"',
        url: alertmanager,
        body: '{"alerts": "x"}',
        detail: "alerts must be an array",
        errors: [{ path: "/alerts", message: "must be an array" }],
      },
      {
        name: "Alertmanager webhook, no alerts",
        url: alertmanager,
        body: '{"version": "4"}',
        detail: "alerts is required",
        errors: [{ path: "/alerts", message: "is required" }],
      },
      {
        name: "Alertmanager webhook, an array where the message object belongs",
        url: alertmanager,
        body: '[{"alerts": []}]',
        detail: "the request body must be a JSON object",
        errors: [{ path: "/", message: "must be a JSON object" }],
      },
      {
        name: "Alertmanager webhook, bad alerts",
        url: alertmanager,
        body: '{"alerts": [1, {"labels": {"a": "b"}, "status": "x"}, {"status": "firing"}]}',
        detail:
          "alerts[0] must be an object; alerts[1].status must be one of firing, resolved; alerts[2].labels is required",
        errors: [
          { path: "/alerts/0", message: "must be an object" },
          { path: "/alerts/1/status", message: "must be one of firing, resolved" },
          { path: "/alerts/2/labels", message: "is required" },
        ],
      },
    ];
    for (const c of cases)
      it(c.name, async () => {
        const problem = assertProblem(await post(c.url(), c.body), 400, "VALIDATION");
        assert.equal(problem.detail, c.detail);
        assert.deepEqual(problem.errors, c.errors);
      });

    it("the accepted answer names the events it left out at their fields", async () => {
      // A service of its own: the other tests count what this one's alerts are.
      const partial = await createIngestService(fb.running.deps, { name: "partial", kinds: ["webhook"] });
      const res = await post(
        `/integrations/webhook/${partial.keys.webhook}`,
        '[{"summary": "kept", "dedup_key": "refusals-kept"}, {"level": "x"}]',
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual((res.json() as { errors: unknown }).errors, [
        { path: "/1/summary", message: "is required" },
        { path: "/1/level", message: "must be one of page, notify, ticket" },
      ]);
    });

    it("Alertmanager API v2 says the same in plain text, one line per fault", async () => {
      const url = `/int/${ingest.keys.prometheus}/api/v2/alerts`;
      const notAList = await post(url, "{}");
      assert.equal(notAList.statusCode, 400);
      assert.match(String(notAList.headers["content-type"]), /^text\/plain/);
      assert.equal(notAList.body, "the request body must be a JSON array of alerts\n");
      const bad = await post(url, '[{}, {"labels": {"a": "b"}, "endsAt": "soon"}, 3]');
      assert.equal(bad.statusCode, 400);
      assert.equal(
        bad.body,
        "[0].labels: at least one label is required\n[1].endsAt must be an RFC 3339 date-time\n[2] must be an object\n",
      );
    });

    it("PagerDuty keeps its own 400 body and wording", async () => {
      const res = await post("/v2/enqueue", "{}");
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), {
        status: "invalid event",
        message: "Event object is invalid",
        errors: ["'routing_key' is missing or blank", "'event_action' is missing or blank"],
      });
    });
  });

  // `curl -d` sends application/x-www-form-urlencoded: each endpoint says which header to send, in its
  // own format and with its status as before (PagerDuty answers 400 to every bad body).
  describe("a body sent with the wrong Content-Type is told what to send", () => {
    const hint = (got: string) =>
      `send the body as JSON with the header Content-Type: application/json (got ${got})`;
    const endpoints: Array<{
      name: string;
      target: () => { url: string; headers?: Record<string, string> };
      format: "problem" | "text" | "pagerduty";
    }> = [
      {
        name: "generic webhook",
        target: () => ({ url: `/integrations/webhook/${ingest.keys.webhook}` }),
        format: "problem",
      },
      {
        name: "generic webhook, key as Bearer",
        target: () => ({
          url: "/integrations/webhook",
          headers: { authorization: `Bearer ${ingest.keys.webhook}` },
        }),
        format: "problem",
      },
      {
        name: "Alertmanager webhook",
        target: () => ({ url: `/integrations/alertmanager/${ingest.keys.alertmanager}` }),
        format: "problem",
      },
      {
        name: "Alertmanager API v2",
        target: () => ({ url: `/int/${ingest.keys.prometheus}/api/v2/alerts` }),
        format: "text",
      },
      {
        name: "Alertmanager API v2, key as Bearer",
        target: () => ({
          url: "/api/v2/alerts",
          headers: { authorization: `Bearer ${ingest.keys.prometheus}` },
        }),
        format: "text",
      },
      { name: "PagerDuty events", target: () => ({ url: "/v2/enqueue" }), format: "pagerduty" },
      { name: "PagerDuty change events", target: () => ({ url: "/v2/change/enqueue" }), format: "pagerduty" },
      // Heartbeats take any body (it is not read): heartbeat-check-ins.test.ts.
    ];
    const sent: Array<[contentType: string | undefined, got: string]> = [
      ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded"],
      ["text/plain; charset=utf-8", "text/plain; charset=utf-8"],
      [undefined, "no Content-Type"],
    ];
    for (const endpoint of endpoints)
      for (const [contentType, got] of sent)
        it(`${endpoint.name}, ${contentType ?? "no Content-Type"}`, async () => {
          const { url, headers = {} } = endpoint.target();
          const stored = await storedCount();
          const res = await fb.http.inject({
            method: "POST",
            url,
            headers: { ...headers, ...(contentType !== undefined && { "content-type": contentType }) },
            payload: JSON.stringify(pagerDutyEvent()),
          });
          if (endpoint.format === "problem")
            assert.equal(assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE").detail, hint(got));
          else if (endpoint.format === "text") {
            assert.equal(res.statusCode, 415);
            assert.match(String(res.headers["content-type"]), /^text\/plain/);
            assert.equal(res.body, `${hint(got)}\n`);
          } else {
            assert.equal(res.statusCode, 400);
            assert.deepEqual(res.json(), {
              status: "invalid event",
              message: "Event object is invalid",
              errors: [hint(got)],
            });
          }
          assert.equal(await storedCount(), stored, "nothing was stored");
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
