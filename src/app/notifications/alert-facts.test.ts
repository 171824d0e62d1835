import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Alert } from "../../core/alerts/records.js";
import { alertFacts, compactValue, cutChars, FACT_LIMITS } from "./alert-facts.js";

const at = new Date("2026-03-02T03:00:00Z");
const alertOf = (overrides: Partial<Alert>): Alert => ({
  id: "a1",
  serviceId: "s1",
  integrationId: "i1",
  dedupKey: "k1",
  groupingKey: "g1",
  status: "firing",
  level: "page",
  suppressed: false,
  summary: "Disk almost full on db-3",
  severity: null,
  labels: {},
  details: {},
  source: null,
  links: [],
  startedAt: at,
  lastEventAt: at,
  expiresAt: null,
  resolvedAt: null,
  incidentId: "inc1",
  eventCount: 1,
  createdAt: at,
  ...overrides,
});
const lead = [{ label: "Alerts", value: "1 firing of 1" }];
const text = (facts: readonly { label: string; value: string }[]) =>
  facts.map((f) => `${f.label}: ${f.value}`);

describe("alertFacts", () => {
  it("an Alertmanager alert: severity first, labels, the description; no repeats, links or times", () => {
    const alert = alertOf({
      severity: "critical",
      source: "db-3:9100",
      labels: {
        alertname: "DiskFull",
        severity: "critical",
        instance: "db-3:9100",
        job: "node",
        namespace: "payments",
      },
      details: {
        annotations: {
          summary: "Disk almost full on db-3",
          description: "Only 2% left on /var.\nWrites fail at 0%.",
          runbook_url: "https://runbooks.example.net/disk",
        },
        generatorURL: "http://prometheus.example.net/graph",
        startsAt: "2026-03-02T03:00:00.000Z",
        receiver: "firebreak",
        externalURL: "http://alertmanager.example.net",
      },
    });
    assert.deepEqual(text(alertFacts(alert, "Disk almost full on db-3", lead)), [
      "Severity: critical",
      "Alerts: 1 firing of 1",
      "instance: db-3:9100",
      "job: node",
      "namespace: payments",
      "description: Only 2% left on /var.\nWrites fail at 0%.",
    ]);
  });

  it("a PagerDuty event: its source, and its custom details one row each, objects as compact JSON", () => {
    const alert = alertOf({
      severity: "error",
      source: "db-3.example.net",
      details: {
        custom_details: { used: "98%", mounts: { var: 98, tmp: 12 } },
        component: "postgres",
        timestamp: "not a time",
      },
    });
    assert.deepEqual(text(alertFacts(alert, "t", lead)), [
      "Severity: error",
      "Alerts: 1 firing of 1",
      "Source: db-3.example.net",
      "used: 98%",
      'mounts: {"var":98,"tmp":12}',
      "component: postgres",
    ]);
  });

  it("without an alert, only the lead; without a severity, no Severity row", () => {
    assert.deepEqual(alertFacts(undefined, "t", lead), lead);
    assert.deepEqual(text(alertFacts(alertOf({ labels: { env: "prod" } }), "t", lead)), [
      "Alerts: 1 firing of 1",
      "env: prod",
    ]);
  });

  it("a 1 MB details blob and thousands of labels make a bounded handful of rows", () => {
    const labels = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`label_${i}`, "v".repeat(300)]),
    );
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    const alert = alertOf({
      severity: "x".repeat(10_000),
      labels,
      details: { blob: "y".repeat(1_000_000), many, custom_details: many },
    });
    const facts = alertFacts(alert, "t", lead);
    assert.equal(facts.length, FACT_LIMITS.rows);
    assert.equal(facts[0]!.value.length, 100, "the severity is cut");
    const labelRows = facts.slice(2, -1);
    for (const f of labelRows) assert.ok(f.value.length <= FACT_LIMITS.labelValueChars, f.label);
    const values = labelRows.reduce((n, f) => n + f.value.length, 0);
    assert.equal(values, FACT_LIMITS.totalValueChars, "the last label shown gets the room left");
    // 13 labels are shown; the other labels, the 10 000 custom details and both details are not.
    const shown = FACT_LIMITS.rows - 3;
    assert.deepEqual(facts.at(-1), {
      label: "More",
      value: `${5000 - shown + 10_000 + 2} more labels or details on the incident page`,
    });
  });

  it("all values together stay within the total: long descriptions are cut to the room left", () => {
    const annotations = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`note${i}`, "z".repeat(2000)]),
    );
    const facts = alertFacts(alertOf({ details: { annotations } }), "t", []);
    const values = facts.filter((f) => f.label !== "More").reduce((n, f) => n + f.value.length, 0);
    assert.ok(values <= FACT_LIMITS.totalValueChars, `${values}`);
    assert.equal(facts[0]!.value.length, FACT_LIMITS.detailValueChars);
    assert.equal(facts.at(-1)!.label, "More");
  });
});

describe("compactValue", () => {
  it("writes JSON only up to the limit, whatever the size of the value", () => {
    const huge = Array.from({ length: 200_000 }, (_, i) => ({ i, name: `item ${i}` }));
    const started = performance.now();
    const value = compactValue(huge, 300);
    assert.ok(performance.now() - started < 50, "stops early instead of serialising it all");
    assert.equal(value.length, 300);
    assert.ok(value.startsWith('[{"i":0,"name":"item 0"},'));
    assert.ok(value.endsWith("…"));
  });

  it("strings as they are, scalars as JSON, deep nesting elided", () => {
    assert.equal(compactValue("97.5%", 100), "97.5%");
    assert.equal(compactValue(97.5, 100), "97.5");
    assert.equal(compactValue(null, 100), "null");
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { d: deep };
    assert.equal(compactValue(deep, 1000), `${'{"d":'.repeat(8)}{…}${"}".repeat(8)}`);
  });
});

describe("cutChars", () => {
  it("never splits a surrogate pair", () => {
    assert.equal(cutChars("ab😀cd", 4), "ab…");
    assert.equal(cutChars("ab😀cd", 5), "ab😀…");
    assert.equal(cutChars("short", 10), "short");
  });
});
