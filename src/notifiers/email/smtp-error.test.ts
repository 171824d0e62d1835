import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertNoSecretLeak } from "../notifier-test-kit.test.js";
import { sanitizeSnippet } from "../safe-error-text.js";
import { smtpNotifyError, smtpSecretsOf } from "./smtp-error.js";

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

describe("smtpSecretsOf: an SMTP reply quoting the credentials", () => {
  const URL = "smtp://alice:s3cret@smtp.example.com:587";
  // The reply under test, then the snippet an error may show.
  const CASES: Array<[name: string, url: string, reply: string, shown: string]> = [
    ["the password", URL, "535 Bad password s3cret", "535 Bad password <secret>"],
    [
      "the AUTH PLAIN blob",
      URL,
      "535 5.7.8 Authentication failed: AGFsaWNlAHMzY3JldA==",
      "535 5.7.8 Authentication failed: <secret>",
    ],
    [
      "the AUTH PLAIN blob with the user as authorization id",
      URL,
      `535 5.7.8 Authentication failed: ${base64("alice\0alice\0s3cret")}`,
      "535 5.7.8 Authentication failed: <secret>",
    ],
    [
      "the AUTH PLAIN blob without its padding",
      URL,
      "535 Authentication failed: AGFsaWNlAHMzY3JldA.",
      "535 Authentication failed: <secret>.",
    ],
    [
      "AUTH LOGIN's user and password lines",
      URL,
      `535 Bad login ${base64("alice")} ${base64("s3cret")}`,
      "535 Bad login <secret> <secret>",
    ],
    [
      "the base64 of a password written percent-encoded in the URL",
      "smtp://alice:p%40ss%3Aw0rd!@smtp.example.com",
      `535 Bad ${base64("p@ss:w0rd!")} in ${base64("\0alice\0p@ss:w0rd!")}`,
      "535 Bad <secret> in <secret>",
    ],
    [
      "a non-ASCII user and password, encoded as UTF-8 the way nodemailer sends them",
      "smtp://%C3%A9lise:mot-de-p%C3%A0sse@smtp.example.com",
      `535 ${base64("\0élise\0mot-de-pàsse")} ${base64("élise")} ${base64("mot-de-pàsse")}`,
      "535 <secret> <secret> <secret>",
    ],
  ];
  for (const [name, url, reply, shown] of CASES) {
    it(`redacts ${name}`, () => {
      assert.equal(sanitizeSnippet(reply, smtpSecretsOf(url)), shown);
    });
  }

  it("leaves a reply that quotes no credential as it is", () => {
    const reply = "535 5.7.8 Username and Password not accepted";
    assert.equal(sanitizeSnippet(reply, smtpSecretsOf(URL)), reply);
  });

  it("still holds the URL and the password as written when its percent-encoding is broken", () => {
    const url = "smtp://alice:pa%zzss@smtp.example.com";
    assert.ok(smtpSecretsOf(url).includes(url));
    assert.equal(
      sanitizeSnippet("535 Bad password pa%zzss", smtpSecretsOf(url)),
      "535 Bad password <secret>",
    );
  });

  it("is the URL alone when it is no URL", () => {
    assert.deepEqual(smtpSecretsOf("not a url"), ["not a url"]);
  });

  it("keeps an echoed AUTH PLAIN blob out of the NotifyError nodemailer's EAUTH becomes", () => {
    const err = smtpNotifyError(
      { code: "EAUTH", responseCode: 535, response: "535 5.7.8 Authentication failed: AGFsaWNlAHMzY3JldA==" },
      "smtp.example.com:587",
      smtpSecretsOf(URL),
    );
    assert.deepEqual([err.retryable, err.reason], [false, "auth"]);
    assert.equal(
      err.message,
      "email via smtp.example.com:587: SMTP 535: 535 5.7.8 Authentication failed: <secret>",
    );
  });
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
