// A team manager in the console, in a real browser: a responder who manages Payments changes a
// Payments service (settings, integrations, maintenance), its members and its schedule's rotations,
// and only reads Storage's service, members and schedule.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
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

describeInBrowser("console: a team manager changes their team's records only (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey = "";
  const ids = {
    payments: "",
    storage: "",
    checkout: "",
    disks: "",
    milo: "",
    paySchedule: "",
    diskSchedule: "",
  };
  const pageErrors: string[] = [];

  const getJson = async <T>(url: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${adminKey}` } });
    assert.equal(res.status, 200, url);
    return (await res.json()) as T;
  };

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    const post = apiCreator(baseUrl, adminKey);
    ids.payments = (await post("/api/v1/teams", { name: "Payments" })).id;
    ids.storage = (await post("/api/v1/teams", { name: "Storage" })).id;
    ids.checkout = (await post("/api/v1/services", { name: "checkout", teamId: ids.payments })).id;
    ids.disks = (await post("/api/v1/services", { name: "disks", teamId: ids.storage })).id;
    const rosa = await fb.user("responder", "rosa@example.com");
    ids.milo = (
      await post("/api/v1/users", {
        email: "milo@example.com",
        name: "Milo Member",
        role: "responder",
        password: "correct horse battery staple",
      })
    ).id;
    const join = async (teamId: string, userId: string, role: "member" | "manager") => {
      const res = await fetch(`${baseUrl}/api/v1/teams/${teamId}/members/${userId}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ role }),
      });
      assert.equal(res.status, 200);
    };
    await join(ids.payments, rosa.id, "manager");
    await join(ids.payments, ids.milo, "member");
    await join(ids.storage, ids.milo, "member");
    ids.paySchedule = (
      await post("/api/v1/schedules", { name: "Payments on call", timeZone: "UTC", teamId: ids.payments })
    ).id;
    const daily = {
      memberIds: [ids.milo],
      shiftLength: 1,
      shiftUnit: "days",
      startLocal: "2026-01-05T09:00",
      restrictions: [],
    };
    ids.diskSchedule = (
      await post("/api/v1/schedules", {
        name: "Storage on call",
        timeZone: "UTC",
        teamId: ids.storage,
        layers: [{ name: "Disks daily", rotation: daily }],
      })
    ).id;

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 900 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await signInAt(page, `${baseUrl}/services/${ids.checkout}`, rosa);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("edits a Payments service: its settings, and it may add integrations and maintenance windows", async () => {
    await page.getByRole("heading", { level: 1, name: "checkout" }).waitFor();
    await page.getByRole("heading", { name: "Add an integration" }).waitFor();
    await page.getByRole("heading", { name: "Add a maintenance window" }).waitFor();
    // A manager may move it only among the teams they manage, never to no team.
    const team = page.getByLabel("Team", { exact: true });
    // The teams load after the form: wait for the option before reading the list.
    await team.locator("option", { hasText: "Payments" }).waitFor({ state: "attached" });
    assert.deepEqual(await team.locator("option").allTextContents(), ["Payments"]);

    await page.getByLabel("Description").fill("Takes the money");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").getByText("Saved.").waitFor();
    const saved = await getJson<{ description: string }>(`/api/v1/services/${ids.checkout}`);
    assert.equal(saved.description, "Takes the money");
    // Deleting a service stays with admins.
    assert.equal(await page.getByRole("button", { name: "Delete checkout" }).count(), 0);
  });

  it("reads a Storage service without a control to change it", async () => {
    await page.goto(`${baseUrl}/services/${ids.disks}`);
    await page.getByRole("heading", { level: 1, name: "disks" }).waitFor();
    await page.getByRole("heading", { name: "Settings" }).waitFor();
    await page.getByText("Storage", { exact: true }).waitFor();
    for (const control of [
      page.getByRole("button", { name: "Save settings" }),
      page.getByRole("heading", { name: "Add an integration" }),
      page.getByRole("heading", { name: "Add a maintenance window" }),
      page.getByLabel("Description"),
    ])
      assert.equal(await control.count(), 0);
  });

  it("creates services only for Payments", async () => {
    await page.goto(`${baseUrl}/services`);
    await page.getByRole("heading", { name: "Create a service" }).waitFor();
    const team = page.getByLabel("Team", { exact: true });
    // The teams load after the form: wait for the option before reading the list.
    await team.locator("option", { hasText: "Payments" }).waitFor({ state: "attached" });
    assert.deepEqual(await team.locator("option").allTextContents(), ["Payments"]);
    await page.getByLabel("Name", { exact: true }).fill("refunds");
    await page.getByRole("button", { name: "Create service" }).click();
    await page.getByRole("heading", { level: 1, name: "refunds" }).waitFor();
    const services = await getJson<Array<{ name: string; teamId: string | null }>>("/api/v1/services");
    assert.equal(services.find((s) => s.name === "refunds")?.teamId, ids.payments);
    assert.deepEqual(pageErrors, []);
  });

  it("reaches Settings → Teams and promotes a member of Payments, with no control over Storage", async () => {
    await page.goto(`${baseUrl}/settings/account`);
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Teams" }).click();
    await page.getByRole("heading", { level: 1, name: "Teams" }).waitFor();
    await page.getByRole("list", { name: "Members of Storage" }).waitFor();
    // Creating and deleting teams stay with admins.
    assert.equal(await page.getByRole("heading", { name: "Create a team" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: /^Delete / }).count(), 0);
    assert.equal(await page.getByRole("button", { name: /in Storage$/ }).count(), 0);
    assert.equal(await page.getByLabel("Add to Storage").count(), 0);

    await page.getByRole("button", { name: "Make manager: Milo Member in Payments" }).click();
    await page.getByText("Milo Member is now a manager of Payments.").waitFor();
    await page.getByRole("button", { name: "Make member: Milo Member in Payments" }).waitFor();
    const members = await getJson<Array<{ userId: string; role: string }>>(
      `/api/v1/teams/${ids.payments}/members`,
    );
    assert.equal(members.find((m) => m.userId === ids.milo)?.role, "manager");
  });

  it("adds a rotation to the Payments schedule, and sees no edit control on Storage's", async () => {
    await page.goto(`${baseUrl}/schedules/${ids.paySchedule}`);
    await page.getByRole("heading", { level: 1, name: "Payments on call" }).waitFor();
    // Deleting a schedule stays with admins.
    assert.equal(await page.getByRole("button", { name: "Delete schedule" }).count(), 0);
    await page.getByRole("link", { name: "Add a rotation" }).click();
    await page.getByRole("heading", { level: 1, name: "New rotation" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Payments primary");
    await page.getByLabel("Add a member").selectOption({ label: "Milo Member" });
    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByRole("button", { name: "Create rotation" }).click();
    await page.getByText("Rotation “Payments primary” added.").waitFor();
    await page.getByRole("link", { name: "Edit rotation Payments primary" }).waitFor();
    const schedule = await getJson<{ layers: Array<{ name: string }> }>(
      `/api/v1/schedules/${ids.paySchedule}`,
    );
    assert.deepEqual(
      schedule.layers.map((l) => l.name),
      ["Payments primary"],
    );

    await page.goto(`${baseUrl}/schedules/${ids.diskSchedule}`);
    await page.getByRole("heading", { level: 1, name: "Storage on call" }).waitFor();
    await page.getByRole("heading", { level: 3, name: "Disks daily" }).waitFor();
    await page.getByRole("link", { name: "Fairness report" }).waitFor();
    for (const control of [
      page.getByRole("link", { name: "Add a rotation" }),
      page.getByRole("link", { name: "Follow-the-sun generator" }),
      page.getByRole("link", { name: /^Edit rotation/ }),
      page.getByRole("button", { name: "Delete schedule" }),
    ])
      assert.equal(await control.count(), 0);
    // Nor does the rotation editor open for it by its address.
    await page.goto(`${baseUrl}/schedules/${ids.diskSchedule}/layers/new`);
    await page.getByRole("heading", { level: 1, name: "Admins and team managers only" }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
