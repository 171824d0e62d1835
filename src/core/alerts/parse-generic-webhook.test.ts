import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldError } from "../errors.js";
import { defaultGenericDedupKey, parseGenericWebhook } from "./parse-generic-webhook.js";

const NOW = new Date("2021-01-01T00:00:00.000Z");

const FULL = {
  summary: "Backup job failed on nas-2",
  dedup_key: "nas-2/backup",
  status: "firing",
  level: "notify",
  severity: "warning",
  source: "nas-2.example.org",
  labels: { team: "infra", env: "prod" },
  details: { exit_code: 3, log_tail: ["disk full"] },
  links: [
    { href: "https://backups.example.org/jobs/77", text: "Job 77" },
    { href: "https://wiki.example.org/backup" },
  ],
  occurred_at: "2020-12-31T22:15:00+01:00",
};

describe("parseGenericWebhook: valid events", () => {
  it("reads every documented field", () => {
    const result = parseGenericWebhook(FULL, NOW);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.events, [
      {
        action: "trigger",
        dedupKey: "nas-2/backup",
        groupKey: null,
        summary: "Backup job failed on nas-2",
        level: "notify",
        severity: "warning",
        labels: { team: "infra", env: "prod" },
        details: { exit_code: 3, log_tail: ["disk full"] },
        source: "nas-2.example.org",
        occurredAt: new Date("2020-12-31T21:15:00Z"),
        expiresAt: null,
        links: [
          { href: "https://backups.example.org/jobs/77", text: "Job 77" },
          { href: "https://wiki.example.org/backup", text: null },
        ],
      },
    ]);
  });

  it("needs only a summary, and fills the rest with defaults", () => {
    const [event] = parseGenericWebhook({ summary: "Something broke" }, NOW).events;
    assert.equal(event?.action, "trigger");
    assert.equal(event?.level, null);
    assert.equal(event?.severity, null);
    assert.equal(event?.source, null);
    assert.deepEqual(event?.labels, {});
    assert.deepEqual(event?.details, {});
    assert.deepEqual(event?.links, []);
    assert.equal(event?.occurredAt.toISOString(), NOW.toISOString());
    assert.match(event?.dedupKey ?? "", /^[0-9a-f]{16}$/);
  });

  it("resolves with status resolved (any case)", () => {
    for (const status of ["resolved", "RESOLVED", " Resolved "]) {
      assert.equal(parseGenericWebhook({ ...FULL, status }, NOW).events[0]?.action, "resolve");
    }
  });

  it("derives a stable dedup key from summary, source and labels when none is given", () => {
    const base = { summary: "Backup failed", source: "nas-2", labels: { b: "2", a: "1" } };
    const key = parseGenericWebhook(base, NOW).events[0]?.dedupKey;
    assert.equal(key, defaultGenericDedupKey("Backup failed", "nas-2", { a: "1", b: "2" }));
    // Same event with labels in another order, resolved, with different details: the same key.
    const resolved = parseGenericWebhook(
      { ...base, labels: { a: "1", b: "2" }, status: "resolved", details: { x: 1 } },
      NOW,
    );
    assert.equal(resolved.events[0]?.dedupKey, key);
    // Any of the three parts changing gives another key.
    for (const changed of [{ summary: "Backup failed!" }, { source: "nas-3" }, { labels: { a: "1" } }]) {
      assert.notEqual(parseGenericWebhook({ ...base, ...changed }, NOW).events[0]?.dedupKey, key);
    }
    // Pinned (FNV-1a 64 of `["Backup failed","nas-2",[["a","1"],["b","2"]]]`): keys are stored, so the
    // derivation must never change.
    assert.equal(defaultGenericDedupKey("Backup failed", "nas-2", { a: "1", b: "2" }), "97d492db661191ad");
  });

  it("treats a blank dedup_key as absent", () => {
    const [event] = parseGenericWebhook({ summary: "S", dedup_key: " " }, NOW).events;
    assert.equal(event?.dedupKey, defaultGenericDedupKey("S", null, {}));
  });

  it("accepts an array, ignoring unknown fields", () => {
    const result = parseGenericWebhook(
      [
        { summary: "one", extra: true },
        { summary: "two", status: "resolved" },
      ],
      NOW,
    );
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.events.map((event) => [event.summary, event.action]),
      [
        ["one", "trigger"],
        ["two", "resolve"],
      ],
    );
  });

  it("accepts 1000 events and an empty array", () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => ({ summary: `event ${i}` }));
    assert.equal(parseGenericWebhook(thousand, NOW).events.length, 1000);
    assert.deepEqual(parseGenericWebhook([], NOW), { events: [], errors: [] });
  });

  it("cuts a long summary to 1024 characters", () => {
    const [event] = parseGenericWebhook({ summary: "y".repeat(2000) }, NOW).events;
    assert.equal(event?.summary.length, 1024);
  });
});

describe("parseGenericWebhook: errors", () => {
  const whole: Array<[name: string, body: unknown, error: FieldError]> = [
    ["null", null, { path: "/", message: "must be a JSON object or an array of objects" }],
    ["a string", "alert!", { path: "/", message: "must be a JSON object or an array of objects" }],
    [
      "over 1000 events",
      Array.from({ length: 1001 }, () => ({ summary: "s" })),
      { path: "/", message: "must hold at most 1000 events (it holds 1001)" },
    ],
  ];
  for (const [name, body, error] of whole) {
    it(`rejects a body that is ${name}`, () => {
      assert.deepEqual(parseGenericWebhook(body, NOW), { events: [], errors: [error] });
    });
  }

  const fields: Array<[name: string, fields: Record<string, unknown>, error: FieldError]> = [
    ["a missing summary", { summary: undefined }, { path: "/summary", message: "is required" }],
    ["a blank summary", { summary: "   " }, { path: "/summary", message: "must not be blank" }],
    ["a numeric summary", { summary: 12 }, { path: "/summary", message: "must be a string" }],
    ["a numeric dedup_key", { dedup_key: 12 }, { path: "/dedup_key", message: "must be a string" }],
    [
      "a long dedup_key",
      { dedup_key: "d".repeat(256) },
      { path: "/dedup_key", message: "must be at most 255 characters" },
    ],
    ["an unknown status", { status: "ok" }, { path: "/status", message: "must be one of firing, resolved" }],
    [
      "an unknown level",
      { level: "urgent" },
      { path: "/level", message: "must be one of page, notify, ticket" },
    ],
    ["a numeric severity", { severity: 1 }, { path: "/severity", message: "must be a string" }],
    ["an object source", { source: { host: "x" } }, { path: "/source", message: "must be a string" }],
    ["labels not an object", { labels: ["a"] }, { path: "/labels", message: "must be an object of strings" }],
    ["a non-string label", { labels: { code: 500 } }, { path: "/labels/code", message: "must be a string" }],
    ["details not an object", { details: "text" }, { path: "/details", message: "must be an object" }],
    [
      "links not an array",
      { links: { href: "https://x.example.org" } },
      { path: "/links", message: "must be an array of { href, text? }" },
    ],
    [
      "a link that is not an object",
      { links: ["https://x.example.org"] },
      { path: "/links/0", message: "must be an object with an href" },
    ],
    [
      "a relative link",
      { links: [{ href: "/x" }] },
      { path: "/links/0/href", message: "must be an absolute http(s) URL" },
    ],
    [
      "a javascript: link",
      { links: [{ href: "javascript:alert(1)" }] },
      { path: "/links/0/href", message: "must be an absolute http(s) URL" },
    ],
    [
      "a numeric link text",
      { links: [{ href: "https://x.example.org", text: 1 }] },
      { path: "/links/0/text", message: "must be a string" },
    ],
    [
      "an unreadable occurred_at",
      { occurred_at: "yesterday" },
      { path: "/occurred_at", message: "must be an RFC 3339 date-time with an offset" },
    ],
  ];
  for (const [name, changed, error] of fields) {
    it(`reports ${name}`, () => {
      assert.deepEqual(parseGenericWebhook({ ...FULL, ...changed }, NOW), { events: [], errors: [error] });
    });
  }

  it("names the index in an array, and keeps the valid events", () => {
    const result = parseGenericWebhook([{ summary: "ok" }, 7, { summary: "ok too" }, { level: "loud" }], NOW);
    assert.deepEqual(result.errors, [
      { path: "/1", message: "must be an object" },
      { path: "/3/summary", message: "is required" },
      { path: "/3/level", message: "must be one of page, notify, ticket" },
    ]);
    assert.deepEqual(
      result.events.map((event) => event.summary),
      ["ok", "ok too"],
    );
  });
});
