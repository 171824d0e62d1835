import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotifyError } from "../contract.js";
import {
  assertDescribeHidesSecrets,
  assertNoSecretLeak,
  refusedBaseUrl,
  rejectionOf,
  sampleMessage,
  sendContext,
} from "../notifier-test-kit.test.js";
import { createEmailNotifier, emailNotifier } from "./email-notifier.js";
import { headerOf, smtpServerForSuite } from "./smtp-test-kit.test.js";

describe("email through the server's SMTP settings (FIREBREAK_SMTP_URL)", () => {
  const server = smtpServerForSuite({
    authOptional: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "firebreak" && auth.password === "SERVER-PASS-1") callback(null, { user: "fb" });
      else callback(new Error("Invalid username or password"));
    },
  });
  const own = smtpServerForSuite();
  const withServer = () =>
    createEmailNotifier({
      smtpUrl: `smtp://firebreak:SERVER-PASS-1@127.0.0.1:${server.port}`,
      from: "Firebreak <pages@example.com>",
    });

  it("sends an address-only config through the server's SMTP, from the server's From", async () => {
    server.received.length = 0;
    const notifier = withServer();
    const config = notifier.parseConfig({ to: "ada@example.com" });
    assert.deepEqual(config, { to: ["ada@example.com"], smtpUrl: undefined, from: undefined });
    assert.equal(notifier.unusable?.(config), undefined);
    await notifier.send(sampleMessage({ recipientName: "Ada" }), config, sendContext());
    const [mail] = server.received;
    assert.ok(mail, "the server's SMTP took the page");
    assert.deepEqual([mail.from, mail.to], ["pages@example.com", ["ada@example.com"]]);
    assert.equal(
      headerOf(mail.raw, "Subject"),
      "[FIREBREAK INC-42] Checkout p99 latency above 2s — Triggered",
    );
    assert.equal(notifier.describe(config), "email to ada@example.com");
    assertDescribeHidesSecrets(notifier.describe(config), ["SERVER-PASS-1", "firebreak:"]);
  });

  it("a config with its own SMTP server keeps using it, and its From", async () => {
    server.received.length = 0;
    own.received.length = 0;
    const notifier = withServer();
    const config = notifier.parseConfig({
      smtpUrl: `smtp://127.0.0.1:${own.port}`,
      from: "Team <team@example.com>",
      to: ["team@example.com"],
    });
    await notifier.send(sampleMessage(), config, sendContext());
    assert.equal(server.received.length, 0, "not the server's");
    assert.deepEqual(
      own.received.map((m) => m.from),
      ["team@example.com"],
    );
    assert.equal(notifier.describe(config), "email to team@example.com via 127.0.0.1:" + own.port);
  });

  it("without server settings, an address-only config is unusable and a send fails for good, saying why", async () => {
    const config = emailNotifier.parseConfig({ to: "ada@example.com" });
    const unusable = emailNotifier.unusable?.(config);
    assert.equal(unusable?.field, "smtpUrl");
    assert.match(unusable?.message ?? "", /^is needed: .*FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM/);
    const err = await rejectionOf(emailNotifier.send(sampleMessage(), config, sendContext()));
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [false, "config"]);
    assert.match(err.message, /^email to ada@example\.com: not sent: .*an admin must set FIREBREAK_SMTP_URL/);
    const ownConfig = emailNotifier.parseConfig({
      smtpUrl: "smtp://mail.example.com",
      from: "a@example.com",
      to: "b@example.com",
    });
    assert.equal(emailNotifier.unusable?.(ownConfig), undefined, "an own server needs no server settings");
  });

  it("a From without an SMTP server of its own overrides the server's From", async () => {
    server.received.length = 0;
    const notifier = withServer();
    const config = notifier.parseConfig({ to: "ada@example.com", from: "Checkout <checkout@example.com>" });
    await notifier.send(sampleMessage(), config, sendContext());
    assert.deepEqual(
      server.received.map((m) => m.from),
      ["checkout@example.com"],
    );
  });

  it("never shows the server's password when it cannot be reached", async () => {
    const port = new URL(await refusedBaseUrl()).port;
    const notifier = createEmailNotifier({
      smtpUrl: `smtp://firebreak:SERVER-PASS-2@127.0.0.1:${port}`,
      from: "pages@example.com",
    });
    const err = await rejectionOf(
      notifier.send(sampleMessage(), notifier.parseConfig({ to: "ada@example.com" }), sendContext()),
    );
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [true, "network"]);
    assertNoSecretLeak(err, ["SERVER-PASS-2"]);
  });
});
