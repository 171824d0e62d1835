// What a page tells the responder about its alert, from ingestion to the rendered mail: the severity,
// the labels and the description, and a bounded mail however large the alert's details were.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { renderEmail } from "../../src/notifiers/email/render-email.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { RecordingSender } from "../support/recording-sender.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, pathOf, type Client } from "./alerting-helpers.js";

describeEachDialect("a page's alert facts, over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;
  let serviceId: string;
  const clock = new FakeClock();
  const sender = new RecordingSender();

  const integrationPath = async (kind: string): Promise<string> => {
    const res = await admin.post(`/api/v1/services/${serviceId}/integrations`, { kind });
    assert.equal(res.statusCode, 201, res.body);
    return pathOf((res.json() as { url: string }).url);
  };
  /** The channel's message about the incident the last post opened. */
  const sentAfter = async (post: () => Promise<void>) => {
    sender.sent.length = 0;
    await post();
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const [sent] = sender.sent;
    assert.equal(sent?.message.event, "triggered");
    return sent.message;
  };

  before(async () => {
    fb = await startTestFirebreak({
      dialect,
      clock,
      sender,
      startEngine: false,
      // Room for a 1 MB details blob in one request.
      env: { FIREBREAK_BODY_LIMIT_BYTES: String(4 * 1_048_576) },
    });
    admin = client(fb, { key: await fb.apiKey("admin") });
    const channel = await admin.post("/api/v1/channels", {
      name: "ops",
      kind: "webhook",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    assert.equal(channel.statusCode, 201, channel.body);
    const service = await admin.post("/api/v1/services", {
      name: "storage",
      channelId: (channel.json() as { id: string }).id,
    });
    assert.equal(service.statusCode, 201, service.body);
    serviceId = (service.json() as { id: string }).id;
  });
  after(() => fb.close());

  it("an Alertmanager page names its severity, labels and description, in the mail too", async () => {
    const path = await integrationPath("alertmanager");
    const message = await sentAfter(async () => {
      const posted = await fb.http.inject({
        method: "POST",
        url: path,
        payload: {
          version: "4",
          groupKey: '{}:{alertname="DiskFull"}',
          status: "firing",
          receiver: "firebreak",
          alerts: [
            {
              status: "firing",
              labels: { alertname: "DiskFull", severity: "critical", instance: "db-7:9100", mount: "/var" },
              annotations: {
                summary: "Disk almost full on db-7",
                description: "2% left on /var <at 03:00> & falling",
                runbook_url: "https://runbooks.example.net/disk",
              },
              startsAt: "2026-03-02T03:00:00Z",
              endsAt: "0001-01-01T00:00:00Z",
              generatorURL: "http://prometheus.example.net/graph",
              fingerprint: "0123456789abcdef",
            },
          ],
        },
      });
      assert.equal(posted.statusCode, 200, posted.body);
    });
    assert.deepEqual(message.details, [
      { label: "Severity", value: "critical" },
      { label: "Alerts", value: "1 firing of 1" },
      { label: "instance", value: "db-7:9100" },
      { label: "mount", value: "/var" },
      { label: "description", value: "2% left on /var <at 03:00> & falling" },
    ]);
    const mail = renderEmail(message, "page:1");
    assert.match(mail.text, /\nSeverity: critical\n/);
    assert.match(mail.html, /<td [^>]*>2% left on \/var &lt;at 03:00&gt; &amp; falling<\/td>/);
    assert.match(mail.text, /- Runbook: https:\/\/runbooks\.example\.net\/disk/);
  });

  it("a 1 MB details blob makes a page of a few rows and a mail of a few kilobytes", async () => {
    const path = await integrationPath("webhook");
    const message = await sentAfter(async () => {
      const posted = await fb.http.inject({
        method: "POST",
        url: path,
        payload: {
          summary: "Queue backed up",
          severity: "warning",
          source: "queue-1.example.net",
          labels: { env: "prod" },
          details: { dump: "x".repeat(1_000_000), depth: 48_211 },
        },
      });
      assert.equal(posted.statusCode, 200, posted.body);
    });
    assert.deepEqual(
      message.details.map((d) => d.label),
      ["Severity", "Alerts", "Source", "env", "dump", "depth"],
    );
    assert.equal(message.details.find((d) => d.label === "dump")?.value.length, 500);
    assert.equal(message.details.find((d) => d.label === "depth")?.value, "48211");
    const mail = renderEmail(message, "page:2");
    assert.ok(mail.text.length + mail.html.length < 10_000, `${mail.text.length} + ${mail.html.length}`);
  });
});
