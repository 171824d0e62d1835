// The first minutes of a new Firebreak, in a real browser: claim the first-admin link, land on
// Home, create an API key that is shown once and works, revoke it, sign out and back in.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  describeInBrowser,
  launchBrowser,
  missingBrowser,
  openFirstAdminLink,
  openPage,
  SCREENSHOTS,
  signInAt,
  startConsoleFirebreak,
  submitFirstAdminForm,
} from "./browser-kit.js";

const SCREENSHOT = path.join(SCREENSHOTS, "console-home.png");

const ADMIN = { email: "ada@example.com", name: "Ada Lovelace", password: "analytical engine 1843" };

if (missingBrowser && process.env.CI !== "true") console.log(`skipping browser tests: ${missingBrowser}`);

describeInBrowser("console: first admin (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  /** A second tab that opened the link before the first tab claimed it. */
  let lateTab: Page;
  let baseUrl: string;
  let apiKey = "";
  const pageErrors: string[] = [];

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

  it("claims the first-admin link and lands on Home", async () => {
    lateTab = await openPage(browser, { viewport: { width: 1280, height: 800 } }, pageErrors);
    await openFirstAdminLink(lateTab, fb);
    await lateTab.getByRole("button", { name: "Create admin account" }).waitFor();

    await openFirstAdminLink(page, fb);

    await page.getByRole("heading", { level: 1, name: "Set up your admin account" }).waitFor();
    await submitFirstAdminForm(page, ADMIN);

    await page.getByRole("heading", { level: 1, name: `Welcome, ${ADMIN.name}` }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/");
    assert.equal(new URL(page.url()).hash, "", "the token should not linger in the address bar");
    assert.equal(await page.title(), "Home · Firebreak");
    const header = page.getByRole("banner");
    assert.ok((await header.textContent())?.includes(ADMIN.name));
    await header.getByRole("button", { name: "Sign out" }).waitFor();
    await page.getByRole("link", { name: "API documentation" }).waitFor();

    // Checklist state comes from real data: no teammates and no keys yet.
    await page.getByRole("heading", { name: "Getting started" }).waitFor();
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it("shows areas not built yet as such, not with made-up data", async () => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: /Post-mortems/ }).click();
    await page.getByRole("heading", { level: 1, name: "Post-mortems" }).waitFor();
    await page.getByText("Post-mortems is coming in a later release of Firebreak.").waitFor();
  });

  it("creates an API key, shows it once, and the key works until revoked", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API keys" }).click();
    await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/settings/api-keys");

    await page.getByLabel("Name", { exact: true }).fill("CI deploys");
    await page.getByLabel("Role", { exact: true }).selectOption("responder");
    await page.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByRole("region", { name: "Your new API key “CI deploys”" });
    await shown.getByText("It will not be shown again.").waitFor();
    apiKey = ((await shown.getByText(/^fbk_/).textContent()) ?? "").trim();
    assert.match(apiKey, /^fbk_[A-Za-z0-9_-]{40,}$/);
    await shown.getByRole("button", { name: "Copy key" }).waitFor();

    const row = page.getByRole("row", { name: /CI deploys/ });
    assert.ok((await row.textContent())?.includes(apiKey.slice(0, 12)), "the list shows the key's prefix");

    const asKey = await fetch(`${baseUrl}/api/v1/auth/session`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    assert.equal(asKey.status, 200);
    assert.deepEqual(((await asKey.json()) as { actor: { role: string } }).actor.role, "responder");

    // Once: after dismissing, and after a reload (served by the SPA fallback), only the prefix remains.
    await shown.getByRole("button", { name: "I have stored it" }).click();
    await shown.waitFor({ state: "detached" });
    await page.reload();
    await page.getByRole("row", { name: /CI deploys/ }).waitFor();
    assert.equal(await page.getByText(apiKey).count(), 0);

    await page.getByRole("button", { name: "Revoke CI deploys" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke “CI deploys”?" });
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page
      .getByRole("row", { name: /CI deploys/ })
      .getByText("Revoked")
      .waitFor();
    const revoked = await fetch(`${baseUrl}/api/v1/auth/session`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    assert.equal(revoked.status, 401);
  });

  it("signs out, sends a deep link to sign-in, and returns there afterwards", async () => {
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in to Firebreak" }).waitFor();

    await page.goto(`${baseUrl}/settings/users`);
    await page.getByRole("heading", { level: 1, name: "Sign in to Firebreak" }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("next"), "/settings/users");

    await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("Email or password is not correct.").waitFor();

    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/settings/users");
  });

  it("keeps admin pages from a responder", async () => {
    const responder = await fb.user("responder", "rosalind@example.com");
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const tab = await other.newPage();
      tab.on("pageerror", (err) => pageErrors.push(err.message));
      await signInAt(tab, `${baseUrl}/settings/api-keys`, responder);
      await tab.getByRole("heading", { level: 1, name: "Admins only" }).waitFor();

      await tab.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
      await tab.getByRole("heading", { level: 1, name: "My account" }).waitFor();
      const settingsNav = tab.getByRole("navigation", { name: "Settings" });
      await settingsNav.getByRole("link", { name: "My account" }).waitFor();
      assert.deepEqual(
        await settingsNav.getByRole("link").allTextContents(),
        ["My account", "Notifications"],
        "a responder manages only their own account and notifications",
      );
    } finally {
      await other.close();
    }
  });

  it("says a used setup link cannot be used before anyone types, and what to do instead", async () => {
    const fresh = await openPage(browser, { viewport: { width: 1280, height: 800 } }, pageErrors);
    try {
      await openFirstAdminLink(fresh, fb);
      await fresh.getByRole("heading", { level: 1, name: "This setup link can’t be used" }).waitFor();
      await fresh.getByRole("alert").getByText("This setup link has expired or was already used.").waitFor();
      assert.equal(await fresh.getByLabel("Password", { exact: true }).count(), 0, "no form to fill in");
      assert.equal(await fresh.getByRole("button", { name: "Create admin account" }).count(), 0);
      await fresh.getByText("Ask an admin to add you or to set a new password.").waitFor();

      await fresh.getByRole("link", { name: "Sign in" }).click();
      await fresh.getByRole("heading", { level: 1, name: "Sign in to Firebreak" }).waitFor();
    } finally {
      await fresh.context().close();
    }
  });

  it("drops the form for the same words when the link was claimed in another tab meanwhile", async () => {
    try {
      await submitFirstAdminForm(lateTab, {
        email: "someone@example.com",
        name: "Someone Else",
        password: "another long password",
      });
      await lateTab.getByRole("heading", { level: 1, name: "This setup link can’t be used" }).waitFor();
      await lateTab.getByRole("link", { name: "Sign in" }).waitFor();
      assert.equal(await lateTab.getByLabel("Password", { exact: true }).count(), 0);
    } finally {
      await lateTab.context().close();
    }
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});
