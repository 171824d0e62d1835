// A new admin setting Firebreak up, in a real browser: teams are made and filled in the console;
// a refused form says why next to the field to blame, in plain words, with the focus on it; the
// policy editor refuses a second policy of one name; "Page someone" warns when nobody would be paged;
// an empty filtered list says the filter is why; and an alert's description is on its incident.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import {
  apiCreator,
  claimFirstAdmin,
  describeInBrowser,
  launchBrowser,
  openPage,
  startConsoleFirebreak,
} from "./browser-kit.js";

const ADMIN = {
  email: "margaret@example.com",
  name: "Margaret Hamilton",
  password: "priority displays 1969",
};

describeInBrowser("console: setting up a new Firebreak (browser)", () => {
  let fb: TestFirebreak;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let adminKey = "";
  let checkoutId = "";
  let samName = "";
  const pageErrors: string[] = [];
  const post = (url: string, body: unknown) => apiCreator(baseUrl, adminKey)(url, body);
  const get = async <T>(url: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${adminKey}` } });
    assert.equal(res.status, 200, url);
    return (await res.json()) as T;
  };
  /** The label of the element that has the focus: where a keyboard user now is. */
  const focusedLabel = () =>
    page.evaluate<string>(
      "(() => { const el = document.activeElement; return el && el.labels && el.labels[0] ? el.labels[0].textContent : ''; })()",
    );

  before(async () => {
    ({ fb, baseUrl } = await startConsoleFirebreak());
    adminKey = await fb.apiKey("admin");
    const policy = await post("/api/v1/escalation-policies", {
      name: "Backend primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: (await fb.user("admin")).id }] }],
      repeatCount: 0,
    });
    checkoutId = (await post("/api/v1/services", { name: "Checkout API", escalationPolicyId: policy.id })).id;
    await post("/api/v1/services", { name: "Marketing site" });
    const sam = await fb.user("responder", "sam@example.com");
    samName = (await get<Array<{ id: string; name: string }>>("/api/v1/users")).find(
      (u) => u.id === sam.id,
    )!.name;

    browser = await launchBrowser();
    page = await openPage(
      browser,
      { viewport: { width: 1280, height: 800 }, colorScheme: "light", locale: "en-GB" },
      pageErrors,
    );
    await claimFirstAdmin(page, fb, ADMIN);
  });

  after(async () => {
    await browser?.close();
    await fb?.close();
  });

  it("makes a team under Settings → Teams, fills it, and the directory shows it", async () => {
    await page.goto(`${baseUrl}/directory`);
    await page.getByRole("link", { name: "Settings → Teams" }).click();
    await page.getByRole("heading", { level: 1, name: "Teams" }).waitFor();

    const name = page.getByLabel("Name", { exact: true });
    await page.getByRole("button", { name: "Create team" }).click();
    await page.getByText("Name is required.").waitFor();
    assert.equal(await focusedLabel(), "Name", "the focus goes to the field to blame");

    await name.fill("Platform");
    await name.press("Enter");
    await page.getByText("Created “Platform”. Add its members below.").waitFor();
    assert.equal(await name.inputValue(), "");

    // The same name again: the server's conflict is said next to the name, not only above the form.
    await name.fill("Platform");
    await name.press("Enter");
    await page.getByText("Name is taken: a team named Platform already exists.").waitFor();
    assert.equal(await name.getAttribute("aria-invalid"), "true");

    await page.getByLabel("Add to Platform").selectOption({ label: `${samName} (sam@example.com)` });
    await page.getByRole("button", { name: "Add to Platform" }).click();
    await page.getByText(`Added ${samName} to Platform.`).waitFor();
    await page.getByRole("list", { name: "Members of Platform" }).getByText(samName).waitFor();
    const members = await get<Array<{ userId: string }>>(
      `/api/v1/teams/${(await get<Array<{ id: string; name: string }>>("/api/v1/teams"))[0]!.id}/members`,
    );
    assert.equal(members.length, 1);

    await page.goto(`${baseUrl}/directory`);
    const card = page.locator(".card-grid > li", { hasText: "Platform" });
    await card.getByText(samName).waitFor();

    // Removing the only member hands the focus to the picker, since the pressed button is gone.
    await page.getByRole("link", { name: "Change teams and their members" }).click();
    await page.getByRole("button", { name: `Remove ${samName} from Platform` }).click();
    await page.getByText(`Removed ${samName} from Platform.`).waitFor();
    await page.getByText("Nobody is in this team yet: paging it reaches nobody.").waitFor();
    assert.equal(await focusedLabel(), "Add to Platform");
  });

  it("says on the Name field, in plain words, why a service was refused", async () => {
    await page.goto(`${baseUrl}/services`);
    const name = page.getByLabel("Name", { exact: true });
    await name.fill("Checkout API");
    await page.getByRole("button", { name: "Create service" }).click();
    await page.getByText("Name is taken: a service named Checkout API already exists.").waitFor();
    assert.equal(await focusedLabel(), "Name");

    // The server's schema check says "must NOT have more than 200 characters"; the console does not.
    await name.fill("x".repeat(250));
    await page.getByRole("button", { name: "Create service" }).click();
    await page.getByText("Name must be at most 200 characters.").waitFor();
    assert.equal(await page.getByText(/must NOT/).count(), 0);
  });

  it("refuses a second escalation policy of the same name", async () => {
    await page.goto(`${baseUrl}/on-call/escalation-policies/new`);
    await page.getByLabel("Name", { exact: true }).fill("backend primary");
    await page.getByLabel("Add to step 1").selectOption({ label: ADMIN.name });
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.getByText("Name is taken: another policy is called “Backend primary”.").waitFor();
    assert.equal(await focusedLabel(), "Name");
    assert.equal((await get<unknown[]>("/api/v1/escalation-policies")).length, 1, "nothing was created");
  });

  it("warns before paging a service that pages nobody, and says why a filtered list is empty", async () => {
    await page.goto(`${baseUrl}/incidents`);
    await page.getByText(/^Live:/).waitFor();
    await page.locator(".toolbar").getByLabel("Service").selectOption({ label: "Marketing site" });
    await page
      .getByText("No open incidents for Marketing site. Choose “All services” to see the others.")
      .waitFor();

    await page.getByRole("button", { name: "Page someone" }).click();
    const dialog = page.getByRole("dialog", { name: "Page someone" });
    await dialog.getByText("Marketing site has no escalation policy: nobody will be paged.").waitFor();
    await dialog.getByLabel("Service").selectOption({ label: "Checkout API" });
    assert.equal(await dialog.getByText(/has no escalation policy/).count(), 0);
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  it("shows what the alert's sender said about it on the incident", async () => {
    const integration = (await post(`/api/v1/services/${checkoutId}/integrations`, {
      kind: "prometheus",
    })) as unknown as { url: string };
    const res = await fetch(`${integration.url.replace(/^http:\/\/[^/]+/, baseUrl)}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        {
          labels: { alertname: "QueueBacklog", severity: "critical" },
          annotations: {
            summary: "Payment queue backlog above 10k",
            description: "12,400 messages wait; 2 of 6 consumers are healthy.",
            dashboard: "https://grafana.example.com/d/queues",
          },
        },
      ]),
    });
    assert.equal(res.status, 200);
    await page.goto(`${baseUrl}/incidents`);
    await page
      .getByRole("row", { name: /Payment queue backlog/ })
      .getByRole("link", { name: /^INC-/ })
      .click();
    await page.getByText("12,400 messages wait; 2 of 6 consumers are healthy.").waitFor();
    await page.getByText("Details from the sender (1)").click();
    await page.getByText("https://grafana.example.com/d/queues").waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
