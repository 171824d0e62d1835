// What a new admin is led to on a first run, in a real browser: the menu's Teams opens the teams
// page (no placeholder hides it, and the old /team address leads there), Home's "Create a service"
// step is done only once a service both has an enabled integration and pages someone (from the
// service list's counts alone), and creating a service preselects the only policy but makes the
// admin choose among several, None worded alike there and in the service's settings.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  describeInBrowser,
  launchBrowser,
  openPage,
  SCREENSHOTS,
  signInAt,
  startConsoleFirebreak,
} from "./browser-kit.js";

const shot = (name: string) => path.join(SCREENSHOTS, `first-run-${name}.png`);

describeInBrowser("console: first-run guidance (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey = "";
  let adminId = "";
  let checkoutId = "";
  let primaryId = "";
  const pageErrors: string[] = [];
  const post = (url: string, body: unknown) => apiCreator(baseUrl, adminKey)(url, body);
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const policy = (name: string) =>
    post("/api/v1/escalation-policies", {
      name,
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adminId }] }],
      repeatCount: 0,
    });
  const nav = () => page.getByRole("navigation", { name: "Main" });
  const serviceStep = () =>
    page
      .getByRole("region", { name: "Getting started" })
      .getByRole("listitem")
      .filter({ hasText: "Create a service and connect your monitoring" });

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    const admin = await fb.user("admin", "grace@example.com");
    adminId = admin.id;
    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await signInAt(page, `${baseUrl}/`, admin);
    await page.getByRole("heading", { level: 1, name: /^Welcome, / }).waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("leads the menu's Teams to the teams page, and no entry to a placeholder named like it", async () => {
    assert.equal(await nav().locator('a[href="/team"]').count(), 0, "no entry leads to the old placeholder");
    await nav().getByRole("link", { name: "Teams", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Teams" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/settings/teams");
    await page.getByRole("heading", { name: "Create a team" }).waitFor();
    // One entry is the current page: Teams, not Settings as well.
    const current = nav().locator('[aria-current="page"]');
    assert.deepEqual(await current.allTextContents(), ["Teams"]);
    await page.screenshot({ path: shot("nav-teams") });

    // The placeholder that was "Team" says what it is and where its parts already are.
    await nav()
      .getByRole("link", { name: /^Team health/ })
      .click();
    await page.getByRole("heading", { level: 1, name: "Team health" }).waitFor();
    await page.getByRole("link", { name: "Overdue follow-ups" }).waitFor();
    await page.getByRole("link", { name: /Directory: teams/ }).waitFor();
    await page.screenshot({ path: shot("team-health"), fullPage: true });
  });

  it("keeps Teams out of a viewer's menu, where it would open a page they may not see", async () => {
    const viewer = await fb.user("viewer", "vera@example.com");
    const tab = await openPage(browser, { viewport: { width: 1280, height: 800 } }, pageErrors);
    await signInAt(tab, `${baseUrl}/`, viewer);
    const menu = tab.getByRole("navigation", { name: "Main" });
    await menu.getByRole("link", { name: "Directory" }).waitFor();
    assert.equal(await menu.getByRole("link", { name: "Teams", exact: true }).count(), 0);
    await tab.context().close();
  });

  it("offers “None yet” and a link to create a policy while there is none", async () => {
    await page.goto(`${baseUrl}/services`);
    const select = page.getByLabel("Escalation policy", { exact: true });
    await select.locator("option", { hasText: "None yet (nobody is paged)" }).waitFor({ state: "attached" });
    await page.getByRole("link", { name: "create an escalation policy" }).waitFor();
  });

  it("does not tick “Create a service” for a service that pages nobody and takes no alerts", async () => {
    checkoutId = (await post("/api/v1/services", { name: "Checkout" })).id;
    await page.goto(`${baseUrl}/`);
    const step = serviceStep();
    await step.getByText("Checkout pages nobody: choose an escalation policy.").waitFor();
    await step.getByText("Checkout has no integration yet: connect your monitoring.").waitFor();
    await step.getByText("To do:").waitFor({ state: "attached" });
    assert.equal(await step.getByText("Done:").count(), 0);
    await step.getByRole("link", { name: "Checkout" }).first().waitFor();
    await page.screenshot({ path: shot("home-not-done"), fullPage: true });

    // A policy alone is not enough: the monitoring is still not connected.
    primaryId = (await policy("Primary on-call")).id;
    await call("PATCH", `/api/v1/services/${checkoutId}`, { escalationPolicyId: primaryId });
    await page.reload();
    await step.getByText("Checkout has no integration yet: connect your monitoring.").waitFor();
    assert.equal(await step.getByText(/pages nobody/).count(), 0);
    assert.equal(await step.getByText("Done:").count(), 0);
  });

  it("ticks it once a service has an escalation policy and an integration", async () => {
    const integration = await post(`/api/v1/services/${checkoutId}/integrations`, { kind: "alertmanager" });
    // The service list carries the counts: Home reads no service's integrations one by one.
    const integrationReads: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (/\/api\/v1\/services\/[^/]+\/integrations/.test(request.url()))
        integrationReads.push(request.url());
    };
    page.on("request", onRequest);
    await call("POST", `/api/v1/integrations/${integration.id}/disable`);
    await page.reload();
    const step = serviceStep();
    await step.getByText("Checkout takes no alerts: its integrations are disabled, enable one.").waitFor();
    assert.equal(await step.getByText("Done:").count(), 0);

    await call("POST", `/api/v1/integrations/${integration.id}/enable`);
    await page.reload();
    await step.getByText("Done:").waitFor({ state: "attached" });
    await step.getByText(/Checkout takes alerts and pages its escalation policy/).waitFor();
    assert.equal(await step.getByText(/no integration yet/).count(), 0);
    page.off("request", onRequest);
    assert.deepEqual(integrationReads, []);
    await page.screenshot({ path: shot("home-done"), fullPage: true });
  });

  it("preselects the only escalation policy when creating a service", async () => {
    await nav().getByRole("link", { name: "Services" }).click();
    const select = page.getByLabel("Escalation policy", { exact: true });
    await select.locator("option", { hasText: "Primary on-call" }).waitFor({ state: "attached" });
    assert.equal(await select.inputValue(), primaryId);
    await page.screenshot({ path: shot("services-one-policy") });

    await page.getByLabel("Name", { exact: true }).fill("Search");
    await page.getByRole("button", { name: "Create service" }).click();
    await page.getByRole("heading", { level: 1, name: "Search" }).waitFor();
    const services = await call<Array<{ name: string; escalationPolicyId: string | null }>>(
      "GET",
      "/api/v1/services",
    );
    assert.equal(services.find((s) => s.name === "Search")?.escalationPolicyId, primaryId);
  });

  it("makes the admin choose among several policies, None included", async () => {
    await policy("Database on-call");
    await page.goto(`${baseUrl}/services`);
    const select = page.getByLabel("Escalation policy", { exact: true });
    await select.locator("option", { hasText: "Database on-call" }).waitFor({ state: "attached" });
    assert.equal(await select.inputValue(), "");
    assert.deepEqual(await select.locator("option").allTextContents(), [
      "Choose a policy…",
      "Database on-call",
      "Primary on-call",
      "None (nobody is paged)",
    ]);
    await page.getByText("Choose who is paged when it breaks, or None to page nobody for now.").waitFor();

    await page.getByLabel("Name", { exact: true }).fill("Reports");
    await page.getByRole("button", { name: "Create service" }).click();
    await page
      .getByText("Escalation policy is not chosen: pick the policy that pages for it, or None.")
      .waitFor();
    assert.equal(await select.getAttribute("aria-invalid"), "true");
    await page.screenshot({ path: shot("services-choose-policy") });

    await select.selectOption({ label: "None (nobody is paged)" });
    await page.getByRole("button", { name: "Create service" }).click();
    await page.getByRole("heading", { level: 1, name: "Reports" }).waitFor();
    const services = await call<Array<{ name: string; escalationPolicyId: string | null }>>(
      "GET",
      "/api/v1/services",
    );
    assert.equal(services.find((s) => s.name === "Reports")?.escalationPolicyId, null);
  });

  it("offers None in a service's settings in the create form's words, after the policies", async () => {
    // On Reports' page, just created with None.
    const settings = page.getByRole("region", { name: "Settings" });
    const select = settings.getByLabel("Escalation policy", { exact: true });
    await select.locator("option", { hasText: "Primary on-call" }).waitFor({ state: "attached" });
    assert.deepEqual(await select.locator("option").allTextContents(), [
      "Database on-call",
      "Primary on-call",
      "None (nobody is paged)",
    ]);
    assert.equal(await select.locator("option:checked").textContent(), "None (nobody is paged)");

    await select.selectOption({ label: "Primary on-call" });
    await settings.getByRole("button", { name: "Save settings" }).click();
    await settings.getByText("Saved.").waitFor();
    await select.selectOption({ label: "None (nobody is paged)" });
    await settings.getByRole("button", { name: "Save settings" }).click();
    await settings.getByText("Saved.").waitFor();
    const services = await call<Array<{ name: string; escalationPolicyId: string | null }>>(
      "GET",
      "/api/v1/services",
    );
    assert.equal(services.find((s) => s.name === "Reports")?.escalationPolicyId, null);
  });

  it("takes the old /team address to the Teams page, in its place in the history", async () => {
    await page.goto(`${baseUrl}/services`);
    await page.getByRole("heading", { level: 1, name: "Services" }).waitFor();
    await page.goto(`${baseUrl}/team`);
    await page.getByRole("heading", { level: 1, name: "Teams" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/settings/teams");
    assert.equal(await page.getByRole("heading", { name: /not found/i }).count(), 0);
    // Back goes where the person was before, not to /team and its redirect again.
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "Services" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/services");
    assert.deepEqual(pageErrors, []);
  });
});
