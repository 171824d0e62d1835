// A status page in a real browser: an admin creates it in the console with two components (one linked
// to a service), posts a status incident from the template that puts one component in a partial
// outage, and previews it; then a customer (no session) opens the public page and sees the incident,
// the component's status and the overall status, also with JavaScript off, on a 390 px phone with
// nothing to scroll sideways, and in dark mode. The screenshots are kept in docs/screenshots.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  claimFirstAdmin,
  describeInBrowser,
  launchBrowser,
  openPage,
  SCREENSHOTS,
  startConsoleFirebreak,
} from "./browser-kit.js";

const ADMIN = { email: "grace@example.com", name: "Grace Hopper", password: "nanoseconds are 30 cm" };
const TITLE = "Acme Cloud";
const SLUG = "acme-cloud";
const SERVICE = "Checkout API";
const LINKED = "Checkout";
const OTHER = "Dashboard";
const INCIDENT = "Checkout fails for some customers";
const OVERALL = "Partial System Outage";
const MAINTENANCE = "Database upgrade";
const ZONE = "Europe/Berlin";

const CUSTOMER: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: "en-GB" };

describeInBrowser("console and public status page (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const pageErrors: string[] = [];
  const publicUrl = () => `${baseUrl}/status/${SLUG}`;

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());

    await apiCreator(baseUrl, await fb.apiKey("admin"))("/api/v1/services", { name: SERVICE });

    browser = await launchBrowser();
    page = await openPage(browser, { ...CUSTOMER, colorScheme: "light" }, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("creates a status page from the console", async () => {
    await claimFirstAdmin(page, fb, ADMIN);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Status pages" }).click();
    await page.getByRole("heading", { level: 1, name: "Status pages" }).waitFor();
    await page.getByText("No status page yet.").waitFor();
    await page.getByLabel("Title", { exact: true }).fill(TITLE);
    assert.equal(
      await page.getByLabel("Slug", { exact: true }).inputValue(),
      SLUG,
      "the slug follows the title",
    );
    await page.getByLabel("Time zone", { exact: true }).fill(ZONE);
    await page.getByRole("button", { name: "Create status page" }).click();

    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    await page.getByText("No components yet.").waitFor();
    const customersSee = page.getByRole("link", { name: new RegExp(`/status/${SLUG}`) }).first();
    assert.equal(await customersSee.getAttribute("target"), "_blank");
  });

  it("adds two components, one linked to a service", async () => {
    const form = page.getByRole("form", { name: "Add a component" });
    await form.getByLabel("Component name").fill(LINKED);
    await form.getByLabel("Description").fill("Paying for orders");
    await form.getByRole("checkbox", { name: SERVICE }).check();
    await form.getByRole("button", { name: "Add component" }).click();
    await page.getByRole("status").getByText(`${LINKED} added.`).waitFor();

    await form.getByLabel("Component name").fill(OTHER);
    await form.getByRole("button", { name: "Add component" }).click();
    await page.getByRole("status").getByText(`${OTHER} added.`).waitFor();

    const items = page.getByRole("list", { name: "Components" }).getByRole("listitem");
    await items.filter({ hasText: LINKED }).getByText(`Linked to ${SERVICE}.`).waitFor();
    await items.filter({ hasText: OTHER }).getByText("Not linked to a service.").waitFor();
    assert.deepEqual(await items.locator("h4").allTextContents(), [LINKED, OTHER]);

    // Order: Dashboard up, then back down, as customers will see it.
    await page.getByRole("button", { name: `Move up ${OTHER}` }).click();
    await page.getByRole("status").getByText("Order saved.").waitFor();
    await firstComponentIs(page, OTHER);
    await page.getByRole("button", { name: `Move down ${OTHER}` }).click();
    await firstComponentIs(page, LINKED);
    await items.filter({ hasText: LINKED }).getByText("Operational").waitFor();
  });

  it("posts a status incident from the template: Checkout in a partial outage", async () => {
    await page
      .getByRole("navigation", { name: "Status page" })
      .getByRole("link", { name: "Incidents" })
      .click();
    await page.getByText("No open incident").waitFor();
    const form = page.getByRole("form", { name: "Post an incident" });
    await form.getByLabel("Incident name").fill(INCIDENT);
    await form.getByRole("checkbox", { name: LINKED }).check();
    assert.equal(await form.getByLabel("Affected components show").inputValue(), "partial_outage");
    assert.equal(await form.getByLabel("Impact").inputValue(), "major");
    await form.getByLabel("Template").selectOption("outage");
    await form.getByRole("button", { name: "Fill the message from the template" }).click();
    const message = form.getByLabel("Message");
    await page.waitForFunction("document.getElementById('new-incident-body')?.value !== ''");
    assert.match(await message.inputValue(), /^We are investigating an outage affecting Checkout\./);
    await form.getByRole("button", { name: "Post incident" }).click();

    await page.getByRole("heading", { level: 2, name: INCIDENT }).waitFor();
    await page.getByText("Posted: customers see it on the page now.").waitFor();
    await page.getByText(`${LINKED} (partial outage)`).waitFor();
    const updates = page.getByRole("list", { name: "Updates" }).getByRole("listitem");
    await updates.getByText(/^We are investigating an outage affecting Checkout\./).waitFor();
    await updates.getByText("Investigating", { exact: true }).waitFor();
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: path.join(SCREENSHOTS, "status-page-console.png"), fullPage: true });

    await page
      .getByRole("navigation", { name: "Status page" })
      .getByRole("link", { name: "Components" })
      .click();
    const items = page.getByRole("list", { name: "Components" }).getByRole("listitem");
    await items.filter({ hasText: LINKED }).getByText("Partial outage").waitFor();
    await items.filter({ hasText: OTHER }).getByText("Operational").waitFor();
  });

  it("previews the page as customers see it", async () => {
    await page
      .getByRole("navigation", { name: "Status page" })
      .getByRole("link", { name: "Preview" })
      .click();
    const frame = page.frameLocator(`iframe[title="${TITLE} as customers see it"]`);
    await frame.getByText(INCIDENT).first().waitFor();
    await frame.getByText(OVERALL).first().waitFor();
    assert.deepEqual(pageErrors, [], "no uncaught errors in the console");
  });

  it("shows a customer the incident, the component's status and the overall status", async () => {
    const context = await browser.newContext({ ...CUSTOMER, colorScheme: "light" });
    try {
      const tab = await context.newPage();
      const res = await tab.goto(publicUrl());
      assert.equal(res?.status(), 200);
      await checkPublicPage(tab);
      await tab.screenshot({ path: path.join(SCREENSHOTS, "status-page.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it("works with JavaScript off", async () => {
    const context = await browser.newContext({ ...CUSTOMER, javaScriptEnabled: false });
    try {
      const tab = await context.newPage();
      await tab.goto(publicUrl());
      await checkPublicPage(tab);
    } finally {
      await context.close();
    }
  });

  it("fits a 390 px phone with nothing to scroll sideways", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      locale: "en-GB",
    });
    try {
      const tab = await context.newPage();
      await tab.goto(publicUrl());
      await checkPublicPage(tab);
      assert.ok(
        await tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"),
        "no sideways scrolling",
      );
    } finally {
      await context.close();
    }
  });

  it("follows the reader's dark mode", async () => {
    const context = await browser.newContext({ ...CUSTOMER, colorScheme: "dark" });
    try {
      const tab = await context.newPage();
      await tab.goto(publicUrl());
      await checkPublicPage(tab);
      const background = await tab.evaluate("getComputedStyle(document.body).backgroundColor");
      assert.ok(isDark(String(background)), `a dark background, got ${String(background)}`);
      await tab.screenshot({ path: path.join(SCREENSHOTS, "status-page-dark.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it("schedules maintenance running now, posts an update, and moves it to verifying and completed", async () => {
    const tabs = page.getByRole("navigation", { name: "Status page" });
    await tabs.getByRole("link", { name: "Maintenance" }).click();
    const form = page.getByRole("form", { name: "Schedule maintenance" });
    await form.getByLabel("Maintenance name").fill(MAINTENANCE);
    await form.getByLabel("Starts").fill(localInput(Date.now() - 5 * 60_000, ZONE));
    await form.getByLabel("Ends").fill(localInput(Date.now() + 2 * 3_600_000, ZONE));
    await form.getByRole("checkbox", { name: OTHER }).check();
    await form.getByLabel("Message").fill("The dashboard may be read-only for a few minutes.");
    await form.getByRole("button", { name: "Schedule maintenance" }).click();
    await page.getByRole("status").getByText(`Scheduled: ${MAINTENANCE}.`).waitFor();

    const running = page.getByRole("list", { name: "Scheduled and in progress" }).getByRole("listitem");
    const item = running.filter({ has: page.getByRole("heading", { name: MAINTENANCE }) });
    await item.locator(".status-phase").first().getByText("In progress").waitFor();
    await item.getByLabel("Update", { exact: true }).fill("Halfway there.");
    await item.getByRole("button", { name: `Post update on ${MAINTENANCE}` }).click();
    await page.getByRole("status").getByText("Update posted.").waitFor();
    await item.getByText("Halfway there.").waitFor();

    await tabs.getByRole("link", { name: "Components" }).click();
    const components = page.getByRole("list", { name: "Components" }).getByRole("listitem");
    await components.filter({ hasText: OTHER }).getByText("Under maintenance").waitFor();

    await tabs.getByRole("link", { name: "Maintenance" }).click();
    await page.getByRole("button", { name: `Mark as verifying ${MAINTENANCE}` }).click();
    await item.locator(".status-phase").first().getByText("Verifying").waitFor();
    await page.getByRole("button", { name: `Complete now ${MAINTENANCE}` }).click();
    const completed = page.getByRole("list", { name: "Completed maintenance" });
    await completed.getByRole("heading", { name: MAINTENANCE }).waitFor();
  });

  it("resolves the incident from the template, and customers see all systems operational", async () => {
    await page
      .getByRole("navigation", { name: "Status page" })
      .getByRole("link", { name: "Incidents" })
      .click();
    await page.getByRole("list", { name: "Open incidents" }).getByRole("link", { name: INCIDENT }).click();
    const form = page.getByRole("form", { name: "Post an update" });
    await form.getByLabel("Status", { exact: true }).selectOption("resolved");
    await form.getByRole("button", { name: "Fill the message from the template" }).click();
    await page.waitForFunction(
      "/^The outage affecting Checkout is resolved/.test(document.getElementById('update-body')?.value ?? '')",
    );
    await form.getByRole("button", { name: "Post and resolve" }).click();
    await page.getByText("Resolved: customers see it as resolved.").waitFor();

    const context = await browser.newContext(CUSTOMER);
    try {
      const tab = await context.newPage();
      await tab.goto(publicUrl());
      await tab.getByRole("heading", { level: 1, name: "All Systems Operational" }).waitFor();
      await tab
        .getByRole("region", { name: /^Past incidents/ })
        .getByRole("heading", { name: INCIDENT })
        .waitFor();
    } finally {
      await context.close();
    }
  });

  it("makes the page private: strangers get 404, and the secret link opens it", async () => {
    await page
      .getByRole("navigation", { name: "Status page" })
      .getByRole("link", { name: "Settings" })
      .click();
    await page.getByRole("checkbox", { name: /^Private/ }).check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText(/^Saved\. The page is private now/).waitFor();

    const context = await browser.newContext(CUSTOMER);
    try {
      const tab = await context.newPage();
      assert.equal((await tab.goto(publicUrl()))?.status(), 404, "a stranger does not see a private page");

      await page.getByRole("button", { name: "Rotate the secret link" }).click();
      const dialog = page.getByRole("dialog", { name: "Rotate the secret link?" });
      await dialog.getByRole("button", { name: "Rotate" }).click();
      await dialog.waitFor({ state: "hidden" });
      const shown = page
        .getByRole("region", { name: "Secret link" })
        .getByLabel("Secret link", { exact: true });
      const secret = ((await shown.textContent()) ?? "").trim();
      assert.match(secret, new RegExp(`/status/${SLUG}\\?token=.+`));

      assert.equal((await tab.goto(secret))?.status(), 200, "the secret link opens it");
      await tab.getByRole("heading", { level: 1, name: "All Systems Operational" }).waitFor();
    } finally {
      await context.close();
    }
    assert.deepEqual(pageErrors, [], "no uncaught errors in the console");
  });
});

/** "YYYY-MM-DDTHH:MM" at `ms` in `zone`, as a datetime-local field takes it. */
function localInput(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}`;
}

/** What a customer must see during the incident, whatever the browser. */
async function checkPublicPage(tab: Page): Promise<void> {
  await tab.getByRole("link", { name: `${TITLE} status` }).waitFor();
  await tab.getByRole("heading", { level: 1, name: OVERALL }).waitFor();

  const active = tab.getByRole("region", { name: "Active incidents" });
  await active.getByRole("heading", { name: INCIDENT }).waitFor();
  await active.getByText(/^We are investigating an outage affecting Checkout\./).waitFor();
  await active.getByText(`Affects ${LINKED}`, { exact: false }).waitFor();

  const components = tab.getByRole("region", { name: "Components" });
  const component = (name: string) =>
    components.getByRole("listitem").filter({ has: tab.getByRole("heading", { name, exact: true }) });
  assert.equal(await component(LINKED).locator(".st").textContent(), "Partial outage");
  assert.equal(await component(OTHER).locator(".st").textContent(), "Operational");
  // Made minutes ago: no uptime percentage over those minutes under the 90 days' bars, only since when
  // it is tracked; today's bar shows the outage, lightly: it has lasted seconds (uptime-day.ts).
  for (const name of [LINKED, OTHER])
    assert.match(
      (await component(name).locator(".scale .pct").textContent()) ?? "",
      /^Tracked since \d{1,2} \w+ \d{4}, \d\d:\d\d \S+$/,
    );
  assert.equal(await component(LINKED).locator(".bars i").last().getAttribute("class"), "b-minor");
}

/** Waits until `name` heads the console's list of components. */
const firstComponentIs = (page: Page, name: string) =>
  page.waitForFunction(
    `document.querySelector("[aria-label='Components'] h4")?.textContent === ${JSON.stringify(name)}`,
  );

/** An `rgb(r, g, b)` colour darker than mid-grey. */
function isDark(color: string): boolean {
  const [r = 255, g = 255, b = 255] = (color.match(/\d+/g) ?? []).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
}
