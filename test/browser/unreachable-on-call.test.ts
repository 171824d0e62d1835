// Someone a policy pages but no page would reach (no contact methods) is flagged where people set up
// paging, in a real browser: beside the person in the policy list and editor, and on Home's "Who is
// on call now", in the words a failed page would use; someone with a contact method is not.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  describeInBrowser,
  launchBrowser,
  openPage,
  SCREENSHOTS,
  signInAt,
  startConsoleFirebreak,
} from "./browser-kit.js";

const WARNING = "Test responder has no contact methods: a page reaches nobody";

describeInBrowser("console: a person on call whom no page reaches (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let policyId = "";
  const pageErrors: string[] = [];
  const shot = async (name: string) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    const post = apiCreator(baseUrl, await fb.apiKey("admin"));
    const admin = await fb.user("admin", "lead@example.com");
    const carol = await fb.user("responder", "carol@example.com");
    const ada = await fb.user("viewer", "ada@example.com");
    await addContactMethod(
      fb.running.deps,
      { actor: systemActor("test"), requestId: null },
      { userId: ada.id, kind: "webhook", label: "pager", config: { url: "http://127.0.0.1:9/never-called" } },
    );
    policyId = (
      await post("/api/v1/escalation-policies", {
        name: "Carol only",
        steps: [
          { delayMinutes: 5, targets: [{ kind: "user", userId: carol.id }] },
          { delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] },
        ],
        repeatCount: 0,
      })
    ).id;
    await post("/api/v1/services", { name: "Carolsvc", escalationPolicyId: policyId });

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await signInAt(page, `${baseUrl}/on-call/escalation-policies`, admin);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("warns beside the person in the policy list, only for the one no page reaches", async () => {
    await page.getByRole("heading", { level: 3, name: "Carol only" }).waitFor();
    await page.getByText(WARNING).waitFor();
    assert.equal(await page.locator(".unreachable-warning").count(), 1);
    assert.equal(await page.getByText("Test viewer has no contact methods").count(), 0);
    await shot("policy-unreachable-person");
  });

  it("warns in the editor's step, and for a person added before saving", async () => {
    await page.goto(`${baseUrl}/on-call/escalation-policies/${policyId}`);
    const stepOne = page.getByRole("group", { name: "Step 1" });
    await stepOne.getByText(WARNING).waitFor();
    const stepTwo = page.getByRole("group", { name: "Step 2" });
    await stepTwo.getByLabel("Add to step 2").selectOption({ label: "Test responder" });
    await stepTwo.getByRole("button", { name: "Add to step 2" }).click();
    await stepTwo.getByText(WARNING).waitFor();
    assert.equal(await stepTwo.locator(".unreachable-warning").count(), 1);
  });

  it("marks the person on Home's who is on call now", async () => {
    await page.goto(`${baseUrl}/`);
    const panel = page.getByRole("region", { name: "Who is on call now" });
    const direct = panel.getByRole("list", { name: "Paged first by escalation policies" });
    await direct.getByText("(unreachable: has no contact methods)").waitFor();
    await direct.getByText("Test responder", { exact: true }).waitFor();
    await shot("home-unreachable-person");
    assert.deepEqual(pageErrors, []);
  });
});
