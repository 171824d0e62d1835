import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { NotifyError } from "../contract.js";
import { assertNoSecretLeak, rejectionOf } from "../notifier-test-kit.test.js";
import { BOT_USER_ID, FakeSlack, SOMEONE_ELSE } from "./fake-slack-web-api.test.js";
import { POST_EVENT_TYPE, slackIncidentChannels } from "./slack-incident-channel.js";

/**
 * What happens when Slack did the work but its answer was lost (a reset mid-answer): the job runs the
 * call again, and it must neither leave an orphan channel nor post twice. And a hung call must end.
 */

const TOKEN = "xoxb-900-800-SECRETINCIDENTBOT";
const SHARED_TOKEN = "xoxb-111-222-SECRETSHAREDBOT";
const FORM = "application/x-www-form-urlencoded";
/** The job was enqueued at this instant; the look-up starts five minutes earlier (clock skew). */
const ENQUEUED_AT = new Date(1_740_000_000_000);
const OLDEST = "1739999700.000000";

describe("Slack incident channel: lost answers, retries and deadlines", () => {
  const slack = new FakeSlack();
  before(() => slack.start());
  after(() => slack.close());
  beforeEach(() => slack.reset());
  const api = () => slackIncidentChannels({ botToken: TOKEN, apiBaseUrl: slack.baseUrl });
  const createdNames = () => slack.callsOf("conversations.create").map((c) => c.body.name);

  describe("a taken channel name", () => {
    it("is this bot's channel whose create answer was lost: the retry adopts it, no -2", async () => {
      const channels = api();
      slack.loseNextAnswer("conversations.create");
      const lost = await rejectionOf(channels.createChannel("inc-9-db"));
      assert.ok(lost instanceof NotifyError);
      assert.deepEqual([lost.retryable, lost.reason], [true, "network"]);

      const created = await channels.createChannel("inc-9-db");
      assert.deepEqual(created, {
        channelId: "C0INC0001",
        name: "inc-9-db",
        url: "https://slack.com/app_redirect?channel=C0INC0001",
      });
      assert.deepEqual(createdNames(), ["inc-9-db", "inc-9-db"]);
      assert.equal(slack.channels.size, 1, "no orphan channel");
      const list = slack.callsOf("users.conversations");
      assert.equal(list.length, 1);
      assert.equal(list[0]?.headers["content-type"], FORM);
      assert.deepEqual(list[0]?.body, { types: "public_channel", exclude_archived: "true", limit: "999" });
      assert.equal(list[0]?.headers.authorization, `Bearer ${TOKEN}`);
    });

    it("a lost -2 is adopted too when the first name is somebody else's", async () => {
      const channels = api();
      slack.takenNames.add("inc-9-db");
      slack.loseNextAnswer("conversations.create");
      await rejectionOf(channels.createChannel("inc-9-db"));
      const created = await channels.createChannel("inc-9-db");
      assert.equal(created.name, "inc-9-db-2");
      assert.deepEqual(createdNames(), ["inc-9-db", "inc-9-db-2", "inc-9-db", "inc-9-db-2"]);
      assert.equal(slack.channels.size, 1);
    });

    it("somebody else's channel that the bot is in is not adopted: -2 as before", async () => {
      slack.addChannel({ name: "inc-9-db", creator: SOMEONE_ELSE, botIsMember: true });
      const created = await api().createChannel("inc-9-db");
      assert.equal(created.name, "inc-9-db-2");
      assert.deepEqual(createdNames(), ["inc-9-db", "inc-9-db-2"]);
    });

    it("an archived channel of this bot is not adopted (exclude_archived)", async () => {
      slack.addChannel({ name: "inc-9-db", creator: BOT_USER_ID, archived: true });
      const created = await api().createChannel("inc-9-db");
      assert.equal(created.name, "inc-9-db-2");
    });

    it("pages through the bot's channels with the cursor Slack gives", async () => {
      slack.pageSize = 2;
      for (const n of [1, 2, 3, 4]) slack.addChannel({ name: `other-${n}`, creator: BOT_USER_ID });
      const mine = slack.addChannel({ name: "inc-9-db", creator: BOT_USER_ID });
      const created = await api().createChannel("inc-9-db");
      assert.equal(created.channelId, mine.id);
      assert.deepEqual(
        slack.callsOf("users.conversations").map((c) => c.body.cursor),
        [undefined, "next:2", "next:4"],
      );
    });

    it("asks auth.test once per adapter: the bot's user id does not change", async () => {
      const channels = api();
      slack.addChannel({ name: "inc-1", creator: BOT_USER_ID });
      slack.addChannel({ name: "inc-2", creator: BOT_USER_ID });
      await channels.createChannel("inc-1");
      await channels.createChannel("inc-2");
      assert.equal(slack.callsOf("auth.test").length, 1);
      assert.equal(slack.callsOf("users.conversations").length, 2);
    });

    it("without the scope to look (missing_scope), falls back to -2", async () => {
      slack.addChannel({ name: "inc-9-db", creator: BOT_USER_ID });
      slack.answerNext("users.conversations", { body: { ok: false, error: "missing_scope" } });
      const created = await api().createChannel("inc-9-db");
      assert.equal(created.name, "inc-9-db-2");
    });

    it("a look-up that fails for now fails the create for now, without making -2", async () => {
      slack.addChannel({ name: "inc-9-db", creator: BOT_USER_ID });
      slack.answerNext("users.conversations", {
        status: 500,
        body: `oops Bearer ${TOKEN}`,
      });
      const err = await rejectionOf(api().createChannel("inc-9-db"));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "server"]);
      assertNoSecretLeak(err, [TOKEN, "SECRETINCIDENTBOT"]);
      assert.deepEqual(createdNames(), ["inc-9-db"]);
    });
  });

  describe("a retried post", () => {
    const once = (mayHavePosted: boolean, idempotencyKey = "post:inc-1:a") => ({
      idempotencyKey,
      mayHavePosted,
      notBefore: ENQUEUED_AT,
    });

    it("carries its key in Slack message metadata", async () => {
      await api().post("C0INC0001", "hello", once(false));
      assert.deepEqual(slack.callsOf("chat.postMessage")[0]?.body.metadata, {
        event_type: POST_EVENT_TYPE,
        event_payload: { idempotency_key: "post:inc-1:a" },
      });
      assert.equal(slack.calls.length, 1, "a first attempt looks for nothing");
    });

    it("whose answer was lost is found on the retry and not posted twice", async () => {
      const channels = api();
      slack.loseNextAnswer("chat.postMessage");
      const lost = await rejectionOf(channels.post("C0INC0001", "INC-1: Fix started", once(false)));
      assert.ok(lost instanceof NotifyError);
      assert.equal(lost.retryable, true);

      const retried = await channels.post("C0INC0001", "INC-1: Fix started", once(true));
      assert.equal(slack.callsOf("chat.postMessage").length, 1, "posted once");
      assert.deepEqual(
        slack.messagesIn("C0INC0001").map((m) => m.text),
        ["INC-1: Fix started"],
      );
      assert.equal(retried.messageId, `C0INC0001:${slack.messagesIn("C0INC0001")[0]?.ts}`);
      const history = slack.callsOf("conversations.history");
      assert.equal(history[0]?.headers["content-type"], FORM);
      assert.deepEqual(history[0]?.body, {
        channel: "C0INC0001",
        include_all_metadata: "true",
        limit: "100",
        oldest: OLDEST,
      });
    });

    it("that never reached Slack is posted on the retry, once", async () => {
      const channels = api();
      slack.answerNext("chat.postMessage", { body: { ok: false, error: "internal_error" } });
      await rejectionOf(channels.post("C0INC0001", "x", once(false)));
      await channels.post("C0INC0001", "x", once(true));
      assert.equal(slack.messagesIn("C0INC0001").length, 1);
      assert.deepEqual(
        slack.calls.map((c) => c.method),
        ["chat.postMessage", "conversations.history", "chat.postMessage"],
      );
    });

    it("is not mistaken for another post, or for a message without metadata", async () => {
      slack.postAs("C0INC0001", "other", {
        event_type: POST_EVENT_TYPE,
        event_payload: { idempotency_key: "post:inc-1:b" },
      });
      slack.postAs("C0INC0001", "plain");
      slack.postAs("C0INC0001", "foreign", {
        event_type: "other_app",
        event_payload: { idempotency_key: "post:inc-1:a" },
      });
      await api().post("C0INC0001", "mine", once(true));
      assert.deepEqual(
        slack.messagesIn("C0INC0001").map((m) => m.text),
        ["other", "plain", "foreign", "mine"],
      );
    });

    it("pages back through the history with Slack's cursor", async () => {
      slack.pageSize = 2;
      slack.postAs("C0INC0001", "mine", {
        event_type: POST_EVENT_TYPE,
        event_payload: { idempotency_key: "k" },
      });
      for (const n of [1, 2, 3, 4]) slack.postAs("C0INC0001", `later ${n}`);
      await api().post("C0INC0001", "mine", once(true, "k"));
      assert.equal(slack.callsOf("chat.postMessage").length, 0);
      assert.deepEqual(
        slack.callsOf("conversations.history").map((c) => c.body.cursor),
        [undefined, "next:2", "next:4"],
      );
    });

    it("in a shared channel's thread looks in the thread (conversations.replies) with that channel's token", async () => {
      const shared = {
        kind: "slack",
        config: { mode: "app", botToken: SHARED_TOKEN, channel: "C0ALERTS", apiBaseUrl: slack.baseUrl },
      };
      const parent = slack.postAs("C0ALERTS", "INC-1 triggered");
      const channels = api();
      slack.loseNextAnswer("chat.postMessage");
      await rejectionOf(channels.postToSharedChannel(shared, `C0ALERTS:${parent}`, "reply", once(false)));
      await channels.postToSharedChannel(shared, `C0ALERTS:${parent}`, "reply", once(true));
      assert.deepEqual(
        slack.messagesIn("C0ALERTS").map((m) => [m.text, m.threadTs]),
        [
          ["INC-1 triggered", null],
          ["reply", parent],
        ],
      );
      const replies = slack.callsOf("conversations.replies");
      assert.equal(replies.length, 1);
      assert.equal(replies[0]?.headers.authorization, `Bearer ${SHARED_TOKEN}`);
      assert.deepEqual(replies[0]?.body, {
        channel: "C0ALERTS",
        include_all_metadata: "true",
        limit: "100",
        ts: parent,
        oldest: OLDEST,
      });
    });

    it("posts anyway when the history cannot be read (missing_scope): a duplicate beats a lost message", async () => {
      slack.answerNext("conversations.history", { body: { ok: false, error: "missing_scope" } });
      await api().post("C0INC0001", "x", once(true));
      assert.equal(slack.callsOf("chat.postMessage").length, 1);
    });

    it("does not post while the look-up fails for now (rate limited), and keeps the token out", async () => {
      slack.answerNext("conversations.history", {
        status: 429,
        headers: { "Retry-After": "7" },
        body: `slow down Bearer ${TOKEN}`,
      });
      const err = await rejectionOf(api().post("C0INC0001", "x", once(true)));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason, err.retryAfterSeconds], [true, "rate_limited", 7]);
      assertNoSecretLeak(err, [TOKEN, "SECRETINCIDENTBOT"]);
      assert.equal(slack.callsOf("chat.postMessage").length, 0);
    });
  });

  describe("a hung Slack", () => {
    it("lets go as soon as the job's signal aborts", async () => {
      slack.hangNext("conversations.create");
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 50);
      const startedMs = performance.now();
      const err = await rejectionOf(api().createChannel("inc-1", { signal: stop.signal }));
      const tookMs = performance.now() - startedMs;
      assert.ok(tookMs < 2_000, `took ${Math.round(tookMs)} ms; the call's own timeout is 15 s`);
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
    });

    it("sends nothing when the signal has aborted already", async () => {
      const stop = new AbortController();
      stop.abort();
      const channels = api();
      await rejectionOf(channels.invite("C1", ["U1"], { signal: stop.signal }));
      await rejectionOf(
        channels.post("C1", "x", { idempotencyKey: "k", mayHavePosted: true, signal: stop.signal }),
      );
      assert.equal(slack.calls.length, 0);
    });

    it("ends a whole operation at its deadline even without a signal", async () => {
      slack.hangNext("chat.postMessage");
      const channels = slackIncidentChannels({
        botToken: TOKEN,
        apiBaseUrl: slack.baseUrl,
        operationTimeoutMs: 100,
      });
      const startedMs = performance.now();
      const err = await rejectionOf(channels.post("C1", "x"));
      assert.ok(performance.now() - startedMs < 2_000);
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
    });
  });
});
