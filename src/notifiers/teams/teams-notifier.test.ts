import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../core/errors.js";
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
import { TEAMS_MAX_PAYLOAD_BYTES, teamsNotifier, teamsPayload } from "./teams-notifier.js";

interface Card {
  type: string;
  version: string;
  body: Array<{
    type: string;
    text?: string;
    color?: string;
    facts?: Array<{ title: string; value: string }>;
  }>;
  actions: Array<{ type: string; title: string; url: string }>;
}
const cardOf = (payload: object): Card => {
  const message = payload as {
    type: string;
    attachments: Array<{ contentType: string; contentUrl: null; content: Card }>;
  };
  assert.equal(message.type, "message");
  assert.equal(message.attachments.length, 1);
  assert.equal(message.attachments[0]?.contentType, "application/vnd.microsoft.card.adaptive");
  assert.equal(message.attachments[0]?.contentUrl, null);
  return message.attachments[0]!.content;
};

describe("Teams notifier", () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());
  const WORKFLOW_PATH =
    "/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=SIGSECRET123456";
  const config = () => teamsNotifier.parseConfig({ url: `${server.baseUrl}${WORKFLOW_PATH}` });

  it("posts an Adaptive Card 1.4 with a coloured title, facts and open-URL actions", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 202 });
    await teamsNotifier.send(sampleMessage({ recipientName: "Ana" }), config(), sendContext());
    const [request] = server.requests;
    assert.ok(request);
    assert.equal(request.url, WORKFLOW_PATH);
    assert.equal(request.headers["content-type"], "application/json");
    const card = cardOf(jsonBody(request));
    assert.equal(card.type, "AdaptiveCard");
    assert.equal(card.version, "1.4");
    assert.deepEqual(card.body[0], {
      type: "TextBlock",
      text: "INC-42: Checkout p99 latency above 2s",
      weight: "Bolder",
      size: "Medium",
      wrap: true,
      color: "Attention",
    });
    assert.deepEqual(card.body[2]?.facts, [
      { title: "Status", value: "Triggered" },
      { title: "Service", value: "checkout" },
      { title: "Level", value: "Page" },
      { title: "Opened", value: "2025-03-02 09:25 UTC" },
      { title: "For", value: "Ana" },
      { title: "p99", value: "2.31s (threshold 2s)" },
      { title: "region", value: "eu-1" },
    ]);
    assert.equal(card.body[3]?.text, "[Runbook](https://runbooks.example.net/latency)");
    assert.deepEqual(card.actions, [
      {
        type: "Action.OpenUrl",
        title: "Open incident",
        url: "https://firebreak.example.net/incidents/inc_01HZX4",
      },
      { type: "Action.OpenUrl", title: "Acknowledge", url: "https://firebreak.example.net/a/ack-token" },
      { type: "Action.OpenUrl", title: "Resolve", url: "https://firebreak.example.net/a/resolve-token" },
    ]);
  });

  it("colours a resolved incident Good and drops its ack and resolve actions", () => {
    const card = cardOf(teamsPayload(sampleMessage({ state: "resolved", event: "resolved" })));
    assert.equal(card.body[0]?.color, "Good");
    assert.deepEqual(
      card.actions.map((a) => a.title),
      ["Open incident"],
    );
  });

  it("stays within 28 KB by shortening and then dropping details", () => {
    const message = sampleMessage({
      title: "Long title ".repeat(500),
      details: Array.from({ length: 60 }, (_, i) => ({ label: `detail ${i}`, value: "é".repeat(4000) })),
      links: Array.from({ length: 100 }, (_, i) => ({
        href: `https://example.net/${"p".repeat(100)}/${i}`,
        text: `link ${i}`,
      })),
    });
    const payload = teamsPayload(message);
    assert.ok(Buffer.byteLength(JSON.stringify(payload)) <= TEAMS_MAX_PAYLOAD_BYTES);
    const card = cardOf(payload);
    assert.ok((card.body[0]?.text ?? "").length <= 1000);
    const facts = card.body[2]?.facts ?? [];
    assert.ok(
      facts.some((f) => f.title === "detail 0"),
      "the first details survive",
    );
    assert.match(facts.at(-1)?.value ?? "", /^\d+ more details in the incident$/);
    assert.equal(card.actions[0]?.title, "Open incident");
  });

  it("keeps a small message whole", () => {
    const payload = teamsPayload(sampleMessage());
    assert.equal(cardOf(payload).body[2]?.facts?.length, 6);
  });

  describe("status codes", () => {
    for (const [status, expected] of STATUS_CASES) {
      it(`${status} ${describeOutcome(expected)}`, () =>
        checkStatusCase(
          server,
          () => teamsNotifier.send(sampleMessage(), config(), sendContext()),
          status,
          expected,
        ));
    }
  });

  describe("secrets", () => {
    const SECRETS = ["SIGSECRET123456"];
    for (const status of [404, 500]) {
      it(`keeps the workflow signature out of the error on ${status}`, async () => {
        server.respondWith((req) => ({
          status,
          body: `{"error":{"message":"Workflow ${req.url} failed, sig=SIGSECRET123456"}}`,
        }));
        assertNoSecretLeak(
          await rejectionOf(teamsNotifier.send(sampleMessage(), config(), sendContext())),
          SECRETS,
        );
      });
    }
    it("keeps the workflow signature out of the error when the connection is refused", async () => {
      const refused = teamsNotifier.parseConfig({ url: `${await refusedBaseUrl()}${WORKFLOW_PATH}` });
      assertNoSecretLeak(
        await rejectionOf(teamsNotifier.send(sampleMessage(), refused, sendContext())),
        SECRETS,
      );
    });
    it("describes the workflow by host only", () => {
      const description = teamsNotifier.describe(
        teamsNotifier.parseConfig({ url: `https://prod-01.westeurope.logic.azure.com${WORKFLOW_PATH}` }),
      );
      assert.equal(description, "Teams workflow (prod-01.westeurope.logic.azure.com)");
      assertDescribeHidesSecrets(description, SECRETS);
    });
  });

  it("rejects a config without an http(s) url", () => {
    for (const raw of [{}, { url: "mailto:x@example.com" }]) {
      assert.throws(
        () => teamsNotifier.parseConfig(raw),
        (err: unknown) =>
          err instanceof AppError && err.code === "VALIDATION" && err.fields[0]?.path === "/config/url",
      );
    }
  });
});
