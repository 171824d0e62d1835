// What a fresh install tells the person in front of it, in a real browser: before any admin exists the
// sign-in page says where the setup link is (it showed only "Sign in" and "ask an admin", and there
// was none); once set up it says nothing of it. A service's Stakeholders field, with no way to send
// mail, says what to set up instead of only that there is none.
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

const ADMIN = { email: "grace@example.com", name: "Grace Hopper", password: "compiler 1952 cobol" };

describeInBrowser("console: a fresh install's hints (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const pageErrors: string[] = [];

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1280, height: 800 } }, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("before setup, the sign-in page says to open the setup link from the server's output", async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole("heading", { level: 1, name: "Sign in to Firebreak" }).waitFor();
    const notice = page.getByTestId("setup-pending");
    await notice.waitFor();
    const text = (await notice.textContent()) ?? "";
    assert.match(text, /not set up yet/);
    assert.match(text, /one-time setup link that the server printed when it started/);
    assert.match(text, /every start prints a fresh link/);
    assert.ok(!text.includes("fbl_") || text.includes("fbl_…"), "never a real token");
  });

  it("once the first admin is set up, the sign-in page no longer mentions setup", async () => {
    await claimFirstAdmin(page, fb, ADMIN);
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in to Firebreak" }).waitFor();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    // The answer comes after the page: give it the time a notice would take to show.
    await page.waitForResponse((res) => res.url().endsWith("/api/v1/auth/setup")).catch(() => undefined);
    assert.equal(await page.getByTestId("setup-pending").count(), 0);
  });

  it("with no way to send mail, the Stakeholders field says what to set up", async () => {
    const create = apiCreator(baseUrl, await fb.apiKey("admin"));
    const service = await create("/api/v1/services", { name: "payments" });
    await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).waitFor();
    await page.goto(`${baseUrl}/services/${service.id}`);
    const field = page.getByLabel("Stakeholders (emails)");
    await field.waitFor();
    const hint = page.getByText(/Internal updates would be emailed to them/);
    await hint.waitFor();
    const text = (await hint.textContent()) ?? "";
    assert.match(text, /add an email channel under Settings → Channels/);
    assert.match(text, /set FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM on the server/);
    assert.ok(!text.includes("no way to send mail"), text);
    assert.deepEqual(pageErrors, []);
  });
});
