import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { NotifyError } from "../contract.js";
import { assertNoSecretLeak, refusedBaseUrl, rejectionOf } from "../notifier-test-kit.test.js";
import { FakeSlack, type Answer, type Answerer } from "./fake-slack-web-api.test.js";
import { SlackApiError } from "./slack-app.js";
import { slackChannelName, slackIncidentChannels } from "./slack-incident-channel.js";

const TOKEN = "xoxb-900-800-SECRETINCIDENTBOT";
const SHARED_TOKEN = "xoxb-111-222-SECRETSHAREDBOT";

const short = (text: string) => (text.length > 30 ? `${text.slice(0, 20)}…(${text.length})` : text);

describe("Slack incident channel, against a fake Slack Web API", () => {
  const slack = new FakeSlack();
  before(() => slack.start());
  after(() => slack.close());
  beforeEach(() => slack.reset());
  const api = () => slackIncidentChannels({ botToken: TOKEN, apiBaseUrl: slack.baseUrl });
  const sharedChannel = () => ({
    kind: "slack",
    config: { mode: "app", botToken: SHARED_TOKEN, channel: "C0ALERTS", apiBaseUrl: slack.baseUrl },
  });

  describe("channel names", () => {
    const cases: Array<[given: string, sent: string]> = [
      ["inc-12-checkout-is-down", "inc-12-checkout-is-down"],
      ["INC-12 Checkout Is DOWN", "inc-12-checkout-is-down"],
      ["inc-7 release v1.2.3", "inc-7-release-v1-2-3"],
      ["  Crème brûlée: 5xx!  ", "creme-brulee-5xx"],
      ["snake_case  -- stays", "snake_case-stays"],
      ["日本語のタイトル", "incident"],
      ["___", "incident"],
      ["", "incident"],
      ["a".repeat(100), "a".repeat(80)],
      [`${"b".repeat(79)}😀x`, "b".repeat(79)],
    ];
    for (const [given, sent] of cases) {
      it(`${JSON.stringify(short(given))} is created as ${short(sent)}`, async () => {
        const created = await api().createChannel(given);
        assert.deepEqual(
          slack.calls.map((c) => [c.method, c.body]),
          [["conversations.create", { name: sent, is_private: false }]],
        );
        assert.deepEqual(created, {
          channelId: "C0INC0001",
          name: sent,
          url: "https://slack.com/app_redirect?channel=C0INC0001",
        });
      });
    }

    const suffixed: Array<[name: string, suffix: string, expected: string]> = [
      ["inc-1-db", "-2", "inc-1-db-2"],
      ["c".repeat(80), "-5", `${"c".repeat(78)}-5`],
      // the cut lands on a dash: no "--" before the suffix
      [`${"d".repeat(77)}-ee`, "-2", `${"d".repeat(77)}-2`],
    ];
    for (const [name, suffix, expected] of suffixed)
      it(`with suffix ${suffix} a ${name.length}-character name stays within 80`, () => {
        const result = slackChannelName(name, suffix);
        assert.equal(result, expected);
        assert.ok(result.length <= 80);
      });

    it("tries -2, -3… while Slack says name_taken, and returns the name it got", async () => {
      slack.takenNames.add("inc-9-db").add("inc-9-db-2");
      const created = await api().createChannel("inc-9-db");
      assert.deepEqual(
        slack.callsOf("conversations.create").map((c) => c.body.name),
        ["inc-9-db", "inc-9-db-2", "inc-9-db-3"],
      );
      assert.equal(created.name, "inc-9-db-3");
    });

    it("keeps a suffixed 80-character name within 80, without a double dash", async () => {
      const name = `${"d".repeat(77)}-ee`;
      slack.takenNames.add(name);
      await api().createChannel(name);
      assert.deepEqual(
        slack.callsOf("conversations.create").map((c) => c.body.name),
        [name, `${"d".repeat(77)}-2`],
      );
    });

    it("gives up permanently after five taken names, naming the channel but not the token", async () => {
      for (const n of ["", "-2", "-3", "-4", "-5"]) slack.takenNames.add(`inc-9-db${n}`);
      const err = await rejectionOf(api().createChannel("inc-9-db"));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [false, "client"]);
      assert.equal(err.message, "Slack conversations.create: inc-9-db and 4 variants are taken");
      assert.equal(slack.callsOf("conversations.create").length, 5);
      // The bot's channels are read once for all five names.
      assert.deepEqual(
        slack.calls.filter((c) => c.method !== "conversations.create").map((c) => c.method),
        ["auth.test", "users.conversations"],
      );
    });

    it("stops at once on another error: a refused name is permanent, a rate limit is not", async () => {
      slack.answerNext("conversations.create", { body: { ok: false, error: "invalid_name_specials" } });
      const refused = await rejectionOf(api().createChannel("inc-1"));
      assert.ok(refused instanceof SlackApiError);
      assert.deepEqual([refused.retryable, refused.reason], [false, "client"]);
      slack.answerNext("conversations.create", {
        status: 429,
        headers: { "Retry-After": "20" },
        body: { ok: false, error: "ratelimited" },
      });
      const limited = await rejectionOf(api().createChannel("inc-1"));
      assert.ok(limited instanceof NotifyError);
      assert.deepEqual(
        [limited.retryable, limited.reason, limited.retryAfterSeconds],
        [true, "rate_limited", 20],
      );
      assert.equal(slack.calls.length, 2, "one call each");
    });

    it("an answer without a channel id is a retryable server error", async () => {
      slack.answerNext("conversations.create", { body: { ok: true, channel: {} } });
      const err = await rejectionOf(api().createChannel("inc-1"));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "server"]);
    });
  });

  describe("the bot token", () => {
    it("goes as a Bearer header on every method, never in the URL or the body", async () => {
      const channels = api();
      await channels.createChannel("inc-1");
      await channels.invite("C0INC0001", ["U1"]);
      await channels.post("C0INC0001", "hello");
      assert.equal(slack.calls.length, 3);
      for (const call of slack.calls) {
        assert.equal(call.headers.authorization, `Bearer ${TOKEN}`);
        assert.equal(call.headers["content-type"], "application/json; charset=utf-8");
        assert.ok(!call.rawBody.includes("SECRET"), call.method);
      }
    });

    it("a shared channel's post uses that channel's own token", async () => {
      await api().postToSharedChannel(sharedChannel(), null, "x");
      assert.equal(slack.calls[0]?.headers.authorization, `Bearer ${SHARED_TOKEN}`);
    });

    const echoes: Array<[name: string, answer: Answerer]> = [
      [
        "an ok:false error code",
        (c) => ({ body: { ok: false, error: `invalid_auth ${String(c.headers.authorization)}` } }),
      ],
      ["a 401", (c) => ({ status: 401, body: `bad token ${String(c.headers.authorization)}` })],
      ["a 500", (c) => ({ status: 500, body: `oops ${String(c.headers.authorization)}` })],
      ["a 429", (c) => ({ status: 429, body: `slow down ${String(c.headers.authorization)}` })],
      ["a 200 that is not JSON", (c) => ({ body: `<html>${String(c.headers.authorization)}</html>` })],
    ];
    for (const [name, answer] of echoes) {
      it(`stays out of the error when Slack echoes it in ${name}`, async () => {
        const channels = api();
        slack.answerNext("conversations.create", answer);
        slack.answerNext("conversations.invite", answer);
        slack.answerNext("chat.postMessage", answer, answer);
        const attempts = [
          () => channels.createChannel("inc-1"),
          () => channels.invite("C1", ["U1"]),
          () => channels.post("C1", "x"),
          () => channels.postToSharedChannel(sharedChannel(), "C0ALERTS:1.2", "x"),
        ];
        for (const attempt of attempts)
          assertNoSecretLeak(await rejectionOf(attempt()), [
            TOKEN,
            SHARED_TOKEN,
            "SECRETINCIDENTBOT",
            "SECRETSHAREDBOT",
          ]);
        assert.equal(slack.calls.length, 4);
      });
    }

    it("stays out of the error when nothing listens", async () => {
      const channels = slackIncidentChannels({
        botToken: TOKEN,
        apiBaseUrl: `${await refusedBaseUrl()}/api`,
      });
      assertNoSecretLeak(await rejectionOf(channels.post("C1", "x")), [TOKEN]);
    });

    it("unset or empty: no channels, and a call fails permanently without a request", async () => {
      for (const botToken of [undefined, ""]) {
        const channels = slackIncidentChannels({ botToken, apiBaseUrl: slack.baseUrl });
        assert.equal(channels.createsChannels, false);
        const err = await rejectionOf(channels.createChannel("inc-1"));
        assert.ok(err instanceof NotifyError);
        assert.deepEqual([err.retryable, err.reason], [false, "config"]);
      }
      assert.equal(slack.calls.length, 0);
    });
  });

  describe("Slack's errors: retry or give up", () => {
    const cases: Array<[error: string, retryable: boolean, reason: string]> = [
      ["ratelimited", true, "rate_limited"],
      ["rate_limited", true, "rate_limited"],
      ["internal_error", true, "server"],
      ["fatal_error", true, "server"],
      ["service_unavailable", true, "server"],
      ["invalid_auth", false, "auth"],
      ["token_revoked", false, "auth"],
      ["missing_scope", false, "auth"],
      ["channel_not_found", false, "client"],
      ["not_in_channel", false, "client"],
      ["is_archived", false, "client"],
      ["msg_too_long", false, "client"],
    ];
    for (const [error, retryable, reason] of cases) {
      it(`chat.postMessage ${error}: ${retryable ? "retryable" : "permanent"} ${reason}`, async () => {
        slack.answerNext("chat.postMessage", { body: { ok: false, error } });
        const err = await rejectionOf(api().post("C1", "x"));
        assert.ok(err instanceof SlackApiError);
        assert.deepEqual([err.retryable, err.reason, err.slackError], [retryable, reason, error]);
        assert.match(
          err.message,
          new RegExp(`^Slack chat\\.postMessage \\(127\\.0\\.0\\.1:\\d+\\): ${error}$`),
        );
      });
    }

    const inviteCases: Array<[error: string, retryable: boolean]> = [
      ["user_not_found", false],
      ["cant_invite_self", false],
      ["cant_invite", false],
      ["is_archived", false],
      ["internal_error", true],
    ];
    for (const [error, retryable] of inviteCases) {
      it(`conversations.invite ${error}: ${retryable ? "retryable" : "permanent"}`, async () => {
        slack.answerNext("conversations.invite", { body: { ok: false, error } });
        const err = await rejectionOf(api().invite("C1", ["U1"]));
        assert.ok(err instanceof SlackApiError);
        assert.equal(err.retryable, retryable);
      });
    }

    const retryAfterCases: Array<
      [name: string, answer: Answer, reason: string, seconds: number | undefined]
    > = [
      [
        "HTTP 429 with Retry-After",
        { status: 429, headers: { "Retry-After": "30" }, body: { ok: false, error: "ratelimited" } },
        "rate_limited",
        30,
      ],
      [
        "HTTP 200 ratelimited with Retry-After",
        { headers: { "Retry-After": "12" }, body: { ok: false, error: "ratelimited" } },
        "rate_limited",
        12,
      ],
      [
        "HTTP 200 ratelimited without Retry-After",
        { body: { ok: false, error: "ratelimited" } },
        "rate_limited",
        undefined,
      ],
      [
        "HTTP 503 with Retry-After",
        { status: 503, headers: { "Retry-After": "5" }, body: "down" },
        "server",
        5,
      ],
    ];
    for (const [name, answer, reason, seconds] of retryAfterCases) {
      it(`${name}: retryable ${reason}, back after ${seconds ?? "the runner's backoff"}`, async () => {
        slack.answerNext("chat.postMessage", answer);
        const err = await rejectionOf(api().post("C1", "x"));
        assert.ok(err instanceof NotifyError);
        assert.deepEqual([err.retryable, err.reason, err.retryAfterSeconds], [true, reason, seconds]);
      });
    }
  });

  describe("invite", () => {
    it("invites every member in one call, going on past unknown ids", async () => {
      await api().invite("C0INC0001", ["U1", "W2"]);
      assert.deepEqual(slack.calls[0]?.body, { channel: "C0INC0001", users: "U1,W2", force: true });
    });

    it("is fine when they are already in the channel, and asks nothing for nobody", async () => {
      slack.answerNext("conversations.invite", { body: { ok: false, error: "already_in_channel" } });
      await api().invite("C0INC0001", ["U1"]);
      await api().invite("C0INC0001", []);
      assert.equal(slack.calls.length, 1);
    });
  });

  describe("posting", () => {
    it("escapes &, < and > so text cannot mention @channel or make links, and turns unfurling off", async () => {
      const result = await api().post("C0INC0001", "INC-4: a & b <!channel> <https://x|y> &amp; ok");
      assert.deepEqual(slack.calls[0]?.body, {
        channel: "C0INC0001",
        text: "INC-4: a &amp; b &lt;!channel&gt; &lt;https://x|y&gt; &amp;amp; ok",
        unfurl_links: false,
        unfurl_media: false,
      });
      assert.match(result.messageId, /^C0INC0001:\d+\.000100$/);
    });

    it("drops bidi and control characters from alert and people's text, keeping its lines", async () => {
      const channels = api();
      // Shown as "…Acknowledge" by a bidi-aware client, though the text says otherwise.
      const title = "INC-4: Fix #1 (hotfix) started by A\u2066da\u2069: Disk full \u202e!egdelwonkcA\u202c";
      await channels.post("C0INC0001", title);
      await channels.postToSharedChannel(
        sharedChannel(),
        null,
        "INC-4: update\u200f:\r\nline\u0007 two\u2028three",
      );
      assert.deepEqual(
        slack.calls.map((c) => c.body.text),
        ["INC-4: Fix #1 (hotfix) started by Ada: Disk full !egdelwonkcA", "INC-4: update:\nline  two\nthree"],
      );
    });

    it("cuts very long text at Slack's 40,000 characters without splitting an entity or an emoji", async () => {
      await api().post("C1", "&".repeat(8_010));
      assert.equal(String(slack.calls[0]?.body.text), `${"&amp;".repeat(7_999)}…`);
      await api().post("C1", `${"y".repeat(39_998)}😀z`);
      assert.equal(String(slack.calls[1]?.body.text), `${"y".repeat(39_998)}…`);
    });

    it("an answer without a ts is a retryable server error", async () => {
      slack.answerNext("chat.postMessage", { body: { ok: true, channel: "C1" } });
      const err = await rejectionOf(api().post("C1", "x"));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "server"]);
    });

    it("replies in the thread of the incident's message in a shared channel, or posts at the top", async () => {
      const channels = api();
      assert.equal(channels.postsToSharedChannel(sharedChannel()), true);
      const reply = await channels.postToSharedChannel(sharedChannel(), "C0ALERTS:1740907512.000100", "a<b");
      await channels.postToSharedChannel(sharedChannel(), null, "top");
      assert.deepEqual(
        slack.calls.map((c) => c.body),
        [
          {
            channel: "C0ALERTS",
            text: "a&lt;b",
            thread_ts: "1740907512.000100",
            unfurl_links: false,
            unfurl_media: false,
          },
          { channel: "C0ALERTS", text: "top", unfurl_links: false, unfurl_media: false },
        ],
      );
      assert.match(reply.messageId, /^C0ALERTS:/);
    });

    it("does not take shared channels that are webhooks or not Slack", async () => {
      const channels = api();
      const webhook = {
        kind: "slack",
        config: { mode: "webhook", url: "https://hooks.slack.com/services/T/B/x" },
      };
      assert.equal(channels.postsToSharedChannel(webhook), false);
      assert.equal(channels.postsToSharedChannel({ kind: "teams", config: {} }), false);
      const err = await rejectionOf(channels.postToSharedChannel(webhook, null, "x"));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [false, "config"]);
      assert.equal(slack.calls.length, 0);
    });
  });
});
