import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolvePage } from "./component-status.js";
import { renderHistoryHtml } from "./status-detail-html.js";
import { renderAtomFeed, renderRssFeed } from "./status-feeds.js";
import { snapshot, T0 } from "./status-fixtures.test.js";
import { renderStatusPageHtml } from "./status-html.js";
import { statusName } from "./status-name.js";
import { renderConfirmationMail } from "./subscriber-messages.js";

describe("a status page's name", () => {
  const cases: Array<[string, string]> = [
    ["Acme", "Acme status"],
    ["Acme Status", "Acme Status"],
    ["ACME STATUS", "ACME STATUS"],
    ["acme status ", "acme status"],
    ["Acme sTaTuS", "Acme sTaTuS"],
    ["Statusfy", "Statusfy status"],
    ["Acme Statuspage", "Acme Statuspage status"],
    ["Acme-status", "Acme-status"],
  ];
  for (const [title, name] of cases) it(`${title} → ${name}`, () => assert.equal(statusName(title), name));
});

describe("a page titled with “status” is not called “… status status”", () => {
  for (const title of ["Acme Status", "acme status", "ACME STATUS"]) {
    const s = snapshot({ page: { ...snapshot().page, title } });
    const ctx = {
      snapshot: s,
      resolved: resolvePage(s, T0),
      nowMs: T0,
      mount: "/status/acme",
      subscriptions: true,
    };

    it(`${title}: the HTML page's title, header and feed links`, () => {
      for (const html of [renderStatusPageHtml(ctx), renderHistoryHtml(ctx)]) {
        assert.doesNotMatch(html, /status status/i);
        assert.ok(html.includes(`<span>${title}</span></a>`), "the header names the page once");
        assert.ok(html.includes(`title="${title} history (Atom)"`));
        assert.ok(html.includes(`title="${title} history (RSS)"`));
      }
      assert.ok(renderStatusPageHtml(ctx).includes(`<title>${title}</title>`));
      assert.ok(renderHistoryHtml(ctx).includes(`· ${title}</title>`));
    });

    it(`${title}: the Atom and RSS feed titles`, () => {
      assert.ok(renderAtomFeed(s, T0).includes(`<title>${title} history</title>`));
      assert.ok(renderRssFeed(s, T0).includes(`<title>${title} history</title>`));
      assert.doesNotMatch(renderAtomFeed(s, T0) + renderRssFeed(s, T0), /status status/i);
    });

    it(`${title}: the confirmation mail`, () => {
      const mail = renderConfirmationMail({
        pageTitle: title,
        pageUrl: "https://status.acme.test",
        confirmUrl: "https://status.acme.test/confirm",
        webhookUrl: null,
      });
      assert.doesNotMatch(mail.subject + mail.text, /status status/i);
    });
  }

  it("a page titled without it still gets “status” after its title", () => {
    const s = snapshot();
    const ctx = { snapshot: s, resolved: resolvePage(s, T0), nowMs: T0, mount: "", subscriptions: false };
    assert.ok(renderStatusPageHtml(ctx).includes("<span>Acme status</span></a>"));
    assert.ok(renderStatusPageHtml(ctx).includes("<title>Acme status</title>"));
    assert.ok(renderAtomFeed(s, T0).includes("<title>Acme status history</title>"));
    assert.ok(renderRssFeed(s, T0).includes("<title>Acme status history</title>"));
  });
});
