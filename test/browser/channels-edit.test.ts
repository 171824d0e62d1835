// Settings → Channels in a real browser: an admin renames a shared channel (its settings kept and never
// shown), is told at the name field when another channel has the name, replaces its settings, is refused
// the delete of one a service shares (the dialog names the service, in the server's words), and deletes
// one no service shares after confirming.
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

const ADMIN = { email: "radia@example.com", name: "Radia Perlman", password: "spanning tree protocol 1985" };
const SECRET_URL = "https://hooks.example.net/services/very-secret-token";

describeInBrowser("console: changing and deleting shared channels (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey = "";
  let sharedId = "";
  const pageErrors: string[] = [];

  const channels = async () => {
    const res = await fetch(`${baseUrl}/api/v1/channels`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    return (await res.json()) as Array<{ id: string; name: string; kind: string; description: string }>;
  };
  const card = (name: string) => page.locator(".card-item", { has: page.getByRole("heading", { name }) });

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    sharedId = (
      await post("/api/v1/channels", { name: "#payments", kind: "webhook", config: { url: SECRET_URL } })
    ).id;
    await post("/api/v1/channels", { name: "#old-ops", kind: "webhook", config: { url: SECRET_URL } });
    await post("/api/v1/services", { name: "Checkout", channelId: sharedId });

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await claimFirstAdmin(page, fb, ADMIN);
    await page.goto(`${baseUrl}/settings/channels`);
    await page.getByRole("heading", { level: 1, name: "Channels" }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("renames a channel and keeps its settings", async () => {
    await card("#payments").getByText("Shared channel of").waitFor();
    await card("#old-ops").getByText("No service shares it.").waitFor();
    await page.getByRole("button", { name: "Edit #payments" }).click();
    const form = page.getByRole("form", { name: "Edit #payments" });
    await form.getByLabel("Name", { exact: true }).fill("#payments-alerts");
    await form.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved “#payments-alerts”.", { exact: false }).waitFor();
    await page.getByRole("heading", { name: "#payments-alerts" }).waitFor();
    const saved = (await channels()).find((c) => c.id === sharedId);
    assert.equal(saved?.name, "#payments-alerts");
    assert.equal(saved?.kind, "webhook");
    assert.ok(!(await page.content()).includes("very-secret-token"));
  });

  it("says at the name field which channel already has a name, on rename and on create", async () => {
    const oldOps = (await channels()).find((c) => c.name === "#old-ops")!;
    const taken = `is taken: a channel named #old-ops already exists (webhook, id ${oldOps.id})`;
    await page.getByRole("button", { name: "Edit #payments-alerts" }).click();
    const form = page.getByRole("form", { name: "Edit #payments-alerts" });
    await form.getByLabel("Name", { exact: true }).fill("#OLD-OPS");
    await form.getByRole("button", { name: "Save changes" }).click();
    await form.locator(".field-error", { hasText: taken }).waitFor();
    assert.equal((await channels()).find((c) => c.id === sharedId)?.name, "#payments-alerts");
    await form.getByRole("button", { name: "Cancel" }).click();

    const create = page.getByRole("form", { name: "Add a channel" });
    await create.getByLabel("Name", { exact: true }).fill("#Old-Ops");
    await create.getByLabel("Kind").selectOption("webhook");
    await create.getByLabel("Webhook URL", { exact: true }).fill(SECRET_URL);
    await create.getByRole("button", { name: "Create channel" }).click();
    await create.locator(".field-error", { hasText: taken }).waitFor();
    assert.equal((await channels()).length, 2);
  });

  it("replaces the settings, naming a bad one on its field", async () => {
    await page.getByRole("button", { name: "Edit #payments-alerts" }).click();
    const form = page.getByRole("form", { name: "Edit #payments-alerts" });
    await form.getByLabel("Replace the settings").check();
    await form.getByLabel("Kind").selectOption("ntfy");
    await form.getByLabel("Topic", { exact: false }).fill("has spaces");
    await form.getByRole("button", { name: "Save changes" }).click();
    await form.locator(".field-error").first().waitFor();
    assert.equal((await channels()).find((c) => c.id === sharedId)?.kind, "webhook");
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "channels-edit.png"), fullPage: true });

    await form.getByLabel("Topic", { exact: false }).fill("payments-alerts-7f3a");
    await form.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved “#payments-alerts”.", { exact: false }).waitFor();
    assert.equal((await channels()).find((c) => c.id === sharedId)?.kind, "ntfy");
  });

  it("keeps a channel a service shares, saying which; deletes one none shares after confirming", async () => {
    await page.getByRole("button", { name: "Delete #payments-alerts" }).click();
    const refused = page.getByRole("dialog", { name: "Delete #payments-alerts?" });
    await refused.getByRole("button", { name: "Delete" }).click();
    await refused
      .getByText(
        "channel #payments-alerts is the shared channel of service Checkout: choose another channel (or none) on it before deleting it",
        { exact: false },
      )
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, "channels-delete-refused.png"), fullPage: true });
    await refused.getByRole("button", { name: "Cancel" }).click();
    await refused.waitFor({ state: "hidden" });

    await page.getByRole("button", { name: "Delete #old-ops" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete #old-ops?" });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.getByText("Deleted “#old-ops”.", { exact: false }).waitFor();
    await page.getByRole("heading", { name: "#old-ops" }).waitFor({ state: "detached" });
    assert.deepEqual(
      (await channels()).map((c) => c.name),
      ["#payments-alerts"],
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, "channels-after-delete.png"), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});
