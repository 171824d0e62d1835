import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { RecordingSender } from "../support/recording-sender.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, pathOf, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

const STORM = 260;

/** One Alertmanager group of `count` instances going down (or coming back) together. */
const fleetBody = (status: "firing" | "resolved", count: number) => ({
  version: "4",
  groupKey: '{}:{alertname="InstanceDown"}',
  truncatedAlerts: 0,
  status,
  receiver: "firebreak",
  groupLabels: { alertname: "InstanceDown" },
  commonLabels: { alertname: "InstanceDown", job: "node" },
  commonAnnotations: {},
  externalURL: "http://alertmanager.example.net",
  alerts: Array.from({ length: count }, (_, i) => ({
    status,
    labels: { alertname: "InstanceDown", job: "node", instance: `node-${String(i).padStart(3, "0")}:9100` },
    annotations: { summary: `node-${String(i).padStart(3, "0")} is down` },
    startsAt: new Date(Date.UTC(2026, 11, 6, 3, 0, i)).toISOString(),
    endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : "2026-12-06T04:00:00Z",
    generatorURL: "http://prometheus.example.net/graph",
    fingerprint: `fleet${String(i).padStart(11, "0")}`,
  })),
});

interface Detail {
  alerts: Array<{ summary: string }>;
  alertCounts: { total: number; firing: number };
  timeline: Array<{ kind: string }>;
  omittedTimelineEntries: number;
}
interface AlertsPage {
  items: Array<{ summary: string }>;
  total: number;
  firing: number;
}

describeEachDialect("an alert storm in one incident, over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;
  let integrationPath: string;
  let incidentNumber: number;
  const clock = new FakeClock();
  const sender = new RecordingSender();

  before(async () => {
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    const channel = await admin.post("/api/v1/channels", {
      name: "ops",
      kind: "webhook",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    assert.equal(channel.statusCode, 201, channel.body);
    const service = await admin.post("/api/v1/services", {
      name: "fleet",
      channelId: (channel.json() as { id: string }).id,
    });
    assert.equal(service.statusCode, 201, service.body);
    const integration = await admin.post(
      `/api/v1/services/${(service.json() as { id: string }).id}/integrations`,
      {
        kind: "alertmanager",
      },
    );
    integrationPath = pathOf((integration.json() as { url: string }).url);
    const posted = await fb.http.inject({
      method: "POST",
      url: integrationPath,
      payload: fleetBody("firing", STORM),
    });
    assert.equal(posted.statusCode, 200, posted.body);
    const list = (await admin.get("/api/v1/incidents")).json() as Array<{ number: number }>;
    assert.equal(list.length, 1, "one group, one incident");
    incidentNumber = list[0]!.number;
  });
  after(() => fb.close());

  it("the incident page carries the first 100 alerts and the counts, not all of them", async () => {
    const res = await admin.get(`/api/v1/incidents/${incidentNumber}`);
    assert.equal(res.statusCode, 200, res.body);
    const detail = res.json() as Detail;
    assert.equal(detail.alerts.length, 100);
    assert.equal(detail.alerts[0]!.summary, "node-000 is down", "in start order");
    assert.deepEqual(detail.alertCounts, { total: STORM, firing: STORM });
    const alertEntries = detail.timeline.filter((e) => e.kind.startsWith("alert."));
    assert.equal(alertEntries.length, 100);
    // The first alert opened the incident; each of the others added one "alert.added" entry.
    assert.equal(detail.omittedTimelineEntries, STORM - 1 - 100);
    assert.equal(detail.timeline[0]!.kind, "incident.triggered");
  });

  it("the channel's message counts every alert and names the first one's labels", async () => {
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const [sent] = sender.sent;
    assert.equal(sent?.message.event, "triggered");
    assert.deepEqual(sent.message.details.slice(0, 3), [
      { label: "Alerts", value: `${STORM} firing of ${STORM}` },
      { label: "job", value: "node" },
      { label: "instance", value: "node-000:9100" },
    ]);
  });

  it("pages through every alert", async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < STORM; offset += 100) {
      const res = await admin.get(
        `/api/v1/incidents/INC-${incidentNumber}/alerts?limit=100&offset=${offset}`,
      );
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as AlertsPage;
      assert.equal(page.total, STORM);
      seen.push(...page.items.map((a) => a.summary));
    }
    assert.equal(seen.length, STORM);
    assert.equal(new Set(seen).size, STORM, "no alert twice");
    const last = (
      await admin.get(`/api/v1/incidents/${incidentNumber}/alerts?offset=${STORM}`)
    ).json() as AlertsPage;
    assert.deepEqual(last.items, []);
  });

  it("keeps every entry that is not one per alert when the storm passes", async () => {
    const resolved = await fb.http.inject({
      method: "POST",
      url: integrationPath,
      payload: fleetBody("resolved", STORM),
    });
    assert.equal(resolved.statusCode, 200, resolved.body);
    const detail = (await admin.get(`/api/v1/incidents/${incidentNumber}`)).json() as Detail;
    assert.deepEqual(detail.alertCounts, { total: STORM, firing: 0 });
    assert.equal(detail.omittedTimelineEntries, STORM - 1 + STORM - 100);
    const kinds = detail.timeline.map((e) => e.kind);
    assert.ok(kinds.includes("incident.triggered"));
    assert.ok(kinds.includes("incident.resolved"), kinds.slice(-5).join(", "));
  });

  it("a bad page request is a 400 that names the parameter; an unknown incident is a 404", async () => {
    for (const query of ["limit=0", "limit=501", "offset=-1", "limit=ten", "page=2"]) {
      const res = await admin.get(`/api/v1/incidents/${incidentNumber}/alerts?${query}`);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      assert.match(res.body, /limit|offset|page/, query);
    }
    assertProblem(await admin.get("/api/v1/incidents/INC-999999/alerts"), 404, "NOT_FOUND");
  });
});
