import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../core/errors.js";
import { NotifyError } from "../contract.js";
import {
  assertDescribeHidesSecrets,
  assertNoSecretLeak,
  checkStatusCase,
  describeOutcome,
  jsonBody,
  refusedBaseUrl,
  rejectionOf,
  sampleMessage,
  sendContext,
  startCaptureServer,
  STATUS_CASES,
  type CaptureServer,
} from "../notifier-test-kit.test.js";
import { SlackApiError, updateSlackMessage, type SlackAppConfig } from "./slack-app.js";
import { slackNotifier, type SlackConfig } from "./slack-notifier.js";

describe("Slack notifier, incoming webhook", () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());
  const config = (path = "/services/T0001/B0001/abc") =>
    slackNotifier.parseConfig({ mode: "webhook", url: `${server.baseUrl}${path}` });

  it("posts text and Block Kit blocks with link buttons, and returns no externalId", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 200, body: "ok" });
    const message = sampleMessage({ title: "T".repeat(500) });
    const result = await slackNotifier.send(message, config(), sendContext());
    assert.deepEqual(result, { externalId: null });
    const [request] = server.requests;
    assert.ok(request);
    assert.equal(request.method, "POST");
    assert.equal(request.url, "/services/T0001/B0001/abc");
    assert.equal(request.headers["content-type"], "application/json");
    const body = jsonBody(request);
    assert.equal(typeof body.text, "string");
    assert.equal(body.unfurl_links, false);
    const blocks = body.blocks as Array<{
      type: string;
      text?: { text: string };
      elements?: Array<{ action_id: string; url?: string }>;
    }>;
    assert.ok(blocks.length <= 50);
    assert.equal(blocks[0]?.type, "header");
    // UTF-16 code units, the stricter count: the 🔴 takes two
    assert.equal(blocks[0]?.text?.text.length, 150);
    const actions = blocks.find((b) => b.type === "actions");
    assert.deepEqual(
      actions?.elements?.map((e) => e.action_id),
      ["incident_ack_link", "incident_resolve_link", "incident_open"],
    );
    assert.ok(actions?.elements?.every((e) => e.url?.startsWith("https://")));
  });

  it("posts a new message even when given an earlier one (webhooks cannot edit)", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 200, body: "ok" });
    await slackNotifier.send(sampleMessage(), config(), { ...sendContext(), previousExternalId: "C1:1.2" });
    assert.equal(server.requests.length, 1);
  });

  describe("status codes", () => {
    for (const [status, expected] of STATUS_CASES) {
      it(`${status} ${describeOutcome(expected)}`, () =>
        checkStatusCase(
          server,
          () => slackNotifier.send(sampleMessage(), config(), sendContext()),
          status,
          expected,
        ));
    }
  });

  describe("secrets", () => {
    const SECRETS = ["T0SECRETTEAM", "B0SECRETHOOK", "xyzSECRETtoken123"];
    const path = "/services/T0SECRETTEAM/B0SECRETHOOK/xyzSECRETtoken123";
    for (const status of [404, 500]) {
      it(`keeps the webhook URL out of the error when Slack answers ${status} echoing it`, async () => {
        server.respondWith((req) => ({ status, body: `no_service for ${req.url}` }));
        assertNoSecretLeak(
          await rejectionOf(slackNotifier.send(sampleMessage(), config(path), sendContext())),
          SECRETS,
        );
      });
    }
    it("keeps the webhook URL out of the error when the connection is refused", async () => {
      const refused = slackNotifier.parseConfig({ mode: "webhook", url: `${await refusedBaseUrl()}${path}` });
      assertNoSecretLeak(
        await rejectionOf(slackNotifier.send(sampleMessage(), refused, sendContext())),
        SECRETS,
      );
    });
    it("describes the webhook by host only", () => {
      const description = slackNotifier.describe(
        slackNotifier.parseConfig({ mode: "webhook", url: `https://hooks.slack.com${path}` }),
      );
      assert.equal(description, "Slack webhook (hooks.slack.com)");
      assertDescribeHidesSecrets(description, SECRETS);
    });
  });
});

describe("Slack notifier, app mode (chat.postMessage / chat.update)", () => {
  const TOKEN = "xoxb-111-222-SECRETBOTTOKEN";
  let api: CaptureServer;
  let config: SlackConfig;
  before(async () => {
    api = await startCaptureServer();
    config = slackNotifier.parseConfig({
      mode: "app",
      botToken: TOKEN,
      channel: "#alerts",
      apiBaseUrl: `${api.baseUrl}/api`,
    });
  });
  after(() => api.close());

  const fakeSlack = (answers: Record<string, object>) =>
    api.respondWith((req) => {
      const method = req.url.replace("/api/", "");
      const answer = answers[method] ?? { ok: false, error: "unknown_method" };
      return { status: 200, body: JSON.stringify(answer), headers: { "Content-Type": "application/json" } };
    });

  it("posts with the bot token and interactive buttons, and returns channel:ts", async () => {
    api.requests.length = 0;
    fakeSlack({ "chat.postMessage": { ok: true, channel: "C0ALERTS", ts: "1740907512.000100" } });
    const result = await slackNotifier.send(sampleMessage(), config, sendContext());
    assert.deepEqual(result, { externalId: "C0ALERTS:1740907512.000100" });
    const [request] = api.requests;
    assert.ok(request);
    assert.equal(request.url, "/api/chat.postMessage");
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(request.headers["content-type"], "application/json; charset=utf-8");
    const body = jsonBody(request);
    assert.equal(body.channel, "#alerts");
    assert.equal(typeof body.text, "string");
    const actions = (
      body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value?: string }> }>
    ).find((b) => b.type === "actions");
    assert.deepEqual(
      actions?.elements?.map((e) => [e.action_id, e.value]),
      [
        ["incident_ack", "inc_01HZX4"],
        ["incident_resolve", "inc_01HZX4"],
        ["incident_open", undefined],
      ],
    );
  });

  it("updates the earlier message when the context names it, keeping its externalId", async () => {
    api.requests.length = 0;
    fakeSlack({ "chat.update": { ok: true, channel: "C0ALERTS", ts: "1740907512.000100" } });
    const acknowledged = sampleMessage({ event: "acknowledged", state: "acknowledged" });
    const result = await slackNotifier.send(acknowledged, config, {
      ...sendContext(),
      previousExternalId: "C0ALERTS:1740907512.000100",
    });
    assert.deepEqual(result, { externalId: "C0ALERTS:1740907512.000100" });
    const [request] = api.requests;
    assert.equal(request?.url, "/api/chat.update");
    const body = jsonBody(request);
    assert.equal(body.channel, "C0ALERTS");
    assert.equal(body.ts, "1740907512.000100");
    assert.ok(
      !JSON.stringify(body.blocks).includes("incident_ack"),
      "an acknowledged incident offers no Acknowledge button",
    );
  });

  it("exports updateSlackMessage for callers that hold the externalId themselves", async () => {
    fakeSlack({ "chat.update": { ok: true, channel: "C0ALERTS", ts: "1.2" } });
    const result = await updateSlackMessage(
      sampleMessage(),
      config as SlackAppConfig,
      "C0ALERTS:1.2",
      sendContext(),
    );
    assert.deepEqual(result, { externalId: "C0ALERTS:1.2" });
  });

  it("posts a fresh message when the earlier one was deleted", async () => {
    api.requests.length = 0;
    fakeSlack({
      "chat.update": { ok: false, error: "message_not_found" },
      "chat.postMessage": { ok: true, channel: "C0ALERTS", ts: "2.3" },
    });
    const result = await slackNotifier.send(sampleMessage(), config, {
      ...sendContext(),
      previousExternalId: "C0ALERTS:1.2",
    });
    assert.deepEqual(result, { externalId: "C0ALERTS:2.3" });
    assert.deepEqual(
      api.requests.map((r) => r.url),
      ["/api/chat.update", "/api/chat.postMessage"],
    );
  });

  it("posts a fresh message when the earlier one is out of these settings' reach", async () => {
    for (const error of ["channel_not_found", "not_in_channel", "cant_update_message"]) {
      api.requests.length = 0;
      fakeSlack({
        "chat.update": { ok: false, error },
        "chat.postMessage": { ok: true, channel: "C0ALERTS", ts: "2.3" },
      });
      const result = await slackNotifier.send(sampleMessage(), config, {
        ...sendContext(),
        previousExternalId: "C0ALERTS:1.2",
      });
      assert.deepEqual(result, { externalId: "C0ALERTS:2.3" }, error);
      assert.deepEqual(
        api.requests.map((r) => r.url),
        ["/api/chat.update", "/api/chat.postMessage"],
        error,
      );
    }
  });

  it("posts afresh, without trying to update, when the settings now name another channel", async () => {
    api.requests.length = 0;
    fakeSlack({ "chat.postMessage": { ok: true, channel: "C0ALERTS", ts: "2.3" } });
    const byId = slackNotifier.parseConfig({
      mode: "app",
      botToken: TOKEN,
      channel: "C0ALERTS",
      apiBaseUrl: `${api.baseUrl}/api`,
    });
    const result = await slackNotifier.send(sampleMessage(), byId, {
      ...sendContext(),
      previousExternalId: "C0OLDCHAN:1.2",
    });
    assert.deepEqual(result, { externalId: "C0ALERTS:2.3" });
    assert.deepEqual(
      api.requests.map((r) => r.url),
      ["/api/chat.postMessage"],
    );
  });

  it("refuses an externalId that is not channel:ts, permanently", async () => {
    const err = await rejectionOf(
      slackNotifier.send(sampleMessage(), config, { ...sendContext(), previousExternalId: "garbage" }),
    );
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [false, "client"]);
  });

  describe("Slack API errors (HTTP 200, ok: false)", () => {
    const cases: Array<[error: string, retryable: boolean, reason: string]> = [
      ["ratelimited", true, "rate_limited"],
      ["invalid_auth", false, "auth"],
      ["not_authed", false, "auth"],
      ["account_inactive", false, "auth"],
      ["token_revoked", false, "auth"],
      ["channel_not_found", false, "client"],
      ["not_in_channel", false, "client"],
      ["is_archived", false, "client"],
      ["msg_too_long", false, "client"],
      ["invalid_blocks", false, "client"],
      ["internal_error", true, "server"],
      ["fatal_error", true, "server"],
      ["something_new", true, "server"],
    ];
    for (const [error, retryable, reason] of cases) {
      it(`${error} is ${retryable ? "retryable" : "permanent"} ${reason}`, async () => {
        fakeSlack({ "chat.postMessage": { ok: false, error } });
        const err = await rejectionOf(slackNotifier.send(sampleMessage(), config, sendContext()));
        assert.ok(err instanceof SlackApiError);
        assert.deepEqual([err.retryable, err.reason, err.slackError], [retryable, reason, error]);
        assert.match(
          err.message,
          new RegExp(`^Slack chat\\.postMessage \\(127\\.0\\.0\\.1:\\d+\\): ${error}$`),
        );
      });
    }

    it("a 200 that is not JSON is a retryable server error", async () => {
      api.respondWith({ status: 200, body: "<html>maintenance</html>" });
      const err = await rejectionOf(slackNotifier.send(sampleMessage(), config, sendContext()));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "server"]);
    });
  });

  describe("HTTP status codes", () => {
    // A 204 carries no message ts, so for the Web API it is a broken answer, not a success.
    const cases = STATUS_CASES.map(([status, expected]) =>
      status === 204
        ? ([204, { retryable: true, reason: "server" }] as const)
        : ([status, expected] as const),
    );
    for (const [status, expected] of cases) {
      it(`${status} ${describeOutcome(expected)}`, () =>
        checkStatusCase(
          api,
          () => slackNotifier.send(sampleMessage(), config, sendContext()),
          status,
          expected,
          '{"ok":true,"channel":"C1","ts":"1.2"}',
        ));
    }
  });

  describe("secrets", () => {
    it("keeps the bot token out of the error when Slack echoes it", async () => {
      api.respondWith((req) => ({
        status: 200,
        body: JSON.stringify({ ok: false, error: `invalid_auth ${String(req.headers.authorization)}` }),
      }));
      assertNoSecretLeak(await rejectionOf(slackNotifier.send(sampleMessage(), config, sendContext())), [
        TOKEN,
        "SECRETBOTTOKEN",
      ]);
      for (const status of [401, 500]) {
        api.respondWith((req) => ({ status, body: `bad token ${String(req.headers.authorization)}` }));
        assertNoSecretLeak(await rejectionOf(slackNotifier.send(sampleMessage(), config, sendContext())), [
          TOKEN,
        ]);
      }
    });

    it("keeps the bot token out of the error when the connection is refused", async () => {
      const refused = slackNotifier.parseConfig({
        mode: "app",
        botToken: TOKEN,
        channel: "C1",
        apiBaseUrl: `${await refusedBaseUrl()}/api`,
      });
      assertNoSecretLeak(await rejectionOf(slackNotifier.send(sampleMessage(), refused, sendContext())), [
        TOKEN,
      ]);
    });

    it("describes the app by channel, never the token", () => {
      const description = slackNotifier.describe(
        slackNotifier.parseConfig({ mode: "app", botToken: TOKEN, channel: "#alerts" }),
      );
      assert.equal(description, "Slack app to #alerts");
      assertDescribeHidesSecrets(description, [TOKEN]);
    });
  });
});

describe("Slack config", () => {
  const invalid: Array<[name: string, raw: unknown, paths: string[]]> = [
    ["no mode", { url: "https://hooks.slack.com/services/x" }, ["/config/mode"]],
    ["an unknown mode", { mode: "rtm" }, ["/config/mode"]],
    ["a webhook without url", { mode: "webhook" }, ["/config/url"]],
    [
      "a webhook url that is not http",
      { mode: "webhook", url: "hooks.slack.com/services/x" },
      ["/config/url"],
    ],
    ["an app without token and channel", { mode: "app" }, ["/config/botToken", "/config/channel"]],
    ["an app token with spaces", { mode: "app", botToken: "xoxb 1", channel: "C1" }, ["/config/botToken"]],
    [
      "an app API base that is not http",
      { mode: "app", botToken: "xoxb-1", channel: "C1", apiBaseUrl: "file:///etc" },
      ["/config/apiBaseUrl"],
    ],
  ];
  for (const [name, raw, paths] of invalid) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => slackNotifier.parseConfig(raw),
        (err: unknown) =>
          err instanceof AppError &&
          err.code === "VALIDATION" &&
          JSON.stringify(err.fields.map((f) => f.path)) === JSON.stringify(paths),
      );
    });
  }

  it("defaults the app API base to slack.com", () => {
    assert.deepEqual(slackNotifier.parseConfig({ mode: "app", botToken: " xoxb-1 ", channel: "C1" }), {
      mode: "app",
      botToken: "xoxb-1",
      channel: "C1",
      apiBaseUrl: "https://slack.com/api",
    });
  });
});
