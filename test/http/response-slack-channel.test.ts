import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import type {
  ChannelCallOptions,
  ChannelPostOptions,
  IncidentChannelApi,
} from "../../src/app/ports/incident-channel.js";
import { startIncidentFix } from "../../src/app/response/fix-log.js";
import {
  inviteToIncidentChannel,
  openIncidentChannel,
  postToIncidentChannel,
} from "../../src/app/response/incident-channel-jobs.js";
import { addIncidentResponder } from "../../src/app/response/manage-roles.js";
import { postInternalUpdate } from "../../src/app/response/post-internal-update.js";
import { getWarRoom } from "../../src/app/response/read-war-room.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import { FakeSlack } from "../../src/notifiers/slack/fake-slack-web-api.test.js";
import { POST_EVENT_TYPE } from "../../src/notifiers/slack/slack-incident-channel.js";
import { SECOND } from "../support/fake-clock.js";
import { setupCaller, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";

const ADA_SLACK = "U0ADA0001";

describe("the incident channel, against a fake Slack Web API", () => {
  const slack = new FakeSlack();
  before(() => slack.start());
  after(() => slack.close());
  /** The one channel the fake holds by that name (Slack's names are unique). */
  const channelNamed = (name: unknown) => [...slack.channels.values()].find((c) => c.name === name);

  describe("with the Slack app's bot token", () => {
    let s: ResponseScenario;
    before(async () => {
      s = await startResponseScenario("sqlite", {
        env: { FIREBREAK_SLACK_BOT_TOKEN: "xoxb-incident-bot", FIREBREAK_SLACK_API_BASE_URL: slack.baseUrl },
      });
      await addContactMethod(s.fb.running.deps, setupCaller, {
        userId: s.ada.id,
        kind: "slack",
        label: `Slack ${ADA_SLACK}`,
        config: { mode: "webhook", url: "https://hooks.slack.com/services/T0001/B0001/secret" },
      });
    });
    after(() => s.close());

    it("creates the channel at triage, invites the linked responders and posts the key events", async () => {
      slack.calls.length = 0;
      const incident = await s.openIncident("Checkout Is DOWN!");
      await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
        severity: "SEV1",
        level: "outage",
        onCallCanHandle: true,
      });
      assert.equal(slack.calls.length, 0, "nothing inside the request");
      await s.run();
      const create = slack.calls.find((c) => c.method === "conversations.create");
      assert.equal(create?.body.name, `inc-${incident.number}-checkout-is-down-on-checkout`);
      assert.equal(create?.headers.authorization, "Bearer xoxb-incident-bot");
      const channelId = channelNamed(create?.body.name)!.id;
      const invite = slack.calls.find((c) => c.method === "conversations.invite");
      assert.deepEqual(invite?.body, { channel: channelId, users: ADA_SLACK, force: true });

      await s.advance(2 * SECOND);
      await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
        kind: "rollback",
        description: "undo 42",
      });
      await s.run();
      const posts = slack.calls.filter((c) => c.method === "chat.postMessage");
      assert.deepEqual(
        posts.map((p) => p.body.channel),
        [channelId, channelId, channelId],
      );
      const texts = posts.map((p) => String(p.body.text));
      assert.ok(texts.some((t) => t.startsWith(`INC-${incident.number}: Triaged SEV1 outage`)));
      assert.ok(texts.some((t) => t.includes("Ada is the Incident Handler")));
      assert.ok(texts.some((t) => t.includes("Fix #1 (rollback: undo 42) started by Ada")));

      const room = await getWarRoom(s.fb.running.deps, s.ada.caller, incident.id);
      assert.deepEqual(room.response.channel, {
        kind: "slack-channel",
        name: `#inc-${incident.number}-checkout-is-down-on-checkout`,
        url: `https://slack.com/app_redirect?channel=${channelId}`,
      });
      // Someone who joins later is invited then.
      await addContactMethod(s.fb.running.deps, setupCaller, {
        userId: s.bob.id,
        kind: "slack",
        label: "Slack (U0BOB0002, work)",
        config: { mode: "webhook", url: "https://hooks.slack.com/services/T0001/B0002/x" },
      });
      await addIncidentResponder(s.fb.running.deps, s.bob.caller, incident.id, s.bob.id);
      await s.run();
      assert.equal(
        slack.calls.filter((c) => c.method === "conversations.invite").at(-1)?.body.users,
        "U0BOB0002",
      );
    });

    it("tries the next name when one is taken; a permanent failure goes on the timeline", async () => {
      slack.calls.length = 0;
      const first = await s.openIncident("Taken");
      slack.takenNames.add(`inc-${first.number}-taken-on-checkout`);
      await triageIncident(s.fb.running.deps, s.ada.caller, first.id, {
        severity: "SEV3",
        level: "degradation",
        onCallCanHandle: true,
      });
      await s.run();
      assert.deepEqual(
        slack.calls.filter((c) => c.method === "conversations.create").map((c) => c.body.name),
        [`inc-${first.number}-taken-on-checkout`, `inc-${first.number}-taken-on-checkout-2`],
      );

      slack.answerNext("conversations.create", { body: { ok: false, error: "restricted_action" } });
      const second = await s.openIncident("Refused");
      await triageIncident(s.fb.running.deps, s.ada.caller, second.id, {
        severity: "SEV3",
        level: "degradation",
        onCallCanHandle: true,
      });
      await s.advance(2 * SECOND);
      const timeline = (await getIncident(s.fb.running.deps, s.ada.caller, second.id)).timeline;
      assert.ok(
        timeline.some((e) => e.kind === "channel.failed" && /restricted_action/.test(e.message)),
        "the refusal is on the timeline",
      );
      assert.ok(!JSON.stringify(timeline).includes("xoxb-"), "no token in what people see");
      const room = await getWarRoom(s.fb.running.deps, s.ada.caller, second.id);
      assert.equal(room.response.channel.kind, "none", "no shared channel to fall back to");
    });

    it("the jobs hand the runner's signal, and the post's key and attempt, to the workspace", async () => {
      const seen: Array<[string, ChannelCallOptions | ChannelPostOptions | undefined]> = [];
      const recording: IncidentChannelApi = {
        createsChannels: true,
        createChannel: async (name, options) => {
          seen.push(["create", options]);
          return { channelId: "C0RECORDED", name, url: null };
        },
        invite: async (_channelId, _memberIds, options) => void seen.push(["invite", options]),
        post: async (_channelId, _text, options) => {
          seen.push(["post", options]);
          return { messageId: "C0RECORDED:1.2" };
        },
        postsToSharedChannel: () => false,
        postToSharedChannel: () => Promise.reject(new Error("not here")),
      };
      const incident = await s.openIncident("Signals");
      await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
        severity: "SEV3",
        level: "degradation",
        onCallCanHandle: true,
      });
      const { signal } = new AbortController();
      const enqueuedAt = s.clock.now();
      const deps = s.fb.running.deps;
      const payload = { incidentId: incident.id, text: "hello", idempotencyKey: "post:signals" };
      await openIncidentChannel(deps, recording, incident.id, { attempt: 1, maxAttempts: 10, signal });
      await inviteToIncidentChannel(
        deps,
        recording,
        { incidentId: incident.id, userIds: [s.ada.id] },
        { attempt: 1, maxAttempts: 10, signal },
      );
      await postToIncidentChannel(deps, recording, s.sender, payload, {
        attempt: 1,
        maxAttempts: 10,
        signal,
      });
      await postToIncidentChannel(deps, recording, s.sender, payload, {
        attempt: 2,
        maxAttempts: 10,
        enqueuedAt,
        signal,
      });
      assert.deepEqual(seen, [
        ["create", { signal }],
        ["invite", { signal }],
        ["post", { idempotencyKey: "post:signals", mayHavePosted: false, notBefore: undefined, signal }],
        ["post", { idempotencyKey: "post:signals", mayHavePosted: true, notBefore: enqueuedAt, signal }],
      ]);
      await s.advance(2 * SECOND);
    });

    it("a create whose answer was lost is adopted by the retry: no -2, no orphan channel", async () => {
      slack.calls.length = 0;
      const incident = await s.openIncident("Lost create");
      const name = `inc-${incident.number}-lost-create-on-checkout`;
      slack.loseNextAnswer("conversations.create");
      await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
        severity: "SEV2",
        level: "outage",
        onCallCanHandle: true,
      });
      await s.run();
      assert.ok(channelNamed(name), "Slack made the channel; its answer never arrived");
      await s.advance(2 * SECOND);
      await s.advance(2 * SECOND);

      assert.deepEqual(
        slack.callsOf("conversations.create").map((c) => c.body.name),
        [name, name],
      );
      assert.equal(channelNamed(`${name}-2`), undefined, "no orphan -2 channel");
      const channelId = channelNamed(name)!.id;
      const room = await getWarRoom(s.fb.running.deps, s.ada.caller, incident.id);
      assert.deepEqual(room.response.channel, {
        kind: "slack-channel",
        name: `#${name}`,
        url: `https://slack.com/app_redirect?channel=${channelId}`,
      });
      const timeline = (await getIncident(s.fb.running.deps, s.ada.caller, incident.id)).timeline;
      assert.equal(timeline.filter((e) => e.kind === "channel.created").length, 1);
      assert.ok(!timeline.some((e) => e.kind === "channel.failed"));
      assert.ok(slack.messagesIn(channelId).length >= 2, "the key events went to the adopted channel");
    });

    it("a post whose answer was lost is found by the retry and not posted twice", async () => {
      const incident = await s.openIncident("Lost post");
      await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
        severity: "SEV2",
        level: "outage",
        onCallCanHandle: true,
      });
      await s.run();
      await s.advance(2 * SECOND);
      const channelId = channelNamed(`inc-${incident.number}-lost-post-on-checkout`)!.id;
      slack.calls.length = 0;

      slack.loseNextAnswer("chat.postMessage");
      const startedAt = s.clock.now();
      await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
        kind: "rollback",
        description: "undo 43",
      });
      await s.run();
      await s.advance(2 * SECOND);

      const fixPosts = slack
        .messagesIn(channelId)
        .filter((m) => m.text.includes("Fix #1 (rollback: undo 43)"));
      assert.equal(fixPosts.length, 1, "posted once");
      assert.equal(slack.callsOf("chat.postMessage").length, 1, "the retry did not post again");
      assert.equal((fixPosts[0]?.metadata as { event_type?: unknown }).event_type, POST_EVENT_TYPE);
      const history = slack.callsOf("conversations.history");
      assert.equal(history.length, 1, "only the retry looked");
      assert.equal(history[0]?.body.channel, channelId);
      assert.equal(history[0]?.body.include_all_metadata, "true");
      // From the job's enqueue time, less five minutes for the clocks' difference.
      assert.equal(history[0]?.body.oldest, ((startedAt.getTime() - 5 * 60_000) / 1000).toFixed(6));
      const timeline = (await getIncident(s.fb.running.deps, s.ada.caller, incident.id)).timeline;
      assert.ok(!timeline.some((e) => e.kind === "channel.failed"));
    });
  });

  describe("without it: a thread in the service's shared Slack app channel", () => {
    let s: ResponseScenario;
    before(async () => {
      s = await startResponseScenario("sqlite", {
        sharedChannel: {
          kind: "slack",
          config: {
            mode: "app",
            botToken: "xoxb-shared-channel",
            channel: "C0ALERTS",
            apiBaseUrl: slack.baseUrl,
          },
        },
      });
    });
    after(() => s.close());

    it("posts the key events as replies to the incident's message", async () => {
      slack.calls.length = 0;
      const incident = await s.openIncident("Threaded");
      // The incident's message in the shared channel (the recording sender does not reach Slack).
      await s.fb.running.deps.uow.run(async (tx) => {
        const delivery = (await tx.deliveries.listForIncident(incident.id)).find(
          (d) => d.channelId !== null,
        )!;
        await tx.deliveries.markAttempt(delivery.id, {
          status: "sent",
          attempts: 1,
          lastError: null,
          externalId: "C0ALERTS:1699999999.000100",
        });
      });
      await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
        severity: "SEV2",
        level: "outage",
        onCallCanHandle: true,
      });
      await s.advance(2 * SECOND);
      assert.equal(slack.calls.filter((c) => c.method === "conversations.create").length, 0);
      const posts = slack.calls.filter((c) => c.method === "chat.postMessage");
      assert.ok(posts.length >= 2);
      for (const post of posts) {
        assert.equal(post.headers.authorization, "Bearer xoxb-shared-channel");
        assert.equal(post.body.channel, "C0ALERTS");
        assert.equal(post.body.thread_ts, "1699999999.000100");
      }
      const room = await getWarRoom(s.fb.running.deps, s.ada.caller, incident.id);
      assert.deepEqual(room.response.channel, { kind: "thread", name: "#checkout-alerts", url: null });

      // The shared channel is deleted later (no service uses it any more): an update says it went nowhere.
      await s.fb.running.deps.uow.run(async (tx) => {
        const service = (await tx.services.findById(s.serviceId))!;
        await tx.services.update({ ...service, channelId: null });
        await tx.channels.delete(service.channelId!);
      });
      slack.calls.length = 0;
      await postInternalUpdate(s.fb.running.deps, s.ada.caller, incident.id, "Rolled back the deploy");
      await s.advance(2 * SECOND);
      assert.equal(slack.calls.filter((c) => c.method === "chat.postMessage").length, 0);
      const timeline = (await getIncident(s.fb.running.deps, s.ada.caller, incident.id)).timeline;
      assert.ok(
        timeline.some(
          (e) =>
            e.kind === "channel.failed" &&
            e.message ===
              "Posting to #checkout-alerts failed: the channel was deleted; this update is only on the incident's page",
        ),
        JSON.stringify(timeline.map((e) => [e.kind, e.message])),
      );
    });
  });
});
