// The incident list and Home say when a triggered incident's escalation pages next, in a real browser:
// "step 2 at 03:14 (in 5 min)" from the list's nextEscalationAt, counting down without a reload;
// an acknowledged incident says nothing there.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { setupCaller } from "../support/alerting-setup.js";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  describeInBrowser,
  launchBrowser,
  openPage,
  signInAt,
  startConsoleFirebreak,
} from "./browser-kit.js";

describeInBrowser("console: the incident list says when the next step pages (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey = "";
  let paging = 0;
  let acked = 0;
  /** "03:14": the next step's hour and minute in UTC, the browser's zone here. */
  let nextClock = "";
  const pageErrors: string[] = [];
  const rowOf = (number: number) =>
    page.getByRole("row").filter({ has: page.getByRole("link", { name: `INC-${number}` }) });

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    const admin = await fb.user("admin", "next-page@example.com");
    await addContactMethod(fb.running.deps, setupCaller, {
      userId: admin.id,
      kind: "webhook",
      label: "Pager relay",
      config: { url: "http://127.0.0.1:9/page" },
    });
    const policy = await post("/api/v1/escalation-policies", {
      name: "Payments primary",
      steps: [
        { delayMinutes: 5, targets: [{ kind: "user", userId: admin.id }] },
        { delayMinutes: 10, targets: [{ kind: "user", userId: admin.id }] },
      ],
      repeatCount: 0,
    });
    const service = await post("/api/v1/services", { name: "Payments", escalationPolicyId: policy.id });
    acked = (await post("/api/v1/incidents", { service: service.id, summary: "Refunds are slow" })).number!;
    const ack = await fetch(`${baseUrl}/api/v1/incidents/${acked}/acknowledge`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}` },
    });
    assert.equal(ack.status, 200);
    paging = (await post("/api/v1/incidents", { service: service.id, summary: "Card payments fail" }))
      .number!;
    const listed = (await (
      await fetch(`${baseUrl}/api/v1/incidents?state=triggered`, {
        headers: { authorization: `Bearer ${adminKey}` },
      })
    ).json()) as Array<{ number: number; nextEscalationAt: string | null }>;
    const next = listed.find((i) => i.number === paging)?.nextEscalationAt;
    assert.ok(next, "the list says when it pages next");
    nextClock = next.slice(11, 16);

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB", timezoneId: "UTC" },
      pageErrors,
    );
    // The page's clock runs as the real one until a test moves it on.
    await page.clock.install();
    await signInAt(page, `${baseUrl}/incidents`, admin);
    await page.getByRole("heading", { level: 1, name: "Incidents" }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  /** The minutes the row counts down, as shown now. */
  let minutesShown = 0;

  it("shows when a triggered incident's next step pages, and nothing for an acknowledged one", async () => {
    const cell = rowOf(paging).locator(".incident-next-page");
    await cell.getByText(new RegExp(`^step 2 at ${nextClock} \\(in \\d min\\)$`)).waitFor();
    minutesShown = Number(/in (\d) min/.exec(await cell.innerText())?.[1]);
    // Five minutes from when it opened, rounded up; a slow machine may have lost one.
    assert.ok(minutesShown === 5 || minutesShown === 4, `${minutesShown}`);
    assert.equal((await rowOf(acked).locator(".incident-next-page").innerText()).trim(), "");
  });

  it("counts down without a reload", async () => {
    await page.clock.fastForward("02:00");
    await rowOf(paging)
      .locator(".incident-next-page")
      .getByText(`step 2 at ${nextClock} (in ${minutesShown - 2} min)`)
      .waitFor();
  });

  it("says it on Home too", async () => {
    await page.getByRole("link", { name: "Home" }).first().click();
    const panel = page.getByRole("region", { name: "Open incidents" });
    await panel.getByText(new RegExp(`^step 2 at ${nextClock} \\(in \\d min\\)$`)).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
