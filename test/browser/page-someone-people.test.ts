// "Page someone" in a real browser, choosing a person instead of the service's on-call: the service
// has no escalation policy, the warning about it goes once "People" is chosen, and the incident that
// opens pages the chosen person.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
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

const ADMIN = { email: "grace@example.com", name: "Grace Hopper", password: "a ship in port is safe 1906" };

describeInBrowser("console: Page someone pages chosen people (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const pageErrors: string[] = [];

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    const post = apiCreator(baseUrl, await fb.apiKey("admin"));
    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await claimFirstAdmin(page, fb, ADMIN);
    const bob = await post("/api/v1/users", {
      email: "bob@example.com",
      name: "Bob Dba",
      role: "responder",
      password: "a long enough password",
    });
    await post(`/api/v1/users/${bob.id}/contact-methods`, {
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    await post("/api/v1/services", { name: "Checkout" });
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("chooses a person: the no-policy warning goes, and the incident pages them", async () => {
    await page.goto(`${baseUrl}/incidents`);
    await page.getByRole("button", { name: "Page someone" }).click();
    const dialog = page.getByRole("dialog", { name: "Page someone" });
    await dialog.getByLabel("Service").selectOption({ label: "Checkout" });
    const warning = dialog.getByText("Checkout has no escalation policy: nobody will be paged.");
    await warning.waitFor();
    await dialog.getByLabel("Who").selectOption({ label: "People" });
    await warning.waitFor({ state: "detached" });
    await dialog.getByRole("checkbox", { name: "Bob Dba" }).check();
    await dialog.getByLabel("What is wrong").fill("Card payments time out");
    mkdirSync(SCREENSHOTS, { recursive: true });
    await dialog.screenshot({ path: path.join(SCREENSHOTS, "page-someone-people.png") });
    await dialog.getByRole("button", { name: "Page now" }).click();
    await page.getByRole("heading", { level: 1, name: "Card payments time out" }).waitFor();
    await page.getByText("Chosen by hand: Bob Dba, step 1 of 1").first().waitFor();
    await page
      .getByText(/paged Bob Dba instead of Checkout's on-call/)
      .first()
      .waitFor();
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});
