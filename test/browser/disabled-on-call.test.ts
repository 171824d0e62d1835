// A disabled person's shifts are gaps, and the schedule page says whose and why: "Nobody: … is
// disabled" on the final row, in the list of gaps ahead and in "On call now", where it used to say
// somebody is on call all the time. A zone typed in lower case comes back in the tz database's spelling.
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
  let empty = "";
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
    empty = (await post("/api/v1/schedules", { name: "Nobody yet", timeZone: "UTC" })).id;
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

  it("names the disabled person whose shift it is now in the schedule's On call now", async () => {
    const strip = page.locator(".oncall-now");
    // Carol is the only member, so the gap has no end in sight and the strip gives none.
    await strip.getByText(/^Nobody: Test responder is disabled$/).waitFor();
    assert.equal(await strip.textContent(), "On call now: Nobody: Test responder is disabled");
  });

  it("names the uncovered schedule on Home's who-is-on-call, instead of leaving it out", async () => {
    await page.goto(`${baseUrl}/`);
    const panel = page.getByRole("region", { name: "Who is on call now" });
    await panel.getByRole("link", { name: "Support on call" }).waitFor();
    await panel.getByText(/^Nobody: Test responder is disabled/).waitFor();
    assert.equal(await panel.getByText("No schedule has anyone on call.").count(), 0);
  });

  it("says plainly that nobody is on call in a schedule with nobody scheduled", async () => {
    await page.goto(`${baseUrl}/schedules/${empty}`);
    await page.getByRole("heading", { level: 1, name: "Nobody yet" }).waitFor();
    const strip = page.locator(".oncall-now");
    await strip.getByText(/^Nobody is on call/).waitFor();
    assert.doesNotMatch((await strip.textContent()) ?? "", /disabled/);
  });

  it("creates a schedule typed in lower case under the zone's canonical name", async () => {
    await page.goto(`${baseUrl}/schedules`);
    await page.getByRole("heading", { level: 1, name: "Schedules" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Berlin nights");
    await page.getByLabel("Time zone", { exact: true }).fill("europe/berlin");
    await page.getByRole("button", { name: "Create schedule" }).click();
    await page.getByRole("heading", { level: 1, name: "Berlin nights" }).waitFor();
    await page.getByText("Times in Europe/Berlin").waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
