// The war room's forms in a real browser, as a walkthrough found them: before triage the task and fix
// forms give way to "Triage first" with a button that opens triage there; the task form's Owner starts
// from "Nobody yet" for every task; the fix's kind is a choice nobody makes by default; the end of the
// watch does not invite resolving while an alert still fires; and My tasks leaves out tasks of a
// resolved incident until asked, then marks them.
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

const ADMIN = { email: "grace@example.com", name: "Grace Hopper", password: "nanoseconds 1952" };
const OTHER = { email: "ken@example.com", name: "Ken Thompson", password: "unix at bell 1969" };
const ROLL_BACK = "Roll back the 14:02 deploy";

describeInBrowser("console: war room forms (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey: string;
  let serviceId: string;
  let first: { id: string; number?: number };
  const pageErrors: string[] = [];
  const tasksPanel = () => page.locator("section", { has: page.locator("#tasks") });
  const fixesPanel = () => page.locator("section", { has: page.locator("#fixes") });

  /** Opens an incident over the API (triggered, untriaged) and returns it. */
  const openIncident = (summary: string) =>
    apiCreator(baseUrl, adminKey)("/api/v1/incidents", { service: serviceId, summary });

  /** Triages the open war room from the tasks panel's "Triage now", as a SEV2 outage. */
  const triageFromTasksPanel = async () => {
    await tasksPanel().getByRole("button", { name: "Triage now" }).click();
    const dialog = page.getByRole("dialog", { name: /^Triage INC-/ });
    await dialog.getByRole("radio", { name: /^SEV2/ }).check();
    await dialog.getByRole("radio", { name: /^Outage/ }).check();
    await dialog.getByRole("button", { name: "Triage and acknowledge" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByLabel("New task", { exact: true }).waitFor();
  };

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    await post("/api/v1/users", { ...OTHER, role: "responder" });
    serviceId = (await post("/api/v1/services", { name: "Checkout API" })).id;
    first = await openIncident("Checkout returns 503");
    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("before triage, shows 'Triage first' in place of the task and fix forms, and triages from there", async () => {
    await claimFirstAdmin(page, fb, ADMIN);
    await page.goto(`${baseUrl}/incidents/${first.number}`);
    await tasksPanel().getByText("Triage first:").waitFor();
    await fixesPanel().getByText("Triage first:").waitFor();
    assert.equal(await page.getByLabel("New task", { exact: true }).count(), 0, "no task form to refuse");
    assert.equal(await page.getByRole("button", { name: "Log the fix" }).count(), 0, "no fix form");

    await triageFromTasksPanel();
    await page.getByRole("button", { name: "Log the fix" }).waitFor();
    assert.equal(await page.locator(".triage-first").count(), 0);
    await page.locator(".facts .state-acknowledged").waitFor();
  });

  it("starts the Owner from 'Nobody yet' again after each task is added", async () => {
    const owner = page.getByLabel("Owner", { exact: true });
    await page.getByLabel("New task", { exact: true }).fill("Check the DNS");
    await owner.selectOption({ label: OTHER.name });
    await page.getByRole("button", { name: "Add task" }).click();
    await page
      .getByRole("list", { name: "Open tasks" })
      .getByRole("listitem")
      .filter({ hasText: "Check the DNS" })
      .getByText(`owned by ${OTHER.name}`)
      .waitFor();
    assert.equal(await owner.inputValue(), "", "the next task is nobody's until someone is chosen");
    assert.equal(await owner.locator("option:checked").textContent(), "Nobody yet");
    assert.equal(await page.getByLabel("New task", { exact: true }).inputValue(), "");
  });

  it("asks for the fix's kind instead of logging it as a rollback by default", async () => {
    const kinds = fixesPanel().getByRole("radio");
    assert.equal(await kinds.count(), 3);
    for (const radio of await kinds.all()) assert.equal(await radio.isChecked(), false);
    await page.getByLabel("What the fix does").fill("Restart replica 2");
    await page.getByRole("button", { name: "Log the fix" }).click();
    await fixesPanel().getByText("Kind is not chosen: is it a rollback, a hotfix or a proper fix?").waitFor();
    await fixesPanel().getByText("No fix yet.", { exact: false }).waitFor();

    await fixesPanel()
      .getByRole("radio", { name: /^Proper fix/ })
      .check();
    await page.getByRole("button", { name: "Log the fix" }).click();
    const fix = page.getByRole("list", { name: "Fix log" }).getByRole("listitem");
    await fix.getByText("Restart replica 2").waitFor();
    assert.match((await fix.locator(".fix-title").textContent()) ?? "", /^#1 Proper fix: Restart replica 2/);
    await page.getByText("Kind is not chosen", { exact: false }).waitFor({ state: "detached" });
  });

  it("does not invite resolving at the watch's end while an alert still fires", async () => {
    // A watch takes minutes to run out: the war room is answered as it would be then.
    const roomUrl = /\/api\/v1\/incidents\/[^/]+\/response$/;
    let firing = 1;
    await page.route(roomUrl, async (route) => {
      const room = (await (await route.fetch()).json()) as {
        response: Record<string, unknown>;
        diagnosis: { alertCounts: { total: number; firing: number } };
      };
      const ended = Date.now() - 60_000;
      room.response.phase = "monitoring";
      room.response.watch = {
        fixNumber: 1,
        startedAt: new Date(ended - 30 * 60_000).toISOString(),
        endsAt: new Date(ended).toISOString(),
        watchMinutes: 30,
      };
      room.diagnosis.alertCounts = { total: 1, firing };
      await route.fulfill({ json: room });
    });
    try {
      await page.reload();
      const banner = page.locator(".war-banner", { hasText: "still firing" });
      await banner.getByText("An alert is still firing 30 min after fix #1.").waitFor();
      await banner.getByText(/The fix has not worked yet/).waitFor();
      assert.equal(await banner.getByRole("button", { name: "Resolve" }).count(), 0);
      assert.equal(await page.getByText("No alert in the 30 min after fix #1.").count(), 0);

      firing = 0;
      await page.reload();
      const quiet = page.locator(".war-banner", { hasText: "No alert in the 30 min after fix #1." });
      await quiet.getByRole("button", { name: "Resolve" }).waitFor();
    } finally {
      await page.unroute(roomUrl);
    }
  });

  it("My tasks leaves out a resolved incident's tasks until asked, then lists them last, marked", async () => {
    await page.reload();
    await page.getByLabel("New task", { exact: true }).fill(ROLL_BACK);
    await page.getByLabel("Owner", { exact: true }).selectOption({ label: `Me (${ADMIN.name})` });
    await page.getByRole("button", { name: "Add task" }).click();
    await page
      .getByRole("list", { name: "Open tasks" })
      .locator(".task-title")
      .getByText(ROLL_BACK)
      .waitFor();

    const second = await openIncident("Queue consumers stuck");
    await page.goto(`${baseUrl}/incidents/${second.number}`);
    await triageFromTasksPanel();
    await page.getByLabel("New task", { exact: true }).fill("Drain the queue");
    await page.getByLabel("Owner", { exact: true }).selectOption({ label: `Me (${ADMIN.name})` });
    await page.getByRole("button", { name: "Add task" }).click();
    await page
      .getByRole("list", { name: "Open tasks" })
      .locator(".task-title")
      .getByText("Drain the queue")
      .waitFor();

    const resolved = await fetch(`${baseUrl}/api/v1/incidents/${first.id}/resolve`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}` },
    });
    assert.equal(resolved.status, 200, await resolved.text());

    await page.goto(`${baseUrl}/my-tasks`);
    await page.getByRole("heading", { level: 1, name: "My tasks" }).waitFor();
    await page.locator(".task-title").getByText("Drain the queue").waitFor();
    assert.equal(await page.getByText(ROLL_BACK).count(), 0, "hidden: the incident is over");
    const show = page.getByRole("button", { name: "Show 1 task of resolved incidents" });
    assert.equal(await show.getAttribute("aria-expanded"), "false");
    await show.click();

    const group = page.locator("section", { hasText: ROLL_BACK });
    await group.getByText("Incident resolved", { exact: true }).waitFor();
    assert.equal(await group.getByRole("button").count(), 0, "nothing to do on a resolved incident");
    const titles = await page.locator(".task-title").allTextContents();
    assert.deepEqual(titles, ["Drain the queue", ROLL_BACK], "after the open incident's task");
    await page.getByRole("button", { name: "Hide the tasks of resolved incidents" }).click();
    await page.getByText(ROLL_BACK).waitFor({ state: "detached" });
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});
