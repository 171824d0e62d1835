// Email as a hostile alert source and a flaky SMTP server exercise it: header injection, links and
// forged lines in the body, recipients refused one by one, and the reply-code → retryable table.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { NotifyError } from "../contract.js";
import { assertNoSecretLeak, rejectionOf, sampleMessage, sendContext } from "../notifier-test-kit.test.js";
import { closeEmailTransporters, emailNotifier } from "./email-notifier.js";
import { threadRootMessageId } from "./render-email.js";
import { smtpNotifyError } from "./smtp-error.js";
import { headerOf, partOf, startSmtpServer, type TestSmtpServer } from "./smtp-test-kit.test.js";

const BASE_URL = "https://firebreak.example.net";

describe("email notifier with hostile alert text", () => {
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startSmtpServer();
  });
  after(async () => {
    closeEmailTransporters();
    await smtp.close();
  });
  const config = () =>
    emailNotifier.parseConfig({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      from: "alerts@example.com",
      to: ["oncall@example.com"],
    });
  const sendOne = async (overrides: Parameters<typeof sampleMessage>[0]) => {
    smtp.received.length = 0;
    await emailNotifier.send(sampleMessage(overrides), config(), sendContext());
    const [mail] = smtp.received;
    assert.ok(mail);
    return mail;
  };

  it("keeps CR/LF, U+2028 and long non-ASCII titles inside one encoded Subject", async () => {
    const title = `Disk\r\nBcc: victim@evil.example\u2028X-Evil: 1\u0085${"Ünïcödé 🔥 ".repeat(40)}`;
    const mail = await sendOne({ title, incidentId: "inc\r\nX-Evil: 2" });
    assert.deepEqual(mail.to, ["oncall@example.com"]);
    const head = mail.raw.split("\r\n\r\n")[0] ?? "";
    assert.doesNotMatch(head, /^(Bcc|X-Evil):/im);
    assert.doesNotMatch(head, /[^\x20-\x7e\r\n\t]/, "headers are 7-bit");
    for (const line of head.split("\r\n")) assert.ok(line.length <= 78, `folded: ${line}`);
    const subject = headerOf(mail.raw, "Subject") ?? "";
    assert.ok(!subject.includes("\ufffd"), "no character was split between encoded words");
    assert.match(subject, /^\[FIREBREAK INC-42\] Disk Bcc: victim@evil\.example X-Evil: 1 Ünïcödé 🔥/);
    assert.match(subject, /… — Triggered$/);
    assert.equal(headerOf(mail.raw, "X-Incident-Id"), "inc X-Evil: 2");
  });

  it("threads every event of an incident under one root derived from its id alone", async () => {
    const root = "<incident-inc_01HZX4@firebreak>";
    assert.equal(threadRootMessageId("inc_01HZX4"), root);
    for (const [event, state] of [
      ["escalated", "triggered"],
      ["acknowledged", "acknowledged"],
      ["reopened", "triggered"],
      ["resolved", "resolved"],
    ] as const) {
      const mail = await sendOne({ event, state });
      assert.equal(headerOf(mail.raw, "In-Reply-To"), root, event);
      assert.equal(headerOf(mail.raw, "References"), root, event);
    }
  });

  it("links only to Firebreak's own pages in the HTML part; an alert's link shows its address", async () => {
    const mail = await sendOne({
      links: [
        { href: "https://evil.example/login", text: "Acknowledge" },
        { href: "https://evil.example/x", text: `${BASE_URL}/a/ack-token` },
      ],
    });
    const html = partOf(mail.raw, "text/html") ?? "";
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? "");
    assert.ok(hrefs.length >= 3, html);
    for (const href of hrefs) assert.ok(href.startsWith(`${BASE_URL}/`), `links to ${href}`);
    assert.ok(html.includes("<li>Acknowledge: https://evil.example/login</li>"), html);
  });

  it("indents a multi-line detail, so it cannot forge an Acknowledge line, and drops control characters", async () => {
    const value =
      "disk full\r\n\r\nAcknowledge: https://evil.example/a\u2028Resolve: https://evil.example/r\u0000\u001b[31m";
    const mail = await sendOne({ details: [{ label: "description", value }] });
    const text = partOf(mail.raw, "text/plain") ?? "";
    const lines = text.split(/\r?\n/);
    assert.deepEqual(
      lines.filter((l) => /^(Acknowledge|Resolve):/.test(l)),
      [`Acknowledge: ${BASE_URL}/a/ack-token`, `Resolve: ${BASE_URL}/a/resolve-token`],
    );
    assert.ok(lines.includes("description: disk full"), text);
    assert.ok(lines.includes("    Acknowledge: https://evil.example/a"), text);
    assert.ok(lines.includes("    Resolve: https://evil.example/r [31m"), text);
    const html = partOf(mail.raw, "text/html") ?? "";
    // eslint-disable-next-line no-control-regex -- no control character may reach the HTML
    assert.doesNotMatch(html, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u2028]/);
  });
});

describe("email notifier when the server refuses some recipients", () => {
  // Refuses RCPT for any address whose local part is a reply code, e.g. 451@example.com.
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startSmtpServer({
      onRcptTo(address, _session, callback) {
        const code = Number(/^(\d{3})@/.exec(address.address)?.[1]);
        if (Number.isNaN(code)) callback();
        else
          callback(
            Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: code }),
          );
      },
    });
  });
  after(async () => {
    closeEmailTransporters();
    await smtp.close();
  });

  const cases: Array<[to: string[], retryable: boolean, reason: string, message: RegExp]> = [
    [["ok@example.com", "451@example.com"], true, "server", /: 1 of 2 recipients refused: SMTP 451: /],
    [["ok@example.com", "550@example.com"], false, "client", /: 1 of 2 recipients refused: SMTP 550: /],
    [["451@example.com", "550@example.com"], true, "server", /: 2 of 2 recipients refused: SMTP 451: /],
  ];
  for (const [to, retryable, reason, message] of cases) {
    it(`${to.join(", ")}: ${retryable ? "retryable" : "permanent"}`, async () => {
      const cfg = emailNotifier.parseConfig({
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: "alerts@example.com",
        to,
      });
      const err = await rejectionOf(emailNotifier.send(sampleMessage(), cfg, sendContext()));
      assert.ok(err instanceof NotifyError, String(err));
      assert.deepEqual([err.retryable, err.reason], [retryable, reason]);
      assert.match(err.message, message);
    });
  }
});

describe("smtpNotifyError", () => {
  const cases: Array<[name: string, err: object, retryable: boolean, reason: string]> = [
    ["421 at the greeting", { code: "EPROTOCOL", responseCode: 421, response: "421 busy" }, true, "server"],
    ["450 mailbox busy", { code: "EENVELOPE", responseCode: 450, response: "450 busy" }, true, "server"],
    ["454 auth unavailable", { code: "EAUTH", responseCode: 454, response: "454 later" }, true, "auth"],
    ["535 bad credentials", { code: "EAUTH", responseCode: 535, response: "535 no" }, false, "auth"],
    ["552 too large", { code: "EMESSAGE", responseCode: 552, response: "552 big" }, false, "client"],
    ["554 blocked", { code: "EPROTOCOL", responseCode: 554, response: "554 blocked" }, false, "client"],
    ["a connection timeout", { code: "ETIMEDOUT" }, true, "timeout"],
    ["a refused connection", { code: "ECONNREFUSED" }, true, "network"],
    ["a reset connection", { code: "ECONNECTION" }, true, "network"],
    ["a DNS failure", { code: "EDNS" }, true, "network"],
    ["a TLS failure", { code: "ETLS" }, true, "network"],
    ["auth without a reply", { code: "EAUTH" }, false, "auth"],
    ["an unknown failure", { code: "EWHATEVER" }, true, "server"],
  ];
  for (const [name, err, retryable, reason] of cases) {
    it(`${name}: ${retryable ? "retryable" : "permanent"} ${reason}`, () => {
      const notifyError = smtpNotifyError(err, "smtp.example.com", ["s3cret-pass"]);
      assert.deepEqual([notifyError.retryable, notifyError.reason], [retryable, reason]);
    });
  }

  it("redacts the password from a reply that echoes it, in any case", () => {
    const err = { code: "EAUTH", responseCode: 535, response: "535 bad password S3CRET-PASS" };
    assertNoSecretLeak(smtpNotifyError(err, "smtp.example.com", ["s3cret-pass"]), ["s3cret-pass"]);
  });
});
