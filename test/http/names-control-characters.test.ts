import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { client, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

/**
 * A name is printed by the CLI and shown in Slack and email: a terminal escape, a newline or a bidi
 * override in it would recolour a terminal, break a line or reverse the text. Every kind of name is
 * refused with a 400 at its field that says which character and where; surrounding whitespace is trimmed.
 */
describe("names with control characters are refused by every API that takes a name", () => {
  let s: ResponseScenario;
  let admin: Client;
  let ada: Client;
  let scheduleId: string;
  let channelId: string;

  before(async () => {
    s = await startResponseScenario("sqlite");
    admin = client(s.fb, { key: await s.fb.apiKey("admin") });
    ada = client(s.fb, await s.fb.signIn(s.ada.email, s.ada.password));
    const schedule = await admin.post("/api/v1/schedules", { name: "Primary", timeZone: "UTC" });
    assert.equal(schedule.statusCode, 201, schedule.body);
    scheduleId = (schedule.json() as { id: string }).id;
    const channel = await admin.post("/api/v1/channels", {
      name: "#ops",
      kind: "webhook",
      config: { url: "http://127.0.0.1:9/hook" },
    });
    assert.equal(channel.statusCode, 201, channel.body);
    channelId = (channel.json() as { id: string }).id;
  });
  after(() => s.close());

  /** Each way a name reaches the store, sending `name` as the name. */
  const senders: Array<[what: string, send: (name: string) => ReturnType<Client["post"]>]> = [
    ["a new service", (name) => admin.post("/api/v1/services", { name })],
    ["a renamed service", (name) => admin.patch(`/api/v1/services/${s.serviceId}`, { name })],
    [
      "a new integration",
      (name) => admin.post(`/api/v1/services/${s.serviceId}/integrations`, { kind: "webhook", name }),
    ],
    ["a new team", (name) => admin.post("/api/v1/teams", { name })],
    [
      "a new user",
      (name) =>
        admin.post("/api/v1/users", {
          name,
          email: "new.person@example.com",
          role: "viewer",
          password: "a long enough password",
        }),
    ],
    ["a renamed user", (name) => admin.patch(`/api/v1/users/${s.bob.id}`, { name })],
    ["my own name", (name) => ada.patch("/api/v1/me", { name })],
    [
      "a new escalation policy",
      (name) =>
        admin.post("/api/v1/escalation-policies", {
          name,
          steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: s.ada.id }] }],
          repeatCount: 0,
        }),
    ],
    ["a new schedule", (name) => admin.post("/api/v1/schedules", { name, timeZone: "UTC" })],
    ["a renamed schedule", (name) => admin.patch(`/api/v1/schedules/${scheduleId}`, { name })],
    ["a new API key", (name) => admin.post("/api/v1/api-keys", { name, role: "viewer" })],
    [
      "a new shared channel",
      (name) =>
        admin.post("/api/v1/channels", { name, kind: "webhook", config: { url: "http://127.0.0.1:9/hook" } }),
    ],
    ["a renamed shared channel", (name) => admin.patch(`/api/v1/channels/${channelId}`, { name })],
    ["a new vendor", (name) => admin.post("/api/v1/vendors", { name })],
  ];

  const hostile: Array<[what: string, name: string, found: string]> = [
    ["a terminal colour escape", "pay\u001b[31mments", "U+001B at position 4"],
    ["a newline inside", "pay\nments", "U+000A at position 4"],
    ["a right-to-left override", "\u202egpj.exe", "U+202E at position 1"],
    ["a bell after leading spaces (counted in the trimmed name)", "  a\u0007", "U+0007 at position 2"],
    ["a C1 control", "pay\u0085ments", "U+0085 at position 4"],
  ];

  for (const [what, send] of senders) {
    it(`${what}: a 400 naming the field, the character and its position`, async () => {
      for (const [kind, name, found] of hostile) {
        const problem = assertProblem(await send(name), 400, "VALIDATION");
        const message = `must not contain control characters (found ${found})`;
        assert.deepEqual(problem.errors, [{ path: "/name", message }], kind);
        assert.equal(problem.detail, `name ${message}`, kind);
      }
    });
  }

  it("stores nothing that was refused", async () => {
    const shown = await Promise.all(
      [
        "/api/v1/services",
        "/api/v1/teams",
        "/api/v1/users",
        "/api/v1/escalation-policies",
        "/api/v1/schedules",
      ].map(async (url) => (await admin.get(url)).body),
    );
    const integrations = (await admin.get(`/api/v1/services/${s.serviceId}/integrations`)).body;
    for (const body of [...shown, integrations])
      assert.doesNotMatch(body, /\\u001b|\\u0007|\\u0085|\u202e|pay\\nments/);
  });

  it("trims surrounding whitespace, and refuses a name that is empty once trimmed", async () => {
    const made = await admin.post("/api/v1/teams", { name: "\n  Payments on call \t" });
    assert.equal(made.statusCode, 201, made.body);
    assert.equal((made.json() as { name: string }).name, "Payments on call");
    const integration = await admin.post(`/api/v1/services/${s.serviceId}/integrations`, {
      kind: "webhook",
      name: "  deploys  ",
    });
    assert.equal(integration.statusCode, 201, integration.body);
    assert.equal((integration.json() as { name: string }).name, "deploys");
    for (const [what, send] of senders.filter(([what]) => !what.includes("integration"))) {
      const problem = assertProblem(await send(" \n\t "), 400, "VALIDATION");
      assert.deepEqual(
        problem.errors?.map((e) => e.path),
        ["/name"],
        what,
      );
    }
  });

  it("keeps accepting names people write: emoji sequences, accents, other scripts", async () => {
    for (const name of ["👩\u200d💻 on call", "e\u0301quipe", "支付", "می\u200cخواهم"]) {
      const made = await admin.post("/api/v1/teams", { name });
      assert.equal(made.statusCode, 201, `${name}: ${made.body}`);
    }
  });
});
