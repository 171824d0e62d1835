/**
 * Property tests for every alert parser: whatever arrives (any JS value, any JSON value, valid bodies
 * with parts replaced or removed), a parser never throws, returns only well-formed events, and reports
 * problems as field errors at JSON Pointers (PagerDuty's as strings, in PagerDuty's words).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { FieldError } from "../errors.js";
import { fieldErrorsSentence } from "../field-name.js";
import { ALERT_LEVELS, type AlertAction, type AlertEvent, type ChangeEvent } from "./alert-event.js";
import { parseAlertmanagerWebhook } from "./parse-alertmanager-webhook.js";
import { parsePostableAlerts } from "./parse-alertmanager-v2.js";
import { parseGenericWebhook } from "./parse-generic-webhook.js";
import { parsePagerDutyChangeEvent, parsePagerDutyEvent } from "./parse-pagerduty-event.js";

const NOW = new Date("2021-01-01T00:00:00.000Z");
const RUNS = 300;
const ACTIONS: readonly AlertAction[] = ["trigger", "acknowledge", "resolve"];

// ── what "well-formed" means ────────────────────────────────────────────────────────────────────────────

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && Number.isFinite(value.getTime());
}

function assertLinks(links: unknown): void {
  assert.ok(Array.isArray(links));
  for (const link of links as unknown[]) {
    const { href, text } = link as { href: unknown; text: unknown };
    assert.equal(typeof href, "string");
    assert.match(href as string, /^https?:/i);
    assert.ok(text === null || (typeof text === "string" && text.trim() !== ""));
  }
}

function assertSummary(summary: unknown): void {
  assert.equal(typeof summary, "string");
  assert.ok(
    (summary as string).length >= 1 && (summary as string).length <= 1024,
    `summary length ${String(summary).length}`,
  );
  assert.equal(summary, (summary as string).trim());
}

function assertEvent(event: AlertEvent, options: { emptyDedupKeyAllowed?: boolean } = {}): void {
  assert.ok(ACTIONS.includes(event.action), event.action);
  assert.equal(typeof event.dedupKey, "string");
  if (!options.emptyDedupKeyAllowed) assert.notEqual(event.dedupKey, "");
  assert.ok(event.dedupKey.length <= 255);
  assert.ok(event.groupKey === null || typeof event.groupKey === "string");
  assertSummary(event.summary);
  assert.ok(event.level === null || ALERT_LEVELS.includes(event.level));
  assert.ok(event.severity === null || (typeof event.severity === "string" && event.severity !== ""));
  assert.ok(event.source === null || (typeof event.source === "string" && event.source !== ""));
  assert.ok(typeof event.labels === "object" && event.labels !== null && !Array.isArray(event.labels));
  for (const value of Object.values(event.labels)) assert.equal(typeof value, "string");
  assert.ok(typeof event.details === "object" && event.details !== null && !Array.isArray(event.details));
  assert.ok(isValidDate(event.occurredAt));
  assert.ok(event.expiresAt === null || isValidDate(event.expiresAt));
  assertLinks(event.links);
}

function assertChangeEvent(event: ChangeEvent): void {
  assertSummary(event.summary);
  assert.ok(event.source === null || typeof event.source === "string");
  assert.ok(isValidDate(event.occurredAt));
  assert.ok(typeof event.details === "object" && event.details !== null);
  assertLinks(event.links);
}

function assertErrors(errors: unknown): void {
  assert.ok(Array.isArray(errors));
  for (const error of errors as unknown[]) {
    assert.equal(typeof error, "string");
    assert.notEqual(error, "");
  }
  assert.ok((errors as unknown[]).length <= 101);
}

/**
 * Field errors as the API answers them: each at a JSON Pointer, so that its detail names the field
 * ("alerts[2].labels …"), with "/" (the request body) only for what is wrong with the body itself.
 */
function assertFieldErrors(errors: readonly FieldError[]): void {
  assert.ok(errors.length <= 101);
  for (const { path, message } of errors) {
    assert.match(path, /^\//, `a JSON Pointer: ${path}`);
    assert.notEqual(message, "");
    if (path === "/") continue;
    const said = fieldErrorsSentence([{ path, message }]);
    assert.doesNotMatch(said, /^the request body/, said);
  }
  const rootErrors = errors.filter((e) => e.path === "/" && !e.message.startsWith("has "));
  if (rootErrors.length > 0) assert.equal(errors.length, 1, "a body refused whole has one error");
}

// ── inputs ──────────────────────────────────────────────────────────────────────────────────────────────

/** Any JS value, including the odd ones JSON.parse never makes (null prototypes, sparse arrays, Maps…). */
const anyValue = fc.anything({
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withBoxedValues: true,
});

/** Values that poke at the parsers' edge cases when dropped into a valid body. */
const trickyValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom<unknown>(
    undefined,
    null,
    "",
    "   ",
    "0001-01-01T00:00:00Z",
    "2021-01-01T00:00:00Z",
    "2099-01-01T00:00:00.123456789Z",
    "1970-01-01T00:00:00Z",
    "firing",
    "resolved",
    "trigger",
    "acknowledge",
    "resolve",
    "critical",
    "javascript:alert(1)",
    "https://ok.example.org/x",
    "x".repeat(3000),
    "\u{1F525}".repeat(700),
    "\uD800",
    { __proto__: "x" },
    JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c"}'),
    [],
    {},
  ),
);

type Path = (string | number)[];

function allPaths(value: unknown, prefix: Path = []): Path[] {
  const found: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => found.push(...allPaths(item, [...prefix, index])));
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) found.push(...allPaths(item, [...prefix, key]));
  }
  return found;
}

/** `root` with the value at `path` replaced (or deleted, when `replacement` is the DELETE marker). */
function mutateAt(root: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: unknown = structuredClone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === DELETE) delete parent[last];
  else
    Object.defineProperty(parent, last, {
      value: replacement,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}
const DELETE = Symbol("delete");

/** A valid body with one to four of its parts replaced, removed or emptied. */
function mutated(valid: unknown): fc.Arbitrary<unknown> {
  const mutation = fc.tuple(fc.nat(), fc.oneof(trickyValue, fc.constant<unknown>(DELETE)));
  return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) => {
    let body = valid;
    for (const [pick, replacement] of mutations) {
      const paths = allPaths(body);
      body = mutateAt(body, paths[pick % paths.length] as Path, replacement);
    }
    return body;
  });
}

// ── valid seeds ─────────────────────────────────────────────────────────────────────────────────────────

const amAlert = {
  status: "firing",
  labels: { alertname: "DiskAlmostFull", instance: "db-7:9100", severity: "critical" },
  annotations: { summary: "Disk almost full", runbook_url: "https://runbooks.example.org/disk" },
  startsAt: "2020-12-31T23:40:05.318123456Z",
  endsAt: "0001-01-01T00:00:00Z",
  generatorURL: "https://prom.example.org/graph?g0.expr=x",
  fingerprint: "5d4b1f0c2a9e7c31",
  dashboardURL: "https://grafana.example.org/d/x",
  values: { B: 1.5 },
};
const webhookSeed = {
  version: "4",
  groupKey: '{}:{alertname="DiskAlmostFull"}',
  truncatedAlerts: 2,
  status: "firing",
  receiver: "firebreak",
  externalURL: "https://am.example.org",
  alerts: [amAlert, { ...amAlert, status: "resolved", endsAt: "2020-12-31T23:59:00Z" }],
};
const v2Seed = [
  {
    labels: { alertname: "HighErrorRate", service: "api" },
    annotations: { summary: "5xx above 2%" },
    startsAt: "2020-12-31T23:50:00Z",
    endsAt: "2021-01-01T00:04:00Z",
    generatorURL: "https://prom.example.org/graph",
  },
  { labels: { alertname: "Resolved", pod: "" }, endsAt: "2020-12-31T23:59:00Z" },
];
const pagerDutySeed = {
  routing_key: "key",
  event_action: "trigger",
  dedup_key: "k-1",
  payload: {
    summary: "p99 high",
    source: "api",
    severity: "error",
    timestamp: "2020-12-31T23:58:30.250+0000",
    custom_details: { p99: 2 },
    component: "api",
  },
  links: [{ href: "https://x.example.org", text: "X" }],
  images: [{ src: "https://x.example.org/i.png" }],
  client: "Grafana",
  client_url: "https://grafana.example.org",
};
const changeSeed = {
  routing_key: "key",
  payload: { summary: "Deployed", source: "ci", timestamp: "2020-12-31T23:00:00Z", custom_details: {} },
  links: [{ href: "https://ci.example.org/1" }],
};
const genericSeed = [
  {
    summary: "Backup failed",
    dedup_key: "nas/backup",
    status: "firing",
    level: "page",
    severity: "critical",
    source: "nas",
    labels: { team: "infra" },
    details: { code: 3 },
    links: [{ href: "https://x.example.org", text: "Job" }],
    occurred_at: "2020-12-31T22:00:00+01:00",
  },
  { summary: "Second" },
];

// ── the properties ──────────────────────────────────────────────────────────────────────────────────────

interface Parser {
  readonly name: string;
  readonly seed: unknown;
  readonly check: (body: unknown) => void;
}

const PARSERS: readonly Parser[] = [
  {
    name: "parseAlertmanagerWebhook",
    seed: webhookSeed,
    check: (body) => {
      const result = parseAlertmanagerWebhook(body, NOW);
      assertFieldErrors(result.errors);
      assert.ok(result.groupKey === null || typeof result.groupKey === "string");
      assert.ok(Number.isSafeInteger(result.truncatedAlerts) && result.truncatedAlerts >= 0);
      for (const event of result.events) {
        assertEvent(event);
        assert.match(event.dedupKey, /^[0-9a-f]{16}$/);
        assert.equal(event.expiresAt, null);
      }
    },
  },
  {
    name: "parsePostableAlerts",
    seed: v2Seed,
    check: (body) => {
      const result = parsePostableAlerts(body, NOW);
      assertFieldErrors(result.errors);
      for (const event of result.events) {
        assertEvent(event);
        assert.match(event.dedupKey, /^[0-9a-f]{16}$/);
        assert.ok(Object.keys(event.labels).length > 0);
        assert.ok(Object.values(event.labels).every((value) => value !== ""));
        if (event.action === "trigger") assert.ok(event.expiresAt !== null && event.expiresAt > NOW);
        else assert.ok(event.expiresAt === null && event.occurredAt <= NOW);
      }
    },
  },
  {
    name: "parsePagerDutyEvent",
    seed: pagerDutySeed,
    check: (body) => {
      const result = parsePagerDutyEvent(body, NOW);
      assert.ok(
        result.routingKey === null ||
          (typeof result.routingKey === "string" && result.routingKey.trim() !== ""),
      );
      if (!result.ok) {
        assertErrors(result.errors);
        assert.ok(result.errors.length > 0);
        return;
      }
      assertEvent(result.event, { emptyDedupKeyAllowed: result.dedupKeyGenerated });
      assert.equal(result.dedupKeyGenerated, result.event.dedupKey === "");
      if (result.dedupKeyGenerated) assert.equal(result.event.action, "trigger");
      assert.notEqual(result.routingKey, null);
    },
  },
  {
    name: "parsePagerDutyChangeEvent",
    seed: changeSeed,
    check: (body) => {
      const result = parsePagerDutyChangeEvent(body, NOW);
      if (result.ok) assertChangeEvent(result.event);
      else {
        assertErrors(result.errors);
        assert.ok(result.errors.length > 0);
      }
    },
  },
  {
    name: "parseGenericWebhook",
    seed: genericSeed,
    check: (body) => {
      const result = parseGenericWebhook(body, NOW);
      assertFieldErrors(result.errors);
      for (const event of result.events) assertEvent(event);
    },
  },
];

for (const parser of PARSERS) {
  describe(`${parser.name} (properties)`, () => {
    it("accepts its valid seed without errors", () => {
      parser.check(parser.seed);
    });
    it("never throws and returns well-formed results for any JS value", () => {
      fc.assert(
        fc.property(anyValue, (body) => parser.check(body)),
        { numRuns: RUNS },
      );
    });
    it("never throws and returns well-formed results for any JSON value", () => {
      fc.assert(
        fc.property(fc.jsonValue(), (body) => parser.check(body)),
        { numRuns: RUNS },
      );
    });
    it("never throws and returns well-formed results for mutated valid bodies", () => {
      fc.assert(
        fc.property(mutated(parser.seed), (body) => parser.check(body)),
        { numRuns: RUNS * 2 },
      );
    });
  });
}

describe("parsers are deterministic", () => {
  it("give the same result for the same body and time", () => {
    fc.assert(
      fc.property(mutated(webhookSeed), mutated(v2Seed), mutated(genericSeed), (webhook, v2, generic) => {
        assert.deepEqual(parseAlertmanagerWebhook(webhook, NOW), parseAlertmanagerWebhook(webhook, NOW));
        assert.deepEqual(parsePostableAlerts(v2, NOW), parsePostableAlerts(v2, NOW));
        assert.deepEqual(parseGenericWebhook(generic, NOW), parseGenericWebhook(generic, NOW));
      }),
      { numRuns: 200 },
    );
  });

  it("do not let a __proto__ key reach an object's prototype", () => {
    const labels = JSON.parse('{"alertname": "A", "__proto__": "x"}') as Record<string, string>;
    const [event] = parsePostableAlerts([{ labels }], NOW).events;
    assert.equal(Object.getPrototypeOf(event?.labels), Object.prototype);
    assert.equal(Object.hasOwn(event?.labels ?? {}, "__proto__"), true);
  });
});
