import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closestField, unknownConfigFieldErrors } from "./config-field-names.js";

const SLACK_HOOK = "https://hooks.slack.com/services/T0/B0/SECRETPATH";

describe("unknownConfigFieldErrors: keys a save refuses", () => {
  const cases: ReadonlyArray<{
    name: string;
    kind: string;
    config: unknown;
    messages: readonly string[];
  }> = [
    { name: "a webhook's known fields", kind: "webhook", config: { url: "u", secret: "s" }, messages: [] },
    {
      name: "a typo, with the field meant",
      kind: "webhook",
      config: { url: "u", secrett: "s" },
      messages: ['has an unknown field "secrett" (did you mean "secret"?)'],
    },
    {
      name: "another case of a field",
      kind: "webhook",
      config: { URL: "u" },
      messages: ['has an unknown field "URL" (did you mean "url"?)'],
    },
    {
      name: "snake case for Slack's webhook URL",
      kind: "slack",
      config: { mode: "webhook", webhook_url: SLACK_HOOK },
      messages: ['has an unknown field "webhook_url" (did you mean "url"?)'],
    },
    {
      name: "snake case of a camel-case field",
      kind: "slack",
      config: { mode: "app", bot_token: "xoxb", channel: "C1" },
      messages: ['has an unknown field "bot_token" (did you mean "botToken"?)'],
    },
    {
      name: "a field of Slack's other mode",
      kind: "slack",
      config: { mode: "webhook", url: SLACK_HOOK, channel: "#ops" },
      messages: ['has the field "channel", which only mode "app" reads'],
    },
    {
      name: "Slack's app fields in app mode",
      kind: "slack",
      config: { mode: "app", botToken: "xoxb", channel: "C1", apiBaseUrl: "https://slack.test/api" },
      messages: [],
    },
    {
      name: "every mode's fields while the mode is unknown (the parser names the mode)",
      kind: "slack",
      config: { mode: "bot", url: SLACK_HOOK, channel: "C1" },
      messages: [],
    },
    {
      name: "nothing close: the kind's fields are listed",
      kind: "ntfy",
      config: { serverUrl: "https://ntfy.sh", topic: "t", priority: 5 },
      messages: ['has an unknown field "priority" (a ntfy config has serverUrl, topic, token)'],
    },
    {
      name: "the last word of a key",
      kind: "ntfy",
      config: { serverUrl: "https://ntfy.sh", topic: "t", access_token: "tk" },
      messages: ['has an unknown field "access_token" (did you mean "token"?)'],
    },
    {
      name: "email's fields, and a transposition",
      kind: "email",
      config: { to: "a@example.com", smtpUrl: "smtp://h", form: "A <a@example.com>" },
      messages: ['has an unknown field "form" (did you mean "from"?)'],
    },
    {
      name: "nothing close for email: “an email config”, not “a email config”",
      kind: "email",
      config: { to: "a@example.com", priority: "high" },
      messages: ['has an unknown field "priority" (an email config has to, smtpUrl, from)'],
    },
    {
      name: "nothing close for a webhook",
      kind: "webhook",
      config: { url: "https://example.com/hook", headers: {} },
      messages: ['has an unknown field "headers" (a webhook config has url, secret)'],
    },
    {
      name: "nothing close for Slack",
      kind: "slack",
      config: { mode: "webhook", url: SLACK_HOOK, username: "bot" },
      messages: ['has an unknown field "username" (a Slack config has mode, url)'],
    },
    {
      name: "a key set to null is still a key",
      kind: "discord",
      config: { url: "u", username: null },
      messages: ['has an unknown field "username" (a Discord config has url)'],
    },
    {
      name: "Teams, two unknown keys in the order sent",
      kind: "teams",
      config: { uri: "u", title: "x" },
      messages: [
        'has an unknown field "uri" (did you mean "url"?)',
        'has an unknown field "title" (a Microsoft Teams config has url)',
      ],
    },
    { name: "an unknown kind is the kind check's", kind: "pigeon", config: { x: 1 }, messages: [] },
    { name: "a kind named like a prototype key", kind: "constructor", config: { x: 1 }, messages: [] },
    { name: "a config that is no object", kind: "webhook", config: ["url"], messages: [] },
    { name: "a missing config", kind: "webhook", config: undefined, messages: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const errors = unknownConfigFieldErrors(c.kind, c.config);
      assert.deepEqual(
        errors.map((e) => e.message),
        c.messages,
      );
      for (const e of errors) assert.equal(e.path, "/config");
    });
  }

  it("never repeats a value, and cuts a long key (a pasted secret) short", () => {
    const pasted = `${SLACK_HOOK}/${"x".repeat(200)}`;
    const errors = unknownConfigFieldErrors("slack", { mode: "webhook", url: SLACK_HOOK, [pasted]: "" });
    const text = JSON.stringify(errors);
    assert.equal(errors.length, 1);
    assert.ok(text.includes("https://hooks.slack.com/services/T0/B0/"), text);
    assert.ok(!text.includes("x".repeat(100)), text);
    assert.ok(
      !JSON.stringify(unknownConfigFieldErrors("webhook", { url: "u", secrett: "hunter2" })).includes(
        "hunter2",
      ),
    );
  });

  it("names the first ten unknown keys and counts the rest", () => {
    const config = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`extra${i}`, i]));
    const errors = unknownConfigFieldErrors("webhook", { url: "u", ...config });
    assert.equal(errors.length, 11);
    assert.equal(errors[10]?.message, "has 15 more unknown fields");
  });
});

describe("closestField", () => {
  const known = ["url", "secret", "botToken", "channel", "apiBaseUrl", "to", "from", "topic", "token"];
  const cases: ReadonlyArray<readonly [string, string | undefined]> = [
    ["secrett", "secret"],
    ["secert", "secret"],
    ["Secret", "secret"],
    ["api_base_url", "apiBaseUrl"],
    ["API-BASE-URL", "apiBaseUrl"],
    ["chanel", "channel"],
    ["channels", "channel"],
    ["slackChannel", "channel"],
    ["ur", "url"],
    ["tokn", "token"],
    ["tok", "to"],
    ["topics", "topic"],
    ["x", undefined],
    ["", undefined],
    ["__", undefined],
    ["priority", undefined],
    ["description", undefined],
  ];
  for (const [key, expected] of cases) {
    it(`${JSON.stringify(key)} → ${expected ?? "none"}`, () =>
      assert.equal(closestField(key, known), expected));
  }

  it("suggests none when two fields are equally close, the longer ending otherwise", () => {
    assert.equal(closestField("tp", ["to", "tz"]), undefined);
    assert.equal(closestField("slack_bot_token", ["botToken", "token"]), "botToken");
  });
});
