import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldError } from "../errors.js";
import { alertmanagerFingerprint } from "./fingerprint.js";
import { parseAlertmanagerWebhook } from "./parse-alertmanager-webhook.js";

const NOW = new Date("2021-01-01T00:00:00.000Z");

const GROUP_KEY = '{}/{team="payments"}:{alertname="QueueBacklog"}';

function firingAlert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: "firing",
    labels: { alertname: "QueueBacklog", instance: "mq-3:9419", severity: "warning", team: "payments" },
    annotations: { summary: "Queue backlog above 10k", runbook_url: "https://runbooks.example.org/queue" },
    startsAt: "2020-12-31T23:40:12.123456789Z",
    endsAt: "0001-01-01T00:00:00Z",
    generatorURL: "https://prom.example.org/graph?g0.expr=rabbitmq_queue_messages+%3E+1e4&g0.tab=1",
    fingerprint: "0a1b2c3d4e5f6789",
    ...overrides,
  };
}

function message(alerts: unknown[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: "4",
    groupKey: GROUP_KEY,
    truncatedAlerts: 0,
    status: "firing",
    receiver: "firebreak",
    groupLabels: { team: "payments" },
    commonLabels: { alertname: "QueueBacklog", team: "payments" },
    commonAnnotations: {},
    externalURL: "https://am.example.org",
    alerts,
    ...overrides,
  };
}

describe("parseAlertmanagerWebhook: valid bodies", () => {
  it("turns a firing alert into a trigger keyed by its fingerprint and grouped by groupKey", () => {
    const result = parseAlertmanagerWebhook(message([firingAlert()]), NOW);
    assert.deepEqual(result.errors, []);
    assert.equal(result.groupKey, GROUP_KEY);
    assert.equal(result.truncatedAlerts, 0);
    assert.equal(result.events.length, 1);
    const event = result.events[0]!;
    assert.equal(event.action, "trigger");
    assert.equal(event.dedupKey, "0a1b2c3d4e5f6789");
    assert.equal(event.groupKey, GROUP_KEY);
    assert.equal(event.summary, "Queue backlog above 10k");
    assert.equal(event.level, null);
    assert.equal(event.severity, "warning");
    assert.equal(event.source, "mq-3:9419");
    assert.deepEqual(event.labels, {
      alertname: "QueueBacklog",
      instance: "mq-3:9419",
      severity: "warning",
      team: "payments",
    });
    assert.equal(event.occurredAt.toISOString(), "2020-12-31T23:40:12.123Z"); // ns precision kept to ms
    assert.equal(event.expiresAt, null);
    assert.deepEqual(event.links, [
      {
        href: "https://prom.example.org/graph?g0.expr=rabbitmq_queue_messages+%3E+1e4&g0.tab=1",
        text: "Source",
      },
      { href: "https://runbooks.example.org/queue", text: "Runbook" },
    ]);
    assert.deepEqual(event.details, {
      annotations: { summary: "Queue backlog above 10k", runbook_url: "https://runbooks.example.org/queue" },
      generatorURL: "https://prom.example.org/graph?g0.expr=rabbitmq_queue_messages+%3E+1e4&g0.tab=1",
      startsAt: "2020-12-31T23:40:12.123Z",
      externalURL: "https://am.example.org",
      receiver: "firebreak",
    });
  });

  it("turns a resolved alert into a resolve that happened at endsAt", () => {
    const alert = firingAlert({ status: "resolved", endsAt: "2020-12-31T23:55:00.5Z" });
    const [event] = parseAlertmanagerWebhook(message([alert], { status: "resolved" }), NOW).events;
    assert.equal(event?.action, "resolve");
    assert.equal(event?.occurredAt.toISOString(), "2020-12-31T23:55:00.500Z");
    assert.equal(event?.details.endsAt, "2020-12-31T23:55:00.500Z");
  });

  it("treats the year-1 endsAt as no end, and falls back to now for a resolve without an end", () => {
    const firing = parseAlertmanagerWebhook(message([firingAlert()]), NOW).events[0];
    assert.equal(firing?.details.endsAt, undefined);
    const resolved = parseAlertmanagerWebhook(message([firingAlert({ status: "resolved" })]), NOW).events[0];
    assert.equal(resolved?.occurredAt.toISOString(), NOW.toISOString());
  });

  it("falls back to now when startsAt is missing or unreadable", () => {
    for (const startsAt of [undefined, "not a time", 12]) {
      const [event] = parseAlertmanagerWebhook(message([firingAlert({ startsAt })]), NOW).events;
      assert.equal(event?.occurredAt.toISOString(), NOW.toISOString());
    }
  });

  it("computes the fingerprint from the labels when it is absent or malformed", () => {
    const labels = {
      alertname: "QueueBacklog",
      instance: "mq-3:9419",
      severity: "warning",
      team: "payments",
    };
    for (const fingerprint of [undefined, "", "xyz", "0a1b2c3d4e5f67890", 42]) {
      const [event] = parseAlertmanagerWebhook(message([firingAlert({ fingerprint })]), NOW).events;
      assert.equal(event?.dedupKey, alertmanagerFingerprint(labels), String(fingerprint));
    }
    const [upper] = parseAlertmanagerWebhook(
      message([firingAlert({ fingerprint: "0A1B2C3D4E5F6789" })]),
      NOW,
    ).events;
    assert.equal(upper?.dedupKey, "0a1b2c3d4e5f6789");
  });

  it("reports truncatedAlerts > 0 and still returns the alerts it got", () => {
    const result = parseAlertmanagerWebhook(message([firingAlert()], { truncatedAlerts: 37 }), NOW);
    assert.equal(result.truncatedAlerts, 37);
    assert.equal(result.events.length, 1);
    assert.deepEqual(result.errors, []);
  });

  it("ignores unknown fields at every level", () => {
    const body = message([firingAlert({ receivers: ["x"], futureField: { nested: true } })], {
      notification_reason: "first notification",
      routeLabels: { team: "payments" },
      somethingNew: [1, 2, 3],
    });
    const result = parseAlertmanagerWebhook(body, NOW);
    assert.deepEqual(result.errors, []);
    assert.equal(result.events.length, 1);
  });

  it("derives the status from endsAt when an alert has none", () => {
    const past = parseAlertmanagerWebhook(
      message([firingAlert({ status: undefined, endsAt: "2020-12-31T00:00:00Z" })]),
      NOW,
    );
    assert.equal(past.events[0]?.action, "resolve");
    const open = parseAlertmanagerWebhook(message([firingAlert({ status: undefined })]), NOW);
    assert.equal(open.events[0]?.action, "trigger");
  });

  it("accepts empty or missing annotations and picks the summary by precedence", () => {
    const cases: Array<[annotations: unknown, labels: Record<string, string>, summary: string]> = [
      [{ summary: "S", description: "D" }, { alertname: "A" }, "S"],
      [{ summary: "  ", description: "D" }, { alertname: "A" }, "D"],
      [{}, { alertname: "A" }, "A"],
      [undefined, { alertname: "A" }, "A"],
      [null, { job: "node" }, "Alert"],
      [{ description: "line one\nline two\r\n  line three" }, {}, "line one line two line three"],
    ];
    for (const [annotations, labels, summary] of cases) {
      const [event] = parseAlertmanagerWebhook(message([firingAlert({ annotations, labels })]), NOW).events;
      assert.equal(event?.summary, summary);
    }
  });

  it("cuts a summary longer than 1024 characters", () => {
    const [event] = parseAlertmanagerWebhook(
      message([firingAlert({ annotations: { summary: "x".repeat(5000) } })]),
      NOW,
    ).events;
    assert.equal(event?.summary.length, 1024);
    assert.ok(event?.summary.endsWith("…"));
  });

  it("takes the source from instance, then job, and has no severity without the label", () => {
    const [event] = parseAlertmanagerWebhook(
      message([firingAlert({ labels: { alertname: "A", job: "node" } })]),
      NOW,
    ).events;
    assert.equal(event?.source, "node");
    assert.equal(event?.severity, null);
  });

  it("keeps a relative or non-http generatorURL in details but not as a link", () => {
    for (const generatorURL of ["/graph?g0.expr=up", "javascript:alert(1)"]) {
      const [event] = parseAlertmanagerWebhook(
        message([firingAlert({ generatorURL, annotations: {} })]),
        NOW,
      ).events;
      assert.deepEqual(event?.links, []);
      assert.equal(event?.details.generatorURL, generatorURL);
    }
  });

  it("accepts an empty alerts array", () => {
    assert.deepEqual(parseAlertmanagerWebhook(message([]), NOW), {
      events: [],
      errors: [],
      groupKey: GROUP_KEY,
      truncatedAlerts: 0,
    });
  });
});

describe("parseAlertmanagerWebhook: Grafana (version 1)", () => {
  const grafanaBody = {
    receiver: "firebreak",
    status: "firing",
    orgId: 1,
    alerts: [
      {
        status: "firing",
        labels: { alertname: "High latency", grafana_folder: "Checkout", severity: "critical" },
        annotations: { summary: "p99 above 2s" },
        startsAt: "2020-12-31T23:50:00+01:00",
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "https://grafana.example.org/alerting/grafana/abc123/view",
        fingerprint: "f1e2d3c4b5a69788",
        silenceURL: "https://grafana.example.org/alerting/silence/new?matcher=alertname%3DHigh+latency",
        dashboardURL: "https://grafana.example.org/d/checkout",
        panelURL: "https://grafana.example.org/d/checkout?viewPanel=4",
        values: { B: 2.31, C: 1 },
        valueString: "[ var='B' labels={} value=2.31 ]",
        orgId: 1,
        ruleUID: "abc123",
      },
    ],
    groupLabels: { alertname: "High latency" },
    commonLabels: { alertname: "High latency" },
    commonAnnotations: {},
    externalURL: "https://grafana.example.org/",
    version: "1",
    groupKey: '{}:{alertname="High latency"}',
    truncatedAlerts: 0,
    title: "[FIRING:1] High latency",
    state: "alerting",
    message: "**Firing**\n\nValue: B=2.31",
  };

  it("parses it like version 4, keeping Grafana's extras in details and links", () => {
    const result = parseAlertmanagerWebhook(grafanaBody, NOW);
    assert.deepEqual(result.errors, []);
    assert.equal(result.groupKey, '{}:{alertname="High latency"}');
    const event = result.events[0]!;
    assert.equal(event.action, "trigger");
    assert.equal(event.dedupKey, "f1e2d3c4b5a69788");
    assert.equal(event.severity, "critical");
    assert.equal(event.occurredAt.toISOString(), "2020-12-31T22:50:00.000Z");
    assert.deepEqual(event.details.values, { B: 2.31, C: 1 });
    assert.equal(event.details.valueString, "[ var='B' labels={} value=2.31 ]");
    assert.equal(event.details.ruleUID, "abc123");
    assert.equal(event.details.title, "[FIRING:1] High latency");
    assert.deepEqual(
      event.links.map((link) => link.text),
      ["Source", "Dashboard", "Panel", "Silence"],
    );
  });
});

describe("parseAlertmanagerWebhook: errors", () => {
  const whole: Array<[name: string, body: unknown, error: FieldError]> = [
    ["null", null, { path: "/", message: "must be a JSON object" }],
    ["an array", [firingAlert()], { path: "/", message: "must be a JSON object" }],
    ["a string", "hello", { path: "/", message: "must be a JSON object" }],
    ["no alerts", { version: "4" }, { path: "/alerts", message: "is required" }],
    [
      "alerts not an array",
      { alerts: { 0: firingAlert() } },
      { path: "/alerts", message: "must be an array" },
    ],
  ];
  for (const [name, body, error] of whole) {
    it(`rejects a body that is ${name}`, () => {
      const result = parseAlertmanagerWebhook(body, NOW);
      assert.deepEqual(result.events, []);
      assert.deepEqual(result.errors, [error]);
    });
  }

  const items: Array<[name: string, alert: unknown, errors: FieldError[]]> = [
    ["not an object", "oops", [{ path: "/alerts/1", message: "must be an object" }]],
    [
      "without labels",
      firingAlert({ labels: undefined }),
      [{ path: "/alerts/1/labels", message: "is required" }],
    ],
    [
      "with labels as an array",
      firingAlert({ labels: ["a"] }),
      [{ path: "/alerts/1/labels", message: "must be an object of strings" }],
    ],
    [
      "with a non-string label",
      firingAlert({ labels: { alertname: "A", code: 500 } }),
      [{ path: "/alerts/1/labels/code", message: "must be a string" }],
    ],
    [
      "with an odd label name",
      firingAlert({ labels: { "the code": 1 } }),
      [{ path: "/alerts/1/labels/the code", message: "must be a string" }],
    ],
    [
      "with annotations as a string",
      firingAlert({ annotations: "x" }),
      [{ path: "/alerts/1/annotations", message: "must be an object of strings" }],
    ],
    [
      "with an unknown status",
      firingAlert({ status: "pending" }),
      [{ path: "/alerts/1/status", message: "must be one of firing, resolved" }],
    ],
    [
      "with several problems",
      firingAlert({ labels: 1, status: "x" }),
      [
        { path: "/alerts/1/labels", message: "must be an object of strings" },
        { path: "/alerts/1/status", message: "must be one of firing, resolved" },
      ],
    ],
  ];
  for (const [name, alert, errors] of items) {
    it(`reports an alert ${name} and keeps its valid siblings`, () => {
      const result = parseAlertmanagerWebhook(
        message([firingAlert(), alert, firingAlert({ fingerprint: "ffffffffffffffff" })]),
        NOW,
      );
      assert.deepEqual(result.errors, errors);
      assert.deepEqual(
        result.events.map((event) => event.dedupKey),
        ["0a1b2c3d4e5f6789", "ffffffffffffffff"],
      );
    });
  }

  it("caps the number of reported errors", () => {
    const result = parseAlertmanagerWebhook(message(Array.from({ length: 250 }, () => 1)), NOW);
    assert.equal(result.errors.length, 101);
    assert.deepEqual(result.errors[100], { path: "/", message: "has 150 more errors" });
  });
});
