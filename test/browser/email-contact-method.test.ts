// The email contact method in a real browser: a person types only their address and the test mail
// arrives through the server's SMTP settings; an own SMTP server is an advanced choice; and where
// the admin has set none, the form says so up front and saving says the admin must set FIREBREAK_SMTP_URL.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { closeEmailTransporters } from "../../src/notifiers/email/email-notifier.js";
import {
  headerOf,
  startSmtpServer,
  type TestSmtpServer,
} from "../../src/notifiers/email/smtp-test-kit.test.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { describeInBrowser, ensureConsoleBuilt, launchBrowser, openPage, signInAt } from "./browser-kit.js";

describeInBrowser("console: an email contact method is just an address (browser)", () => {
  let smtp: TestSmtpServer;
  let withSmtp: TestFirebreak;
  let withoutSmtp: TestFirebreak;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    ensureConsoleBuilt();
    smtp = await startSmtpServer();
    withSmtp = await startTestFirebreak({
      listen: true,
      env: {
        FIREBREAK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        FIREBREAK_SMTP_FROM: "Firebreak <pages@example.com>",
      },
    });
    withoutSmtp = await startTestFirebreak({ listen: true });
    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB", timezoneId: "UTC" },
      pageErrors,
    );
  });

  after(async () => {
    await browser?.close();
    await withSmtp?.close();
    await withoutSmtp?.close();
    closeEmailTransporters();
    await smtp?.close();
  });

  const openNotifications = async (fb: TestFirebreak, email: string) => {
    const user = await fb.user("responder", email);
    await signInAt(page, `${fb.baseUrl}/settings/notifications`, user);
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    await page.getByLabel("Kind", { exact: true }).selectOption("email");
  };
  const addForm = () => page.locator("form[aria-labelledby=add-method]");

  it("asks only for the address; the test mail arrives through the server's SMTP", async () => {
    await openNotifications(withSmtp, "ada@example.com");
    const form = addForm();
    await form.getByLabel("Email address", { exact: true }).waitFor();
    // Said before anything is typed: this server will send it.
    await form
      .getByText("This server sends email through its own SMTP server: an address is all it needs.", {
        exact: true,
      })
      .waitFor();
    assert.equal(await form.getByText(/has no SMTP server set/).count(), 0);
    assert.equal(await form.getByLabel("SMTP server", { exact: true }).count(), 0, "no SMTP server asked");
    assert.equal(await form.getByLabel("From", { exact: true }).count(), 0, "no From asked");

    await form.getByLabel("Label", { exact: true }).fill("Work email");
    await form.getByLabel("Email address", { exact: true }).fill("ada@example.com");
    await page.getByRole("button", { name: "Add contact method" }).click();
    await page.getByRole("heading", { level: 3, name: "Work email" }).waitFor();
    await page.getByText("email to ada@example.com", { exact: true }).waitFor();

    await page.getByRole("button", { name: "Send me a test notification by Work email" }).click();
    await page.getByText(/^Delivered: the test message went to Work email/).waitFor();
    const mail = smtp.received.at(-1);
    assert.ok(mail, "the server's SMTP took the test mail");
    assert.deepEqual([mail.from, mail.to], ["pages@example.com", ["ada@example.com"]]);
    assert.equal(headerOf(mail.raw, "Subject"), "Firebreak test notification");
  });

  it("offers an SMTP server of its own only when asked for", async () => {
    const form = addForm();
    const own = form.getByLabel("Advanced: send through an SMTP server of its own");
    await own.check();
    await form.getByLabel("SMTP server", { exact: true }).waitFor();
    await form.getByLabel("From", { exact: true }).waitFor();
    await own.uncheck();
    assert.equal(await form.getByLabel("SMTP server", { exact: true }).count(), 0);
  });

  it("where the admin set no SMTP server, saving says the admin must set FIREBREAK_SMTP_URL", async () => {
    await page.context().clearCookies();
    await openNotifications(withoutSmtp, "bob@example.com");
    const form = addForm();
    // The form says so before the save: ask an admin, or give SMTP settings of its own.
    await form
      .getByText(
        "This server has no SMTP server set: ask an admin, or give your own SMTP settings (advanced).",
        { exact: true },
      )
      .waitFor();
    assert.equal(await form.getByText(/sends email through its own SMTP server/).count(), 0);
    await form.getByLabel("Label", { exact: true }).fill("Work email");
    await form.getByLabel("Email address", { exact: true }).fill("bob@example.com");
    await page.getByRole("button", { name: "Add contact method" }).click();
    await form.getByText(/^SMTP server is needed: .*an admin must set FIREBREAK_SMTP_URL/).waitFor();
    assert.equal(await page.getByRole("heading", { level: 3, name: "Work email" }).count(), 0);
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  });
});
