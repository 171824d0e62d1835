// A team manager in the console, in a real browser: a responder who manages Payments changes a
// Payments service (settings, integrations, maintenance) and only reads a Storage service.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  describeInBrowser,
  launchBrowser,
  openPage,
  signInAt,
  startConsoleFirebreak,
} from "./browser-kit.js";

describeInBrowser("console: a team manager changes their team's services only (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey = "";
  const ids = { payments: "", storage: "", checkout: "", disks: "" };
  const pageErrors: string[] = [];

  const getJson = async <T>(url: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${adminKey}` } });
    assert.equal(res.status, 200, url);
    return (await res.json()) as T;
  };

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    ids.payments = (await post("/api/v1/teams", { name: "Payments" })).id;
    ids.storage = (await post("/api/v1/teams", { name: "Storage" })).id;
    ids.checkout = (await post("/api/v1/services", { name: "checkout", teamId: ids.payments })).id;
    ids.disks = (await post("/api/v1/services", { name: "disks", teamId: ids.storage })).id;
    const rosa = await fb.user("responder", "rosa@example.com");
    const made = await fetch(`${baseUrl}/api/v1/teams/${ids.payments}/members/${rosa.id}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ role: "manager" }),
    });
    assert.equal(made.status, 200);

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await signInAt(page, `${baseUrl}/services/${ids.checkout}`, rosa);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("edits a Payments service: its settings, and it may add integrations and maintenance windows", async () => {
    await page.getByRole("heading", { level: 1, name: "checkout" }).waitFor();
    await page.getByRole("heading", { name: "Add an integration" }).waitFor();
    await page.getByRole("heading", { name: "Add a maintenance window" }).waitFor();
    // A manager may move it only among the teams they manage, never to no team.
    const team = page.getByLabel("Team", { exact: true });
    assert.deepEqual(await team.locator("option").allTextContents(), ["Payments"]);

    await page.getByLabel("Description").fill("Takes the money");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").getByText("Saved.").waitFor();
    const saved = await getJson<{ description: string }>(`/api/v1/services/${ids.checkout}`);
    assert.equal(saved.description, "Takes the money");
    // Deleting a service stays with admins.
    assert.equal(await page.getByRole("button", { name: "Delete checkout" }).count(), 0);
  });

  it("reads a Storage service without a control to change it", async () => {
    await page.goto(`${baseUrl}/services/${ids.disks}`);
    await page.getByRole("heading", { level: 1, name: "disks" }).waitFor();
    await page.getByRole("heading", { name: "Settings" }).waitFor();
    await page.getByText("Storage", { exact: true }).waitFor();
    for (const control of [
      page.getByRole("button", { name: "Save settings" }),
      page.getByRole("heading", { name: "Add an integration" }),
      page.getByRole("heading", { name: "Add a maintenance window" }),
      page.getByLabel("Description"),
    ])
      assert.equal(await control.count(), 0);
  });

  it("creates services only for Payments", async () => {
    await page.goto(`${baseUrl}/services`);
    await page.getByRole("heading", { name: "Create a service" }).waitFor();
    const team = page.getByLabel("Team", { exact: true });
    assert.deepEqual(await team.locator("option").allTextContents(), ["Payments"]);
    await page.getByLabel("Name", { exact: true }).fill("refunds");
    await page.getByRole("button", { name: "Create service" }).click();
    await page.getByRole("heading", { level: 1, name: "refunds" }).waitFor();
    const services = await getJson<Array<{ name: string; teamId: string | null }>>("/api/v1/services");
    assert.equal(services.find((s) => s.name === "refunds")?.teamId, ids.payments);
    assert.deepEqual(pageErrors, []);
  });
});
