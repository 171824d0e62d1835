// A channel's or contact method's config with a key its kind does not read ("secrett", Slack's
// "webhook_url") is refused when saved, naming the key and the field it was likely meant as, never a
// value. A config already stored with such a key (an older version's) still sends: the parse at
// send time ignores it.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { startRecordingReceiver, type RecordingReceiver } from "../support/recording-receiver.js";
import { alertmanagerBody, client, errorPaths, PUBLIC_URL, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

const system = { actor: systemActor("test"), requestId: null };
const SECRET = "hunter2-signing-secret";
const SLACK_HOOK = "https://hooks.slack.com/services/T0/B0/SLACKPATHSECRET";
const HOOK = "https://hooks.example.net/in/HOOKPATHSECRET";

/** Asserts a 400 whose errors are these (path, message) pairs and whose body repeats no secret. */
function assertRefused(
  res: Awaited<ReturnType<Client["post"]>>,
  errors: ReadonlyArray<{ path: string; message: string }>,
) {
  const problem = assertProblem(res, 400, "VALIDATION");
  assert.deepEqual(problem.errors, errors);
  for (const secret of [SECRET, "SLACKPATHSECRET", "HOOKPATHSECRET"]) assert.ok(!res.body.includes(secret));
  return problem;
}

describeEachDialect("unknown keys in channel and contact-method configs over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let receiver: RecordingReceiver;
  let admin: Client;
  let ada: Client;
  let adaId: string;

  before(async () => {
    receiver = await startRecordingReceiver();
    clock = new FakeClock();
    // The real notifiers send: the stored configs below go through their parsers.
    fb = await startTestFirebreak({
      dialect,
      clock,
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL },
    });
    admin = client(fb, { key: await fb.apiKey("admin") });
    const adaUser = await fb.user("responder");
    adaId = adaUser.id;
    ada = client(fb, await fb.signIn(adaUser.email, adaUser.password));
  });
  after(async () => {
    await fb?.close();
    await receiver?.close();
  });

  it("refuses a channel with a misspelt key, naming it and the field meant; the correct one is created", async () => {
    const refused = assertRefused(
      await admin.post("/api/v1/channels", {
        name: "#ops",
        kind: "webhook",
        config: { url: HOOK, secrett: SECRET },
      }),
      [{ path: "/config", message: 'has an unknown field "secrett" (did you mean "secret"?)' }],
    );
    assert.equal(refused.detail, 'config has an unknown field "secrett" (did you mean "secret"?)');
    assert.deepEqual((await admin.get("/api/v1/channels")).json(), []);

    const created = await admin.post("/api/v1/channels", {
      name: "#ops",
      kind: "webhook",
      config: { url: HOOK, secret: SECRET },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().description, "Webhook (hooks.example.net), signed");
  });

  it("names Slack's webhook_url beside the missing url, and a field of the other mode", async () => {
    assertRefused(
      await admin.post("/api/v1/channels", {
        name: "#slack",
        kind: "slack",
        config: { mode: "webhook", webhook_url: SLACK_HOOK },
      }),
      [
        { path: "/config", message: 'has an unknown field "webhook_url" (did you mean "url"?)' },
        { path: "/config/url", message: "is required" },
      ],
    );
    assertRefused(
      await admin.post("/api/v1/channels", {
        name: "#slack",
        kind: "slack",
        config: { mode: "webhook", url: SLACK_HOOK, channel: "#ops" },
      }),
      [{ path: "/config", message: 'has the field "channel", which only mode "app" reads' }],
    );
    const created = await admin.post("/api/v1/channels", {
      name: "#slack",
      kind: "slack",
      config: { mode: "webhook", url: SLACK_HOOK },
    });
    assert.equal(created.statusCode, 201, created.body);
  });

  it("reports an unknown key with the name's and the other settings' errors in one answer", async () => {
    const res = await admin.post("/api/v1/channels", {
      name: " ",
      kind: "ntfy",
      config: { serverUrl: "ftp://ntfy.example.net", topic: "ops", priority: 5 },
    });
    assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(errorPaths(res), ["/name", "/config", "/config/serverUrl"]);
    assert.match(
      res.body,
      /has an unknown field \\"priority\\" \(a ntfy config has serverUrl, topic, token\)/,
    );
  });

  it("refuses a contact method with an unknown key, mine or (as an admin) someone's; the correct one is added", async () => {
    assertRefused(
      await ada.post("/api/v1/me/contact-methods", {
        kind: "webhook",
        label: "Pager",
        config: { url: HOOK, Secret: SECRET },
      }),
      [{ path: "/config", message: 'has an unknown field "Secret" (did you mean "secret"?)' }],
    );
    assertRefused(
      await admin.post(`/api/v1/users/${adaId}/contact-methods`, {
        kind: "ntfy",
        label: "Phone",
        config: { serverUrl: "https://ntfy.sh", topic: "ada-pages", access_token: SECRET },
      }),
      [{ path: "/config", message: 'has an unknown field "access_token" (did you mean "token"?)' }],
    );
    assert.deepEqual((await ada.get("/api/v1/me/contact-methods")).json(), []);

    const mine = await ada.post("/api/v1/me/contact-methods", {
      kind: "webhook",
      label: "Pager",
      config: { url: HOOK, secret: SECRET },
    });
    assert.equal(mine.statusCode, 201, mine.body);
    const theirs = await admin.post(`/api/v1/users/${adaId}/contact-methods`, {
      kind: "ntfy",
      label: "Phone",
      config: { serverUrl: "https://ntfy.sh", topic: "ada-pages", token: "tk_abc" },
    });
    assert.equal(theirs.statusCode, 201, theirs.body);
    for (const { id } of (await ada.get("/api/v1/me/contact-methods")).json() as Array<{ id: string }>)
      assert.equal((await ada.delete(`/api/v1/me/contact-methods/${id}`)).statusCode, 204);
  });

  it("a stored channel with an extra key is described, tested and paged as before", async () => {
    const id = `legacy-channel-${dialect}`;
    await fb.running.deps.uow.run((tx) =>
      tx.channels.insert({
        id,
        name: "#legacy",
        kind: "webhook",
        config: { url: `${receiver.url}/legacy-channel`, legacyOption: "kept from an older version" },
        createdAt: clock.now(),
        updatedAt: clock.now(),
      }),
    );
    const listed = (await admin.get("/api/v1/channels")).json() as Array<{ id: string; description: string }>;
    assert.equal(listed.find((c) => c.id === id)?.description, `Webhook (${new URL(receiver.url).host})`);

    const tested = await admin.post(`/api/v1/channels/${id}/test`);
    assert.equal(tested.statusCode, 200, tested.body);
    assert.deepEqual(tested.json(), { delivered: true });

    const service = await createService(fb.running.deps, system, {
      name: `legacy-${dialect}`,
      channelId: id,
    });
    const { key } = await createIntegration(fb.running.deps, system, {
      serviceId: service.id,
      kind: "alertmanager",
    });
    const ingest = await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody("firing", "LegacyConfigPage"),
    });
    assert.equal(ingest.statusCode, 200, ingest.body);
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const paged = receiver.received
      .filter((r) => r.path === "/legacy-channel")
      .map((r) => JSON.parse(r.body));
    assert.deepEqual(
      paged.map((p: { type: string; event: string }) => `${p.type}:${p.event}`),
      ["test:test", "incident:triggered"],
    );
  });

  it("a stored contact method with an extra key still sends its test", async () => {
    const id = `legacy-method-${dialect}`;
    await fb.running.deps.uow.run((tx) =>
      tx.contactMethods.insert({
        id,
        userId: adaId,
        kind: "webhook",
        label: "Old pager",
        config: { url: `${receiver.url}/legacy-method`, secret: SECRET, retries: 3 },
        createdAt: clock.now(),
      }),
    );
    const tested = await ada.post(`/api/v1/me/contact-methods/${id}/test`);
    assert.equal(tested.statusCode, 200, tested.body);
    assert.deepEqual(tested.json(), { delivered: true });
    const sent = receiver.received.filter((r) => r.path === "/legacy-method");
    assert.equal(sent.length, 1);
    assert.equal(JSON.parse(sent[0]!.body).type, "test");
  });
});
