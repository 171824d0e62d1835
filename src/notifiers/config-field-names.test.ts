// The field names a save accepts (core/notifications/config-field-names.ts) against what each
// notifier's parser reads: every kind has them, each one is read, and a stored config with a key
// beyond them still parses, so it keeps sending.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  NOTIFIER_CONFIG_SHAPES,
  unknownConfigFieldErrors,
} from "../core/notifications/config-field-names.js";
import { NOTIFIER_KINDS, notifierRegistry } from "./registry.js";

/** A config of each kind (and mode) that sets every field it has. */
const FULL_CONFIGS: ReadonlyArray<{ kind: string; config: Record<string, unknown> }> = [
  { kind: "webhook", config: { url: "https://hooks.example.com/in", secret: "s3cret" } },
  { kind: "slack", config: { mode: "webhook", url: "https://hooks.slack.com/services/T0/B0/X" } },
  {
    kind: "slack",
    config: {
      mode: "app",
      botToken: "xoxb-1",
      channel: "C0ALERTS",
      apiBaseUrl: "https://slack.example.com/api/",
    },
  },
  {
    kind: "email",
    config: {
      to: ["ada@example.com"],
      smtpUrl: "smtp://smtp.example.com:587",
      from: "Ops <ops@example.com>",
    },
  },
  { kind: "teams", config: { url: "https://prod.example.logic.azure.com/workflows/1" } },
  { kind: "discord", config: { url: "https://discord.com/api/webhooks/1/token" } },
  { kind: "ntfy", config: { serverUrl: "https://ntfy.sh", topic: "ops-alerts", token: "tk_abc" } },
];

describe("notifier config field names", () => {
  it("every kind has its field names, and no name list is left without a notifier", () => {
    assert.deepEqual(Object.keys(NOTIFIER_CONFIG_SHAPES).sort(), [...NOTIFIER_KINDS].sort());
    assert.deepEqual([...new Set(FULL_CONFIGS.map((c) => c.kind))].sort(), [...NOTIFIER_KINDS].sort());
  });

  for (const { kind, config } of FULL_CONFIGS) {
    const notifier = notifierRegistry.get(kind as (typeof NOTIFIER_KINDS)[number])!;
    const mode = typeof config.mode === "string" ? ` (${config.mode})` : "";

    it(`${kind}${mode}: a save accepts every field, and the parser reads and keeps each one`, () => {
      assert.deepEqual(unknownConfigFieldErrors(kind, config), []);
      assert.deepEqual(
        Object.keys(notifier.parseConfig(config) as object).sort(),
        Object.keys(config).sort(),
      );
    });

    it(`${kind}${mode}: a stored config with a key beyond them still parses, without it`, () => {
      const stored = { ...config, legacyOption: "from an older version" };
      assert.equal(unknownConfigFieldErrors(kind, stored).length, 1);
      assert.deepEqual(notifier.parseConfig(stored), notifier.parseConfig(config));
    });
  }
});
