// `firebreak incidents` says how soon each triggered incident's escalation pages next (NEXT PAGE), and
// --json carries the API's nextEscalationAt; acknowledged, resolved and policy-less incidents show "-".
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createUser } from "../../src/app/users/create-user.js";
import { nextPageCell, type EscalatingRow } from "../../src/cli/commands/incident-list-options.js";
import { setupCaller } from "../support/alerting-setup.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { runCliCaptured } from "./cli-harness.js";

describe("the NEXT PAGE cell", () => {
  const nowMs = Date.parse("2026-03-02T03:10:00.000Z");
  const lastStep = { steps: [{}, {}], repeatCount: 1 };
  const cases: Array<[string, EscalatingRow, string]> = [
    ["four minutes on", { state: "triggered", nextEscalationAt: "2026-03-02T03:14:00.000Z" }, "in 4m"],
    [
      "the last step of the last round pages nobody after it",
      {
        state: "triggered",
        nextEscalationAt: "2026-03-02T03:14:00.000Z",
        escalation: lastStep,
        escalationStep: 1,
        escalationLoop: 1,
      },
      "runs out in 4m",
    ],
    [
      "the last step of a round that repeats",
      {
        state: "triggered",
        nextEscalationAt: "2026-03-02T03:14:00.000Z",
        escalation: lastStep,
        escalationStep: 1,
        escalationLoop: 0,
      },
      "in 4m",
    ],
    [
      "reassigned on the last step: the policy resumes",
      {
        state: "triggered",
        nextEscalationAt: "2026-03-02T03:14:00.000Z",
        escalation: lastStep,
        escalationStep: 1,
        escalationLoop: 1,
        assigneeIds: ["u1"],
      },
      "in 4m",
    ],
    ["rounded up", { state: "triggered", nextEscalationAt: "2026-03-02T03:13:01.000Z" }, "in 4m"],
    ["under a minute", { state: "triggered", nextEscalationAt: "2026-03-02T03:10:20.000Z" }, "in <1m"],
    ["hours", { state: "triggered", nextEscalationAt: "2026-03-02T04:15:00.000Z" }, "in 1h05m"],
    ["the engine is late", { state: "triggered", nextEscalationAt: "2026-03-02T03:09:00.000Z" }, "overdue"],
    ["nothing pending", { state: "triggered", nextEscalationAt: null }, "-"],
    ["an older server", { state: "triggered" }, "-"],
    ["acknowledged", { state: "acknowledged", nextEscalationAt: "2026-03-02T03:14:00.000Z" }, "-"],
    ["resolved", { state: "resolved", nextEscalationAt: null }, "-"],
  ];
  for (const [name, incident, expected] of cases)
    it(`${name}: ${expected}`, () => assert.equal(nextPageCell(incident, nowMs), expected));
});

describe("firebreak incidents: NEXT PAGE and nextEscalationAt", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  const numbers: Record<string, number> = {};
  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${fb.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${url}: ${res.status}`);
    return (await res.json()) as { id: string; number: number; nextEscalationAt?: string | null };
  };

  before(async () => {
    // The system clock, as the CLI's: the countdown is counted against it.
    fb = await startTestFirebreak({ listen: true, startEngine: false, sender: new RecordingSender() });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    const ada = await createUser(fb.running.deps, setupCaller, {
      email: "ada-next-page@example.com",
      name: "Ada",
      role: "responder",
      password: "correct horse battery staple",
    });
    await addContactMethod(fb.running.deps, setupCaller, {
      userId: ada.id,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    const policy = await api("POST", "/api/v1/escalation-policies", {
      name: "Billing on call",
      steps: [{ delayMinutes: 30, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    await api("POST", "/api/v1/services", { name: "billing", escalationPolicyId: policy.id });
    await api("POST", "/api/v1/services", { name: "reports" });
    for (const [name, service] of [
      ["paging", "billing"],
      ["acked", "billing"],
      ["resolved", "billing"],
      ["unpaged", "reports"],
    ] as const)
      numbers[name] = (
        await api("POST", "/api/v1/incidents", { service, summary: `${name} incident` })
      ).number;
    await api("POST", `/api/v1/incidents/${numbers.acked}/acknowledge`);
    await api("POST", `/api/v1/incidents/${numbers.resolved}/resolve`);
  });
  after(() => fb.close());

  it("shows how soon a triggered incident pages next, and '-' for the others", async () => {
    const out = await cli("incidents", "--state", "all");
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^INCIDENT\s+STATE\s+NEXT PAGE\s+LEVEL\s+/);
    const row = (n: number | undefined) => lines.find((l) => l.startsWith(`INC-${n} `)) ?? "";
    // 30 minutes from when it opened, rounded up; a slow machine may have lost a minute.
    assert.match(row(numbers.paging), /^INC-\d+\s+triggered\s+runs out in (29|30)m\s+page\s+billing\s/);
    assert.match(row(numbers.acked), /^INC-\d+\s+acknowledged\s+-\s+page\s+billing\s/);
    assert.match(row(numbers.resolved), /^INC-\d+\s+resolved\s+-\s+page\s+billing\s/);
    assert.match(row(numbers.unpaged), /^INC-\d+\s+triggered\s+-\s+page\s+reports\s/);
  });

  it("--json carries nextEscalationAt as GET /api/v1/incidents/:ref gives it", async () => {
    const out = await cli("incidents", "--state", "all", "--json");
    assert.equal(out.code, 0, out.stderr);
    const listed = JSON.parse(out.stdout) as Array<{ number: number; nextEscalationAt: string | null }>;
    const byNumber = new Map(listed.map((i) => [i.number, i.nextEscalationAt]));
    const paging = byNumber.get(numbers.paging!);
    assert.equal(typeof paging, "string");
    const detail = (await api("GET", `/api/v1/incidents/${numbers.paging}`)) as { nextEscalationAt?: string };
    assert.equal(paging, detail.nextEscalationAt);
    for (const name of ["acked", "resolved", "unpaged"])
      assert.equal(byNumber.get(numbers[name]!), null, name);
  });
});
