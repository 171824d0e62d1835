// On-call schedules in a real browser: the admin creates a schedule and a weekly rotation of two
// people (with the live preview), sees themself on call now in the final row, and asks the other
// person to swap; that person, signed in in a second browser, accepts in their trades inbox, and
// the admin's final schedule shows the other person on call now, through a swap override.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { ensureConsoleBuilt, launchBrowser, missingBrowser, SCREENSHOTS } from "./browser-kit.js";

const ADMIN = { email: "ada@example.com", name: "Ada Lovelace", password: "analytical engine 1843" };
const OTHER = { email: "katherine@example.com", name: "Katherine Johnson", password: "trajectories 1962" };
const SCHEDULE = "Platform primary";
const ZONE = "Europe/Berlin";

/** A block in a timeline row ("Final schedule", "Overrides", ...) for `who`, on call now. */
const onCallNow = (page: Page, row: string, who: string) =>
  page
    .getByRole("list", { name: row, exact: true })
    .getByRole("button", { name: new RegExp(`^${who}, .*on call now`) });

if (missingBrowser && process.env.CI === "true") {
  describe("console: schedules (browser)", () => {
    it("has a Chromium to run in", () =>
      assert.fail(`browser tests must run in CI, but there is ${missingBrowser}`));
  });
} else {
  describe("console: schedules (browser)", { skip: missingBrowser ?? false }, () => {
    let fb: TestFirebreak;
    let browser: Browser;
    let admin: Page;
    let other: BrowserContext | undefined;
    let baseUrl: string;
    let scheduleUrl = "";
    let apiKey = "";
    const pageErrors: string[] = [];
    const newContext = (viewport = { width: 1280, height: 860 }) =>
      browser.newContext({ viewport, colorScheme: "light", locale: "en-GB", timezoneId: "America/New_York" });

    before(async () => {
      ensureConsoleBuilt();
      fb = await startTestFirebreak({ listen: true });
      assert.ok(fb.baseUrl, "the harness should listen");
      baseUrl = fb.baseUrl;

      // The second person exists before the admin signs in: created over the API with a password.
      apiKey = await fb.apiKey("admin");
      const created = await fetch(`${baseUrl}/api/v1/users`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ ...OTHER, role: "responder" }),
      });
      assert.equal(created.status, 201, await created.text());

      browser = await launchBrowser();
      admin = await (await newContext()).newPage();
      admin.setDefaultTimeout(15_000);
      admin.on("pageerror", (err) => pageErrors.push(err.message));
    });

    after(async () => {
      await browser?.close();
      await fb?.close();
    });

    it("creates a schedule from the Schedules area", async () => {
      const link = fb.running.firstAdmin;
      assert.equal(link.kind, "sign-in-link");
      await admin.goto(`${baseUrl}/welcome#token=${link.token}`);
      await admin.getByLabel("Email", { exact: true }).fill(ADMIN.email);
      await admin.getByLabel("Name", { exact: true }).fill(ADMIN.name);
      await admin.getByLabel("Password", { exact: true }).fill(ADMIN.password);
      await admin.getByRole("button", { name: "Create admin account" }).click();
      await admin.getByRole("heading", { level: 1, name: `Welcome, ${ADMIN.name}` }).waitFor();
      await admin.getByRole("heading", { name: "Who is on call now" }).waitFor();

      await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Schedules" }).click();
      await admin.getByRole("heading", { level: 1, name: "Schedules" }).waitFor();
      await admin.getByText("No schedules yet.").waitFor();
      await admin.getByLabel("Name", { exact: true }).fill(SCHEDULE);
      await admin.getByLabel("Time zone", { exact: true }).fill(ZONE);
      await admin.getByRole("button", { name: "Create schedule" }).click();
      await admin.getByRole("heading", { level: 1, name: SCHEDULE }).waitFor();
      await admin.getByText("Schedule created.").waitFor();
      await admin.getByText("No rotations yet").waitFor();
      scheduleUrl = admin.url().replace(/\?.*$/, "");
    });

    it("creates a weekly rotation of two people, previewed live, and shows it on the timeline", async () => {
      await admin.getByRole("link", { name: "Add a rotation" }).click();
      await admin.getByRole("heading", { level: 1, name: "New rotation" }).waitFor();
      await admin.getByText("Add a member to see the preview.").waitFor();
      await admin.getByLabel("Name", { exact: true }).fill("Primary");
      for (const who of [ADMIN.name, OTHER.name]) {
        await admin.getByLabel("Add a member").selectOption({ label: who });
        await admin.getByRole("button", { name: "Add member" }).click();
      }
      const members = admin.getByRole("list", { name: "Members in turn" }).getByRole("listitem");
      assert.deepEqual(
        (await members.allTextContents()).map((t) => t.replace(/Up.*$/, "").replace(/^\d/, "")),
        [ADMIN.name, OTHER.name],
      );
      // The week starts at midnight today in the schedule's zone. (Before 09:00 there the form
      // offers yesterday, so that a new rotation is on call at once.)
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date());
      await admin.getByLabel("First handoff date").fill(today);
      await admin.getByLabel("Handoff time").fill("00:00");
      const preview = admin.getByRole("region", { name: "Preview of the next two weeks" });
      await preview
        .getByRole("list", { name: "Final schedule" })
        .getByRole("img", { name: new RegExp(`^${OTHER.name}, `) })
        .first()
        .waitFor();

      await admin.getByRole("button", { name: "Create rotation" }).click();
      await admin.getByRole("heading", { level: 1, name: SCHEDULE }).waitFor();
      await admin.getByText("Rotation “Primary” added.").waitFor();
      await onCallNow(admin, "Final schedule", ADMIN.name).waitFor();
      await onCallNow(admin, "Layer Primary", ADMIN.name).waitFor();
      await admin.locator(".oncall-now").getByText(ADMIN.name).waitFor();
      await admin.getByText(`${ADMIN.name}, ${OTHER.name} in turn, 1 week each`).waitFor();

      // Two weeks and a month are a click away, and come back to the week.
      await admin.getByRole("button", { name: "Month", exact: true }).click();
      await admin.locator(".tl-month").waitFor();
      await admin.getByRole("button", { name: "Week", exact: true }).click();
      await admin.locator(".tl-month").waitFor({ state: "detached" });
      await onCallNow(admin, "Final schedule", ADMIN.name).waitFor();
    });

    it("asks the other person to swap from one's own shift", async () => {
      await onCallNow(admin, "Final schedule", ADMIN.name).click();
      const dialog = admin.getByRole("dialog", { name: "Your shift" });
      await dialog.getByText(`${ZONE}`).first().waitFor();
      await dialog.getByRole("button", { name: "Request swap" }).click();
      const swap = admin.getByRole("dialog", { name: "Request a swap" });
      await swap.getByLabel("Swap with").selectOption({ label: OTHER.name });
      // A swap goes both ways: their next turn is offered in return, chosen already.
      const inReturn = swap.getByLabel("Their shift you take in return");
      await inReturn.locator("option", { hasText: "–" }).first().waitFor({ state: "attached" });
      await admin.waitForFunction(
        (el) => (el as unknown as { value: string } | null)?.value !== "",
        await inReturn.elementHandle(),
      );
      await swap.getByRole("button", { name: "Send swap request" }).click();
      await admin.getByText(`Swap request sent to ${OTHER.name}.`).waitFor();
      await swap.waitFor({ state: "hidden" });
      // Nothing changes until they accept.
      await onCallNow(admin, "Final schedule", ADMIN.name).waitFor();

      await admin
        .getByRole("navigation", { name: "Schedules" })
        .getByRole("link", { name: /Trades/ })
        .click();
      await admin.getByRole("heading", { level: 1, name: "Trades" }).waitFor();
      await admin
        .getByRole("region", { name: /Your requests/ })
        .getByRole("button", { name: "Cancel request" })
        .waitFor();
    });

    it("is accepted by the other person in their trades inbox", async () => {
      other = await newContext();
      const page = await other.newPage();
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (err) => pageErrors.push(err.message));
      await page.goto(`${baseUrl}/schedules/trades`);
      await page.getByLabel("Email", { exact: true }).fill(OTHER.email);
      await page.getByLabel("Password", { exact: true }).fill(OTHER.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Trades" }).waitFor();
      await page
        .getByRole("navigation", { name: "Schedules" })
        .getByRole("link", { name: "Trades 1 trade waiting for you" })
        .waitFor();
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Schedules 1 trade waiting for you" })
        .waitFor();

      const offered = page.getByRole("region", { name: /Offered to you/ });
      await offered.getByRole("heading", { name: `${ADMIN.name} asks you to swap` }).waitFor();
      await offered.getByRole("button", { name: `Accept swap from ${ADMIN.name}` }).click();
      await page.getByText("Accepted. The schedule shows the change now").waitFor();
      await offered.getByText("Nobody has asked you to swap.").waitFor();

      await page.goto(scheduleUrl);
      await onCallNow(page, "Final schedule", OTHER.name).waitFor();
    });

    it("shows the swap in the admin's final schedule", async () => {
      await admin.goto(scheduleUrl);
      await admin.getByRole("heading", { level: 1, name: SCHEDULE }).waitFor();
      await onCallNow(admin, "Final schedule", OTHER.name).waitFor();
      await onCallNow(admin, "Overrides", OTHER.name).waitFor();
      // The rotation itself is unchanged: the swap is an override on top.
      await onCallNow(admin, "Layer Primary", ADMIN.name).waitFor();
      await admin.locator(".oncall-now").getByText(OTHER.name).waitFor();
      await admin
        .getByRole("row", { name: new RegExp(OTHER.name) })
        .getByText(`Swap for ${ADMIN.name}`)
        .waitFor();

      // The swap covers Ada's whole turn, though the week view cut it at Sunday midnight.
      const scheduleId = new URL(scheduleUrl).pathname.split("/").pop() ?? "";
      const now = Date.now();
      const range = `start=${new Date(now).toISOString()}&end=${new Date(now + 14 * 86_400_000).toISOString()}`;
      const res = await fetch(`${baseUrl}/api/v1/schedules/${scheduleId}/timeline?${range}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const timeline = (await res.json()) as {
        layers: Array<{ shifts: Array<{ userName: string; end: string }> }>;
        overrides: Array<{ userName: string; source: string; end: string }>;
      };
      const turn = timeline.layers[0]?.shifts.find((x) => x.userName === ADMIN.name);
      const theirs = timeline.layers[0]?.shifts.find((x) => x.userName === OTHER.name);
      // Both overrides are made in one transaction: their order is not the point.
      assert.deepEqual(
        timeline.overrides.map((o) => [o.userName, o.source, o.end]).sort(),
        [
          [OTHER.name, "swap", turn?.end],
          [ADMIN.name, "swap", theirs?.end],
        ].sort(),
        "each takes the other's turn",
      );

      // Two weeks show both turns of the rotation, with the swap on top of this week's.
      await admin.getByRole("button", { name: "Two weeks", exact: true }).click();
      await admin.locator(".tl-fortnight").waitFor();
      await onCallNow(admin, "Final schedule", OTHER.name).waitFor();
      await admin.screenshot({ path: path.join(SCREENSHOTS, "schedules-timeline.png"), fullPage: true });
    });

    it("fits a phone: the timeline scrolls inside itself, not the page", async () => {
      const phone = await newContext({ width: 390, height: 844 });
      try {
        const page = await phone.newPage();
        page.on("pageerror", (err) => pageErrors.push(err.message));
        await page.goto(scheduleUrl);
        await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
        await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await onCallNow(page, "Final schedule", OTHER.name).waitFor();
        assert.ok(
          await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"),
          "no sideways scrolling of the page",
        );
        const region = page.getByRole("region", { name: `Timeline of ${SCHEDULE}` });
        assert.ok(
          await region.evaluate((el) => el.scrollWidth > el.clientWidth),
          "the timeline itself scrolls sideways",
        );
      } finally {
        await phone.close();
      }
      assert.deepEqual(pageErrors, [], "no uncaught errors in the pages");
    });

    it("takes over a schedule where nobody is on call, until a time given when nobody is scheduled", async () => {
      const res = await fetch(`${baseUrl}/api/v1/schedules`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Quiet desk", timeZone: "UTC" }),
      });
      assert.equal(res.status, 201, await res.clone().text());
      const quiet = (await res.json()) as { id: string };
      await admin.goto(`${baseUrl}/schedules/${quiet.id}`);
      await admin.getByRole("heading", { level: 1, name: "Quiet desk" }).waitFor();
      await admin.locator(".oncall-now").getByText("Nobody is on call").waitFor();

      await admin.getByRole("button", { name: "Take over now" }).click();
      const dialog = admin.getByRole("dialog", { name: "Take over on-call now?" });
      await dialog.getByText("until the time you give").waitFor();
      // Left empty, the server cannot tell until when: its answer lands at the field.
      await dialog.getByRole("button", { name: "Take over now" }).click();
      await dialog.getByText(/^Until is required: nobody is on call now/).waitFor();
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      await dialog.getByLabel("Until").fill(`${tomorrow}T09:00`);
      await dialog.getByRole("button", { name: "Take over now" }).click();
      await admin.getByText(/^You are on call now, until /).waitFor();
      await admin.locator(".oncall-now").getByText(ADMIN.name).waitFor();
      const overrides = await fetch(`${baseUrl}/api/v1/schedules/${quiet.id}/overrides`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      assert.deepEqual(
        ((await overrides.json()) as Array<{ source: string; end: string }>).map((o) => [o.source, o.end]),
        [["take-over", `${tomorrow}T09:00:00.000Z`]],
      );
    });

    it("adds an override over the person's take-over, and says so beside the form", async () => {
      const overrides = admin.getByRole("region", { name: "Overrides" });
      await overrides.getByLabel("Person on call").selectOption({ label: ADMIN.name });
      // The form's default, from the next full hour for eight hours, falls inside the take-over.
      await overrides.getByRole("button", { name: "Add override" }).click();
      await admin.getByText(/^Override added: /).waitFor();
      await overrides
        .getByText(
          new RegExp(
            `^Warning: ${ADMIN.name} already covers .+ \\(UTC\\) in this schedule by a take-over\\.$`,
          ),
        )
        .waitFor();
    });

    it("changes the schedule's own settings, with the server's errors at their fields", async () => {
      await admin.goto(scheduleUrl);
      await admin.getByRole("heading", { level: 1, name: SCHEDULE }).waitFor();
      const settings = admin.getByRole("form", { name: "Settings" });
      await settings.getByLabel("Schedule name").fill("");
      await settings.getByLabel("Schedule time zone").fill("Mars/Base");
      await settings.getByRole("button", { name: "Save settings" }).click();
      await settings.getByText("Schedule name is required.").waitFor();
      await settings
        .getByText("Schedule time zone must be an IANA time zone, such as Europe/Berlin.")
        .waitFor();

      await settings.getByLabel("Schedule name").fill("Platform primary EU");
      await settings.getByLabel("Schedule time zone").fill("europe/london");
      await settings.getByLabel("Schedule description").fill("Checkout and payments");
      await settings.getByRole("button", { name: "Save settings" }).click();
      await admin.getByText("Schedule settings saved.").waitFor();
      await admin.getByRole("heading", { level: 1, name: "Platform primary EU" }).waitFor();
      await admin.getByText("Checkout and payments", { exact: false }).first().waitFor();
      // The form starts again from what was saved: the zone as the tz database spells it.
      assert.equal(await settings.getByLabel("Schedule time zone").inputValue(), "Europe/London");
      const scheduleId = new URL(scheduleUrl).pathname.split("/").pop() ?? "";
      const saved = await fetch(`${baseUrl}/api/v1/schedules/${scheduleId}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const body = (await saved.json()) as { name: string; timeZone: string; description: string };
      assert.deepEqual(
        [body.name, body.timeZone, body.description],
        ["Platform primary EU", "Europe/London", "Checkout and payments"],
      );
      assert.deepEqual(pageErrors, [], "no uncaught errors in the pages");
    });
  });
}
