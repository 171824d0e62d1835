import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { ConfigError, loadConfig, printableConfig, type Config } from "./config.js";

const SMTP = "smtp://firebreak:pw-SECRET-41@mail.example.com:587";
const FROM = "Firebreak <pages@example.com>";

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

/** Everything a config can print: --print-config's JSON, util.inspect and JSON.stringify. */
const printed = (config: Config): string =>
  JSON.stringify(printableConfig(config)) + inspect(config, { depth: 5 }) + JSON.stringify(config);

describe("the notifications' SMTP settings (FIREBREAK_SMTP_URL, FIREBREAK_SMTP_FROM)", () => {
  it("are optional", () => {
    const config = loadConfig({});
    assert.deepEqual([config.notifications.smtpUrl, config.notifications.emailFrom], [undefined, undefined]);
  });

  it("are read, the URL from a file too, and never printed", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "fb-smtp-config-")), "smtp-url");
    writeFileSync(file, `${SMTP}\n`);
    for (const env of [
      { FIREBREAK_SMTP_URL: SMTP, FIREBREAK_SMTP_FROM: FROM },
      { FIREBREAK_SMTP_URL_FILE: file, FIREBREAK_SMTP_FROM: FROM },
    ]) {
      const config = loadConfig(env);
      assert.equal(config.notifications.smtpUrl?.reveal(), SMTP);
      assert.equal(config.notifications.emailFrom, FROM);
      const text = printed(config);
      assert.ok(!text.includes("pw-SECRET-41"), text);
      assert.deepEqual(printableConfig(config).notifications, { smtpUrl: "<secret>", emailFrom: FROM });
    }
  });

  const invalid: Array<[name: string, env: Record<string, string>, problem: RegExp]> = [
    ["a URL without its From", { FIREBREAK_SMTP_URL: SMTP }, /go together/],
    ["a From without its URL", { FIREBREAK_SMTP_FROM: FROM }, /go together/],
    [
      "an http URL",
      { FIREBREAK_SMTP_URL: "https://firebreak:pw-SECRET-41@mail.example.com", FIREBREAK_SMTP_FROM: FROM },
      /FIREBREAK_SMTP_URL must start with smtp:\/\/ or smtps:\/\//,
    ],
    [
      "an unknown option",
      { FIREBREAK_SMTP_URL: `${SMTP}?pool=true`, FIREBREAK_SMTP_FROM: FROM },
      /FIREBREAK_SMTP_URL supports only the options/,
    ],
    [
      "a From that is no address",
      { FIREBREAK_SMTP_URL: SMTP, FIREBREAK_SMTP_FROM: "Firebreak <nobody>" },
      /FIREBREAK_SMTP_FROM must be an email address/,
    ],
  ];
  for (const [name, env, problem] of invalid) {
    it(`refuses ${name}, without repeating the password`, () => {
      const problems = problemsOf(env);
      assert.ok(
        problems.some((p) => problem.test(p)),
        problems.join("\n"),
      );
      assert.ok(!problems.join("\n").includes("pw-SECRET-41"));
      assert.equal(problems.filter((p) => /go together/.test(p)).length <= 1, true, "said once");
    });
  }

  describe("status-page mail falls back to them", () => {
    const STATUS = "smtp://status:status-SECRET-7@status-mail.example.com:587";

    it("uses the notifications' server and From when it has none of its own", () => {
      const config = loadConfig({ FIREBREAK_SMTP_URL: SMTP, FIREBREAK_SMTP_FROM: FROM });
      assert.equal(config.statusPages.smtpUrl?.reveal(), SMTP);
      assert.equal(config.statusPages.emailFrom, FROM);
      assert.deepEqual(printableConfig(config).statusPages, { smtpUrl: "<secret>", emailFrom: FROM });
    });

    it("its own settings win, each on its own", () => {
      const both = loadConfig({
        FIREBREAK_SMTP_URL: SMTP,
        FIREBREAK_SMTP_FROM: FROM,
        FIREBREAK_STATUS_SMTP_URL: STATUS,
        FIREBREAK_STATUS_EMAIL_FROM: "Acme status <status@example.com>",
      });
      assert.equal(both.statusPages.smtpUrl?.reveal(), STATUS);
      assert.equal(both.notifications.smtpUrl?.reveal(), SMTP, "and pages keep theirs");
      const fromOnly = loadConfig({
        FIREBREAK_SMTP_URL: SMTP,
        FIREBREAK_SMTP_FROM: FROM,
        FIREBREAK_STATUS_EMAIL_FROM: "Acme status <status@example.com>",
      });
      assert.equal(fromOnly.statusPages.smtpUrl?.reveal(), SMTP);
      assert.equal(fromOnly.statusPages.emailFrom, "Acme status <status@example.com>");
      const urlOnly = loadConfig({
        FIREBREAK_SMTP_URL: SMTP,
        FIREBREAK_SMTP_FROM: FROM,
        FIREBREAK_STATUS_SMTP_URL: STATUS,
      });
      assert.deepEqual(
        [urlOnly.statusPages.smtpUrl?.reveal(), urlOnly.statusPages.emailFrom],
        [STATUS, FROM],
      );
      assert.ok(!printed(both).includes("SECRET"));
    });

    it("alone, the status settings work as before: both or neither", () => {
      assert.equal(loadConfig({}).statusPages.smtpUrl, undefined);
      assert.ok(problemsOf({ FIREBREAK_STATUS_SMTP_URL: STATUS }).some((p) => /go together/.test(p)));
    });
  });
});
