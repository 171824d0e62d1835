// From nothing to a page, in a real browser: the first admin adds how to be reached, an escalation
// policy, a service and an Alertmanager integration through the console; an alert posted to the
// integration's URL shows up on the Incidents page live (no reload), and is acknowledged with `a`.
// Times name their zone; keyboard users keep their place after a button that works for a while.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  claimFirstAdmin,
  describeInBrowser,
  launchBrowser,
  openPage,
  PHONE,
  SCREENSHOTS,
  signInAt,
  startConsoleFirebreak,
} from "./browser-kit.js";

const ADMIN = { email: "grace@example.com", name: "Grace Hopper", password: "nanoseconds are 30 cm" };
const SUMMARY = "Checkout error rate above 5% for 10 minutes";

/** Stands in for a pager: /ok takes messages, /gone refuses them for good. */
function startPager(): Promise<{ server: Server; url: string; received: string[] }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.push(req.url ?? "");
      res.writeHead(req.url === "/ok" ? 200 : 410).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

function alertmanagerBody(startsAt: Date) {
  const labels = {
    alertname: "HighErrorRate",
    severity: "critical",
    service: "checkout",
    cluster: "eu-west-1",
  };
  return {
    version: "4",
    status: "firing",
    receiver: "firebreak",
    groupKey: '{}:{alertname="HighErrorRate"}',
    groupLabels: { alertname: "HighErrorRate" },
    commonLabels: labels,
    commonAnnotations: { summary: SUMMARY },
    externalURL: "http://alertmanager.example.com:9093",
    alerts: [
      {
        status: "firing",
        labels,
        annotations: { summary: SUMMARY, runbook_url: "https://runbooks.example.com/checkout/errors" },
        startsAt: startsAt.toISOString(),
        generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=checkout_errors",
      },
    ],
  };
}

describeInBrowser("console: incidents (browser)", () => {
  let fb: TestFirebreak;
  let pager: Awaited<ReturnType<typeof startPager>>;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let integrationUrl = "";
  const pageErrors: string[] = [];
  const nav = () => page.getByRole("navigation", { name: "Main" });
  /** The accessible text of the focused element: where a keyboard user is. */
  const focused = () => page.evaluate<string>('document.activeElement?.textContent ?? ""');

  before(async () => {
    pager = await startPager();
    ({ fb, baseUrl } = await startConsoleFirebreak());
    browser = await launchBrowser();
    page = await openPage(
      browser,
      {
        viewport: { width: 1280, height: 800 },
        colorScheme: "light",
        locale: "en-GB",
        timezoneId: "Europe/Berlin",
      },
      pageErrors,
    );
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
    pager?.server.close();
  });

  it("sets up the admin, two contact methods and their tests", async () => {
    await claimFirstAdmin(page, fb, ADMIN);

    await nav().getByRole("link", { name: "Settings" }).click();
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Notifications" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    await page.getByText("You have no contact methods").waitFor();

    for (const [label, where] of [
      ["Pager webhook", "ok"],
      ["Old pager", "gone"],
    ] as const) {
      await page.getByLabel("Kind", { exact: true }).selectOption("webhook");
      await page.getByLabel("Label", { exact: true }).fill(label);
      await page.getByLabel("Webhook URL", { exact: true }).fill(`${pager.url}/${where}`);
      await page.getByRole("button", { name: "Add contact method" }).click();
      await page.getByRole("heading", { level: 3, name: label }).waitFor();
      const test = page.getByRole("button", { name: `Send me a test notification by ${label}` });
      await test.focus();
      await page.keyboard.press("Enter");
      const outcome =
        where === "ok" ? /^Delivered: the test message went to Pager webhook/ : /^Not delivered: .*410/;
      await page.getByText(outcome).waitFor();
      assert.equal(await focused(), `Send me a test notification by ${label}`, "the focus stays on it");
    }
    assert.deepEqual(pager.received, ["/ok", "/gone"]);
    assert.equal(
      await page.getByText(/^Delivered: the test message went to Pager webhook/).count(),
      1,
      "testing the second method leaves the first one's result in place",
    );
  });

  it("creates an escalation policy with the step editor, errors on the right field", async () => {
    await nav().getByRole("link", { name: "Escalation policies" }).click();
    await page.getByRole("heading", { level: 1, name: "Escalation policies" }).waitFor();
    await page.getByRole("link", { name: "New escalation policy" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Primary on-call");
    // Chosen but "Add" never pressed: the picker shows the person, so saving pages them.
    await page.getByLabel("Add to step 1").selectOption({ label: ADMIN.name });

    const delay = page.getByLabel("Minutes to wait at step 1");
    // A negative or huge number gets the field's range from the server, not "must be a whole number".
    for (const wrong of ["-5", "0", "99999999"]) {
      await delay.fill(wrong);
      await page.getByRole("button", { name: "Create policy" }).click();
      await page
        .getByText("Minutes to wait at step 1 must be a whole number of minutes from 1 to 1440.")
        .waitFor();
    }
    await page.getByRole("list", { name: "Paged at step 1" }).getByText(ADMIN.name).waitFor();
    assert.equal(await page.getByText("Needs at least one target.").count(), 0);
    assert.equal(
      await delay.getAttribute("aria-invalid"),
      "true",
      "the server's /steps/0/delayMinutes lands on its field",
    );

    await delay.fill("10");
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.getByText("Saved “Primary on-call”.").waitFor();
    await page.getByRole("heading", { level: 3, name: "Primary on-call" }).waitFor();
  });

  it("creates a service and an Alertmanager integration, with its URL and snippets", async () => {
    await nav().getByRole("link", { name: "Services" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Checkout API");
    await page.getByLabel("Escalation policy", { exact: true }).selectOption({ label: "Primary on-call" });
    await page.getByLabel("Description", { exact: true }).fill("Takes payments for the web shop.");
    await page.getByRole("button", { name: "Create service" }).click();
    await page.getByRole("heading", { level: 1, name: "Checkout API" }).waitFor();

    await page.getByLabel("Sends from").selectOption("alertmanager");
    await page.getByLabel("Name", { exact: true }).first().fill("prod Alertmanager");
    await page.getByRole("button", { name: "Add integration" }).click();
    await page.getByRole("heading", { level: 3, name: "prod Alertmanager" }).waitFor();

    const url = page.getByLabel("URL of prod Alertmanager", { exact: true });
    assert.match(
      (await url.textContent()) ?? "",
      /\/integrations\/alertmanager\/••••••••/,
      "the key is masked at first",
    );
    await page.getByRole("button", { name: "Show key" }).click();
    integrationUrl = ((await url.textContent()) ?? "").trim();
    assert.match(integrationUrl, /^http:\/\/.+\/integrations\/alertmanager\/[^•\s]+$/);
    const snippet = page.getByLabel(
      "Alertmanager: alertmanager.yml (a whole file; or copy the receiver and route to it)",
      { exact: true },
    );
    assert.ok(
      (await snippet.textContent())?.includes(`url: "${integrationUrl}"`),
      "the snippet carries the URL",
    );
    await page.getByRole("button", { name: "Copy Send a test alert with curl" }).waitFor();
  });

  it("a heartbeat: its ranges checked on their fields, disabled and enabled from the keyboard", async () => {
    await page.getByLabel("Sends from").selectOption("heartbeat");
    await page.getByLabel("Name", { exact: true }).first().fill("nightly backup");
    const every = page.getByLabel("Check-in every (seconds)");
    // An emptied field is not 0 seconds, and the range reads as a sentence on its field.
    for (const [typed, said] of [
      ["", "Check-in every (seconds) must be a whole number."],
      ["5", "Check-in every (seconds) must be from 10 to 604800 seconds (7 days)."],
    ] as const) {
      await every.fill(typed);
      await page.getByRole("button", { name: "Add integration" }).click();
      await page.getByText(said, { exact: true }).waitFor();
      assert.equal(await every.getAttribute("aria-invalid"), "true");
    }
    await every.fill("3600");
    await page.getByRole("button", { name: "Add integration" }).click();
    await page.getByRole("heading", { level: 3, name: "nightly backup" }).waitFor();

    // Each card's buttons name their integration, and a confirmed action leaves the focus in place.
    await page.getByRole("button", { name: "Show key of nightly backup" }).waitFor();
    await page.getByRole("button", { name: "Disable nightly backup" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("dialog", { name: "Disable this integration?" }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByText("nightly backup: Disabled.").waitFor();
    assert.equal(await focused(), "Enable nightly backup");
    await page.keyboard.press("Enter");
    await page.getByText("nightly backup: Enabled.").waitFor();
    assert.equal(await focused(), "Disable nightly backup");
    // Left disabled: its check-ins never come, and it must not open an incident in the steps below.
    await page.keyboard.press("Enter");
    await page
      .getByRole("dialog", { name: "Disable this integration?" })
      .getByRole("button", { name: "Disable" })
      .click();
    await page.getByText("nightly backup: Disabled.").waitFor();
  });

  it("adds a weekly maintenance window, the server's error on its field, and deletes it", async () => {
    await page.getByLabel("Repeats").selectOption("weekly");
    await page.getByRole("checkbox", { name: "Tuesday" }).check();
    await page.getByRole("checkbox", { name: "Thursday" }).check();
    const zone = page.getByLabel("Time zone", { exact: true });
    await zone.fill("Mars/Olympus");
    await page.getByRole("button", { name: "Add maintenance window" }).click();
    await page.getByText("Time zone unknown time zone Mars/Olympus.").waitFor();
    assert.equal(await zone.getAttribute("aria-invalid"), "true", "/window/timeZone lands on its field");

    await zone.fill("Europe/Berlin");
    await page.getByLabel("Reason", { exact: true }).fill("Kernel patches");
    await page.getByRole("button", { name: "Add maintenance window" }).click();
    const row = page.getByRole("row", { name: /Kernel patches/ });
    await row.getByRole("rowheader", { name: "Tue, Thu 02:00 for 60 min (Europe/Berlin)" }).waitFor();

    // Deleted again, so that the alert below pages whatever the time of the test run.
    await row.getByRole("button", { name: /^Delete/ }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this maintenance window?" });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await row.waitFor({ state: "detached" });
    await page.getByText("No maintenance windows.").waitFor();
  });

  it("says a service is in maintenance on its page and in the list of services, until the window goes", async () => {
    const heading = await page.getByRole("heading", { level: 1 }).textContent();
    await page.getByLabel("Repeats").selectOption("one-off"); // from now, for an hour: the form's default
    await page.getByLabel("Reason", { exact: true }).fill("Failover drill");
    await page.getByRole("button", { name: "Add maintenance window" }).click();
    const notice = page.getByRole("note").filter({ hasText: "In maintenance until" });
    await notice.getByText(`alerts of ${heading} are recorded but page nobody`).waitFor();

    await nav().getByRole("link", { name: "Services" }).click();
    const row = page.getByRole("row", { name: new RegExp(heading ?? "") });
    await row.getByText(/^In maintenance until /).waitFor();
    await row.getByRole("link", { name: heading ?? "" }).click();

    // Deleted again, so that the alert below pages.
    await page
      .getByRole("row", { name: /Failover drill/ })
      .getByRole("button", { name: /^Delete/ })
      .click();
    await page
      .getByRole("dialog", { name: "Delete this maintenance window?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await page.getByText("No maintenance windows.").waitFor();
    await notice.waitFor({ state: "detached" });
  });

  it("shows an alert's incident live, and acknowledges it with the keyboard", async () => {
    await nav().getByRole("link", { name: "Incidents" }).click();
    await page.getByText("Nothing is open.").waitFor();
    await page.getByText(/^Live:/).waitFor();
    await page.evaluate(() => Object.assign(globalThis, { stillTheSamePage: true }));

    const sent = await fetch(`${baseUrl}${new URL(integrationUrl).pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(alertmanagerBody(new Date(Date.now() - 11 * 60_000))),
    });
    assert.equal(sent.status, 200);
    assert.equal(((await sent.json()) as { incidentsOpened: number }).incidentsOpened, 1);

    const row = page.getByRole("row", { name: new RegExp(SUMMARY) });
    await row.getByText("Triggered").waitFor();
    assert.equal(await page.evaluate(() => "stillTheSamePage" in globalThis), true, "no reload");
    assert.ok((await row.textContent())?.includes("Checkout API"));
    await page.screenshot({ path: path.join(SCREENSHOTS, "incidents.png") });

    await row.getByRole("link", { name: "INC-1" }).click();
    await page.getByRole("heading", { level: 1, name: SUMMARY }).waitFor();
    // The pages go out in the background; the page shows their outcome as it comes, failures flagged.
    await page.getByText(`Notified ${ADMIN.name} by webhook (Pager webhook)`).waitFor();
    const failed = page.locator(".timeline-problem", { hasText: "Old pager" });
    await failed.getByText("Problem:").waitFor();
    await page.getByText("One notification failed below: someone may not have been reached.").waitFor();
    await page.getByText("Primary on-call, step 1 of 1").waitFor();
    await page.getByText("alertname=HighErrorRate").waitFor();
    // A time read out on a call must not be taken for another zone's: dates name it, the timeline once.
    assert.match((await page.locator(".facts time").first().textContent()) ?? "", /\d\d:\d\d CES?T$/);
    await page.getByText("Times in Europe/Berlin.").waitFor();

    await page.keyboard.press("a");
    // `a` acknowledges at once, then offers triage (see war-room.test.ts); cancelling keeps the acknowledgement.
    await page
      .getByRole("dialog", { name: /^Triage INC-/ })
      .getByRole("button", { name: "Cancel" })
      .click();
    // Acknowledging names no handler: the banner must not say "you are handling it".
    await page
      .getByRole("status")
      .getByText("Acknowledged: the escalation has stopped. Triage names an Incident Handler.")
      .waitFor();
    await page
      .getByRole("listitem")
      .filter({ hasText: `Acknowledged by ${ADMIN.name}` })
      .waitFor();
    await page.locator(".facts .state-acknowledged").waitFor();
    await page.locator(".facts").getByText(`by ${ADMIN.name},`).waitFor();
    await page.getByRole("button", { name: "Acknowledge" }).waitFor({ state: "detached" });
    await page.screenshot({ path: path.join(SCREENSHOTS, "incident.png"), fullPage: true });
  });

  it("works on a phone: the big buttons first, nothing wider than the screen", async () => {
    await fetch(`${baseUrl}${new URL(integrationUrl).pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ...alertmanagerBody(new Date()),
        groupKey: "{}:{other}",
        alerts: [
          {
            status: "firing",
            labels: { alertname: "DiskFull", instance: "db-1" },
            annotations: { summary: "Disk 95% full on db-1" },
          },
        ],
      }),
    });
    const phone = await browser.newContext(PHONE);
    try {
      const tab = await phone.newPage();
      tab.on("pageerror", (err) => pageErrors.push(err.message));
      await signInAt(tab, `${baseUrl}/incidents/2`, ADMIN);
      await tab.getByRole("heading", { level: 1, name: "Disk 95% full on db-1" }).waitFor();
      const ack = tab.getByRole("button", { name: "Acknowledge" });
      const box = await ack.boundingBox();
      assert.ok(
        box && box.y + box.height < 844 && box.height >= 44,
        `Acknowledge is big and on the first screen: ${JSON.stringify(box)}`,
      );
      assert.ok(
        await tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"),
        "no sideways scrolling",
      );
      await tab.screenshot({ path: path.join(SCREENSHOTS, "incident-phone.png") });

      await ack.click();
      await tab.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
      await tab.getByText(`Acknowledged by ${ADMIN.name}`).waitFor();
      // Beside Acknowledge on a phone: a tap asks first, and the dialog says what resolving does.
      await tab.getByRole("button", { name: "Resolve" }).click();
      const ask = tab.getByRole("dialog", { name: "Resolve INC-2?" });
      await ask
        .getByText(
          /^The incident closes\. Its firing alert is marked resolved too; if the problem is still there/,
        )
        .waitFor();
      await ask.getByRole("button", { name: "Resolve" }).click();
      await tab.getByRole("status").getByText("Resolved.").waitFor();
    } finally {
      await phone.close();
    }
    await page.goto(`${baseUrl}/incidents?state=resolved`);
    await page
      .getByRole("row", { name: /Disk 95% full on db-1/ })
      .getByText("Resolved")
      .waitFor();

    await page.getByRole("button", { name: "Page someone" }).click();
    const dialog = page.getByRole("dialog", { name: "Page someone" });
    await dialog.getByLabel("Service").selectOption({ label: "Checkout API" });
    await dialog.getByLabel("What is wrong").fill("Payments fail for every customer");
    await dialog.getByRole("button", { name: "Page now" }).click();
    await page.getByRole("heading", { level: 1, name: "Payments fail for every customer" }).waitFor();
    await page.getByText("Primary on-call, step 1 of 1").waitFor();
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });

  it("an alert storm: the count, the first hundred alerts, and the rest on demand", async () => {
    const STORM = 130;
    const sent = await fetch(`${baseUrl}${new URL(integrationUrl).pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ...alertmanagerBody(new Date()),
        groupKey: '{}:{alertname="InstanceDown"}',
        commonAnnotations: { summary: "Fleet down" },
        alerts: Array.from({ length: STORM }, (_, i) => ({
          status: "firing",
          labels: { alertname: "InstanceDown", instance: `node-${i}` },
          annotations: { summary: `node-${i} is down` },
          startsAt: new Date(Date.now() - (STORM - i) * 1_000).toISOString(),
        })),
      }),
    });
    assert.equal(sent.status, 200);
    await page.goto(`${baseUrl}/incidents`);
    await page
      .getByRole("row", { name: /node-0 is down/ })
      // The title opens the incident too, as people expect of a list row.
      .getByRole("link", { name: /node-0 is down/ })
      .click();
    await page.getByRole("heading", { name: `Alerts (${STORM})` }).waitFor();
    const cards = page.locator(".alert-list > li");
    assert.equal(await cards.count(), 100);
    await page.getByText(`Showing 100 of ${STORM} alerts.`).waitFor();
    await page.getByText(/^29 more “alert added” and “alert resolved” entries are not listed here/).waitFor();
    await page.locator("#alerts").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, "incident-alert-storm.png") });
    await page.getByRole("button", { name: "Show 30 more" }).click();
    await page.getByText(`node-${STORM - 1} is down`).waitFor();
    assert.equal(await cards.count(), STORM);
    await page.getByRole("button", { name: /^Show \d+ more$/ }).waitFor({ state: "detached" });
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });

  it("resolves and escalates only after asking, Enter confirming and Escape not", async () => {
    // The alert storm's incident: still triggered, with its 130 alerts firing.
    await page.reload();
    await page.locator(".facts .state-triggered").waitFor();
    await page.evaluate("document.activeElement && document.activeElement.blur()");
    await page.keyboard.press("r");
    const ask = page.getByRole("dialog", { name: /^Resolve INC-\d+\?$/ });
    await ask
      .getByText(
        "Its 130 firing alerts are marked resolved too; if the problem is still there, the sender may " +
          "not alert again for hours.",
      )
      .waitFor();
    assert.equal(await focused(), "Resolve", "the confirm button has the focus");
    await page.keyboard.press("Escape");
    await ask.waitFor({ state: "hidden" });
    await page.keyboard.press("e");
    const escalate = page.getByRole("dialog", { name: /^Escalate INC-\d+\?$/ });
    await escalate.getByText("The next step of Primary on-call is paged now.").waitFor();
    await page.keyboard.press("Escape");
    await escalate.waitFor({ state: "hidden" });
    // Nothing happened: still triggered, on the server too.
    await page.reload();
    await page.locator(".facts .state-triggered").waitFor();
    assert.equal(
      await page
        .getByRole("status")
        .getByText(/^(Resolved|Escalated)/)
        .count(),
      0,
    );

    await page.keyboard.press("r");
    await ask.waitFor();
    await page.keyboard.press("Enter");
    await page.getByRole("status").getByText("Resolved.").waitFor();
    await page.locator(".facts .state-resolved").waitFor();
    await ask.waitFor({ state: "hidden" });
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});
