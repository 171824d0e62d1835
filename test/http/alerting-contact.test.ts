import assert from "node:assert/strict";
import { after, before, beforeEach, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { client, errorPaths, PUBLIC_URL, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

interface Method {
  id: string;
  userId: string;
  kind: string;
  label: string;
  description: string;
  config?: unknown;
}
const SECRET_URL = "https://hooks.example.net/pager/very-secret-token";

describeEachDialect("contact methods, notification rules and test messages over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let sender: RecordingSender;
  let admin: Client;
  let viewerKey: Client;
  let ada: Client;
  let adaId: string;
  let bob: Client;
  let bobId: string;

  before(async () => {
    sender = new RecordingSender();
    fb = await startTestFirebreak({
      dialect,
      sender,
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL },
    });
    admin = client(fb, { key: await fb.apiKey("admin") });
    viewerKey = client(fb, { key: await fb.apiKey("viewer") });
    const adaUser = await fb.user("responder");
    adaId = adaUser.id;
    ada = client(fb, await fb.signIn(adaUser.email, adaUser.password));
    const bobUser = await fb.user("viewer");
    bobId = bobUser.id;
    bob = client(fb, await fb.signIn(bobUser.email, bobUser.password));
  });
  beforeEach(() => sender.clear());
  after(() => fb.close());

  const addMine = async (who: Client, label = "Pager"): Promise<Method> => {
    const res = await who.post("/api/v1/me/contact-methods", {
      kind: "webhook",
      label,
      config: { url: SECRET_URL },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Method;
  };

  it("adds, lists and removes my contact methods, never showing their settings", async () => {
    const method = await addMine(ada);
    assert.equal(method.userId, adaId);
    assert.equal(method.config, undefined);
    assert.match(method.description, /hooks\.example\.net/);
    const listed = await ada.get("/api/v1/me/contact-methods");
    assert.deepEqual(
      (listed.json() as Method[]).map((m) => m.id),
      [method.id],
    );
    assert.ok(!listed.body.includes("very-secret-token"));

    assert.equal((await ada.delete(`/api/v1/me/contact-methods/${method.id}`)).statusCode, 204);
    assert.deepEqual((await ada.get("/api/v1/me/contact-methods")).json(), []);
    assertProblem(await ada.delete(`/api/v1/me/contact-methods/${method.id}`), 404, "NOT_FOUND");
  });

  it("refuses bad contact methods, naming the field", async () => {
    assert.deepEqual(
      errorPaths(
        await ada.post("/api/v1/me/contact-methods", {
          kind: "webhook",
          label: "x",
          config: { url: "ftp://example.net" },
        }),
      ),
      ["/config/url"],
    );
    assert.deepEqual(
      errorPaths(await ada.post("/api/v1/me/contact-methods", { kind: "webhook", label: "x", config: {} })),
      ["/config/url"],
    );
    assert.deepEqual(
      errorPaths(await ada.post("/api/v1/me/contact-methods", { kind: "pigeon", label: "x", config: {} })),
      ["/kind"],
    );
    assert.deepEqual(
      errorPaths(
        await ada.post("/api/v1/me/contact-methods", {
          kind: "webhook",
          label: " ",
          config: { url: SECRET_URL },
        }),
      ),
      ["/label"],
    );
    assert.deepEqual(
      errorPaths(await ada.post("/api/v1/me/contact-methods", { kind: "webhook", label: "x" })),
      ["/config"],
    );
  });

  it("names every bad field of a contact method at once, not only the first", async () => {
    const several = await ada.post("/api/v1/me/contact-methods", {
      kind: "ntfy",
      label: " ",
      config: { serverUrl: "ftp://ntfy.example.net", topic: "has spaces" },
    });
    assertProblem(several, 400, "VALIDATION");
    assert.deepEqual(errorPaths(several), ["/label", "/config/serverUrl", "/config/topic"]);
    // An unknown kind has no settings to check, but the label is still checked.
    assert.deepEqual(
      errorPaths(await ada.post("/api/v1/me/contact-methods", { kind: "pigeon", label: "", config: {} })),
      ["/kind", "/label"],
    );
    // Admins adding someone else's get the same answer.
    assert.deepEqual(
      errorPaths(
        await admin.post(`/api/v1/users/${adaId}/contact-methods`, {
          kind: "webhook",
          label: "x".repeat(201),
          config: {},
        }),
      ),
      ["/label", "/config/url"],
    );
    assert.deepEqual((await ada.get("/api/v1/me/contact-methods")).json(), []);
  });

  it("replaces my notification rules, checking each", async () => {
    const first = await addMine(ada, "Phone");
    const second = await addMine(ada, "Desk");
    const rules = [
      { contactMethodId: first.id, delayMinutes: 0 },
      { contactMethodId: second.id, delayMinutes: 5 },
    ];
    const put = await ada.put("/api/v1/me/notification-rules", { rules });
    assert.equal(put.statusCode, 200, put.body);
    const got = (await ada.get("/api/v1/me/notification-rules")).json() as Array<{
      contactMethodId: string;
      delayMinutes: number;
    }>;
    assert.deepEqual(
      got.map(({ contactMethodId, delayMinutes }) => ({ contactMethodId, delayMinutes })),
      rules,
    );

    const bad = await ada.put("/api/v1/me/notification-rules", {
      rules: [
        { contactMethodId: "someone-elses", delayMinutes: 0 },
        { contactMethodId: first.id, delayMinutes: 2000 },
      ],
    });
    assertProblem(bad, 400, "VALIDATION");
    assert.deepEqual(errorPaths(bad), ["/rules/0/contactMethodId", "/rules/1/delayMinutes"]);
    assert.deepEqual(
      errorPaths(await ada.put("/api/v1/me/notification-rules", { rules: [{ contactMethodId: first.id }] })),
      ["/rules/0/delayMinutes"],
    );

    // Removing a method drops its rules.
    await ada.delete(`/api/v1/me/contact-methods/${second.id}`);
    assert.deepEqual(((await ada.get("/api/v1/me/notification-rules")).json() as unknown[]).length, 1);
  });

  it("sends me a test notification through the contact method", async () => {
    const method = await addMine(ada, "Test me");
    const res = await ada.post(`/api/v1/me/contact-methods/${method.id}/test`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { delivered: true });
    assert.equal(sender.sent.length, 1);
    assert.equal(sender.sent[0]!.message.event, "test");
    assert.equal(sender.sent[0]!.kind, "webhook");
    assert.equal(sender.sent[0]!.config.url, SECRET_URL);
    assert.equal(sender.sent[0]!.message.recipientName, "Test responder");
    assert.equal(sender.sent[0]!.message.acknowledgeUrl, null);

    sender.failNext(1, false, "receiver answered 404");
    const failed = await ada.post(`/api/v1/me/contact-methods/${method.id}/test`);
    assert.equal(failed.statusCode, 200);
    assert.deepEqual(failed.json(), { delivered: false, error: "receiver answered 404", retryable: false });
  });

  it("an API key that acts for a person (apikey create --user) manages that person's own methods under /me", async () => {
    const email = `cli-${dialect}@example.com`;
    const cy = await fb.user("responder", email);
    const system = { actor: systemActor("test"), requestId: null };
    const cyKey = client(fb, {
      key: (
        await createApiKey(fb.running.deps, system, {
          name: "cy's cli",
          role: "responder",
          actsForEmail: email,
        })
      ).token,
    });
    // The same person as /api/v1/me/tasks reads.
    assert.equal((await cyKey.get("/api/v1/me/tasks")).statusCode, 200);
    assert.deepEqual((await cyKey.get("/api/v1/me/contact-methods")).json(), []);
    const method = await addMine(cyKey, "Cy's pager");
    assert.equal(method.userId, cy.id);
    assert.deepEqual(
      ((await cyKey.get("/api/v1/me/contact-methods")).json() as Method[]).map((m) => m.label),
      ["Cy's pager"],
    );
    const rules = await cyKey.put("/api/v1/me/notification-rules", {
      rules: [{ contactMethodId: method.id, delayMinutes: 0 }],
    });
    assert.equal(rules.statusCode, 200, rules.body);
    assert.equal(((await cyKey.get("/api/v1/me/notification-rules")).json() as unknown[]).length, 1);
    const tested = await cyKey.post(`/api/v1/me/contact-methods/${method.id}/test`);
    assert.deepEqual(tested.json(), { delivered: true });
    assert.equal(sender.sent.at(-1)?.message.recipientName, "Test responder");
    // Sent by the key, as it is labelled everywhere.
    assert.deepEqual(sender.sent.at(-1)?.message.details, [
      { label: "Sent by", value: "Test responder (API key cy's cli)" },
    ]);
    // Still only that person's: not Ada's, through /me or /users/:id.
    const adas = await addMine(ada, "Ada's own");
    assertProblem(await cyKey.delete(`/api/v1/me/contact-methods/${adas.id}`), 404, "NOT_FOUND");
    assertProblem(await cyKey.get(`/api/v1/users/${adaId}/contact-methods`), 403, "FORBIDDEN");
    assertProblem(
      await cyKey.post(`/api/v1/users/${adaId}/contact-methods/${adas.id}/test`),
      403,
      "FORBIDDEN",
    );
    assert.equal((await cyKey.delete(`/api/v1/me/contact-methods/${method.id}`)).statusCode, 204);
    assert.deepEqual((await cyKey.get("/api/v1/me/contact-methods")).json(), []);
  });

  it("keeps each person's methods their own; admins manage anyone's under /users/:id", async () => {
    const adas = await addMine(ada, "Ada's");
    // Bob cannot see, test or remove Ada's methods.
    assertProblem(await bob.get(`/api/v1/users/${adaId}/contact-methods`), 403, "FORBIDDEN");
    assertProblem(await bob.delete(`/api/v1/me/contact-methods/${adas.id}`), 404, "NOT_FOUND");
    assertProblem(await bob.post(`/api/v1/me/contact-methods/${adas.id}/test`), 404, "NOT_FOUND");
    assertProblem(
      await bob.post(`/api/v1/users/${adaId}/contact-methods`, {
        kind: "webhook",
        label: "sneaky",
        config: { url: SECRET_URL },
      }),
      403,
      "FORBIDDEN",
    );
    // /me needs a person: a key that acts for nobody is refused, saying so.
    const nobody = assertProblem(await viewerKey.get("/api/v1/me/contact-methods"), 403, "FORBIDDEN");
    assert.match(nobody.detail, /acts for no person/);
    assert.equal(nobody.type, "urn:firebreak:problem:acts-for-no-person");
    assertProblem(await admin.get("/api/v1/me/notification-rules"), 403, "FORBIDDEN");

    const added = await admin.post(`/api/v1/users/${bobId}/contact-methods`, {
      kind: "webhook",
      label: "Set up by admin",
      config: { url: SECRET_URL },
    });
    assert.equal(added.statusCode, 201, added.body);
    const method = added.json() as Method;
    assert.equal(method.userId, bobId);
    assert.deepEqual(
      ((await bob.get("/api/v1/me/contact-methods")).json() as Method[]).map((m) => m.id),
      [method.id],
    );
    assert.deepEqual(
      ((await admin.get(`/api/v1/users/${bobId}/contact-methods`)).json() as Method[]).map((m) => m.id),
      [method.id],
    );
    assert.equal(
      (
        await admin.put(`/api/v1/users/${bobId}/notification-rules`, {
          rules: [{ contactMethodId: method.id, delayMinutes: 1 }],
        })
      ).statusCode,
      200,
    );
    assert.equal(
      ((await admin.get(`/api/v1/users/${bobId}/notification-rules`)).json() as unknown[]).length,
      1,
    );

    const tested = await admin.post(`/api/v1/users/${bobId}/contact-methods/${method.id}/test`);
    assert.deepEqual(tested.json(), { delivered: true });
    assert.equal(sender.sent.at(-1)?.message.recipientName, "Test viewer");

    // The path's user must own the method.
    assertProblem(
      await admin.delete(`/api/v1/users/${adaId}/contact-methods/${method.id}`),
      404,
      "NOT_FOUND",
    );
    assert.equal((await admin.delete(`/api/v1/users/${bobId}/contact-methods/${method.id}`)).statusCode, 204);
    assertProblem(
      await admin.post("/api/v1/users/nobody/contact-methods", {
        kind: "webhook",
        label: "x",
        config: { url: SECRET_URL },
      }),
      404,
      "NOT_FOUND",
    );
  });

  it("sends a test message to a shared channel (admin), reporting a failure in the answer", async () => {
    const channel = (
      await admin.post("/api/v1/channels", { name: "#ops", kind: "webhook", config: { url: SECRET_URL } })
    ).json() as { id: string };
    const res = await admin.post(`/api/v1/channels/${channel.id}/test`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { delivered: true });
    assert.equal(sender.sent.length, 1);
    assert.equal(sender.sent[0]!.message.event, "test");
    assert.equal(sender.sent[0]!.message.recipientName, null);

    sender.failNext(1, true, "receiver answered 503");
    assert.deepEqual((await admin.post(`/api/v1/channels/${channel.id}/test`)).json(), {
      delivered: false,
      error: "receiver answered 503",
      retryable: true,
    });
    assertProblem(await ada.post(`/api/v1/channels/${channel.id}/test`), 403, "FORBIDDEN");
    assertProblem(await admin.post("/api/v1/channels/nope/test"), 404, "NOT_FOUND");
  });
});
