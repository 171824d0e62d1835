// The incident page as the on-call person uses it at 3 a.m.: the Escalation field says when the next
// step is paged; Acknowledge acknowledges at once (the escalation stops even when the triage dialog it
// opens next is cancelled, and no later step is paged: the engine runs past the step's timeout on a
// fake clock); a reassigned incident names who is paged; resolving a page by hand does not warn about
// a monitoring sender; and a resolved incident offers no triage.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
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
const LINUS = { email: "linus@example.com", name: "Linus Torvalds", password: "a long enough password" };

interface Detail {
  incident: { state: string };
  nextEscalationAt: string | null;
  timeline: Array<{ kind: string }>;
}

describeInBrowser("console: acknowledging an incident (browser)", () => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey: string;
  let serviceId: string;
  let linusId: string;
  const pageErrors: string[] = [];
  const facts = () => page.locator(".facts");

  const detail = async (number: number): Promise<Detail> => {
    const res = await fetch(`${baseUrl}/api/v1/incidents/${number}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    assert.equal(res.status, 200);
    return (await res.json()) as Detail;
  };
  const pageByHand = async (summary: string): Promise<number> => {
    const { number } = await apiCreator(baseUrl, adminKey)("/api/v1/incidents", {
      service: serviceId,
      summary,
    });
    assert.ok(number, "a page by hand answers with its incident's number");
    return number;
  };

  before(async () => {
    ensureConsoleBuilt();
    // The server's clock starts at the browser's now and moves only when the test runs the engine.
    clock = new FakeClock(Date.now());
    fb = await startTestFirebreak({ listen: true, clock, startEngine: false });
    baseUrl = fb.baseUrl!;
    adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    const ids: string[] = [];
    for (const person of [GRACE, LINUS]) {
      const user = await post("/api/v1/users", { ...person, role: "responder" });
      await post(`/api/v1/users/${user.id}/contact-methods`, {
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
      ids.push(user.id);
    }
    linusId = ids[1]!;
    const policy = await post("/api/v1/escalation-policies", {
      name: "Primary on-call",
      steps: [
        { delayMinutes: 5, targets: [{ kind: "user", userId: ids[0] }] },
        { delayMinutes: 10, targets: [{ kind: "user", userId: ids[1] }] },
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

  it("says when the next step is paged, and Acknowledge stops it even when triage is cancelled", async () => {
    const number = await pageByHand("Checkout returns 503");
    await page.goto(`${baseUrl}/incidents/${number}`);
    await facts()
      .getByText(/^Primary on-call, step 1 of 2 · next step at \d\d:\d\d \(in [45] min\)$/)
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, "incident-next-step.png") });

    await page.getByRole("button", { name: "Acknowledge", exact: true }).click();
    // Acknowledged before any form: the banner says so and triage is offered as the next step.
    await page.getByRole("status").getByText("Acknowledged: the escalation has stopped.").waitFor();
    const dialog = page.getByRole("dialog", { name: `Triage INC-${number}` });
    await dialog.getByText("Acknowledged: the escalation has stopped.").waitFor();
    await dialog.getByRole("button", { name: "Save triage" }).waitFor();
    assert.equal(await dialog.getByRole("button", { name: /Acknowledge/ }).count(), 0);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });

    const acknowledged = await detail(number);
    assert.equal(acknowledged.incident.state, "acknowledged");
    assert.equal(acknowledged.nextEscalationAt, null);
    await facts().getByText("Primary on-call, step 1 of 2 · stopped: acknowledged").waitFor();
    await page.locator(".war-level").getByText("Not triaged").waitFor();
    // Untriaged still: triage stays one key away.
    await page.locator(".action-bar").getByRole("button", { name: "Triage now" }).waitFor();

    // Past step 1's timeout and step 2's: nobody else is paged.
    clock.advance(16 * MINUTE);
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const later = await detail(number);
    assert.equal(later.incident.state, "acknowledged");
    assert.deepEqual(
      later.timeline.filter((e) => e.kind.startsWith("escalation.") || e.kind === "incident.escalated"),
      [{ ...later.timeline.find((e) => e.kind === "escalation.started") }],
      "step 1 paged, nothing after it",
    );
  });

  it("names the people a reassigned incident pages, not a stale step", async () => {
    // (The server's clock is 16 min ahead of the browser's now: only the shape of the time is checked.)
    const number = await pageByHand("Search is slow");
    const res = await fetch(`${baseUrl}/api/v1/incidents/${number}/reassign`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ userIds: [linusId] }),
    });
    assert.equal(res.status, 200);
    await page.goto(`${baseUrl}/incidents/${number}`);
    await facts()
      .getByText(/^Reassigned to Linus Torvalds · Primary on-call resumes at \d\d:\d\d \(in \d+ min\)$/)
      .waitFor();
  });

  it("resolving a page by hand warns of no sender, and a resolved incident offers no triage", async () => {
    const number = await pageByHand("Payments webhook backlog");
    await page.goto(`${baseUrl}/incidents/${number}`);
    await page.getByRole("button", { name: "Resolve", exact: true }).click();
    const ask = page.getByRole("dialog", { name: `Resolve INC-${number}?` });
    await ask
      .getByText(
        "Paging stops and the incident closes. It was opened by hand (Page someone): if the problem " +
          "comes back, reopen it.",
      )
      .waitFor();
    assert.equal(await ask.getByText(/sender/).count(), 0);
    await ask.getByRole("button", { name: "Resolve" }).click();
    await page.getByRole("status").getByText("Resolved.").waitFor();
    await facts().getByText("Primary on-call · stopped: resolved").waitFor();
    await page.locator(".war-handler").getByText("Nobody: it was not triaged").waitFor();
    await page.getByText("Not triaged", { exact: false }).first().waitFor();
    assert.equal(await page.getByRole("button", { name: /Triage now|Change triage/ }).count(), 0);
    await page.keyboard.press("a");
    assert.equal(await page.getByRole("dialog", { name: /^Triage INC-/ }).count(), 0);
    await page.screenshot({
      path: path.join(SCREENSHOTS, "incident-resolved-untriaged.png"),
      fullPage: true,
    });
    assert.deepEqual(pageErrors, []);
  });
});
