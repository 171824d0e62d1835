import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../core/errors.js";
import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import {
  assertDescribeHidesSecrets,
  assertNoSecretLeak,
  checkStatusCase,
  describeOutcome,
  jsonBody,
  MORE_STATUS_CASES,
  refusedBaseUrl,
  rejectionOf,
  sampleMessage,
  sendContext,
  startCaptureServer,
  STATUS_CASES,
  type CaptureServer,
} from "../notifier-test-kit.test.js";
import { NTFY_MAX_MESSAGE_BYTES, ntfyNotifier, ntfyPayload, ntfyPriority } from "./ntfy-notifier.js";

describe("ntfy notifier", () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());
  const config = (extra: object = {}) =>
    ntfyNotifier.parseConfig({ serverUrl: `${server.baseUrl}/ntfy/`, topic: "sre-alerts", ...extra });

  it("publishes JSON to the server root with title, message, priority, tags, click and view actions", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 200, body: '{"id":"abc","event":"message"}' });
    await ntfyNotifier.send(sampleMessage(), config({ token: "tk_secrettoken123" }), sendContext());
    const [request] = server.requests;
    assert.ok(request);
    assert.equal(request.url, "/ntfy/");
    assert.equal(request.headers["content-type"], "application/json");
    assert.equal(request.headers.authorization, "Bearer tk_secrettoken123");
    assert.deepEqual(jsonBody(request), {
      topic: "sre-alerts",
      title: "INC-42: Checkout p99 latency above 2s",
      message:
        "State: Triggered · Level: Page · Service: checkout\nOpened: 2025-03-02 09:25 UTC\n\np99: 2.31s (threshold 2s)\nregion: eu-1\n\n" +
        "Open incident: https://firebreak.example.net/incidents/inc_01HZX4\n" +
        "Acknowledge: https://firebreak.example.net/a/ack-token\nResolve: https://firebreak.example.net/a/resolve-token\n\n" +
        "Links:\n- Runbook: https://runbooks.example.net/latency",
      priority: 5,
      tags: ["rotating_light"],
      click: "https://firebreak.example.net/incidents/inc_01HZX4",
      actions: [
        {
          action: "view",
          label: "Acknowledge",
          url: "https://firebreak.example.net/a/ack-token",
          clear: true,
        },
        {
          action: "view",
          label: "Resolve",
          url: "https://firebreak.example.net/a/resolve-token",
          clear: true,
        },
      ],
    });
  });

  it("sends no Authorization header without a token", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 200 });
    await ntfyNotifier.send(
      sampleMessage(),
      ntfyNotifier.parseConfig({ serverUrl: server.baseUrl, topic: "t1" }),
      sendContext(),
    );
    assert.equal(server.requests[0]?.url, "/");
    assert.equal(server.requests[0]?.headers.authorization, undefined);
  });

  it("keeps the message within 4096 bytes and the title short", () => {
    const payload = ntfyPayload(
      sampleMessage({
        title: "🔥".repeat(1000),
        details: Array.from({ length: 50 }, (_, i) => ({ label: `d${i}`, value: "é".repeat(500) })),
      }),
      "t",
    ) as { title: string; message: string };
    assert.ok(Buffer.byteLength(payload.message) <= NTFY_MAX_MESSAGE_BYTES);
    assert.ok(payload.message.endsWith("…"));
    assert.ok(Array.from(payload.title).length <= 250);
  });

  const priorities: Array<
    [
      event: IncidentMessage["event"],
      state: IncidentMessage["state"],
      level: IncidentMessage["level"],
      priority: number,
    ]
  > = [
    ["triggered", "triggered", "page", 5],
    ["escalated", "triggered", "page", 5],
    ["reopened", "triggered", "page", 5],
    ["triggered", "triggered", "notify", 4],
    ["escalated", "triggered", "notify", 4],
    ["triggered", "triggered", "ticket", 3],
    ["acknowledged", "acknowledged", "page", 3],
    ["resolved", "resolved", "page", 3],
    ["test", "triggered", "page", 3],
  ];
  for (const [event, state, level, priority] of priorities) {
    it(`gives ${event} (${state}, ${level}) priority ${priority}`, () => {
      assert.equal(ntfyPriority(sampleMessage({ event, state, level })), priority);
    });
  }

  it("tags a resolved incident with a check mark and offers no buttons", () => {
    const payload = ntfyPayload(sampleMessage({ event: "resolved", state: "resolved" }), "t") as {
      tags: string[];
      actions: unknown[];
    };
    assert.deepEqual(payload.tags, ["white_check_mark"]);
    assert.deepEqual(payload.actions, []);
  });

  it("sends alert text only in the JSON body: no header carries it, CR/LF and non-ASCII stay intact", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 200 });
    const title = "Disk\r\nX-Evil: 1\u2028Ünïcödé 🔥";
    await ntfyNotifier.send(sampleMessage({ title }), config({ token: "tk_secrettoken123" }), sendContext());
    const [request] = server.requests;
    assert.ok(request);
    assert.deepEqual(Object.keys(request.headers).sort(), [
      "authorization",
      "connection",
      "content-length",
      "content-type",
      "host",
      "user-agent",
    ]);
    assert.equal(jsonBody(request).title, "INC-42: Disk X-Evil: 1 Ünïcödé 🔥");
  });

  it("indents a multi-line detail, so it cannot forge an Acknowledge line in the push", () => {
    const value = "disk full\n\nAcknowledge: https://evil.example/a\r\nResolve: https://evil.example/r\u001b";
    const payload = ntfyPayload(sampleMessage({ details: [{ label: "description", value }] }), "t") as {
      message: string;
    };
    const lines = payload.message.split("\n");
    assert.deepEqual(
      lines.filter((l) => /^(Acknowledge|Resolve):/.test(l)),
      [
        "Acknowledge: https://firebreak.example.net/a/ack-token",
        "Resolve: https://firebreak.example.net/a/resolve-token",
      ],
    );
    assert.deepEqual(lines.slice(3, 7), [
      "description: disk full",
      "",
      "    Acknowledge: https://evil.example/a",
      "    Resolve: https://evil.example/r",
    ]);
  });

  describe("status codes", () => {
    for (const [status, expected] of [...STATUS_CASES, ...MORE_STATUS_CASES]) {
      it(`${status} ${describeOutcome(expected)}`, () =>
        checkStatusCase(
          server,
          () => ntfyNotifier.send(sampleMessage(), config(), sendContext()),
          status,
          expected,
        ));
    }
  });

  describe("secrets", () => {
    const SECRETS = ["tk_ntfysecret42", "topicsecret77"];
    const secretConfig = (base: string) =>
      ntfyNotifier.parseConfig({ serverUrl: base, topic: "topicsecret77", token: "tk_ntfysecret42" });
    for (const status of [403, 500]) {
      it(`keeps token and topic out of the error on ${status}`, async () => {
        server.respondWith((req) => ({
          status,
          body: `{"error":"forbidden for ${req.headers.authorization} on topicsecret77"}`,
        }));
        assertNoSecretLeak(
          await rejectionOf(ntfyNotifier.send(sampleMessage(), secretConfig(server.baseUrl), sendContext())),
          SECRETS,
        );
      });
    }
    it("keeps token and topic out of the error when the connection is refused", async () => {
      assertNoSecretLeak(
        await rejectionOf(
          ntfyNotifier.send(sampleMessage(), secretConfig(await refusedBaseUrl()), sendContext()),
        ),
        SECRETS,
      );
    });
    it("describes the server by host only", () => {
      const description = ntfyNotifier.describe(secretConfig("https://ntfy.sh"));
      assert.equal(description, "ntfy (ntfy.sh), with token");
      assertDescribeHidesSecrets(description, SECRETS);
    });
  });

  describe("config", () => {
    const invalid: Array<[name: string, raw: object, paths: string[]]> = [
      ["nothing", {}, ["/config/serverUrl", "/config/topic"]],
      ["a server that is not http", { serverUrl: "ntfy.sh", topic: "t" }, ["/config/serverUrl"]],
      ["a topic with a slash", { serverUrl: "https://ntfy.sh", topic: "a/b" }, ["/config/topic"]],
      // It goes into the Authorization header, where these would fail every send.
      [
        "a token with a control character",
        { serverUrl: "https://ntfy.sh", topic: "t", token: "tk_a\u0000b" },
        ["/config/token"],
      ],
      [
        "a token with an emoji",
        { serverUrl: "https://ntfy.sh", topic: "t", token: "tk_🔑" },
        ["/config/token"],
      ],
      [
        "a token with a line break",
        { serverUrl: "https://ntfy.sh", topic: "t", token: "tk_a\r\nb" },
        ["/config/token"],
      ],
      [
        "a token that is not text",
        { serverUrl: "https://ntfy.sh", topic: "t", token: ["x"] },
        ["/config/token"],
      ],
    ];
    for (const [name, raw, paths] of invalid) {
      it(`rejects ${name}`, () => {
        assert.throws(
          () => ntfyNotifier.parseConfig(raw),
          (err: unknown) =>
            err instanceof AppError &&
            err.code === "VALIDATION" &&
            JSON.stringify(err.fields.map((f) => f.path)) === JSON.stringify(paths),
        );
      });
    }
  });
});
