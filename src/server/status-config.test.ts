import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { ConfigError, loadConfig, printableConfig } from "./config.js";

describe("status-page mail settings", () => {
  const smtp = "smtp://status:hunter2-secret@mail.example.com:587";

  it("are optional, and go together", () => {
    assert.equal(loadConfig({}).statusPages.smtpUrl, undefined);
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ FIREBREAK_STATUS_SMTP_URL: smtp }, /go together/],
      [{ FIREBREAK_STATUS_EMAIL_FROM: "status@example.com" }, /go together/],
      [
        { FIREBREAK_STATUS_SMTP_URL: "http://mail.example.com", FIREBREAK_STATUS_EMAIL_FROM: "a@b.c" },
        /smtp:\/\/ or smtps:\/\//,
      ],
    ];
    for (const [env, problem] of cases)
      assert.throws(
        () => loadConfig(env),
        (err: unknown) =>
          err instanceof ConfigError && problem.test(err.message) && !err.message.includes("hunter2"),
      );
  });

  it("read the URL from a file, and never print it", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "fb-status-config-")), "smtp-url");
    writeFileSync(file, `${smtp}\n`);
    const config = loadConfig({
      FIREBREAK_STATUS_SMTP_URL_FILE: file,
      FIREBREAK_STATUS_EMAIL_FROM: "Acme <status@example.com>",
    });
    assert.equal(config.statusPages.smtpUrl?.reveal(), smtp);
    const printed = JSON.stringify(printableConfig(config)) + inspect(config, { depth: 5 });
    assert.ok(!printed.includes("hunter2"), printed);
    assert.deepEqual(printableConfig(config).statusPages, {
      smtpUrl: "<secret>",
      emailFrom: "Acme <status@example.com>",
    });
  });
});
