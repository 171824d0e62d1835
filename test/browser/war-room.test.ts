// The war room in a real browser: an incident opened over the API is acknowledged from the console at
// once, then triaged in the dialog that follows (SEV1, outage), gets a task, a hotfix with its
// proper-fix follow-up due within 24 h (the outage deadline), and a public update, which ends the
// "public update required" banner. The keys work; My tasks, Follow-ups, the Directory and the service's response settings show
// what the war room uses; a phone set on My account or by an admin is a tel: link in the Directory;
// on a 390 px phone the page is one column with nothing to scroll sideways; and the handler role
// moves only when the other person accepts, live on both pages.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  claimFirstAdmin,
  describeInBrowser,
  launchBrowser,
  openPage,
  PHONE,
  SCREENSHOTS,
  signInAt,
  startConsoleFirebreak,
} from "./browser-kit.js";

const ADMIN = {
  email: "margaret@example.com",
  name: "Margaret Hamilton",
  password: "priority displays 1969",
};
const OTHER = { email: "linus@example.com", name: "Linus Torvalds", password: "just a hobby 1991" };
const TITLE = "Checkout returns 503 for every customer";
const TASK = "Roll back the 14:02 deploy";
const HOTFIX = "Raise the database pool size to 50";

describeInBrowser("console: war room (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let incidentPath = "";
  const pageErrors: string[] = [];
  const strip = () => page.locator(".war-strip");

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());

    // A second person, a service and its incident exist before anyone opens the console.
    const post = apiCreator(baseUrl, await fb.apiKey("admin"));
    await post("/api/v1/users", { ...OTHER, role: "responder" });
    const service = await post("/api/v1/services", { name: "Checkout API" });
    // Public updates go to a status page showing the service (one with none is refused).
    const statusPage = await post("/api/v1/status-pages", { slug: "acme", title: "Acme" });
    await post(`/api/v1/status-pages/${statusPage.id}/components`, {
      name: "Checkout API",
      serviceIds: [service.id],
    });
    const incident = await post("/api/v1/incidents", { service: service.id, summary: TITLE });
    incidentPath = `/incidents/${incident.number}`;

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

  it("opens the war room of a triggered, untriaged incident", async () => {
    await claimFirstAdmin(page, fb, ADMIN);

    await page.goto(`${baseUrl}${incidentPath}`);
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    await strip().getByText("Nobody yet: triage names one").waitFor();
    assert.equal(await strip().locator(".phase-current").textContent(), "Investigating");
    await page.locator(".facts .state-triggered").waitFor();
    // Before triage the panel says what will happen, not "no channel" as if something were broken.
    await page
      .getByRole("region", { name: "Communication" })
      .getByText(/^Not triaged yet\. The service has no shared channel\. Triage sets the incident channel/)
      .waitFor();
  });

  it("names a send still being retried, and an escalation that ran out as such, not as a failure", async () => {
    // Both take many minutes to happen for real: the incident's detail is answered as it then would be.
    const detailUrl = /\/api\/v1\/incidents\/\d+$/;
    await page.route(detailUrl, async (route) => {
      const detail = (await (await route.fetch()).json()) as {
        timeline: Array<Record<string, unknown>>;
        deliveries: Array<Record<string, unknown>>;
      };
      const at = new Date().toISOString();
      // Every page went out (no failure entries); the last step was paged and nobody answered.
      detail.timeline = [
        ...detail.timeline.filter((e) => !String(e.kind).startsWith("notification.")),
        {
          id: "x1",
          at,
          kind: "escalation.exhausted",
          actor: null,
          data: {},
          message: "Every escalation step was tried and nobody acknowledged",
        },
      ];
      detail.deliveries = [
        {
          id: "retrying",
          event: "triggered",
          recipientKind: "user",
          recipientId: "someone",
          contactMethodId: null,
          channelId: null,
          createdAt: at,
          sentAt: null,
          status: "pending",
          attempts: 10,
          lastError: "not tried: the last 10 sends got no answer; next try in 299 s",
          recipientName: ADMIN.name,
          via: "webhook (Pager webhook)",
        },
      ];
      await route.fulfill({ json: detail });
    });
    try {
      await page.reload();
      await page.locator(".facts .state-triggered").waitFor();
      const problems = page.getByRole("region", { name: "Timeline" }).locator(".notice-error");
      await problems
        .getByText(
          `Still trying to reach ${ADMIN.name} by webhook (Pager webhook): not tried: the last 10 sends ` +
            "got no answer; next try in 299 s (10 tries so far)",
        )
        .waitFor();
      await problems.getByText("Every escalation step has paged; nobody has acknowledged.").waitFor();
      assert.equal(await problems.getByText(/may not have been reached|notification problem/).count(), 0);
    } finally {
      await page.unroute(detailUrl);
    }
  });

  it("acknowledges at once, then triages in the dialog that opens, as a SEV1 outage", async () => {
    await page.getByRole("button", { name: "Acknowledge", exact: true }).click();
    await page.getByRole("status").getByText("Acknowledged: the escalation has stopped.").waitFor();
    const dialog = page.getByRole("dialog", { name: /^Triage INC-/ });
    await dialog.getByText("Customer-facing outage or data loss.", { exact: false }).waitFor();
    await dialog.getByText("Available, but processing data wrongly.").waitFor();

    // Without a level, the dialog names the missing answer on its own field and sends nothing.
    await dialog.getByRole("radio", { name: /^SEV1 · Critical/ }).check();
    await dialog.getByRole("button", { name: "Save triage" }).click();
    await dialog.getByText("Level is not chosen: what do customers see?").waitFor();

    await dialog.getByRole("radio", { name: /^Outage/ }).check();
    await dialog.getByRole("radio", { name: "Yes, we can handle it" }).waitFor();
    const handler = dialog.getByLabel("Incident Handler");
    assert.equal(await handler.locator("option:checked").textContent(), `Me (${ADMIN.name})`);
    await dialog
      .getByRole("group", { name: /Who else to call/ })
      .getByText(OTHER.name)
      .waitFor();
    await dialog.getByLabel("Note (optional)").fill("p99 up since the 02:30 deploy, checking the DB pool");
    await dialog.getByRole("button", { name: "Save triage" }).click();
    await dialog.waitFor({ state: "hidden" });

    await page.getByRole("status").getByText("Triaged as SEV1 outage.").waitFor();
    await page.locator(".war-level").getByText("Outage").waitFor();
    await page.locator(".war-severity").getByText("SEV1 · Critical").waitFor();
    await page.locator(".war-handler").getByText(ADMIN.name).waitFor();
    await page.locator(".war-handler").getByText("you").waitFor();
    await page.locator(".facts .state-acknowledged").waitFor();
    await page.getByRole("heading", { name: "Outage playbook" }).waitFor();
    await page.getByText("Tell customers: post a public update, they can see it already.").waitFor();
    const banner = page.locator(".war-banner", { hasText: "A public update is required for an outage" });
    assert.match((await banner.textContent()) ?? "", /— next reminder in (\d+ min|under a minute)\./);
    await page
      .locator(".timeline")
      .getByText(/^Triaged SEV1 outage/)
      .waitFor();
    // What the handler found is shown, in the strip and on its timeline entry.
    await page.locator(".war-triage-note").getByText("p99 up since the 02:30 deploy").waitFor();
    await page.locator(".timeline-note").getByText("p99 up since the 02:30 deploy").waitFor();
    // Neither the Slack app nor a shared channel: triage set none, and the panel says where events go.
    await page
      .getByRole("region", { name: "Communication" })
      .getByText(/^No incident channel was set at triage, so the key events stay on this page/)
      .waitFor();
  });

  it("adds a task with the keyboard, marked as mine", async () => {
    await blur(page);
    await page.keyboard.press("t");
    const title = page.getByLabel("New task", { exact: true });
    assert.equal(await hasFocus(page, title), true, "t focuses the field");
    // Typing in the field is not a shortcut: "f" and "u" in the title go into the text.
    await page.keyboard.type(TASK);
    assert.equal(await title.inputValue(), TASK);
    await page.getByLabel("Owner", { exact: true }).selectOption({ label: `Me (${ADMIN.name})` });
    await page.getByRole("button", { name: "Add task" }).click();

    const task = page
      .getByRole("list", { name: "Open tasks" })
      .getByRole("listitem")
      .filter({ hasText: TASK });
    await task.getByText("yours").waitFor();
    assert.match((await task.getAttribute("class")) ?? "", /task-mine/);
    await task.getByRole("button", { name: `Start ${TASK}` }).click();
    await task.getByText("In progress", { exact: true }).waitFor();
    await page.locator(".timeline").getByText(`Task "${TASK}": added by`, { exact: false }).waitFor();
  });

  it("logs a hotfix: the proper-fix follow-up is due within 24 h, and the one-fix rule blocks a second", async () => {
    await blur(page);
    await page.keyboard.press("f");
    const description = page.getByLabel("What the fix does");
    assert.equal(await hasFocus(page, description), true);
    await page.getByRole("radio", { name: /^Hotfix/ }).check();
    await description.fill(HOTFIX);
    await page.getByRole("button", { name: "Log the fix" }).click();

    const fix = page.getByRole("list", { name: "Fix log" }).getByRole("listitem").filter({ hasText: HOTFIX });
    await fix.getByText("In progress", { exact: true }).waitFor();
    await fix.getByText("Proper fix due within 24 h").waitFor();
    await fix.getByText(/owned by you/).waitFor();
    const due = await fix.locator(".follow-up time").getAttribute("datetime");
    const hoursAhead = (new Date(due ?? "").getTime() - Date.now()) / 3_600_000;
    assert.ok(hoursAhead > 23.5 && hoursAhead <= 24, `due about 24 h from now, got ${hoursAhead} h`);

    // A second fix is refused before anyone submits: the button is disabled and says why.
    const logButton = page.getByRole("button", { name: "Log the fix" });
    assert.match(
      (await page.locator(".one-fix > p").first().textContent()) ?? "",
      /^One fix at a time\. Fix #1 \(hotfix: Raise the database pool size to 50\) is still in flight/,
    );
    assert.equal(await logButton.isDisabled(), true);
    await page.getByRole("checkbox", { name: /^Override the rule/ }).check();
    await page.getByLabel("Reason for the override").waitFor();
    await page.getByRole("button", { name: "Start this fix anyway" }).waitFor();
    await page.getByRole("checkbox", { name: /^Override the rule/ }).uncheck();
    assert.equal(await logButton.isDisabled(), true);
  });

  it("posts a public update from the template, and the reminder banner goes away", async () => {
    const banner = page.locator(".war-banner", { hasText: "A public update is required for an outage" });
    await page.getByRole("button", { name: "Write the public update" }).click();
    const message = page.getByLabel("Public message");
    assert.equal(await hasFocus(page, message), true);
    assert.match(await message.inputValue(), /^We are investigating an outage affecting Checkout API\./);
    assert.equal(await page.getByLabel("Public status").inputValue(), "investigating");
    await page.getByRole("button", { name: "Post public update" }).click();

    await banner.waitFor({ state: "detached" });
    const posted = page.getByRole("list", { name: "Posted public updates" }).getByRole("listitem");
    await posted.getByText(/^We are investigating an outage affecting Checkout API/).waitFor();
    await posted.getByText("Investigating", { exact: true }).waitFor();
    // From the top, so the sticky strip sits where it belongs in the full-page picture.
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: path.join(SCREENSHOTS, "war-room.png"), fullPage: true });
  });

  it("lists the keys on ?, and keeps them off while a field has focus", async () => {
    await blur(page);
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.getByText("Log a fix").waitFor();
    await help.getByText("Write a public update").waitFor();
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden" });

    await page.getByLabel("Internal update").focus();
    await page.keyboard.press("r");
    assert.equal(await page.getByLabel("Internal update").inputValue(), "r");
    await page.locator(".facts .state-acknowledged").waitFor();
    await page.getByLabel("Internal update").fill("");
  });

  it("shows my task on My tasks and the hotfix on the Follow-ups report", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: /^My tasks/ })
      .click();
    await page.getByRole("heading", { level: 1, name: "My tasks" }).waitFor();
    await page.locator(".task-title").getByText(TASK).waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Follow-ups" }).click();
    await page.getByRole("heading", { level: 1, name: "Follow-ups" }).waitFor();
    await page.getByRole("row", { name: /INC-1/ }).getByRole("cell", { name: "#1", exact: true }).waitFor();
  });

  it("keeps vendors in the Directory and the runbook in the service's response settings", async () => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Directory" }).click();
    await page.getByRole("heading", { level: 1, name: "Directory" }).waitFor();
    await page
      .getByRole("row", { name: new RegExp(OTHER.name) })
      .getByText("No phone on record")
      .waitFor();
    await page.getByLabel("Vendor", { exact: true }).fill("CloudCo");
    await page.getByLabel("Support phone").fill("+1 800 555 0100");
    await page.getByRole("button", { name: "Add vendor" }).click();
    const vendor = page.getByRole("heading", { level: 3, name: "CloudCo" }).locator("..");
    assert.equal(
      await vendor.getByRole("link", { name: "+1 800 555 0100" }).getAttribute("href"),
      "tel:+18005550100",
    );

    await nav.getByRole("link", { name: "Services" }).click();
    await page.getByRole("link", { name: "Checkout API" }).click();
    await page.getByRole("heading", { level: 3, name: "Incident response" }).waitFor();
    const watch = page.getByLabel("Watch after a fix (minutes)");
    assert.equal(await watch.inputValue(), "30", "the default watch");
    assert.equal(
      await page.getByLabel("Outage", { exact: true }).inputValue(),
      "24",
      "the default outage deadline",
    );
    await watch.fill("half an hour");
    await page.getByRole("button", { name: "Save response settings" }).click();
    await page.getByText("Watch after a fix (minutes) must be a whole number.").waitFor();
    assert.equal(await watch.getAttribute("aria-invalid"), "true");
    await watch.fill("45");
    await page.getByLabel("Runbook URL").fill("https://wiki.example.com/runbooks/checkout");
    await page.getByRole("button", { name: "Save response settings" }).click();
    await page.getByText("Incident response settings saved.").waitFor();

    await page.goto(`${baseUrl}${incidentPath}`);
    const runbook = page.getByRole("link", { name: "Open the runbook" });
    assert.equal(await runbook.getAttribute("href"), "https://wiki.example.com/runbooks/checkout");
  });

  it("takes a phone on My account and from an admin, and the Directory dials it", async () => {
    await page.goto(`${baseUrl}/settings/account`);
    const mine = page.getByLabel("Phone", { exact: true });
    await page.getByText("Shown to responders in an incident's Directory, so they can call you.").waitFor();
    await mine.fill("call me at 3 am");
    await page.getByRole("button", { name: "Save phone" }).click();
    await page.getByText("Phone must be a phone number such as +49 30 1234567.").waitFor();
    assert.equal(await mine.getAttribute("aria-invalid"), "true");
    await mine.fill(" +49 30 1234567 ");
    await page.getByRole("button", { name: "Save phone" }).click();
    await page.getByText("Your phone is saved.").waitFor();
    assert.equal(await mine.inputValue(), "+49 30 1234567", "stored trimmed");

    // An admin sets someone else's, from Settings → Users.
    await page.goto(`${baseUrl}/settings/users`);
    await page.getByRole("button", { name: `Phone of ${OTHER.name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Phone of ${OTHER.name}` });
    await dialog.getByLabel("Phone", { exact: true }).fill("(030) 765-4321");
    await dialog.getByRole("button", { name: "Save phone" }).click();
    await page.getByText(`${OTHER.name}'s phone is now (030) 765-4321.`).waitFor();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Directory" }).click();
    await page.getByRole("heading", { level: 1, name: "Directory" }).waitFor();
    // The profile phone carries the label "Phone" beside its number.
    const dial = async (name: string, number: string) =>
      page
        .getByRole("row", { name: new RegExp(name) })
        .getByRole("link", { name: `${number} (Phone)`, exact: true })
        .getAttribute("href");
    assert.equal(await dial(ADMIN.name, "+49 30 1234567"), "tel:+49301234567");
    assert.equal(await dial(OTHER.name, "(030) 765-4321"), "tel:0307654321");
  });

  it("works on a 390 px phone: one column, big buttons, no sideways scrolling", async () => {
    const phone = await browser.newContext(PHONE);
    try {
      const tab = await phone.newPage();
      tab.on("pageerror", (err) => pageErrors.push(err.message));
      await signInAt(tab, `${baseUrl}${incidentPath}`, ADMIN);
      await tab.getByRole("heading", { level: 1, name: TITLE }).waitFor();
      await tab.locator(".war-handler").getByText(ADMIN.name).waitFor();
      await tab.getByRole("list", { name: "Fix log" }).waitFor();

      assert.ok(
        await tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"),
        "no sideways scrolling",
      );
      const resolve = await tab.getByRole("button", { name: "Resolve", exact: true }).boundingBox();
      assert.ok(
        resolve && resolve.height >= 44 && resolve.y + resolve.height < 844,
        `Resolve is big and on the first screen: ${JSON.stringify(resolve)}`,
      );
      // One column: the timeline sits below the tasks, not beside them.
      const tasks = await tab.getByRole("heading", { name: /^Tasks/ }).boundingBox();
      const timeline = await tab.getByRole("heading", { name: "Timeline" }).boundingBox();
      assert.ok(tasks && timeline && timeline.y > tasks.y && Math.abs(timeline.x - tasks.x) < 30);
      for (const name of ["Done " + TASK, "Mark deployed (fix #1)"]) {
        const box = await tab.getByRole("button", { name }).boundingBox();
        assert.ok(box && box.height >= 44, `${name} is a big target: ${JSON.stringify(box)}`);
      }
      await tab.screenshot({ path: path.join(SCREENSHOTS, "war-room-phone.png") });
    } finally {
      await phone.close();
    }
  });

  it("hands the handler role over only when the other person accepts, live on both pages", async () => {
    await page.goto(`${baseUrl}${incidentPath}`);
    const people = page.getByRole("region", { name: "People" });
    await people.getByLabel("Hand the handler role to").selectOption({ label: OTHER.name });
    await people.getByRole("button", { name: "Offer the role" }).click();
    await page.locator(".war-handler").getByText(`pending handover to ${OTHER.name}`).waitFor();
    await page.locator(".war-handler").getByText(ADMIN.name).waitFor();

    const second = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
    try {
      const tab = await second.newPage();
      tab.on("pageerror", (err) => pageErrors.push(err.message));
      await signInAt(tab, `${baseUrl}${incidentPath}`, OTHER);
      await tab.getByText(`${ADMIN.name} offers you the Incident Handler role.`).waitFor();
      await tab.getByRole("button", { name: "Accept the handler role" }).click();
      await tab.getByText("You are the Incident Handler now.").waitFor();
      await tab.locator(".war-handler").getByText("you", { exact: true }).waitFor();
    } finally {
      await second.close();
    }
    // The first page follows without a reload, through the incident stream.
    await page.locator(".war-handler").getByText(OTHER.name).waitFor();
    await page.locator(".war-handler .pending-handover").waitFor({ state: "detached" });
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});

/** Takes focus out of any field, so that the next key press is a shortcut. */
const blur = (page: Page) => page.evaluate("document.activeElement && document.activeElement.blur()");

/** Whether the field has the keyboard focus. */
const hasFocus = async (page: Page, field: Locator) =>
  (await page.evaluate("document.activeElement && document.activeElement.id")) ===
  (await field.getAttribute("id"));
