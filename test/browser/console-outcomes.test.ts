// What the console says matches what it shows, in a real browser: the incident list's service filter
// names an unknown service from the URL instead of reading "All services"; a late answer to a filter
// the user already left does not replace the list; "Page someone" sends the service its dropdown
// shows; and a failed add replaces the last "Added …".
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  claimFirstAdmin,
  describeInBrowser,
  launchBrowser,
  openPage,
  startConsoleFirebreak,
} from "./browser-kit.js";

const ADMIN = { email: "barbara@example.com", name: "Barbara Liskov", password: "substitution 1987" };
const CHECKOUT_DOWN = "Checkout returns 503";
const SEARCH_SLOW = "Search takes 9 seconds";

describeInBrowser("console: outcomes match what is shown (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let checkoutId = "";
  let searchId = "";
  let adminKey = "";
  const pageErrors: string[] = [];
  const serviceFilter = () => page.locator(".toolbar").getByLabel("Service", { exact: true });
  const serviceOption = (name: string) => serviceFilter().locator("option", { hasText: name });
  const checkedService = () => serviceFilter().locator("option:checked").textContent();
  const row = (title: string) => page.getByRole("row", { name: new RegExp(title) });

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    checkoutId = (await post("/api/v1/services", { name: "Checkout API" })).id;
    searchId = (await post("/api/v1/services", { name: "Search API" })).id;
    await post("/api/v1/incidents", { service: checkoutId, summary: CHECKOUT_DOWN });
    await post("/api/v1/incidents", { service: searchId, summary: SEARCH_SLOW });

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 800 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await claimFirstAdmin(page, fb, ADMIN);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("names an unknown service from the URL in the filter, not “All services”", async () => {
    await page.goto(`${baseUrl}/incidents?service=nope`);
    await page.getByText(/^Could not load incidents:/).waitFor();
    await serviceOption("Search API").waitFor({ state: "attached" });
    assert.equal(await checkedService(), "Unknown service “nope”");
    assert.equal(await serviceFilter().inputValue(), "nope");

    // The server also takes a service's exact name; the filter shows that service.
    await page.goto(`${baseUrl}/incidents?service=${encodeURIComponent("Search API")}`);
    await row(SEARCH_SLOW).waitFor();
    await serviceOption("Search API").waitFor({ state: "attached" });
    assert.equal(await checkedService(), "Search API");
    assert.equal(await row(CHECKOUT_DOWN).count(), 0);

    await serviceFilter().selectOption({ label: "All services" });
    await row(CHECKOUT_DOWN).waitFor();
    await row(SEARCH_SLOW).waitFor();
    assert.equal(new URL(page.url()).search, "");
  });

  it("“Page someone” pages the service its dropdown shows, whatever the URL's filter", async () => {
    const pageFrom = async (filter: string, summary: string, shown: string, pick?: string) => {
      await page.goto(`${baseUrl}/incidents?service=${encodeURIComponent(filter)}`);
      await serviceOption("Search API").waitFor({ state: "attached" });
      await page.getByRole("button", { name: "Page someone" }).click();
      const dialog = page.getByRole("dialog", { name: "Page someone" });
      assert.equal(await dialog.getByLabel("Service").locator("option:checked").textContent(), shown);
      if (pick) await dialog.getByLabel("Service").selectOption({ label: pick });
      await dialog.getByLabel("What is wrong").fill(summary);
      await dialog.getByRole("button", { name: "Page now" }).click();
      // These services have no policy: the dialog says nobody was paged, then opens the incident.
      await dialog.getByText(/is open, but nobody was paged/).waitFor();
      await dialog.getByRole("button", { name: /^Open INC-\d+$/ }).click();
      await page.getByRole("heading", { level: 1, name: summary }).waitFor();
      const res = await fetch(`${baseUrl}/api/v1/incidents?state=triggered`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      const listed = (await res.json()) as Array<{ title: string; serviceId: string }>;
      return listed.find((i) => i.title === summary)?.serviceId;
    };
    // A filter by name preselects that service; an unknown one preselects nothing: the person chooses.
    assert.equal(await pageFrom("Search API", "Search index is stale", "Search API"), searchId);
    assert.equal(
      await pageFrom("nope", "Checkout double-charges", "Choose a service…", "Checkout API"),
      checkoutId,
    );
  });

  it("ignores a late answer for a filter the user already left", async () => {
    await page.goto(`${baseUrl}/incidents`);
    await page.getByText(/^Live:/).waitFor();
    await row(CHECKOUT_DOWN).waitFor();

    // Holds the first answer for Checkout API until Search API's list is on the page.
    const forCheckout = (url: URL) =>
      url.pathname === "/api/v1/incidents" && url.searchParams.get("service") === checkoutId;
    let heldUrl = "";
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let fetched = () => {};
    const held = new Promise<void>((resolve) => (fetched = resolve));
    await page.route(forCheckout, async (route) => {
      if (heldUrl) return route.continue();
      heldUrl = route.request().url();
      const response = await route.fetch();
      fetched();
      await released;
      await route.fulfill({ response });
    });

    await serviceFilter().selectOption({ label: "Checkout API" });
    await held;
    await serviceFilter().selectOption({ label: "Search API" });
    await row(CHECKOUT_DOWN).waitFor({ state: "detached" });
    await row(SEARCH_SLOW).waitFor();

    const lateAnswer = page.waitForResponse((response) => response.url() === heldUrl);
    release();
    await lateAnswer;
    // A grace period for the stale answer to reach the page, were it not ignored.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await row(CHECKOUT_DOWN).count(), 0, "the list still shows Search API's incidents");
    assert.equal(await row(SEARCH_SLOW).count(), 1);
    assert.equal(await serviceFilter().inputValue(), searchId);
    await page.unroute(forCheckout);
  });

  it("a failed add replaces the last “Added …” on Notifications", async () => {
    await page.goto(`${baseUrl}/settings/notifications`);
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    await page.getByLabel("Kind", { exact: true }).selectOption("webhook");
    await page.getByLabel("Label", { exact: true }).fill("Pager");
    await page.getByLabel("Webhook URL", { exact: true }).fill("http://127.0.0.1:9/pager");
    await page.getByRole("button", { name: "Add contact method" }).click();
    await page.getByText("Added “Pager”. Send yourself a test notification.").waitFor();

    // Nothing filled in this time: the form's error is the only outcome shown.
    await page.getByRole("button", { name: "Add contact method" }).click();
    await page.locator("form[aria-labelledby=add-method]").getByRole("alert").waitFor();
    assert.equal(await page.getByText(/^Added “Pager”/).count(), 0, "the old success is gone");
  });

  it("a failed add replaces the last “Added …” on a service's integrations", async () => {
    await page.goto(`${baseUrl}/services/${checkoutId}`);
    await page.getByRole("heading", { level: 1, name: "Checkout API" }).waitFor();
    await page.getByLabel("Sends from").selectOption("alertmanager");
    await page.getByLabel("Name", { exact: true }).first().fill("prod Alertmanager");
    await page.getByRole("button", { name: "Add integration" }).click();
    await page.getByText("Added prod Alertmanager.").waitFor();

    await page.getByLabel("Sends from").selectOption("heartbeat");
    await page.getByLabel("Check-in every (seconds)").fill("0");
    await page.getByRole("button", { name: "Add integration" }).click();
    await page.locator("form[aria-labelledby=add-integration]").getByRole("alert").waitFor();
    assert.equal(await page.getByText("Added prod Alertmanager.").count(), 0, "the old success is gone");
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});
