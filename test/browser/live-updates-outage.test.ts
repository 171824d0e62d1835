// The console through a 3 a.m. outage, in a real browser, with Firebreak on PostgreSQL: the incident
// list turns amber ("Reconnecting… paused since 03:12:05") as soon as its stream is cut or the
// database stops (the stream itself stays open then, and says `unavailable`), and once back it
// catches up on what was committed meanwhile, the incident page too; "Firebreak is not answering"
// comes back by itself.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { PG_ADMIN_URL, describeOnPostgres } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { startHttpRelay, type HttpRelay } from "../support/http-relay.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import {
  apiCreator,
  describeInBrowser,
  ensureConsoleBuilt,
  launchBrowser,
  openPage,
  SCREENSHOTS,
  signInAt,
} from "./browser-kit.js";

const PAUSED = /^Reconnecting for live updates… Paused since \d\d:\d\d:\d\d\.$/;

describeInBrowser("console: live updates through an outage (browser)", () => {
  describeOnPostgres("the list and the incident page pause and catch up", () => {
    let fb: TestFirebreak;
    let database: TcpProxy;
    let relay: HttpRelay;
    let browser: Browser;
    let page: Page;
    let baseUrl = "";
    let adminKey = "";
    let serviceId = "";
    const pageErrors: string[] = [];
    const post = (url: string, body: unknown) => apiCreator(baseUrl, adminKey)(url, body);
    const page503 = (summary: string) => post("/api/v1/incidents", { service: serviceId, summary });
    const live = () => page.locator(".live-live");
    const paused = () => page.locator(".live-reconnecting");
    /** Stops the database while `during` runs; a failed test leaves it up for the next. */
    const withDatabaseDown = async (during: () => Promise<void>) => {
      database.down();
      try {
        await during();
      } finally {
        database.up();
      }
    };

    before(async () => {
      ensureConsoleBuilt();
      const pgAddress = new URL(PG_ADMIN_URL);
      database = await startTcpProxy({ host: pgAddress.hostname, port: Number(pgAddress.port || 5432) });
      fb = await startTestFirebreak({
        listen: true,
        dialect: "postgres",
        databaseUrl: (url) => database.through(url),
      });
      baseUrl = fb.baseUrl ?? "";
      relay = await startHttpRelay(baseUrl);
      adminKey = await fb.apiKey("admin");
      const admin = await fb.user("admin", "outage@example.com");
      serviceId = (await post("/api/v1/services", { name: "Checkout API" })).id;
      browser = await launchBrowser();
      page = await openPage(
        browser,
        { viewport: { width: 1280, height: 800 }, colorScheme: "light", locale: "en-GB", timezoneId: "UTC" },
        pageErrors,
      );
      await signInAt(page, `${relay.url}/incidents`, admin);
      await page.getByRole("heading", { level: 1, name: "Incidents" }).waitFor();
    });

    after(async () => {
      database?.up();
      await browser?.close();
      await relay?.down();
      await fb?.close();
      await database?.close();
    });

    it("turns amber the moment the stream is cut, and shows what opened meanwhile once back", async () => {
      await page.goto(`${relay.url}/incidents`);
      await live()
        .getByText(/^Live:/)
        .waitFor();

      await relay.down();
      try {
        await paused().getByText(PAUSED).waitFor({ timeout: 3_000 });
        assert.equal(await live().count(), 0, "no green dot while the stream is down");
        await page503("Card payments time out");
        // The list was empty when it last loaded: that must not read as "Nothing is open" now.
        await page.getByText("Nothing was open when this list last loaded; it may be out of date.").waitFor();
        assert.equal(await page.getByText("Nothing is open.").count(), 0);
        await page.screenshot({ path: path.join(SCREENSHOTS, "incidents-reconnecting.png") });
      } finally {
        await relay.up();
      }
      await live()
        .getByText(/^Live:/)
        .waitFor({ timeout: 10_000 });
      await page.getByRole("row", { name: /Card payments time out/ }).waitFor({ timeout: 3_000 });
    });

    it("turns amber while the database is down though the stream stays open, and catches up", async () => {
      await page.goto(`${relay.url}/incidents`);
      await live()
        .getByText(/^Live:/)
        .waitFor();
      await page.locator(".incidents-table, .empty").first().waitFor();
      // A quiet list loads nothing: only the console's own check of the server can find it down.
      await withDatabaseDown(() => paused().getByText(PAUSED).waitFor({ timeout: 10_000 }));
      await live()
        .getByText(/^Live:/)
        .waitFor({ timeout: 10_000 });

      // Committed just before the outage: the stream's next look at the database fails.
      await page503("Orders stuck in pending");
      await withDatabaseDown(async () => {
        await paused().getByText(PAUSED).waitFor({ timeout: 10_000 });
        assert.equal(await live().count(), 0, "no green dot while the API answers 503");
      });
      await live()
        .getByText(/^Live:/)
        .waitFor({ timeout: 10_000 });
      await page.getByRole("row", { name: /Orders stuck in pending/ }).waitFor({ timeout: 3_000 });
    });

    it("turns amber on the stream's own word, though the console's check of the server finds it fine", async () => {
      await page.goto(`${relay.url}/incidents`);
      await live()
        .getByText(/^Live:/)
        .waitFor();
      // The console's 5 s check always answers as if all were well: only the stream's `unavailable`
      // event can tell the page that the server cannot read its incidents.
      const session = await page.request.get(`${relay.url}/api/v1/auth/session`);
      assert.equal(session.status(), 200);
      const answer = { status: 200, contentType: "application/json", body: await session.text() };
      const sessionUrl = `${relay.url}/api/v1/auth/session`;
      // The list's own reload after the stream opened is done: no load of the page finds the outage.
      await page.waitForTimeout(1_500);
      await page.route(sessionUrl, (route) => route.fulfill(answer));
      try {
        await withDatabaseDown(() => paused().getByText(PAUSED).waitFor({ timeout: 10_000 }));
      } finally {
        await page.unroute(sessionUrl);
      }
      await live()
        .getByText(/^Live:/)
        .waitFor({ timeout: 10_000 });
    });

    it("pauses the incident page too, and loads what changed meanwhile once back", async () => {
      const { number } = await page503("Search is slow");
      await page.goto(`${relay.url}/incidents/${number}`);
      await page.getByRole("button", { name: "Acknowledge" }).waitFor();
      const res = await fetch(`${baseUrl}/api/v1/incidents/${number}/acknowledge`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}` },
      });
      assert.equal(res.status, 200, await res.text());
      await withDatabaseDown(() => paused().getByText(PAUSED).waitFor({ timeout: 10_000 }));
      await page.locator(".facts .state-acknowledged").waitFor({ timeout: 10_000 });
      await paused().waitFor({ state: "detached", timeout: 10_000 });
    });

    it("“Firebreak is not answering” tries again by itself and shows the page once the server answers", async () => {
      await withDatabaseDown(async () => {
        await page.goto(`${relay.url}/incidents`);
        await page.getByRole("heading", { level: 1, name: "Firebreak is not answering" }).waitFor();
        await page
          .getByRole("alert")
          .getByText(/database cannot be reached/i)
          .waitFor();
        await page.getByText(/^Last tried \d\d:\d\d:\d\d; trying again in [1-5] s\.$/).waitFor();
        await page.screenshot({ path: path.join(SCREENSHOTS, "not-answering-retrying.png") });
      });
      // No click: the first try comes 5 s after the page failed.
      await page.getByRole("heading", { level: 1, name: "Incidents" }).waitFor({ timeout: 10_000 });
      await live()
        .getByText(/^Live:/)
        .waitFor();
    });

    it("raised no page errors", () => {
      assert.deepEqual(pageErrors, []);
    });
  });
});
