// Settings → Users in a real browser: an admin adds a user with a phone, a number that is not one is
// named at its field until corrected, and the Users table shows each phone as a tel: link (a dash
// when there is none), following a change made in the Phone dialog.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  claimFirstAdmin,
  describeInBrowser,
  launchBrowser,
  openPage,
  SCREENSHOTS,
  startConsoleFirebreak,
} from "./browser-kit.js";

const ADMIN = { email: "frances@example.com", name: "Frances Allen", password: "optimising compilers 1966" };
const NEW = { email: "grace@example.com", name: "Grace Hopper", password: "first compiler 1952" };

describeInBrowser("console: Settings → Users (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const pageErrors: string[] = [];
  const phoneCell = (name: string) =>
    page.getByRole("row", { name: new RegExp(name) }).locator('td[data-label="Phone"]');

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 800 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("shows admins a Phone column, with a dash for someone without one", async () => {
    await claimFirstAdmin(page, fb, ADMIN);
    await page.goto(`${baseUrl}/settings/users`);
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    await page.getByRole("columnheader", { name: "Phone" }).waitFor();
    assert.equal(await phoneCell(ADMIN.name).textContent(), "—");
  });

  it("names a phone that is not one at its field, and adds the user once it is", async () => {
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("Email", { exact: true }).fill(NEW.email);
    await form.getByLabel("Name", { exact: true }).fill(NEW.name);
    await form.getByLabel("Role", { exact: true }).selectOption("responder");
    await form.getByLabel("Initial password", { exact: true }).fill(NEW.password);
    const phone = form.getByLabel("Phone", { exact: true });
    await phone.fill("call me at 3 am");
    await form.getByRole("button", { name: "Add user" }).click();
    await form.getByText("Phone must be a phone number such as +49 30 1234567.").waitFor();
    assert.equal(await phone.getAttribute("aria-invalid"), "true");
    assert.equal(await page.getByRole("row", { name: new RegExp(NEW.name) }).count(), 0, "nobody added");

    // Corrected, the field's error and the form's "correct the fields" go before the next submit.
    await phone.fill(" +49 30 1234567 ");
    await form
      .getByText("Phone must be a phone number such as +49 30 1234567.")
      .waitFor({ state: "detached" });
    assert.equal(await phone.getAttribute("aria-invalid"), null);
    assert.equal(await form.getByRole("alert").count(), 0, "no form-level error left");
    await form.getByRole("button", { name: "Add user" }).click();
    await page.getByText(`Added ${NEW.name} (${NEW.email}) as responder.`).waitFor();
    assert.equal(await phone.inputValue(), "", "the form starts over");

    const link = phoneCell(NEW.name).getByRole("link", { name: "+49 30 1234567", exact: true });
    assert.equal(await link.getAttribute("href"), "tel:+49301234567");
    await page.reload();
    assert.equal(
      await link.getAttribute("href"),
      "tel:+49301234567",
      "stored trimmed, listed after a reload",
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "settings-users.png"), fullPage: true });
  });

  it("follows a phone cleared in the Phone dialog", async () => {
    await page.getByRole("button", { name: `Phone of ${NEW.name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Phone of ${NEW.name}` });
    await dialog.getByLabel("Phone", { exact: true }).fill("");
    await dialog.getByRole("button", { name: "Save phone" }).click();
    await page.getByText(`${NEW.name} has no phone on record now.`).waitFor();
    assert.equal(await phoneCell(NEW.name).textContent(), "—");
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});
