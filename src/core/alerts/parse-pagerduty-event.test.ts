import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { parsePagerDutyChangeEvent, parsePagerDutyEvent } from "./parse-pagerduty-event.js";

const NOW = new Date("2021-01-01T00:00:00.000Z");
const ROUTING_KEY = "R0utingKeyIssuedByFirebreak00001";

function trigger(
  overrides: Record<string, unknown> = {},
  payload: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    routing_key: ROUTING_KEY,
    event_action: "trigger",
    dedup_key: "orders-latency-us-2",
    payload: {
      summary: "p99 latency of orders above 1.5s",
      source: "orders.us-2.example.org",
      severity: "error",
      timestamp: "2020-12-31T23:58:30.250+0000",
      component: "api",
      group: "orders",
      class: "latency",
      custom_details: { p99_ms: 1720, threshold_ms: 1500 },
      ...payload,
    },
    links: [{ href: "https://grafana.example.org/d/orders", text: "Dashboard" }],
    images: [
      {
        src: "https://grafana.example.org/render/orders.png",
        href: "https://grafana.example.org/d/orders",
        alt: "p99",
      },
    ],
    client: "Grafana",
    client_url: "https://grafana.example.org",
    ...overrides,
  };
}

/** What Alertmanager's pagerduty_configs sends: SHA-256 dedup key, no timestamp, string custom details. */
function fromAlertmanager(action: "trigger" | "resolve"): Record<string, unknown> {
  const groupKey = '{}/{team="orders"}:{alertname="OrdersLatency"}';
  return {
    routing_key: ROUTING_KEY,
    dedup_key: createHash("sha256").update(groupKey).digest("hex"),
    event_action: action,
    payload: {
      summary: `[${action === "trigger" ? "FIRING:1" : "RESOLVED"}] OrdersLatency (orders critical)`,
      source: "Alertmanager",
      severity: "error",
      custom_details: {
        firing: "Labels:\n - alertname = OrdersLatency\n",
        num_firing: "1",
        num_resolved: "0",
        resolved: "",
      },
    },
    client: "Alertmanager",
    client_url: "https://am.example.org/#/alerts?receiver=firebreak",
    images: [],
    links: [{ href: "", text: "" }],
  };
}

describe("parsePagerDutyEvent: valid events", () => {
  it("turns a trigger into an AlertEvent with details and links", () => {
    const result = parsePagerDutyEvent(trigger(), NOW);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.routingKey, ROUTING_KEY);
    assert.equal(result.dedupKeyGenerated, false);
    const event = result.event;
    assert.equal(event.action, "trigger");
    assert.equal(event.dedupKey, "orders-latency-us-2");
    assert.equal(event.summary, "p99 latency of orders above 1.5s");
    assert.equal(event.severity, "error");
    assert.equal(event.level, null);
    assert.equal(event.source, "orders.us-2.example.org");
    assert.equal(event.occurredAt.toISOString(), "2020-12-31T23:58:30.250Z");
    assert.equal(event.groupKey, null);
    assert.equal(event.expiresAt, null);
    assert.deepEqual(event.labels, {});
    assert.deepEqual(event.details, {
      custom_details: { p99_ms: 1720, threshold_ms: 1500 },
      component: "api",
      group: "orders",
      class: "latency",
      client: "Grafana",
      client_url: "https://grafana.example.org",
      images: [
        {
          src: "https://grafana.example.org/render/orders.png",
          href: "https://grafana.example.org/d/orders",
          alt: "p99",
        },
      ],
    });
    assert.deepEqual(event.links, [
      { href: "https://grafana.example.org/d/orders", text: "Dashboard" },
      { href: "https://grafana.example.org", text: "Grafana" },
    ]);
  });

  it("leaves the key to the caller for a trigger without dedup_key", () => {
    for (const dedup_key of [undefined, null, "", "   "]) {
      const result = parsePagerDutyEvent(trigger({ dedup_key }), NOW);
      assert.ok(result.ok);
      assert.equal(result.dedupKeyGenerated, true);
      assert.equal(result.event.dedupKey, "");
    }
  });

  it("accepts acknowledge and resolve by key, with or without a payload", () => {
    for (const action of ["acknowledge", "resolve"] as const) {
      const bare = parsePagerDutyEvent(
        { routing_key: ROUTING_KEY, event_action: action, dedup_key: "k-1" },
        NOW,
      );
      assert.ok(bare.ok);
      assert.equal(bare.event.action, action);
      assert.equal(bare.event.dedupKey, "k-1");
      assert.equal(bare.event.summary, action === "acknowledge" ? "Acknowledged" : "Resolved");
      assert.equal(bare.event.occurredAt.toISOString(), NOW.toISOString());
      assert.equal(bare.dedupKeyGenerated, false);
      const withPayload = parsePagerDutyEvent(
        trigger({ event_action: action }, { severity: "bogus", source: "" }),
        NOW,
      );
      assert.ok(withPayload.ok);
      assert.equal(withPayload.event.summary, "p99 latency of orders above 1.5s");
      assert.equal(withPayload.event.severity, null);
    }
  });

  it("works with Alertmanager's pagerduty_configs: 64-char key, no timestamp, trigger then resolve", () => {
    for (const action of ["trigger", "resolve"] as const) {
      const result = parsePagerDutyEvent(fromAlertmanager(action), NOW);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.event.action, action);
      assert.equal(result.event.dedupKey.length, 64);
      assert.equal(result.event.occurredAt.toISOString(), NOW.toISOString());
      assert.equal(result.event.source, "Alertmanager");
      assert.equal(result.event.summary, "OrdersLatency (orders critical)");
      assert.deepEqual(result.event.links, [
        { href: "https://am.example.org/#/alerts?receiver=firebreak", text: "Alertmanager" },
      ]);
    }
    const trig = parsePagerDutyEvent(fromAlertmanager("trigger"), NOW);
    const res = parsePagerDutyEvent(fromAlertmanager("resolve"), NOW);
    assert.ok(trig.ok && res.ok);
    assert.equal(trig.event.dedupKey, res.event.dedupKey);
  });

  it("drops the group status prefix of Alertmanager's and Grafana's default summary", () => {
    const cases: [string, string][] = [
      ["[FIRING:1] OrdersLatency (orders critical)", "OrdersLatency (orders critical)"],
      ["[FIRING:12] DiskFull", "DiskFull"],
      ["[FIRING] DiskFull", "DiskFull"],
      ["[RESOLVED] DiskFull", "DiskFull"],
      ["[FIRING:1]", "[FIRING:1]"],
      ["[firing:1] lower case is someone's own text", "[firing:1] lower case is someone's own text"],
      ["Disk [FIRING:1] in the middle", "Disk [FIRING:1] in the middle"],
    ];
    for (const [summary, expected] of cases) {
      const result = parsePagerDutyEvent(trigger({}, { summary }), NOW);
      assert.ok(result.ok);
      assert.equal(result.event.summary, expected, summary);
    }
  });

  it("cuts a summary over 1024 characters (Alertmanager counts characters, not UTF-16 units)", () => {
    const summary = "🔥".repeat(1024); // 1024 characters, 2048 UTF-16 code units
    const result = parsePagerDutyEvent(trigger({}, { summary }), NOW);
    assert.ok(result.ok);
    assert.ok(result.event.summary.length <= 1024);
    assert.ok(result.event.summary.endsWith("🔥…"));
  });

  it("matches severity case-insensitively and stores it in lower case", () => {
    const result = parsePagerDutyEvent(trigger({}, { severity: "Critical" }), NOW);
    assert.ok(result.ok);
    assert.equal(result.event.severity, "critical");
  });

  it("falls back to now for an unreadable timestamp and keeps it in details", () => {
    const result = parsePagerDutyEvent(trigger({}, { timestamp: "last tuesday" }), NOW);
    assert.ok(result.ok);
    assert.equal(result.event.occurredAt.toISOString(), NOW.toISOString());
    assert.equal(result.event.details.timestamp, "last tuesday");
  });

  it("accepts a dedup_key of exactly 255 characters and ignores unknown fields", () => {
    const result = parsePagerDutyEvent(
      trigger({ dedup_key: "k".repeat(255), service_key: "old", extra: [1] }),
      NOW,
    );
    assert.ok(result.ok);
    assert.equal(result.event.dedupKey.length, 255);
  });

  it("drops links and images that are not http(s) URLs", () => {
    const result = parsePagerDutyEvent(
      trigger({
        links: [
          { href: "javascript:alert(1)" },
          { href: "/relative" },
          "x",
          { href: "https://ok.example.org" },
        ],
        images: [
          { src: "data:image/png;base64,AAAA" },
          { src: "https://img.example.org/a.png", href: "ftp://x" },
        ],
        client_url: undefined,
      }),
      NOW,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.event.links, [{ href: "https://ok.example.org", text: null }]);
    assert.deepEqual(result.event.details.images, [
      { src: "https://img.example.org/a.png", href: null, alt: null },
    ]);
  });
});

describe("parsePagerDutyEvent: errors", () => {
  const cases: Array<[name: string, body: unknown, errors: string[], routingKey: string | null]> = [
    ["a body that is not an object", [trigger()], ["Event object is invalid (must be a JSON object)"], null],
    [
      "a missing routing_key",
      trigger({ routing_key: undefined }),
      ["'routing_key' is missing or blank"],
      null,
    ],
    ["a blank routing_key", trigger({ routing_key: "  " }), ["'routing_key' is missing or blank"], null],
    ["a numeric routing_key", trigger({ routing_key: 42 }), ["'routing_key' is missing or blank"], null],
    [
      "a missing event_action",
      trigger({ event_action: undefined }),
      ["'event_action' is missing or blank"],
      ROUTING_KEY,
    ],
    [
      "an unknown event_action",
      trigger({ event_action: "escalate" }),
      ["'event_action' is invalid (must be one of: trigger, acknowledge, resolve)"],
      ROUTING_KEY,
    ],
    [
      "a dedup_key over 255 characters",
      trigger({ dedup_key: "k".repeat(256) }),
      ["'dedup_key' is too long (must be at most 255 characters)"],
      ROUTING_KEY,
    ],
    [
      "a numeric dedup_key",
      trigger({ dedup_key: 7 }),
      ["'dedup_key' is invalid (must be a string)"],
      ROUTING_KEY,
    ],
    [
      "a resolve without dedup_key",
      trigger({ event_action: "resolve", dedup_key: undefined }),
      ["'dedup_key' is missing or blank"],
      ROUTING_KEY,
    ],
    [
      "an acknowledge without dedup_key",
      { routing_key: ROUTING_KEY, event_action: "acknowledge" },
      ["'dedup_key' is missing or blank"],
      ROUTING_KEY,
    ],
    [
      "a trigger without payload",
      trigger({ payload: undefined }),
      ["'payload' is missing or not an object"],
      ROUTING_KEY,
    ],
    [
      "a trigger with a string payload",
      trigger({ payload: "hi" }),
      ["'payload' is missing or not an object"],
      ROUTING_KEY,
    ],
    [
      "a missing summary",
      trigger({}, { summary: undefined }),
      ["'payload.summary' is missing or blank"],
      ROUTING_KEY,
    ],
    [
      "a blank summary",
      trigger({}, { summary: " " }),
      ["'payload.summary' is missing or blank"],
      ROUTING_KEY,
    ],
    [
      "a numeric summary",
      trigger({}, { summary: 5 }),
      ["'payload.summary' is invalid (must be a string)"],
      ROUTING_KEY,
    ],
    [
      "a missing source",
      trigger({}, { source: undefined }),
      ["'payload.source' is missing or blank"],
      ROUTING_KEY,
    ],
    [
      "a missing severity",
      trigger({}, { severity: undefined }),
      ["'payload.severity' is missing or blank"],
      ROUTING_KEY,
    ],
    [
      "a severity outside the enum",
      trigger({}, { severity: "page" }),
      ["'payload.severity' is invalid (must be one of: critical, error, warning, info)"],
      ROUTING_KEY,
    ],
    [
      "everything wrong",
      { event_action: "trigger", payload: {} },
      [
        "'routing_key' is missing or blank",
        "'payload.summary' is missing or blank",
        "'payload.source' is missing or blank",
        "'payload.severity' is missing or blank",
      ],
      null,
    ],
  ];
  for (const [name, body, errors, routingKey] of cases) {
    it(`rejects ${name}`, () => {
      const result = parsePagerDutyEvent(body, NOW);
      assert.equal(result.ok, false);
      assert.deepEqual(result.ok ? [] : result.errors, errors);
      assert.equal(result.routingKey, routingKey);
    });
  }
});

describe("parsePagerDutyChangeEvent", () => {
  const change = {
    routing_key: ROUTING_KEY,
    payload: {
      summary: "Deployed orders v2.14.0",
      source: "ci.example.org",
      timestamp: "2020-12-31T23:30:00Z",
      custom_details: { build: 1432, commit: "9f8e7d6" },
    },
    links: [{ href: "https://ci.example.org/builds/1432", text: "Build 1432" }],
  };

  it("turns a change event into a ChangeEvent", () => {
    const result = parsePagerDutyChangeEvent(change, NOW);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.routingKey, ROUTING_KEY);
    assert.deepEqual(result.event, {
      summary: "Deployed orders v2.14.0",
      source: "ci.example.org",
      occurredAt: new Date("2020-12-31T23:30:00Z"),
      details: { custom_details: { build: 1432, commit: "9f8e7d6" } },
      links: [{ href: "https://ci.example.org/builds/1432", text: "Build 1432" }],
    });
  });

  it("needs only routing_key and payload.summary", () => {
    const result = parsePagerDutyChangeEvent(
      { routing_key: ROUTING_KEY, payload: { summary: "Feature flag on" } },
      NOW,
    );
    assert.ok(result.ok);
    assert.equal(result.event.source, null);
    assert.equal(result.event.occurredAt.toISOString(), NOW.toISOString());
    assert.deepEqual(result.event.links, []);
  });

  const invalid: Array<[name: string, body: unknown, errors: string[]]> = [
    ["a non-object body", "deploy", ["Event object is invalid (must be a JSON object)"]],
    ["a missing routing_key", { ...change, routing_key: "" }, ["'routing_key' is missing or blank"]],
    ["a missing payload", { routing_key: ROUTING_KEY }, ["'payload' is missing or not an object"]],
    [
      "a missing summary",
      { routing_key: ROUTING_KEY, payload: { source: "ci" } },
      ["'payload.summary' is missing or blank"],
    ],
  ];
  for (const [name, body, errors] of invalid) {
    it(`rejects ${name}`, () => {
      const result = parsePagerDutyChangeEvent(body, NOW);
      assert.deepEqual(result.ok ? [] : result.errors, errors);
      assert.equal(result.ok, false);
    });
  }
});
