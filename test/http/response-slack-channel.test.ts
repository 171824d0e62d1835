import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { startIncidentFix } from "../../src/app/response/fix-log.js";
import { addIncidentResponder } from "../../src/app/response/manage-roles.js";
import { getWarRoom } from "../../src/app/response/read-war-room.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import { SECOND } from "../support/fake-clock.js";
import { setupCaller, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";

/** A fake Slack Web API on 127.0.0.1: records each call (method, token, JSON body) and answers as told. */
interface FakeSlack {
  readonly baseUrl: string;
  readonly calls: Array<{ method: string; token: string; body: Record<string, unknown> }>;
  /** The next answers of a method, in order; afterwards it answers ok. */
  answerNext(method: string, ...answers: Array<Record<string, unknown>>): void;
  close(): Promise<void>;
}

async function startFakeSlack(): Promise<FakeSlack> {
  const calls: FakeSlack["calls"] = [];
  const queued = new Map<string, Array<Record<string, unknown>>>();
  let ts = 1_700_000_000;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = (req.url ?? "").replace(/^\/api\//, "");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      calls.push({ method, token: String(req.headers.authorization ?? ""), body });
      const answer =
        queued.get(method)?.shift() ??
        (method === "conversations.create"
          ? { ok: true, channel: { id: "C0INCIDENT", name: body.name } }
          : method === "chat.postMessage"
            ? { ok: true, channel: body.channel, ts: `${++ts}.000100` }
            : { ok: true });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    calls,
    answerNext(method, ...answers) {
      queued.set(method, [...(queued.get(method) ?? []), ...answers]);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const ADA_SLACK = "U0ADA0001";

describe("the incident channel, against a fake Slack Web API", () => {
  let slack: FakeSlack;
  before(async () => {
    slack = await startFakeSlack();
  });
  after(() => slack.close());

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
      assert.equal(create?.token, "Bearer xoxb-incident-bot");
      const invite = slack.calls.find((c) => c.method === "conversations.invite");
      assert.deepEqual(invite?.body, { channel: "C0INCIDENT", users: ADA_SLACK, force: true });

      await s.advance(2 * SECOND);
      await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
        kind: "rollback",
        description: "undo 42",
      });
      await s.run();
      const posts = slack.calls.filter((c) => c.method === "chat.postMessage");
      assert.deepEqual(
        posts.map((p) => p.body.channel),
        ["C0INCIDENT", "C0INCIDENT", "C0INCIDENT"],
      );
      const texts = posts.map((p) => String(p.body.text));
      assert.ok(texts.some((t) => t.startsWith(`INC-${incident.number}: Triaged SEV1 outage`)));
      assert.ok(texts.some((t) => t.includes("Ada is the Incident Handler")));
      assert.ok(texts.some((t) => t.includes("Fix #1 (rollback: undo 42) started by Ada")));

      const room = await getWarRoom(s.fb.running.deps, s.ada.caller, incident.id);
      assert.deepEqual(room.response.channel, {
        kind: "slack-channel",
        name: `#inc-${incident.number}-checkout-is-down-on-checkout`,
        url: "https://slack.com/app_redirect?channel=C0INCIDENT",
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
      slack.answerNext("conversations.create", { ok: false, error: "name_taken" });
      const first = await s.openIncident("Taken");
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

      slack.answerNext("conversations.create", { ok: false, error: "restricted_action" });
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
        assert.equal(post.token, "Bearer xoxb-shared-channel");
        assert.equal(post.body.channel, "C0ALERTS");
        assert.equal(post.body.thread_ts, "1699999999.000100");
      }
      const room = await getWarRoom(s.fb.running.deps, s.ada.caller, incident.id);
      assert.deepEqual(room.response.channel, { kind: "thread", name: "#checkout-alerts", url: null });
    });
  });
});
