// The console and the status page around resolving: a public update for a service no status page
// shows is refused where it was posted (and the reminder banner stays); once a component is linked
// it posts, the Resolve dialog says the status page's incident is resolved too, and it is; a resolved
// incident says what a new alert does by its service's reopen window.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import { waitFor } from "../support/wait-for.js";
import {
  apiCreator,
  claimFirstAdmin,
  describeInBrowser,
  launchBrowser,
  openPage,
  startConsoleFirebreak,
} from "./browser-kit.js";

const ADMIN = { email: "grace@example.com", name: "Grace Hopper", password: "nanoseconds 1906 cobol" };

describeInBrowser("console: resolving with the status page (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let post: ReturnType<typeof apiCreator>;
  let adminKey = "";
  let searchId = "";
  let statusPageId = "";
  let searchIncident = 0;
  let checkoutIncident = 0;
  const pageErrors: string[] = [];
  const unresolved = async () =>
    (
      (await (await fetch(`${baseUrl}/status/acme/api/v2/incidents/unresolved.json`)).json()) as {
        incidents: Array<{ name: string; status: string }>;
      }
    ).incidents;

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    post = apiCreator(baseUrl, adminKey);
    searchId = (await post("/api/v1/services", { name: "search" })).id;
    const checkout = await post("/api/v1/services", { name: "checkout", reopenWindowMinutes: 30 });
    statusPageId = (await post("/api/v1/status-pages", { slug: "acme", title: "Acme" })).id;
    searchIncident = (await post("/api/v1/incidents", { service: searchId, summary: "Search returns 500" }))
      .number!;
    // Checkout's incident comes from monitoring (a hand page has no sender to alert again).
    const hook = await post(`/api/v1/services/${checkout.id}/integrations`, { kind: "webhook" });
    const sent = await fetch((hook as unknown as { url: string }).url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ summary: "Checkout is slow" }),
    });
    assert.ok(sent.ok, await sent.text());
    const listed = await fetch(`${baseUrl}/api/v1/incidents?service=${checkout.id}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    checkoutIncident = ((await listed.json()) as Array<{ number: number }>)[0]!.number;
    const resolved = await fetch(`${baseUrl}/api/v1/incidents/${checkoutIncident}/resolve`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}` },
    });
    assert.equal(resolved.status, 200, await resolved.text());

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("refuses a public update no status page would show, where it was posted, and keeps the reminder", async () => {
    await claimFirstAdmin(page, fb, ADMIN);
    await page.goto(`${baseUrl}/incidents/${searchIncident}`);
    await page.getByRole("button", { name: "Acknowledge", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: /^Triage INC-/ });
    await dialog.getByRole("radio", { name: /^SEV1 · Critical/ }).check();
    await dialog.getByRole("radio", { name: /^Outage/ }).check();
    await dialog.getByRole("button", { name: "Save triage" }).click();
    await dialog.waitFor({ state: "hidden" });

    const form = page.getByRole("form", { name: "Public update" });
    await form.getByRole("button", { name: "Post public update" }).click();
    await form
      .getByRole("alert")
      .getByText(
        'No status page shows service "search": link a component to it (in Status pages → Components), then post the update again.',
      )
      .waitFor();
    assert.equal(await form.getByText(/^Public update posted/).count(), 0);
    await page.locator(".war-banner", { hasText: "A public update is required for an outage" }).waitFor();
    assert.deepEqual(await unresolved(), []);
  });

  it("posts once a component shows the service; Resolve says the status page's incident is resolved too", async () => {
    await post(`/api/v1/status-pages/${statusPageId}/components`, { name: "Search", serviceIds: [searchId] });
    const form = page.getByRole("form", { name: "Public update" });
    await form.getByRole("button", { name: "Post public update" }).click();
    await form.getByText("Public update posted (investigating).").waitFor();
    await waitFor(async () => (await unresolved()).length === 1, { what: "the update on the status page" });

    await page.getByRole("button", { name: "Resolve", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: `Resolve INC-${searchIncident}?` });
    await confirm.getByText("The status page's incident is marked resolved too (Acme).").waitFor();
    await confirm.getByRole("button", { name: "Resolve", exact: true }).click();
    await confirm.waitFor({ state: "hidden" });

    await page
      .getByText("This incident is resolved. It was opened by hand: if the problem comes back, reopen it.")
      .waitFor();
    await waitFor(async () => (await unresolved()).length === 0, {
      what: "the status page's incident resolved",
    });
    await page.reload();
    await page
      .locator(".timeline")
      .getByText("Status page Acme updated: “Search: Outage” is marked resolved")
      .waitFor();
  });

  it("names the reopen window of a service that has one", async () => {
    await page.goto(`${baseUrl}/incidents/${checkoutIncident}`);
    const note = page.getByText(/^This incident is resolved\. A new alert for it until /);
    await note.waitFor();
    assert.match(
      (await note.textContent()) ?? "",
      /reopens it \(the service's reopen window is 30 min\); after that, one opens a new incident\.$/,
    );
    assert.deepEqual(pageErrors, []);
  });
});
