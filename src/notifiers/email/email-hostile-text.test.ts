// Email as a hostile alert source and a flaky SMTP server exercise it: header injection, links and
// forged lines in the body, recipients refused one by one.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotifyError } from "../contract.js";
import { rejectionOf, sampleMessage, sendContext } from "../notifier-test-kit.test.js";
import { emailNotifier } from "./email-notifier.js";
import { threadRootMessageId } from "./render-email.js";
import { headerOf, partOf, smtpServerForSuite } from "./smtp-test-kit.test.js";

const BASE_URL = "https://firebreak.example.net";

describe("email notifier with hostile alert text", () => {
  const smtp = smtpServerForSuite();
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
  const smtp = smtpServerForSuite({
    onRcptTo(address, _session, callback) {
      const code = Number(/^(\d{3})@/.exec(address.address)?.[1]);
      if (Number.isNaN(code)) callback();
      else
        callback(Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: code }));
    },
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
