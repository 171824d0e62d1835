// Home at 3 am, in a real browser: the open incidents come first (triggered before acknowledged, each
// linking to its incident), a new one appears live without a reload and a resolved one leaves; who is
// on call covers people an escalation policy's first step pages directly, not only schedules.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  claimFirstAdmin,
  describeInBrowser,
  launchBrowser,
  openPage,
  SCREENSHOTS,
  startConsoleFirebreak,
} from "./browser-kit.js";

const ADMIN = { email: "grace@example.com", name: "Grace Hopper", password: "a ship in port is safe 1906" };

describeInBrowser("console: Home shows what is on fire (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey = "";
  let post: ReturnType<typeof apiCreator>;
  let checkoutId = "";
  const pageErrors: string[] = [];

  const call = async (method: string, url: string) => {
    const res = await fetch(`${baseUrl}${url}`, { method, headers: { authorization: `Bearer ${adminKey}` } });
    assert.equal(res.status, 200, `${url}: ${await res.text()}`);
  };
  const panel = () => page.getByRole("region", { name: "Open incidents" });
  const shot = async (name: string) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    post = apiCreator(baseUrl, adminKey);
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

  it("says so when nothing is open", async () => {
    await panel().getByText("No open incidents.").waitFor();
    await panel()
      .getByText(/^Live:/)
      .waitFor();
  });

  it("lists triggered incidents before acknowledged ones, each linking to its incident", async () => {
    checkoutId = (await post("/api/v1/services", { name: "Checkout" })).id;
    const search = (await post("/api/v1/services", { name: "Search" })).id;
    const acked = (await post("/api/v1/incidents", { service: checkoutId, summary: "Slow card payments" }))
      .number!;
    await call("POST", `/api/v1/incidents/${acked}/acknowledge`);
    const older = (await post("/api/v1/incidents", { service: search, summary: "Search returns nothing" }))
      .number!;
    const newer = (await post("/api/v1/incidents", { service: checkoutId, summary: "Checkout is down" }))
      .number!;

    await page.reload();
    const rows = panel().getByRole("row");
    await panel()
      .getByRole("link", { name: `INC-${acked}` })
      .waitFor();
    assert.deepEqual(
      (await rows.allInnerTexts()).slice(1).map((text) => text.split(/\s+/)[0]),
      [`INC-${newer}`, `INC-${older}`, `INC-${acked}`],
    );
    const first = rows.nth(1);
    await first.getByText("Triggered").waitFor();
    await first.getByText("Checkout", { exact: true }).waitFor();
    await first.getByText("Checkout is down").waitFor();
    await rows.nth(3).getByText("Acknowledged").waitFor();
    await first.locator("time").waitFor();
    await shot("home-open-incidents");

    await panel()
      .getByRole("link", { name: `INC-${older}` })
      .click();
    await page.waitForURL(`${baseUrl}/incidents/${older}`);
    await page.goBack();
    await panel()
      .getByRole("link", { name: `INC-${newer}` })
      .waitFor();
  });

  it("shows a new incident live and drops a resolved one, without a reload", async () => {
    await panel()
      .getByText(/^Live:/)
      .waitFor();
    const fresh = (await post("/api/v1/incidents", { service: checkoutId, summary: "Basket is empty" }))
      .number!;
    await panel()
      .getByRole("link", { name: `INC-${fresh}` })
      .waitFor();
    await call("POST", `/api/v1/incidents/${fresh}/resolve`);
    await panel()
      .getByRole("link", { name: `INC-${fresh}` })
      .waitFor({ state: "detached" });
  });

  it("names whom an escalation policy's first step pages directly", async () => {
    const ada = await post("/api/v1/users", {
      email: "ada@example.com",
      name: "Ada Lovelace",
      role: "responder",
      password: "analytical engine 1843",
    });
    const policy = await post("/api/v1/escalation-policies", {
      name: "Payments first line",
      steps: [{ delayMinutes: 10, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    // A policy no service uses pages nobody: it is not listed.
    await post("/api/v1/escalation-policies", {
      name: "Unused policy",
      steps: [{ delayMinutes: 10, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    const res = await fetch(`${baseUrl}/api/v1/services/${checkoutId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ escalationPolicyId: policy.id }),
    });
    assert.equal(res.status, 200, await res.text());
    const searchPolicy = await post("/api/v1/escalation-policies", {
      name: "Search first line",
      steps: [{ delayMinutes: 10, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    const search = await post("/api/v1/services", {
      name: "Search index",
      escalationPolicyId: searchPolicy.id,
    });
    assert.ok(search.id);

    // Every policy's people come from one on-call read, not one read per policy.
    const onCallReads: string[] = [];
    const seeRead = (request: { url(): string }) => {
      if (new URL(request.url()).pathname === "/api/v1/oncall") onCallReads.push(request.url());
    };
    page.on("request", seeRead);
    await page.reload();
    const onCall = page.getByRole("region", { name: "Who is on call now" });
    const direct = onCall.getByRole("list", { name: "Paged first by escalation policies" });
    const item = direct.getByRole("listitem").filter({ hasText: "Payments first line" });
    await item.getByRole("link", { name: "Payments first line" }).waitFor();
    await item.getByText("for Checkout").waitFor();
    await item.getByText("Ada Lovelace").waitFor();
    const other = direct.getByRole("listitem").filter({ hasText: "Search first line" });
    await other.getByText("for Search index").waitFor();
    await other.getByText("Ada Lovelace").waitFor();
    page.off("request", seeRead);
    const byPolicy = onCallReads.filter((url) => url.includes("escalationPolicyId="));
    assert.equal(byPolicy.length, 1, onCallReads.join("\n"));
    const asked = new URL(byPolicy[0]!).searchParams.getAll("escalationPolicyId").sort();
    assert.deepEqual(asked, [policy.id, searchPolicy.id].sort());
    assert.equal(onCallReads.length, 2, onCallReads.join("\n"));
    assert.equal(await onCall.getByText("Unused policy").count(), 0);
    // No schedule exists, and the panel says so beside the policy's people.
    await onCall.getByText("No schedule has anyone on call.").waitFor();
    await shot("home-on-call-direct");
    assert.deepEqual(pageErrors, []);
  });
});
