// A disabled person's shifts are gaps, and the schedule page says whose and why: "Nobody: … is
// disabled" on the final row and in the list of gaps ahead, where it used to say somebody is on call
// all the time.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  describeInBrowser,
  launchBrowser,
  openPage,
  signInAt,
  startConsoleFirebreak,
} from "./browser-kit.js";

describeInBrowser("console: a disabled person's shifts (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let scheduleId = "";
  const pageErrors: string[] = [];

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    const adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    const admin = await fb.user("admin", "lead@example.com");
    const carol = await fb.user("responder", "carol@example.com");
    scheduleId = (
      await post("/api/v1/schedules", {
        name: "Support on call",
        timeZone: "UTC",
        layers: [
          {
            name: "Daily",
            rotation: {
              memberIds: [carol.id],
              shiftLength: 1,
              shiftUnit: "days",
              startLocal: "2026-01-05T09:00",
              restrictions: [],
            },
          },
        ],
      })
    ).id;
    const disabled = await fetch(`${baseUrl}/api/v1/users/${carol.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ disabled: true }),
    });
    assert.equal(disabled.status, 200, await disabled.text());

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await signInAt(page, `${baseUrl}/schedules/${scheduleId}`, admin);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("shows the gap and whose shift it was, on the final row and in the gaps ahead", async () => {
    await page.getByRole("heading", { level: 1, name: "Support on call" }).waitFor();
    const finalRow = page.getByRole("list", { name: "Final schedule", exact: true });
    await finalRow
      .getByRole("img", { name: /^Nobody on call \(Test responder is disabled\), / })
      .first()
      .waitFor();
    await page
      .locator(".notice-warning", { hasText: /gaps? ahead with nobody on call/ })
      .getByText(/: Test responder is disabled$/)
      .first()
      .waitFor();
    assert.equal(
      await page.getByText("From now on, somebody is on call all the time in this view.").count(),
      0,
    );
  });

  it("names the uncovered schedule on Home's who-is-on-call, instead of leaving it out", async () => {
    await page.goto(`${baseUrl}/`);
    const panel = page.getByRole("region", { name: "Who is on call now" });
    await panel.getByRole("link", { name: "Support on call" }).waitFor();
    await panel.getByText(/^Nobody: Test responder is disabled/).waitFor();
    assert.equal(await panel.getByText("No schedule has anyone on call.").count(), 0);
    assert.deepEqual(pageErrors, []);
  });
});
