import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolvePage } from "./component-status.js";
import { renderHistoryHtml, renderIncidentHtml, renderMaintenanceHtml } from "./status-detail-html.js";
import { renderAtomFeed, renderRssFeed } from "./status-feeds.js";
import { component, DAY, HOUR, incident, maintenance, MINUTE, snapshot, T0 } from "./status-fixtures.test.js";
import { renderStatusPageHtml, type StatusHtmlContext } from "./status-html.js";
import { escapeMarkup } from "./status-markup.js";
import { contrastRatio, DARK, LIGHT, readableOn, type Palette } from "./status-theme.js";

const hostile = `<script>alert("x")</script> & 'quotes'`;

const ctxOf = (over: Parameters<typeof snapshot>[0] = {}, mount = "/status/acme"): StatusHtmlContext => {
  const s = snapshot(over);
  return { snapshot: s, resolved: resolvePage(s, T0), nowMs: T0, mount, subscriptions: true };
};

describe("colour contrast (WCAG AA)", () => {
  const palettes: Array<[string, Palette]> = [
    ["light", LIGHT],
    ["dark", DARK],
  ];
  for (const [name, p] of palettes) {
    it(`${name}: body, muted and link text reach 4.5:1 on the page and on cards`, () => {
      for (const bg of [p.background, p.surface])
        for (const [what, fg] of [
          ["text", p.text],
          ["muted", p.muted],
          ["link", p.link],
        ] as const)
          assert.ok(
            contrastRatio(fg, bg) >= 4.5,
            `${name} ${what} ${fg} on ${bg}: ${contrastRatio(fg, bg).toFixed(2)}`,
          );
    });
    it(`${name}: status colours reach 4.5:1 as text and 3:1 as bars`, () => {
      for (const [status, colour] of Object.entries(p.status)) {
        if (status !== "no_data")
          for (const bg of [p.background, p.surface])
            assert.ok(
              contrastRatio(colour, bg) >= 4.5,
              `${name} ${status} ${colour} on ${bg}: ${contrastRatio(colour, bg).toFixed(2)}`,
            );
        assert.ok(
          contrastRatio(colour, p.surface) >= 3,
          `${name} bar ${status} on the card: ${contrastRatio(colour, p.surface).toFixed(2)}`,
        );
      }
    });
    it(`${name}: the light bar of a day with a little trouble reaches 3:1 on the page and on cards`, () => {
      for (const bg of [p.background, p.surface])
        assert.ok(contrastRatio(p.minorBar, bg) >= 3, `${name} ${p.minorBar} on ${bg}`);
    });
    it(`${name}: the button (page colours swapped) reads`, () =>
      assert.ok(contrastRatio(p.background, p.text) >= 4.5));
  }
  it("computes known ratios", () => {
    assert.equal(contrastRatio("#000000", "#ffffff").toFixed(2), "21.00");
    assert.equal(contrastRatio("#ffffff", "#ffffff"), 1);
    assert.equal(readableOn("#ffff00"), "#000000");
    assert.equal(readableOn("#000080"), "#ffffff");
  });
});

describe("the HTML page", () => {
  it("is a semantic, phone-ready document that needs no script", () => {
    const html = renderStatusPageHtml(ctxOf());
    for (const part of [
      "<!doctype html>",
      '<html lang="en">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      "<header",
      "<main",
      "<footer",
      "<h1",
      "<h2",
      "<h3",
      "prefers-color-scheme:dark",
      'href="/status/acme/history.atom"',
    ])
      assert.ok(html.includes(part), `missing ${part}`);
    assert.ok(!/<script/i.test(html), "no script");
    assert.match(html, /All Systems Operational/);
  });

  it("escapes what people typed everywhere", () => {
    const ctx = ctxOf({
      components: [component("c-1", { name: hostile, description: hostile })],
      incidents: [
        incident("i-1", {
          name: hostile,
          updates: [
            {
              id: "u",
              incidentId: "i-1",
              status: "investigating",
              body: hostile,
              componentStatus: null,
              affectedComponents: [],
              createdAtMs: T0,
            },
          ],
        }),
      ],
      maintenances: [maintenance("m-1", { name: hostile, body: hostile })],
    });
    for (const html of [
      renderStatusPageHtml(ctx),
      renderIncidentHtml(ctx, "i-1") ?? "",
      renderMaintenanceHtml(ctx, "m-1") ?? "",
      renderHistoryHtml(ctx),
    ]) {
      assert.ok(!html.includes("<script>"), "no raw script tag");
      assert.ok(html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;"));
    }
  });

  it("shows an active incident and the affected component's status, hides quiet only-if-degraded components", () => {
    const ctx = ctxOf({
      components: [
        component("c-1", { name: "API" }),
        component("c-2", { name: "Quiet", onlyShowIfDegraded: true, position: 1 }),
      ],
      incidents: [incident("i-1", { name: "Errors on the API", componentStatus: "major_outage" })],
    });
    const html = renderStatusPageHtml(ctx);
    assert.match(html, /Active incidents/);
    assert.match(html, /Errors on the API/);
    assert.match(html, /class="st c-major_outage">Major outage/);
    assert.ok(!html.includes("Quiet"));
    assert.match(html, /Major Service Outage/);
  });

  it("draws 90 bars per component, coloured by the day's minutes, with a title per day, and the uptime", () => {
    const ctx = ctxOf({
      incidents: [
        incident("i-1", {
          status: "resolved",
          componentStatus: "major_outage",
          createdAtMs: T0 - 2 * DAY,
          resolvedAtMs: T0 - 2 * DAY + HOUR,
        }),
      ],
    });
    const html = renderStatusPageHtml(ctx);
    assert.equal((html.match(/<i( class="b-[a-z_]+")? title="/g) ?? []).length, 90);
    assert.match(html, /class="b-major" title="28 Feb 2025: Major outage 1 hour\. Related: Incident i-1"/);
    assert.match(html, /<span class="pct">99\.\d\d% uptime<span class="d30"> over 90 days<\/span><\/span>/);
    assert.match(
      html,
      /aria-label="99\.\d\d% uptime over the last 90 days\. 1 of the last 90 days with incidents or maintenance: 28 February 2025, major outage 1 hour\."/,
    );
  });

  it("names the period of the uptime figure by the component's age, never 90 days for a young one", () => {
    const cases: Array<[string, number, RegExp]> = [
      // 3 bad minutes out of 7 would read 52.46%: no figure, the day's bar shows the outage.
      [
        "7 minutes old with a 3-minute outage",
        T0 - 7 * MINUTE,
        /<span class="pct">Tracked since 2 Mar 2025, 09:23 UTC<\/span>/,
      ],
      ["10 days old", T0 - 10 * DAY, /<span class="pct">99\.\d\d% uptime since 20 Feb 2025<\/span>/],
      [
        "older than 90 days",
        T0 - 200 * DAY,
        /<span class="pct">99\.\d\d% uptime<span class="d30"> over 90 days/,
      ],
    ];
    for (const [name, createdAtMs, want] of cases) {
      const html = renderStatusPageHtml(
        ctxOf({
          components: [component("c-1", { createdAtMs })],
          incidents: [
            incident("i-1", {
              status: "resolved",
              componentStatus: "major_outage",
              createdAtMs: T0 - 5 * MINUTE,
              resolvedAtMs: T0 - 2 * MINUTE,
            }),
          ],
        }),
      );
      assert.match(html, want, name);
      // Three minutes of outage is a light day, not a red one (uptime-day.ts).
      assert.match(
        html,
        /class="b-minor" title="2 Mar 2025: Major outage 3 minutes\. Related: Incident i-1"/,
        name,
      );
    }
  });

  it("shows bars and a figure only for showcase components; the others only their status", () => {
    const html = renderStatusPageHtml(
      ctxOf({
        components: [
          component("c-1", { name: "API" }),
          component("c-2", { name: "Docs", showcase: false, position: 1 }),
        ],
        incidents: [
          incident("i-1", { componentIds: ["c-1", "c-2"], componentStatus: "degraded_performance" }),
        ],
      }),
    );
    const item = (name: string) => {
      const start = html.indexOf(`<h3>${name}</h3>`);
      return html.slice(start, html.indexOf("</li>", start));
    };
    assert.match(item("API"), /class="bars"/);
    assert.match(item("API"), /class="pct"/);
    assert.match(item("Docs"), /class="st c-degraded_performance">Degraded performance</);
    assert.ok(!/bars|uptime|class="scale"/.test(item("Docs")), item("Docs"));
  });

  it("links on a custom domain start at /", () => {
    const html = renderStatusPageHtml(ctxOf({}, ""));
    assert.match(html, /href="\/history"/);
    assert.match(html, /class="brand" href="\/"/);
  });

  it("an unknown incident or maintenance is null (a 404 for the route)", () => {
    assert.equal(renderIncidentHtml(ctxOf(), "nope"), null);
    assert.equal(renderMaintenanceHtml(ctxOf(), "nope"), null);
  });
});

describe("feeds", () => {
  const s = snapshot({
    incidents: [
      incident("i-1", {
        name: hostile,
        updatedAtMs: T0,
        updates: [
          {
            id: "u",
            incidentId: "i-1",
            status: "identified",
            body: "a < b",
            componentStatus: null,
            affectedComponents: [],
            createdAtMs: T0,
          },
        ],
      }),
    ],
  });
  it("Atom: well-formed ids, dates and escaped content", () => {
    const atom = renderAtomFeed(s, T0);
    assert.match(atom, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    assert.match(atom, /<id>https:\/\/status.acme.example\/incidents\/i-1<\/id>/);
    assert.match(atom, /<updated>2025-03-02T09:30:00.000Z<\/updated>/);
    assert.ok(!atom.includes("<script>"));
    assert.ok(atom.includes("a &amp;lt; b"), "HTML content escaped once more inside XML");
  });
  it("RSS: RFC 822 dates and a non-permalink guid", () => {
    const rss = renderRssFeed(s, T0);
    assert.match(rss, /<pubDate>Sun, 02 Mar 2025 08:30:00 GMT<\/pubDate>/);
    assert.match(rss, /<guid isPermaLink="false">https:\/\/status.acme.example\/incidents\/i-1<\/guid>/);
  });
  it("escapes markup and drops characters XML forbids", () => {
    const cases: Array<[string, string]> = [
      ["a&b", "a&amp;b"],
      ["<i>", "&lt;i&gt;"],
      [`"'`, "&quot;&#39;"],
      ["bell\u0007", "bell"],
      ["tab\tand newline\n", "tab\tand newline\n"],
    ];
    for (const [input, want] of cases) assert.equal(escapeMarkup(input), want);
  });
});
