// A resolved incident whose fix did not hold is reopened from its page: Reopen asks first (it pages
// people again) and takes an optional reason; then the page shows it triggered, its escalation at
// step 1 again, and the timeline says who reopened it and why.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  claimFirstAdmin,
  describeInBrowser,
  ensureConsoleBuilt,
  launchBrowser,
  openPage,
  SCREENSHOTS,
} from "./browser-kit.js";

const ADMIN = { email: "hedy@example.com", name: "Hedy Lamarr", password: "frequency hopping 1942" };
const GRACE = { email: "grace@example.com", name: "Grace Hopper", password: "a long enough password" };

interface Detail {
  incident: { state: string; escalationStep: number };
  timeline: Array<{ kind: string; message: string }>;
}

describeInBrowser("console: reopening a resolved incident (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey: string;
  let serviceId: string;
  const pageErrors: string[] = [];

  const detail = async (number: number): Promise<Detail> => {
    const res = await fetch(`${baseUrl}/api/v1/incidents/${number}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    assert.equal(res.status, 200);
    return (await res.json()) as Detail;
  };

  before(async () => {
    ensureConsoleBuilt();
    fb = await startTestFirebreak({ listen: true, clock: new FakeClock(Date.now()), startEngine: false });
    baseUrl = fb.baseUrl!;
    adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    const grace = await post("/api/v1/users", { ...GRACE, role: "responder" });
    await post(`/api/v1/users/${grace.id}/contact-methods`, {
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    const policy = await post("/api/v1/escalation-policies", {
      name: "Primary on-call",
      steps: [
        { delayMinutes: 5, targets: [{ kind: "user", userId: grace.id }] },
        { delayMinutes: 10, targets: [{ kind: "user", userId: grace.id }] },
      ],
      repeatCount: 0,
    });
    serviceId = (await post("/api/v1/services", { name: "Checkout API", escalationPolicyId: policy.id })).id;
    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await claimFirstAdmin(page, fb, ADMIN);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("resolve, then Reopen with a reason: triggered again, paging from step 1", async () => {
    const { number } = await apiCreator(baseUrl, adminKey)("/api/v1/incidents", {
      service: serviceId,
      summary: "Checkout returns 503",
    });
    assert.ok(number);
    await page.goto(`${baseUrl}/incidents/${number}`);
    await page.getByRole("button", { name: "Resolve", exact: true }).click();
    await page
      .getByRole("dialog", { name: `Resolve INC-${number}?` })
      .getByRole("button", { name: "Resolve" })
      .click();
    await page.getByRole("status").getByText("Resolved.").waitFor();

    // Cancelled, nothing happens; confirmed, it reopens.
    await page.getByRole("button", { name: "Reopen", exact: true }).click();
    const ask = page.getByRole("dialog", { name: `Reopen INC-${number}?` });
    await ask.getByText(/paged from step 1 of its service's escalation policy/).waitFor();
    await ask.getByRole("button", { name: "Cancel" }).click();
    await ask.waitFor({ state: "hidden" });
    assert.equal((await detail(number)).incident.state, "resolved");

    await page.getByRole("button", { name: "Reopen", exact: true }).click();
    await ask.getByLabel("Why (optional)").fill("The fix did not hold");
    await page.screenshot({ path: path.join(SCREENSHOTS, "incident-reopen-confirm.png") });
    await ask.getByRole("button", { name: "Reopen and page" }).click();
    await page.getByRole("status").getByText("Reopened: step 1 of Primary on-call is being paged.").waitFor();
    await page
      .locator(".facts")
      .getByText(/^Primary on-call, step 1 of 2 · next step at \d\d:\d\d \(in [45] min\)$/)
      .waitFor();
    await page.getByRole("button", { name: "Acknowledge", exact: true }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Reopen", exact: true }).count(), 0);
    await page.getByText("Reopened by Hedy Lamarr: The fix did not hold").first().waitFor();

    const after = await detail(number);
    assert.equal(after.incident.state, "triggered");
    assert.equal(after.incident.escalationStep, 0);
    assert.equal(
      after.timeline.filter((e) => e.kind === "escalation.started").length,
      2,
      "step 1 paged when it opened, and again when it reopened",
    );
    assert.deepEqual(pageErrors, []);
  });
});
