// The incident list and page as a responder meets them at 3 am, in a real browser: a title of one
// long word wraps on the incident's page and takes at most three lines in the list (the whole title
// on hover); "Page someone" pages no service until one is chosen; and when the server goes away the
// list says, after a few seconds, that it may be out of date and since when, until it is back.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { setupCaller } from "../support/alerting-setup.js";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import { startHttpRelay, type HttpRelay } from "../support/http-relay.js";
import {
  apiCreator,
  describeInBrowser,
  launchBrowser,
  openPage,
  SCREENSHOTS,
  signInAt,
  startConsoleFirebreak,
} from "./browser-kit.js";

const LONG_TITLE = "y".repeat(300);
const WIDTH = 1366;

describeInBrowser("console: the incident list at night (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let relay: HttpRelay;
  let adminKey = "";
  const pageErrors: string[] = [];
  const post = (url: string, body: unknown) => apiCreator(baseUrl, adminKey)(url, body);
  const openIncidents = async () => {
    const res = await fetch(`${baseUrl}/api/v1/incidents?state=triggered`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    return (await res.json()) as Array<{ number: number; title: string; serviceId: string }>;
  };
  const noSidewaysScroll = () =>
    page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth");

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    relay = await startHttpRelay(baseUrl);
    adminKey = await fb.apiKey("admin");
    const admin = await fb.user("admin", "night@example.com");
    // Someone a page can reach (a page that reaches nobody keeps the dialog open to say so).
    await addContactMethod(fb.running.deps, setupCaller, {
      userId: admin.id,
      kind: "webhook",
      label: "Pager relay",
      config: { url: "http://127.0.0.1:9/page" },
    });
    const policy = await post("/api/v1/escalation-policies", {
      name: "Checkout primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: admin.id }] }],
      repeatCount: 0,
    });
    // First by name, and without a policy: what the dialog used to preselect.
    await post("/api/v1/services", { name: "Batch jobs" });
    const checkout = await post("/api/v1/services", { name: "Checkout API", escalationPolicyId: policy.id });
    await post("/api/v1/incidents", { service: checkout.id, summary: LONG_TITLE });
    await post("/api/v1/incidents", { service: checkout.id, summary: "Checkout returns 503" });

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: WIDTH, height: 850 }, colorScheme: "light", locale: "en-GB", timezoneId: "UTC" },
      pageErrors,
    );
    await signInAt(page, `${relay.url}/incidents`, admin);
    await page.getByRole("heading", { level: 1, name: "Incidents" }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await relay?.down();
    await fb?.close();
  });

  it("keeps a title of one long word to three lines in the list, the whole of it on hover", async () => {
    await page.getByText(/^Live:/).waitFor();
    const title = page.locator(".incident-title-link", { hasText: "yyyy" });
    await title.waitFor();
    assert.equal(await title.getAttribute("title"), LONG_TITLE);
    const box = await title.evaluate((el) => ({
      height: el.getBoundingClientRect().height,
      line: parseFloat(el.ownerDocument.defaultView?.getComputedStyle(el).lineHeight ?? ""),
      clipped: el.scrollHeight > el.clientHeight,
    }));
    assert.ok(box.height <= 3 * box.line + 1, `at most three lines: ${JSON.stringify(box)}`);
    assert.ok(box.clipped, "the rest is cut off (with an ellipsis)");
    assert.ok(await noSidewaysScroll(), "the list is no wider than the window");
  });

  it("wraps the long title on the incident's page, which stays as wide as the window", async () => {
    await page.locator(".incident-title-link", { hasText: "yyyy" }).click();
    const heading = page.getByRole("heading", { level: 1, name: LONG_TITLE });
    await heading.waitFor();
    await page.getByRole("button", { name: "Acknowledge" }).waitFor();
    assert.ok(await noSidewaysScroll(), "no sideways scrolling on the incident's page");
    const headingBox = await heading.boundingBox();
    assert.ok(headingBox && headingBox.x + headingBox.width <= WIDTH, JSON.stringify(headingBox));
    // Folded to three lines, so Acknowledge stays on the first screen; the whole title on request.
    const lines = () =>
      heading.evaluate(
        (el) =>
          el.clientHeight /
          parseFloat(el.ownerDocument.defaultView?.getComputedStyle(el).lineHeight ?? "NaN"),
      );
    assert.ok((await lines()) <= 3.05, `three lines at most: ${await lines()}`);
    const ack = await page.getByRole("button", { name: "Acknowledge" }).boundingBox();
    assert.ok(ack && ack.y + ack.height <= (page.viewportSize()?.height ?? 0), JSON.stringify(ack));
    await page.getByRole("button", { name: "Show the whole title" }).click();
    assert.ok((await lines()) > 3, "the whole title once asked for");
    await page.getByRole("button", { name: "Show less of the title" }).click();
    // The task form comes after triage ("Triage first" until then); triaged from the tasks panel.
    const tasks = page.locator("section", { has: page.locator("#tasks") });
    await tasks.getByRole("button", { name: "Triage now" }).click();
    const triage = page.getByRole("dialog", { name: /^Triage INC-/ });
    await triage.getByRole("radio", { name: /^SEV2/ }).check();
    await triage.getByRole("radio", { name: /^Outage/ }).check();
    await triage.getByRole("button", { name: "Triage and acknowledge" }).click();
    await triage.waitFor({ state: "hidden" });
    // The task owner select shows its whole choice, not "Nobody y".
    const owner = page.getByLabel("Owner", { exact: true });
    assert.equal(await owner.locator("option:checked").textContent(), "Nobody yet");
    // What the chosen option's words need, against the room inside the select's padding.
    const fit = await owner.evaluate((el) => {
      const style = el.ownerDocument.defaultView?.getComputedStyle(el);
      const context = el.ownerDocument.createElement("canvas").getContext("2d");
      if (!style || !context) return { needed: Infinity, room: 0 };
      context.font = style.font;
      const text = (el as unknown as { selectedOptions: ArrayLike<{ textContent: string }> })
        .selectedOptions[0]?.textContent;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { needed: context.measureText(text ?? "").width, room };
    });
    assert.ok(fit.needed <= fit.room, `the owner select shows its whole choice: ${JSON.stringify(fit)}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, "incident-long-title.png") });
  });

  it("“Page someone” pages no service until one is chosen, warning of a service that pages nobody", async () => {
    await page.goto(`${relay.url}/incidents`);
    await page.getByText(/^Live:/).waitFor();
    const before = (await openIncidents()).length;
    await page.getByRole("button", { name: "Page someone" }).click();
    const dialog = page.getByRole("dialog", { name: "Page someone" });
    const service = dialog.getByLabel("Service");
    assert.equal(await service.locator("option:checked").textContent(), "Choose a service…");
    await dialog.getByLabel("What is wrong").fill("Payments fail for every customer");
    await dialog.getByRole("button", { name: "Page now" }).click();
    // The browser holds the form back on the empty choice; nothing is paged.
    assert.equal(
      await service.evaluate(
        (el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing,
      ),
      true,
    );
    assert.ok(await dialog.isVisible(), "the dialog stays open");
    assert.equal((await openIncidents()).length, before, "no incident was opened");

    await service.selectOption({ label: "Batch jobs" });
    await dialog.getByText("Batch jobs has no escalation policy: nobody will be paged.").waitFor();
    await service.selectOption({ label: "Checkout API" });
    assert.equal(await dialog.getByText(/has no escalation policy/).count(), 0);
    await dialog.getByRole("button", { name: "Page now" }).click();
    await page.getByRole("heading", { level: 1, name: "Payments fail for every customer" }).waitFor();
    await page.getByText("Checkout primary, step 1 of 1").waitFor();

    // Paged anyway, a service that pages nobody says so before the incident's page hides it.
    await page.goto(`${relay.url}/incidents`);
    await page.getByText(/^Live:/).waitFor();
    await page.getByRole("button", { name: "Page someone" }).click();
    await dialog.getByLabel("Service").selectOption({ label: "Batch jobs" });
    await dialog.getByLabel("What is wrong").fill("Nightly export is stuck");
    await dialog.getByRole("button", { name: "Page now" }).click();
    await dialog
      .getByRole("alert")
      .getByText(/^INC-\d+ is open, but nobody was paged\./)
      .waitFor();
    await dialog.getByRole("button", { name: /^Open INC-\d+$/ }).click();
    await page.getByRole("heading", { level: 1, name: "Nightly export is stuck" }).waitFor();
  });

  it("warns that the list may be out of date while the server is gone, and since when", async () => {
    await page.goto(`${relay.url}/incidents`);
    await page.getByText(/^Live:/).waitFor();
    const warning = page.getByRole("alert").filter({ hasText: "No live connection to Firebreak" });
    // The list loads again just after the stream connects; let that finish first.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1000)));

    await relay.down();
    await page.getByText("Connecting for live updates…").waitFor();
    assert.equal(await warning.count(), 0, "a moment's break says nothing yet");
    // Meanwhile an incident opens that the list cannot hear of.
    await post("/api/v1/incidents", { service: "Checkout API", summary: "Card payments time out" });

    await warning.waitFor({ timeout: 30_000 });
    const text = (await warning.textContent()) ?? "";
    assert.match(text, /this list may be out of date/);
    assert.match(text, /Last updated \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC \(under a minute ago\)/);
    assert.equal(await page.getByRole("row", { name: /Card payments time out/ }).count(), 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "incidents-server-down.png") });

    await relay.up();
    await page.getByText(/^Live:/).waitFor({ timeout: 30_000 });
    await warning.waitFor({ state: "detached" });
    // Back: the list catches up on what it missed.
    await page.getByRole("row", { name: /Card payments time out/ }).waitFor();
  });

  it("raised no page errors", () => {
    assert.deepEqual(pageErrors, []);
  });
});
