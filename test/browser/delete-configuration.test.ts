// Deleting configuration from the console, in a real browser: a service with an unresolved incident
// is kept and the dialog says why in the server's words; resolved, it goes and the list says so.
// Paging by hand leaves no integration on the service's page that the user never made.
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

const ADMIN = { email: "frances@example.com", name: "Frances Allen", password: "optimizing compilers 1966" };

describeInBrowser("console: deleting a service (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey = "";
  let serviceId = "";
  let incidentNumber = 0;
  const pageErrors: string[] = [];

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    serviceId = (await post("/api/v1/services", { name: "Payments" })).id;
    // Paged by hand: the incident goes through the service's hidden manual integration.
    incidentNumber = (await post("/api/v1/incidents", { service: serviceId, summary: "Card payments fail" }))
      .number!;

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

  it("keeps a service with an unresolved incident, saying why; deletes it once resolved", async () => {
    await page.goto(`${baseUrl}/services/${serviceId}`);
    await page.getByRole("heading", { level: 1, name: "Payments" }).waitFor();
    // Paging by hand made an integration, but not one the user made: the list stays empty.
    await page.getByText("No integrations yet: no alerts can arrive.").waitFor();

    await page.getByRole("button", { name: "Delete Payments" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete Payments?" });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await dialog
      .getByText(
        `Service Payments has unresolved incidents (INC-${incidentNumber}): resolve them before deleting it.`,
      )
      .waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });

    const resolved = await fetch(`${baseUrl}/api/v1/incidents/${incidentNumber}/resolve`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}` },
    });
    assert.equal(resolved.status, 200);

    await page.getByRole("button", { name: "Delete Payments" }).click();
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.getByText("Deleted “Payments”. Its past incidents stay readable.").waitFor();
    await page.getByRole("heading", { level: 1, name: "Services" }).waitFor();
    await page.getByText("No services yet.", { exact: false }).waitFor();

    const services = (await (
      await fetch(`${baseUrl}/api/v1/services`, { headers: { authorization: `Bearer ${adminKey}` } })
    ).json()) as unknown[];
    assert.deepEqual(services, []);
    const incident = await fetch(`${baseUrl}/api/v1/incidents/${incidentNumber}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    assert.equal(((await incident.json()) as { serviceName: string }).serviceName, "Payments");
    assert.deepEqual(pageErrors, []);
  });
});
