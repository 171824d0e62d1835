import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../core/errors.js";
import { NotifyError } from "../contract.js";
import {
  assertDescribeHidesSecrets,
  assertNoSecretLeak,
  refusedBaseUrl,
  rejectionOf,
  sampleMessage,
  sendContext,
} from "../notifier-test-kit.test.js";
import { emailNotifier } from "./email-notifier.js";
import { escapeHtml, threadRootMessageId } from "./render-email.js";
import { headerOf, partOf, smtpServerForSuite, startSmtpServer } from "./smtp-test-kit.test.js";

describe("email notifier", () => {
  const smtp = smtpServerForSuite();
  const config = () =>
    emailNotifier.parseConfig({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      from: "Firebreak <alerts@example.com>",
      to: ["oncall@example.com", "sre@example.com"],
    });

  it("sends a text and HTML mail with the incident subject, Auto-Submitted and X-Incident-Id", async () => {
    smtp.received.length = 0;
    const result = await emailNotifier.send(
      sampleMessage({ title: 'Disk <full> & "hot"' }),
      config(),
      sendContext(),
    );
    const [mail] = smtp.received;
    assert.ok(mail);
    assert.equal(mail.from, "alerts@example.com");
    assert.deepEqual(mail.to, ["oncall@example.com", "sre@example.com"]);
    assert.equal(headerOf(mail.raw, "Subject"), '[FIREBREAK INC-42] Disk <full> & "hot" — Triggered');
    assert.equal(headerOf(mail.raw, "Auto-Submitted"), "auto-generated");
    assert.equal(headerOf(mail.raw, "X-Incident-Id"), "inc_01HZX4");
    assert.deepEqual(result, { externalId: headerOf(mail.raw, "Message-ID") });
    assert.match(result.externalId ?? "", /^<incident-inc_01HZX4\.[0-9a-f]{24}@firebreak>$/);
    assert.equal(headerOf(mail.raw, "In-Reply-To"), undefined);
    assert.match(headerOf(mail.raw, "Content-Type") ?? "", /^multipart\/alternative/);

    const text = partOf(mail.raw, "text/plain");
    assert.ok(text?.includes('[Triggered] INC-42: Disk <full> & "hot"'), text);
    assert.ok(text?.includes("Acknowledge: https://firebreak.example.net/a/ack-token"));
    const html = partOf(mail.raw, "text/html");
    assert.ok(html?.includes("INC-42: Disk &lt;full&gt; &amp; &quot;hot&quot;"), html);
    assert.ok(!html?.includes("<full>"), "the title is escaped in HTML");
    assert.ok(html?.includes('<a href="https://firebreak.example.net/a/resolve-token"'));
  });

  it("threads every mail of an incident under its root: triggered references it, acknowledged replies to it", async () => {
    smtp.received.length = 0;
    const root = threadRootMessageId("inc_01HZX4");
    const first = await emailNotifier.send(
      sampleMessage(),
      config(),
      sendContext("notify:inc_01HZX4:mail:1"),
    );
    const second = await emailNotifier.send(
      sampleMessage({ event: "acknowledged", state: "acknowledged" }),
      config(),
      sendContext("notify:inc_01HZX4:mail:2"),
    );
    const [one, two] = smtp.received;
    assert.ok(one && two);
    const firstId = headerOf(one.raw, "Message-ID");
    assert.equal(first.externalId, firstId);
    assert.match(firstId ?? "", /^<incident-inc_01HZX4\.[0-9a-f]{24}@firebreak>$/);
    assert.equal(headerOf(one.raw, "In-Reply-To"), undefined);
    assert.equal(headerOf(one.raw, "References"), root);

    const secondId = headerOf(two.raw, "Message-ID");
    assert.equal(second.externalId, secondId);
    assert.match(secondId ?? "", /^<incident-inc_01HZX4\.[0-9a-f]{24}@firebreak>$/);
    assert.notEqual(secondId, root);
    assert.equal(headerOf(two.raw, "In-Reply-To"), root);
    assert.equal(headerOf(two.raw, "References"), root);
    assert.equal(
      headerOf(two.raw, "Subject"),
      "[FIREBREAK INC-42] Checkout p99 latency above 2s — Acknowledged",
    );
  });

  it("gives each page of an incident its own Message-ID, so a mailbox keeps the second (RFC 5322 §3.6.4)", async () => {
    // A person's rules at 0 and 5 minutes to one address: two triggered deliveries. A mailbox that
    // holds a Message-ID drops a later mail with the same one (Gmail does): the second page would be lost.
    smtp.received.length = 0;
    const first = await emailNotifier.send(
      sampleMessage(),
      config(),
      sendContext("page:inc_01HZX4:v1:u1:m1:0"),
    );
    const again = await emailNotifier.send(
      sampleMessage(),
      config(),
      sendContext("page:inc_01HZX4:v1:u1:m1:300000"),
    );
    const ids = smtp.received.map((mail) => headerOf(mail.raw, "Message-ID"));
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1]);
    assert.deepEqual([first.externalId, again.externalId], ids);
    for (const mail of smtp.received)
      assert.equal(headerOf(mail.raw, "References"), threadRootMessageId("inc_01HZX4"));
  });

  it("gives a retried delivery the same Message-ID, and another delivery a new one", async () => {
    const message = sampleMessage({ event: "resolved", state: "resolved" });
    const a = await emailNotifier.send(message, config(), sendContext("notify:inc_01HZX4:mail:3"));
    const b = await emailNotifier.send(message, config(), sendContext("notify:inc_01HZX4:mail:3"));
    const c = await emailNotifier.send(message, config(), sendContext("notify:inc_01HZX4:mail:4"));
    assert.equal(a.externalId, b.externalId);
    assert.notEqual(a.externalId, c.externalId);
  });

  it("keeps a test notification out of the incident's thread", async () => {
    smtp.received.length = 0;
    await emailNotifier.send(sampleMessage({ event: "test" }), config(), sendContext("test:1"));
    const [mail] = smtp.received;
    assert.match(headerOf(mail?.raw ?? "", "Message-ID") ?? "", /^<test\.[0-9a-f]{24}@firebreak>$/);
    assert.equal(headerOf(mail?.raw ?? "", "In-Reply-To"), undefined);
  });

  it("accepts a comma-separated recipient string", () => {
    const parsed = emailNotifier.parseConfig({
      smtpUrl: "smtps://u:p@smtp.example.com",
      from: "a@example.com",
      to: "a@x.com, b@x.com",
    });
    assert.deepEqual(parsed.to, ["a@x.com", "b@x.com"]);
    assert.equal(emailNotifier.describe(parsed), "email to a@x.com, b@x.com via smtp.example.com");
  });

  describe("SMTP failures", () => {
    it("a wrong password is a permanent auth failure (535)", async () => {
      const strict = await startSmtpServer({
        authOptional: false,
        onAuth(auth, _session, callback) {
          if (auth.password === "right-password") callback(null, { user: auth.username });
          else callback(new Error("Invalid username or password"));
        },
      });
      try {
        const bad = emailNotifier.parseConfig({
          smtpUrl: `smtp://alerts:wrong-PASSWORD-9@127.0.0.1:${strict.port}`,
          from: "a@example.com",
          to: "b@example.com",
        });
        const err = await rejectionOf(emailNotifier.send(sampleMessage(), bad, sendContext()));
        assert.ok(err instanceof NotifyError);
        assert.deepEqual([err.retryable, err.reason], [false, "auth"]);
        assert.match(err.message, /^email via 127\.0\.0\.1:\d+: SMTP 535: 535 Invalid username or password$/);
        assertNoSecretLeak(err, ["wrong-PASSWORD-9"]);

        const good = emailNotifier.parseConfig({
          smtpUrl: `smtp://alerts:right-password@127.0.0.1:${strict.port}`,
          from: "a@example.com",
          to: "b@example.com",
        });
        await emailNotifier.send(sampleMessage(), good, sendContext());
        assert.equal(strict.received.length, 1);
      } finally {
        await strict.close();
      }
    });

    const rcptCases: Array<[responseCode: number, retryable: boolean, reason: string]> = [
      [451, true, "server"],
      [452, true, "server"],
      [550, false, "client"],
      [553, false, "client"],
    ];
    for (const [responseCode, retryable, reason] of rcptCases) {
      it(`a ${responseCode} reply to RCPT is ${retryable ? "retryable" : "permanent"}`, async () => {
        const refusing = await startSmtpServer({
          onRcptTo(_address, _session, callback) {
            callback(Object.assign(new Error("Mailbox unavailable, try later"), { responseCode }));
          },
        });
        try {
          const cfg = emailNotifier.parseConfig({
            smtpUrl: `smtp://127.0.0.1:${refusing.port}`,
            from: "a@example.com",
            to: "b@example.com",
          });
          const err = await rejectionOf(emailNotifier.send(sampleMessage(), cfg, sendContext()));
          assert.ok(err instanceof NotifyError);
          assert.deepEqual([err.retryable, err.reason], [retryable, reason]);
          assert.match(err.message, new RegExp(`SMTP ${responseCode}`));
        } finally {
          await refusing.close();
        }
      });
    }

    it("a refused connection is a retryable network error that shows neither user nor password", async () => {
      const port = new URL(await refusedBaseUrl()).port;
      const cfg = emailNotifier.parseConfig({
        smtpUrl: `smtp://alerts:PASS-SECRET-77@127.0.0.1:${port}`,
        from: "a@example.com",
        to: "b@example.com",
      });
      const err = await rejectionOf(emailNotifier.send(sampleMessage(), cfg, sendContext()));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "network"]);
      assertNoSecretLeak(err, ["PASS-SECRET-77"]);
      assertDescribeHidesSecrets(emailNotifier.describe(cfg), ["PASS-SECRET-77", "alerts:"]);
    });

    it("an SMTP server that refused 5 connections in a row is held back, without connecting", async () => {
      const port = new URL(await refusedBaseUrl()).port;
      const cfg = emailNotifier.parseConfig({
        smtpUrl: `smtp://127.0.0.1:${port}`,
        from: "a@example.com",
        to: "b@example.com",
      });
      for (let i = 0; i < 5; i++) {
        const err = await rejectionOf(emailNotifier.send(sampleMessage(), cfg, sendContext()));
        assert.ok(err instanceof NotifyError && err.reason === "network", String(err));
      }
      const held = await rejectionOf(emailNotifier.send(sampleMessage(), cfg, sendContext()));
      assert.ok(held instanceof NotifyError);
      assert.deepEqual([held.retryable, held.reason, held.retryAfterSeconds], [true, "not_tried", 10]);
      assert.match(held.message, /^email via 127\.0\.0\.1:\d+: not tried: the last 5 sends got no answer/);
    });

    it("an SMTP server that answers, even with refusals, is never held back", async () => {
      const refusing = await startSmtpServer({
        onRcptTo(_address, _session, callback) {
          callback(Object.assign(new Error("Try later"), { responseCode: 451 }));
        },
      });
      try {
        const cfg = emailNotifier.parseConfig({
          smtpUrl: `smtp://127.0.0.1:${refusing.port}`,
          from: "a@example.com",
          to: "b@example.com",
        });
        for (let i = 0; i < 7; i++) {
          const err = await rejectionOf(emailNotifier.send(sampleMessage(), cfg, sendContext()));
          assert.ok(err instanceof NotifyError && err.reason === "server", String(err));
        }
      } finally {
        await refusing.close();
      }
    });

    it("a server echoing the password in its reply does not leak it", async () => {
      const echoing = await startSmtpServer({
        authOptional: false,
        onAuth(auth, _session, callback) {
          callback(Object.assign(new Error(`Bad password ${auth.password ?? ""}`), { responseCode: 535 }));
        },
      });
      try {
        const cfg = emailNotifier.parseConfig({
          smtpUrl: `smtp://alerts:PASS%40SECRET-88@127.0.0.1:${echoing.port}`,
          from: "a@example.com",
          to: "b@example.com",
        });
        assertNoSecretLeak(await rejectionOf(emailNotifier.send(sampleMessage(), cfg, sendContext())), [
          "PASS@SECRET-88",
          "PASS%40SECRET-88",
        ]);
      } finally {
        await echoing.close();
      }
    });

    // Some servers quote the AUTH line they refused, and with it the password in base64.
    const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
    const USER = "alerts@example.com";
    const PASSWORD = "s3crét/PASS-9"; // 14 bytes: its base64 ends in "="
    const ECHOES: Array<[name: string, method: "PLAIN" | "LOGIN", reply: string, shown: string]> = [
      [
        "the AUTH PLAIN blob",
        "PLAIN",
        `5.7.8 Authentication failed: ${base64(`\0${USER}\0${PASSWORD}`)}`,
        "5.7.8 Authentication failed: <secret>",
      ],
      [
        "an AUTH PLAIN blob naming the user as authorization id",
        "PLAIN",
        `5.7.8 Authentication failed: ${base64(`${USER}\0${USER}\0${PASSWORD}`)}`,
        "5.7.8 Authentication failed: <secret>",
      ],
      [
        "AUTH LOGIN's user and password lines",
        "LOGIN",
        `5.7.8 Bad login ${base64(USER)} ${base64(PASSWORD)}`,
        "5.7.8 Bad login <secret> <secret>",
      ],
      [
        "the password's base64 without padding",
        "LOGIN",
        `Bad password ${base64(PASSWORD).replace(/=+$/, "")}.`,
        "Bad password <secret>.",
      ],
    ];
    for (const [name, method, reply, shown] of ECHOES) {
      it(`a server echoing ${name} (AUTH ${method}) does not leak the password`, async () => {
        const methodsUsed: string[] = [];
        const echoing = await startSmtpServer({
          authOptional: false,
          authMethods: [method],
          onAuth(auth, _session, callback) {
            methodsUsed.push(auth.method);
            callback(Object.assign(new Error(reply), { responseCode: 535 }));
          },
        });
        try {
          const cfg = emailNotifier.parseConfig({
            smtpUrl: `smtp://alerts%40example.com:s3cr%C3%A9t%2FPASS-9@127.0.0.1:${echoing.port}`,
            from: "a@example.com",
            to: "b@example.com",
          });
          const err = await rejectionOf(emailNotifier.send(sampleMessage(), cfg, sendContext()));
          assert.deepEqual(methodsUsed, [method]);
          assert.ok(err instanceof NotifyError);
          assert.deepEqual([err.retryable, err.reason], [false, "auth"]);
          assert.equal(err.message.replace(/^email via 127\.0\.0\.1:\d+: /, ""), `SMTP 535: 535 ${shown}`);
          assertNoSecretLeak(err, [
            PASSWORD,
            base64(PASSWORD).replace(/=+$/, ""),
            base64(`\0${USER}\0${PASSWORD}`),
            base64(`${USER}\0${USER}\0${PASSWORD}`),
            base64(USER),
          ]);
        } finally {
          await echoing.close();
        }
      });
    }

    it("does not start when the caller's signal has already aborted", async () => {
      const err = await rejectionOf(
        emailNotifier.send(sampleMessage(), config(), sendContext("k", AbortSignal.abort())),
      );
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
    });

    it("stops waiting when the caller's signal aborts mid-conversation", async () => {
      const controller = new AbortController();
      const stalling = await startSmtpServer({
        closeTimeout: 1,
        onMailFrom() {
          controller.abort(); // and never answer MAIL FROM
        },
      });
      try {
        const cfg = emailNotifier.parseConfig({
          smtpUrl: `smtp://127.0.0.1:${stalling.port}`,
          from: "a@example.com",
          to: "b@example.com",
        });
        const err = await rejectionOf(
          emailNotifier.send(sampleMessage(), cfg, sendContext("k", controller.signal)),
        );
        assert.ok(err instanceof NotifyError);
        assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
        assert.match(err.message, /stopped waiting/);
      } finally {
        await stalling.close();
      }
    });
  });

  describe("config", () => {
    const valid = {
      smtpUrl: "smtp://u:p@smtp.example.com:587",
      from: "alerts@example.com",
      to: "a@example.com",
    };
    const invalid: Array<[name: string, raw: object, paths: string[]]> = [
      ["nothing", {}, ["/config/to"]],
      ["an own SMTP server without its From", { smtpUrl: valid.smtpUrl, to: valid.to }, ["/config/from"]],
      ["an http URL", { ...valid, smtpUrl: "https://smtp.example.com" }, ["/config/smtpUrl"]],
      ["a URL without host", { ...valid, smtpUrl: "smtp://" }, ["/config/smtpUrl"]],
      [
        "an unknown URL option",
        { ...valid, smtpUrl: "smtp://smtp.example.com?pool=true" },
        ["/config/smtpUrl"],
      ],
      ["a bad from", { ...valid, from: "Firebreak <nobody>" }, ["/config/from"]],
      ["an empty to list", { ...valid, to: [] }, ["/config/to"]],
      ["a bad address in the to list", { ...valid, to: ["a@example.com", "nope"] }, ["/config/to/1"]],
    ];
    for (const [name, raw, paths] of invalid) {
      it(`rejects ${name}`, () => {
        assert.throws(
          () => emailNotifier.parseConfig(raw),
          (err: unknown) => {
            assert.ok(err instanceof AppError && err.code === "VALIDATION");
            assert.deepEqual(
              err.fields.map((f) => f.path),
              paths,
            );
            assert.ok(!err.message.includes("u:p@"), "never repeats the URL");
            return true;
          },
        );
      });
    }

    it("accepts TLS options in the URL", () => {
      assert.doesNotThrow(() =>
        emailNotifier.parseConfig({
          ...valid,
          smtpUrl: "smtp://relay.internal:25?requireTLS=true&tls.rejectUnauthorized=false",
        }),
      );
    });
  });

  it("escapes HTML", () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
