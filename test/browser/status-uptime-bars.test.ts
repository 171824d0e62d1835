// The public page's uptime bars in a real browser, on a fake clock: a 1-minute major outage on one day
// and an 8-hour one on the next are painted differently (the short one lighter), each bar's tooltip
// gives the duration in words, and a component with showcase off shows its status but no bars.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { FakeClock, HOUR, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { makePage, statusAdmin, type StatusAdmin } from "../support/status-setup.js";
import { describeInBrowser, launchBrowser, openPage } from "./browser-kit.js";

const DAY_ONE = Date.parse("2021-01-10T00:00:00.000Z");

describeInBrowser("public status page: uptime bars by minutes, and showcase (browser, fake clock)", () => {
  const clock = new FakeClock(DAY_ONE);
  let fb: TestFirebreak;
  let admin: StatusAdmin;
  let browser: Browser;
  let tab: Page;
  const pageErrors: string[] = [];

  before(async () => {
    fb = await startTestFirebreak({ clock, listen: true, startEngine: false });
    admin = statusAdmin(fb.http, await fb.apiKey("admin"));
    const page = await makePage(admin, { slug: "acme" });
    const docs = await admin.call<{ id: string }>("POST", `/api/v1/status-pages/${page.pageId}/components`, {
      name: "Docs",
      showcase: false,
    });
    const outage = async (name: string, atMs: number, lastsMs: number, componentIds: string[]) => {
      clock.set(atMs);
      const created = await admin.call<{ id: string }>(
        "POST",
        `/api/v1/status-pages/${page.pageId}/incidents`,
        {
          name,
          impact: "critical",
          componentStatus: "major_outage",
          componentIds,
          body: "Down.",
        },
      );
      clock.advance(lastsMs);
      await admin.call("POST", `/api/v1/status-pages/${page.pageId}/incidents/${created.id}/updates`, {
        status: "resolved",
        body: "Up.",
      });
    };
    await outage("Short blip", DAY_ONE + 6 * HOUR, MINUTE, [page.apiId, docs.id]);
    await outage("Long outage", DAY_ONE + 30 * HOUR, 8 * HOUR, [page.apiId, docs.id]);
    clock.set(DAY_ONE + 2 * 24 * HOUR + 12 * HOUR);
    await admin.call("POST", `/api/v1/status-pages/${page.pageId}/incidents`, {
      name: "Docs are slow",
      impact: "minor",
      componentStatus: "degraded_performance",
      componentIds: [docs.id],
      body: "Slow.",
    });

    browser = await launchBrowser();
    tab = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light" },
      pageErrors,
    );
    assert.equal((await tab.goto(`${fb.baseUrl}/status/acme`))?.status(), 200);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  const component = (name: string): Locator =>
    tab
      .getByRole("region", { name: "Components" })
      .getByRole("listitem")
      .filter({ has: tab.getByRole("heading", { name, exact: true }) });
  const bar = (date: string) => component("API").locator(`.bars i[title^="${date}:"]`);
  // The tests are not typed for the DOM: name the one browser function used.
  type Styles = { getComputedStyle(el: unknown): { backgroundColor: string } };
  const background = (l: Locator) =>
    l.evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).backgroundColor);

  it("paints a 1-minute outage day lighter than an 8-hour one, and says how long each was", async () => {
    const short = bar("10 Jan 2021");
    const long = bar("11 Jan 2021");
    assert.equal(
      await short.getAttribute("title"),
      "10 Jan 2021: Major outage 1 minute. Related: Short blip",
    );
    assert.equal(await long.getAttribute("title"), "11 Jan 2021: Major outage 8 hours. Related: Long outage");
    assert.equal(await short.getAttribute("class"), "b-minor");
    assert.equal(await long.getAttribute("class"), "b-major");
    const [shortColour, longColour, quietColour] = await Promise.all([
      background(short),
      background(long),
      background(bar("12 Jan 2021")),
    ]);
    assert.notEqual(shortColour, longColour, "a short outage is not painted like a long one");
    assert.notEqual(shortColour, quietColour, "but it is not painted like a quiet day either");
    assert.ok(luminance(shortColour) > luminance(longColour), `${shortColour} lighter than ${longColour}`);

    // The durations reach a screen reader too, through the bars' accessible name.
    await component("API")
      .getByRole("img", {
        name: /10 January 2021, major outage 1 minute; 11 January 2021, major outage 8 hours\.$/,
      })
      .waitFor();
  });

  it("lists a component with showcase off with its status, without bars or an uptime figure", async () => {
    const docs = component("Docs");
    assert.equal(await docs.locator(".st").textContent(), "Degraded performance");
    assert.equal(await docs.locator(".bars").count(), 0);
    assert.equal(await docs.locator(".scale").count(), 0);
    assert.doesNotMatch((await docs.textContent()) ?? "", /uptime/i);
    // Showcase stays in the JSON API as it was.
    const json = (await (await fetch(`${fb.baseUrl}/status/acme/api/v2/components.json`)).json()) as {
      components: Array<{ name: string; showcase: boolean }>;
    };
    assert.equal(json.components.find((c) => c.name === "Docs")?.showcase, false);
    assert.equal(json.components.find((c) => c.name === "API")?.showcase, true);
    assert.deepEqual(pageErrors, []);
  });
});

/** Relative luminance (0–1) of an `rgb(r, g, b)` colour, for "lighter than". */
function luminance(color: string): number {
  const [r = 0, g = 0, b = 0] = (color.match(/\d+/g) ?? []).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
