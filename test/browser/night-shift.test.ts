// What an on-call engineer reads wrong at 3 am, in a real browser: a contact method that no
// notification rule names is never used for a page, so the console says so where it is added; an
// incident timeline that crosses midnight names the day; and in the escalation-policy editor a step
// without targets marks its picker, not the minutes that are right, until a target is added.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  describeInBrowser,
  ensureConsoleBuilt,
  launchBrowser,
  openPage,
  signInAt,
} from "./browser-kit.js";

const DAY_MS = 24 * 3600_000;

describeInBrowser("console: the night shift (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const pageErrors: string[] = [];
  // The server's clock starts at the real now, so the browser's "today" is the incident's first day.
  const clock = new FakeClock(Date.now());

  before(async () => {
    ensureConsoleBuilt();
    fb = await startTestFirebreak({ listen: true, clock, startEngine: false });
    assert.ok(fb.baseUrl);
    baseUrl = fb.baseUrl;
    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 800 }, colorScheme: "light", locale: "en-GB", timezoneId: "UTC" },
      pageErrors,
    );
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("opens an incident today and acknowledges it tomorrow, then signs in", async () => {
    const key = await fb.apiKey("admin");
    const create = apiCreator(baseUrl, key);
    await create("/api/v1/services", { name: "Payments", description: "" });
    const incident = await create("/api/v1/incidents", {
      service: "Payments",
      summary: "Card payments fail",
    });
    clock.advance(DAY_MS);
    const ack = await fetch(`${baseUrl}/api/v1/incidents/${incident.number}/acknowledge`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(ack.status, 200, await ack.text());

    const admin = await fb.user("admin", "night@example.com");
    await signInAt(page, `${baseUrl}/incidents/${incident.number}`, admin);
    await page.getByRole("heading", { level: 1, name: "Card payments fail" }).waitFor();
  });

  it("names the day in the timeline when it changes, not on every entry", async () => {
    const timeline = page.locator("section", { has: page.getByRole("heading", { name: "Timeline" }) });
    const acked = timeline.locator("li", { hasText: "Acknowledged" });
    await acked.waitFor();
    const tomorrow = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
    const day = tomorrow.format(clock.now());
    assert.match(await acked.locator("time").innerText(), new RegExp(`^${day}\\s+\\d\\d:\\d\\d:\\d\\d$`));
    const first = timeline.locator("li.timeline-entry").first();
    assert.match(
      await first.locator("time").innerText(),
      /^\d\d:\d\d:\d\d$/,
      "today's entries show the time alone",
    );
  });

  it("warns that a contact method added after the rules is not used for pages", async () => {
    await page.goto(`${baseUrl}/settings/notifications`);
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    const addMethod = async (label: string) => {
      await page.getByLabel("Kind", { exact: true }).selectOption("webhook");
      await page.getByLabel("Label", { exact: true }).fill(label);
      await page.getByLabel("Webhook URL", { exact: true }).fill("http://127.0.0.1:9/hook");
      await page.getByRole("button", { name: "Add contact method" }).click();
      await page.getByRole("heading", { level: 3, name: label }).waitFor();
    };
    const unused = (label: string) =>
      page
        .locator("li.card-item", { has: page.getByRole("heading", { level: 3, name: label }) })
        .getByText("Not used when you are paged");

    await addMethod("Phone");
    await page.getByText("Added “Phone”. Send yourself a test notification.").waitFor();
    await page.getByRole("button", { name: "Add a rule" }).click();
    await page.getByRole("button", { name: "Save rules" }).click();
    await page.getByText("Saved.", { exact: true }).waitFor();

    await addMethod("Laptop");
    await page.getByText("Added “Laptop”, but your rules below do not use it yet").waitFor();
    await unused("Laptop").waitFor();
    assert.equal(await unused("Phone").count(), 0, "Phone has its rule");

    // A rule for it, saved: the warning goes without a reload.
    await page.getByRole("button", { name: "Add a rule" }).click();
    await page.getByLabel("Rule 2: contact method").selectOption({ label: "Laptop · Webhook (127.0.0.1:9)" });
    await page.getByRole("button", { name: "Save rules" }).click();
    await unused("Laptop").waitFor({ state: "detached" });
  });

  it("marks the target picker of a step without targets, not its minutes, until a target is added", async () => {
    await page.goto(`${baseUrl}/on-call/escalation-policies/new`);
    await page.getByLabel("Name", { exact: true }).fill("Nights");
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.getByText("Needs at least one target.").waitFor();
    const invalid = (label: string) =>
      page.getByLabel(label).evaluate((el) => el.closest(".field-invalid") !== null);
    assert.equal(await invalid("Add to step 1"), true);
    assert.equal(await invalid("Minutes to wait at step 1"), false);

    // Adding someone answers the error: it goes at once, not only at the next press of Create.
    const picker = page.getByLabel("Add to step 1");
    const someone = await picker.locator("optgroup[label='People'] option").first().textContent();
    await picker.selectOption({ label: someone ?? "" });
    await page.getByRole("button", { name: "Add to step 1" }).click();
    await page
      .getByRole("list", { name: "Paged at step 1" })
      .getByText(someone ?? "")
      .waitFor();
    await page.getByText("Needs at least one target.").waitFor({ state: "detached" });
    assert.equal(await invalid("Add to step 1"), false);
    assert.equal(await picker.getAttribute("aria-invalid"), null);
    assert.equal(
      await page.getByText("Please correct the fields marked below.").count(),
      0,
      "nothing is left to correct",
    );

    // Minutes to wait: its error stays on it until the minutes change, while step 1 stays correct.
    const minutes = page.getByLabel("Minutes to wait at step 1");
    await minutes.fill("0");
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.getByText(/^Minutes to wait at step 1 must be/).waitFor();
    await minutes.fill("10");
    await page.getByText(/^Minutes to wait at step 1 must be/).waitFor({ state: "detached" });
    assert.equal(await minutes.getAttribute("aria-invalid"), null);
  });

  it("raised no page errors", () => {
    assert.deepEqual(pageErrors, []);
  });
});
