import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldError } from "../errors.js";
import { alertmanagerFingerprint } from "./fingerprint.js";
import { parsePostableAlerts } from "./parse-alertmanager-v2.js";

const NOW = new Date("2021-01-01T00:00:00.000Z");

const LABELS = { alertname: "HighErrorRate", service: "api", severity: "page", cluster: "us-2" };

function postable(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    labels: LABELS,
    annotations: { summary: "5xx ratio above 2% for 5m", runbook_url: "https://runbooks.example.org/5xx" },
    startsAt: "2020-12-31T23:50:00.000Z",
    endsAt: "2021-01-01T00:04:00.000Z",
    generatorURL: "https://prom.example.org/graph?g0.expr=job%3Aerrors%3Aratio5m+%3E+0.02&g0.tab=1",
    ...overrides,
  };
}

describe("parsePostableAlerts: valid alerts", () => {
  it("turns a Prometheus alert into a trigger that expires at endsAt", () => {
    const result = parsePostableAlerts([postable()], NOW);
    assert.deepEqual(result.errors, []);
    const event = result.events[0]!;
    assert.equal(event.action, "trigger");
    assert.equal(event.dedupKey, alertmanagerFingerprint(LABELS));
    assert.equal(event.groupKey, null);
    assert.equal(event.summary, "5xx ratio above 2% for 5m");
    assert.equal(event.severity, "page");
    assert.equal(event.source, null);
    assert.equal(event.level, null);
    assert.deepEqual(event.labels, LABELS);
    assert.equal(event.occurredAt.toISOString(), "2020-12-31T23:50:00.000Z");
    assert.equal(event.expiresAt?.toISOString(), "2021-01-01T00:04:00.000Z");
    assert.deepEqual(
      event.links.map((link) => link.text),
      ["Source", "Runbook"],
    );
    assert.equal(event.details.startsAt, "2020-12-31T23:50:00.000Z");
  });

  const timing: Array<
    [
      name: string,
      fields: Record<string, unknown>,
      action: "trigger" | "resolve",
      occurredAt: string,
      expiresAt: string | null,
    ]
  > = [
    [
      "no endsAt: expires after the resolve timeout",
      { endsAt: undefined },
      "trigger",
      "2020-12-31T23:50:00.000Z",
      "2021-01-01T00:05:00.000Z",
    ],
    [
      "endsAt in the past: resolved at endsAt",
      { endsAt: "2020-12-31T23:59:00Z" },
      "resolve",
      "2020-12-31T23:59:00.000Z",
      null,
    ],
    [
      "endsAt exactly now: resolved",
      { endsAt: "2021-01-01T00:00:00Z" },
      "resolve",
      "2021-01-01T00:00:00.000Z",
      null,
    ],
    [
      "no startsAt: starts at endsAt",
      { startsAt: undefined },
      "trigger",
      "2021-01-01T00:04:00.000Z",
      "2021-01-01T00:04:00.000Z",
    ],
    [
      "neither: starts now",
      { startsAt: undefined, endsAt: undefined },
      "trigger",
      "2021-01-01T00:00:00.000Z",
      "2021-01-01T00:05:00.000Z",
    ],
    [
      "null times count as absent",
      { startsAt: null, endsAt: null },
      "trigger",
      "2021-01-01T00:00:00.000Z",
      "2021-01-01T00:05:00.000Z",
    ],
    [
      "Go zero times count as absent",
      { startsAt: "0001-01-01T00:00:00Z", endsAt: "0001-01-01T00:00:00Z" },
      "trigger",
      "2021-01-01T00:00:00.000Z",
      "2021-01-01T00:05:00.000Z",
    ],
    [
      "ns precision",
      { startsAt: "2020-12-31T23:50:00.123456789Z", endsAt: "2021-01-01T00:04:00.987654321+00:00" },
      "trigger",
      "2020-12-31T23:50:00.123Z",
      "2021-01-01T00:04:00.987Z",
    ],
  ];
  for (const [name, fields, action, occurredAt, expiresAt] of timing) {
    it(name, () => {
      const result = parsePostableAlerts([postable(fields)], NOW);
      assert.deepEqual(result.errors, []);
      const event = result.events[0]!;
      assert.equal(event.action, action);
      assert.equal(event.occurredAt.toISOString(), occurredAt);
      assert.equal(event.expiresAt?.toISOString() ?? null, expiresAt);
    });
  }

  it("uses the given resolve timeout", () => {
    const [event] = parsePostableAlerts([postable({ endsAt: undefined })], NOW, 60_000).events;
    assert.equal(event?.expiresAt?.toISOString(), "2021-01-01T00:01:00.000Z");
  });

  it("drops labels with an empty value before computing the fingerprint", () => {
    const [event] = parsePostableAlerts([postable({ labels: { ...LABELS, pod: "" } })], NOW).events;
    assert.deepEqual(event?.labels, LABELS);
    assert.equal(event?.dedupKey, alertmanagerFingerprint(LABELS));
  });

  it("accepts UTF-8 label names, as Prometheus 3 sends them", () => {
    const labels = { alertname: "A", "service.name": "checkout", région: "eu" };
    const [event] = parsePostableAlerts([postable({ labels })], NOW).events;
    assert.deepEqual(event?.labels, labels);
  });

  it("uses instance for the source and ignores unknown fields", () => {
    const result = parsePostableAlerts(
      [postable({ labels: { ...LABELS, instance: "api-1:8080" }, status: {}, extra: 1 })],
      NOW,
    );
    assert.deepEqual(result.errors, []);
    assert.equal(result.events[0]?.source, "api-1:8080");
  });

  it("accepts an empty array", () => {
    assert.deepEqual(parsePostableAlerts([], NOW), { events: [], errors: [] });
  });

  it("gives the same dedup key to a resend, whatever the order of labels", () => {
    const reordered = { cluster: "us-2", severity: "page", service: "api", alertname: "HighErrorRate" };
    const result = parsePostableAlerts(
      [postable(), postable({ labels: reordered, endsAt: "2021-01-01T00:05:00Z" })],
      NOW,
    );
    assert.equal(result.events[0]?.dedupKey, result.events[1]?.dedupKey);
  });
});

describe("parsePostableAlerts: errors", () => {
  const whole: Array<[name: string, body: unknown]> = [
    ["an object", postable()],
    ["null", null],
    ["a number", 3],
  ];
  for (const [name, body] of whole) {
    it(`rejects a body that is ${name}`, () => {
      assert.deepEqual(parsePostableAlerts(body, NOW), {
        events: [],
        errors: [{ path: "/", message: "must be a JSON array of alerts" }],
      });
    });
  }

  const items: Array<[name: string, item: unknown, errors: FieldError[]]> = [
    ["not an object", [], [{ path: "/1", message: "must be an object" }]],
    [
      "without labels",
      postable({ labels: undefined }),
      [{ path: "/1/labels", message: "at least one label is required" }],
    ],
    [
      "with empty labels",
      postable({ labels: {} }),
      [{ path: "/1/labels", message: "at least one label is required" }],
    ],
    [
      "with only empty label values",
      postable({ labels: { alertname: "" } }),
      [{ path: "/1/labels", message: "at least one label is required" }],
    ],
    [
      "with labels not an object",
      postable({ labels: "alertname=A" }),
      [{ path: "/1/labels", message: "must be an object of strings" }],
    ],
    [
      "with a non-string label value",
      postable({ labels: { alertname: "A", code: 500 } }),
      [{ path: "/1/labels/code", message: "must be a string" }],
    ],
    [
      "with an empty label name",
      postable({ labels: { alertname: "A", "": "x" } }),
      [{ path: "/1/labels", message: "label names must not be empty" }],
    ],
    [
      "with non-string annotations",
      postable({ annotations: { summary: ["x"] } }),
      [{ path: "/1/annotations/summary", message: "must be a string" }],
    ],
    [
      "with an empty annotation name",
      postable({ annotations: { "": "x" } }),
      [{ path: "/1/annotations", message: "names must not be empty" }],
    ],
    [
      "with a malformed startsAt",
      postable({ startsAt: "yesterday" }),
      [{ path: "/1/startsAt", message: "must be an RFC 3339 date-time" }],
    ],
    [
      "with a numeric endsAt",
      postable({ endsAt: 1609459200 }),
      [{ path: "/1/endsAt", message: "must be an RFC 3339 date-time" }],
    ],
    [
      "ending before it starts",
      postable({ endsAt: "2020-12-31T23:00:00Z" }),
      [{ path: "/1/endsAt", message: "must not be before startsAt" }],
    ],
    [
      "with a non-string generatorURL",
      postable({ generatorURL: { href: "x" } }),
      [{ path: "/1/generatorURL", message: "must be a string" }],
    ],
    [
      "with several problems",
      postable({ labels: {}, startsAt: "no" }),
      [
        { path: "/1/labels", message: "at least one label is required" },
        { path: "/1/startsAt", message: "must be an RFC 3339 date-time" },
      ],
    ],
  ];
  for (const [name, item, errors] of items) {
    it(`reports an alert ${name} and keeps its valid siblings`, () => {
      const sibling = postable({ labels: { alertname: "Other" } });
      const result = parsePostableAlerts([postable(), item, sibling], NOW);
      assert.deepEqual(result.errors, errors);
      assert.deepEqual(
        result.events.map((event) => event.labels.alertname),
        ["HighErrorRate", "Other"],
      );
    });
  }

  it("names the index of each invalid item", () => {
    const result = parsePostableAlerts([postable(), postable(), postable(), { labels: {} }], NOW);
    assert.deepEqual(result.errors, [{ path: "/3/labels", message: "at least one label is required" }]);
    assert.equal(result.events.length, 3);
  });
});
