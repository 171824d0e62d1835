// A heartbeat added from the console says it waits for its first check-in (on the form, in the
// outcome and on its card), and once its job has called the URL, when it alerts if no check-in follows.
import assert from "node:assert/strict";
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

const ADMIN = {
  email: "mary@example.com",
  name: "Mary Kenneth Keller",
  password: "basic was her thesis 1965",
};
const WAITING = "Waiting for its first check-in — it alerts only after that.";

describeInBrowser("console: a new heartbeat waits for its first check-in (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey = "";
  let serviceId = "";
  const pageErrors: string[] = [];
  const card = () =>
    page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { level: 3, name: "nightly backup" }) });

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    serviceId = (await apiCreator(baseUrl, adminKey)("/api/v1/services", { name: "Backups" })).id;
    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB", timezoneId: "UTC" },
      pageErrors,
    );
    await claimFirstAdmin(page, fb, ADMIN);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("says so on the form, after adding it and on its card", async () => {
    await page.goto(`${baseUrl}/services/${serviceId}`);
    await page.getByRole("heading", { level: 1, name: "Backups" }).waitFor();
    await page.getByLabel("Sends from").selectOption("heartbeat");
    await page
      .getByText("It waits for the first check-in: until the job calls its URL, nothing alerts.")
      .waitFor();
    await page.getByLabel("Name", { exact: true }).first().fill("nightly backup");
    // The defaults, as in the walkthrough: 300 s and 60 s of grace.
    assert.equal(await page.getByLabel("Check-in every (seconds)").inputValue(), "300");
    await page.getByRole("button", { name: "Add integration" }).click();

    await page.getByText(`Added nightly backup. ${WAITING}`).waitFor();
    await card().getByText(WAITING, { exact: true }).waitFor();
    assert.match(
      (await card().getByRole("paragraph").first().textContent()) ?? "",
      /Expected every 300 s, 60 s grace/,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, "heartbeat-waiting.png") });
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });

  it("after the first check-in: when it was and by when the next must come", async () => {
    const list = await fetch(`${baseUrl}/api/v1/services/${serviceId}/integrations`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const [heartbeat] = (await list.json()) as Array<{ key: string; lastCheckInAt: string | null }>;
    assert.equal(heartbeat?.lastCheckInAt, null, "the API says it never checked in");
    assert.equal((await fetch(`${baseUrl}/heartbeat/${heartbeat.key}`)).status, 200);

    await page.reload();
    const state = card().getByText(/^Last check-in just now; alerts if none by /);
    await state.waitFor();
    // Interval + grace after the check-in, in the reader's zone (UTC here).
    const [checkedIn] = (await (
      await fetch(`${baseUrl}/api/v1/services/${serviceId}/integrations`, {
        headers: { authorization: `Bearer ${adminKey}` },
      })
    ).json()) as Array<{ lastCheckInAt: string }>;
    const deadline = new Date(Date.parse(checkedIn!.lastCheckInAt) + 360_000).toISOString();
    assert.equal(await state.locator("time").last().getAttribute("datetime"), deadline);
    assert.equal(await card().getByText(WAITING).count(), 0, "no longer waiting");
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});
