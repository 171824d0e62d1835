import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderConfirmationMail, renderUpdateMail, type UpdateMailInput } from "./subscriber-messages.js";

const UPDATE: UpdateMailInput = {
  pageTitle: "Acme",
  pageUrl: "https://status.acme.test",
  itemName: "Checkout is slow",
  itemUrl: "https://status.acme.test/incidents/1",
  kind: "incident",
  status: "investigating",
  atMs: Date.UTC(2026, 11, 6, 21, 0),
  body: "We are looking into it.",
  timeZone: "UTC",
  details: [],
  unsubscribeUrl: "https://status.acme.test/unsubscribe/t",
};

describe("subscriber mail: what editors wrote is cleaned like every other message", () => {
  it("drops bidi controls and invisible characters from the subject, text and HTML", () => {
    const mail = renderUpdateMail({
      ...UPDATE,
      itemName: "Pay\u202eeman\u202c outage\u200b",
      body: "Dis\u200bk full\n\u2066second line\u2069",
      details: ["window\u200b 21:00–22:00"],
    });
    for (const part of [mail.subject, mail.text, mail.html])
      assert.doesNotMatch(part, /[\u200b\u202a-\u202e\u2066-\u2069]/u);
    assert.match(mail.subject, /Payeman outage: /);
    assert.match(mail.text, /^Disk full\nsecond line$/m, "line breaks in the body stay");
    assert.match(mail.text, /^window 21:00–22:00$/m);
  });

  it("keeps a subject on one line and ZWJ emoji whole", () => {
    const mail = renderUpdateMail({ ...UPDATE, itemName: "Line one\r\nBcc: evil@example.com 👨‍👩‍👧" });
    assert.doesNotMatch(mail.subject, /[\r\n]/);
    assert.match(mail.subject, /Line one Bcc: evil@example\.com 👨‍👩‍👧/u);
  });

  it("cleans the page title of a confirmation mail too", () => {
    const mail = renderConfirmationMail({
      pageTitle: "Ac\u202eme\nX-Header: 1",
      pageUrl: "https://status.acme.test",
      confirmUrl: "https://status.acme.test/confirm/t",
      webhookUrl: null,
    });
    assert.equal(mail.subject, "Confirm your subscription to Acme X-Header: 1 status");
    assert.doesNotMatch(mail.html, /\u202e/u);
  });
});
