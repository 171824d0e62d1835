// A heartbeat disabled past its deadline and enabled again alerts interval + grace after the enable,
// not after its last check-in: its card says so, from the server's pending check. The server runs on a
// fake clock that starts at the real time, and its engine runs when the test says.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  describeInBrowser,
  ensureConsoleBuilt,
  launchBrowser,
  openPage,
  SCREENSHOTS,
  signInAt,
} from "./browser-kit.js";

const WAIT_MS = 6 * MINUTE; // the defaults: 300 s and 60 s of grace

describeInBrowser("console: a heartbeat enabled again alerts from the enable (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl = "";
  let adminKey = "";
  let serviceId = "";
  let heartbeat: { id: string; key: string };
  const clock = new FakeClock(Date.now());
  const pageErrors: string[] = [];
  const card = () =>
    page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { level: 3, name: "nightly backup" }) });
  const apiDue = async () => {
    const res = await fetch(`${baseUrl}/api/v1/services/${serviceId}/integrations`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const [listed] = (await res.json()) as Array<{ nextCheckDueAt: string | null }>;
    return listed?.nextCheckDueAt;
  };

  before(async () => {
    ensureConsoleBuilt();
    fb = await startTestFirebreak({ listen: true, clock, startEngine: false });
    baseUrl = fb.baseUrl as string;
    adminKey = await fb.apiKey("admin");
    const create = apiCreator(baseUrl, adminKey);
    serviceId = (await create("/api/v1/services", { name: "Backups" })).id;
    heartbeat = (await create(`/api/v1/services/${serviceId}/integrations`, {
      kind: "heartbeat",
      name: "nightly backup",
    })) as { id: string; key: string };
    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB", timezoneId: "UTC" },
      pageErrors,
    );
    await signInAt(page, `${baseUrl}/services/${serviceId}`, await fb.user("admin", "mary@example.com"));
    await page.getByRole("heading", { level: 1, name: "Backups" }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("shows the deadline of the check armed at the enable", async () => {
    const checkedInMs = clock.now().getTime();
    assert.equal((await fetch(`${baseUrl}/heartbeat/${heartbeat.key}`)).status, 200);
    await page.reload();
    const onTime = card().getByText(/^Last check-in .*; alerts if none by /);
    await onTime.waitFor();
    const firstDue = new Date(checkedInMs + WAIT_MS).toISOString();
    assert.equal(await onTime.locator("time").last().getAttribute("datetime"), firstDue);

    await card().getByRole("button", { name: "Disable nightly backup" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disable" }).click();
    await card()
      .getByText(/^Disabled: check-ins are refused/)
      .waitFor();

    // Its check falls due while it is disabled: it raises nothing, and is gone.
    clock.advance(WAIT_MS + 4 * MINUTE);
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const enabledMs = clock.now().getTime();
    await card().getByRole("button", { name: "Enable nightly backup" }).click();
    await page.getByText("nightly backup: Enabled.").waitFor();

    const due = new Date(enabledMs + WAIT_MS).toISOString();
    assert.equal(await apiDue(), due);
    const afterEnable = card().getByText(/^Last check-in .*; alerts if none by /);
    await afterEnable.waitFor();
    assert.equal(await afterEnable.locator("time").last().getAttribute("datetime"), due);
    assert.notEqual(due, firstDue, "not interval + grace after the last check-in");
    await page.reload();
    await afterEnable.waitFor();
    assert.equal(
      await afterEnable.locator("time").last().getAttribute("datetime"),
      due,
      "after a reload too",
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, "heartbeat-after-enable.png") });
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});
