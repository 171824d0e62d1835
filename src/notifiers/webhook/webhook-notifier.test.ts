import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../core/errors.js";
import { NotifyError } from "../contract.js";
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
import { verifyWebhookSignature } from "./verify-webhook-signature.js";
import { createWebhookNotifier, webhookNotifier } from "./webhook-notifier.js";

const NOW_MS = Date.parse("2025-03-02T09:30:00.000Z");
const NOW_SECONDS = NOW_MS / 1000;
const notifier = createWebhookNotifier({ nowMs: () => NOW_MS });

describe("webhook notifier", () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());

  it("posts the versioned JSON body with idempotency, timestamp and signature headers", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 200, body: "ok" });
    const longTitle = "Disk full on db-1 ".repeat(200);
    const message = sampleMessage({ title: longTitle, recipientName: "Ana" });
    const config = notifier.parseConfig({
      url: `${server.baseUrl}/hooks/firebreak?team=sre`,
      secret: "s3cret-signing-key",
    });

    const result = await notifier.send(message, config, sendContext("notify:inc_01HZX4:hook:1"));

    assert.deepEqual(result, { externalId: null });
    const [request] = server.requests;
    assert.ok(request);
    assert.equal(request.method, "POST");
    assert.equal(request.url, "/hooks/firebreak?team=sre");
    assert.equal(request.headers["content-type"], "application/json");
    assert.equal(request.headers["idempotency-key"], "notify:inc_01HZX4:hook:1");
    assert.equal(request.headers["x-firebreak-timestamp"], String(NOW_SECONDS));
    const expectedSignature = createHmac("sha256", "s3cret-signing-key")
      .update(`${NOW_SECONDS}.${request.body}`)
      .digest("hex");
    assert.equal(request.headers["x-firebreak-signature"], `v1=${expectedSignature}`);
    assert.deepEqual(jsonBody(request), {
      version: 1,
      type: "incident",
      idempotencyKey: "notify:inc_01HZX4:hook:1",
      event: "triggered",
      incident: {
        incidentId: "inc_01HZX4",
        incidentNumber: 42,
        event: "triggered",
        title: longTitle,
        state: "triggered",
        level: "page",
        serviceName: "checkout",
        openedAt: "2025-03-02T09:25:11.000Z",
        recipientName: "Ana",
        incidentUrl: "https://firebreak.example.net/incidents/inc_01HZX4",
        acknowledgeUrl: "https://firebreak.example.net/a/ack-token",
        resolveUrl: "https://firebreak.example.net/a/resolve-token",
        details: [
          { label: "p99", value: "2.31s (threshold 2s)" },
          { label: "region", value: "eu-1" },
        ],
        links: [{ href: "https://runbooks.example.net/latency", text: "Runbook" }],
      },
    });
  });

  it("leaves the signature header out when no secret is set", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 204 });
    await webhookNotifier.send(
      sampleMessage(),
      webhookNotifier.parseConfig({ url: server.baseUrl }),
      sendContext(),
    );
    const [request] = server.requests;
    assert.ok(request);
    assert.equal(request.headers["x-firebreak-signature"], undefined);
    assert.match(String(request.headers["x-firebreak-timestamp"]), /^\d{10}$/);
  });

  it("signs the idempotency key (in the body): a replay under another Idempotency-Key is still a duplicate", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 503 });
    const config = notifier.parseConfig({ url: server.baseUrl, secret: "k3y" });
    for (let attempt = 0; attempt < 2; attempt++)
      await rejectionOf(notifier.send(sampleMessage(), config, sendContext("page:inc_01HZX4:v1:u1:m1:0")));
    const [first, retry] = server.requests;
    assert.ok(first && retry);
    assert.equal(first.headers["idempotency-key"], "page:inc_01HZX4:v1:u1:m1:0");
    assert.equal(retry.headers["idempotency-key"], first.headers["idempotency-key"]);
    assert.equal(retry.body, first.body, "a retry sends the same bytes");
    // What a receiver that verified the signature can trust: the signed body's key.
    const header = String(first.headers["x-firebreak-signature"]);
    assert.ok(verifyWebhookSignature("k3y", NOW_SECONDS, first.body, header, NOW_SECONDS));
    assert.equal(jsonBody(first).idempotencyKey, "page:inc_01HZX4:v1:u1:m1:0");
  });

  it("signs the exact bytes sent, whatever the alert text holds", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 200 });
    const title = 'Disk\r\n"full"\u2028é 🔥 \ud800 lone surrogate </script>';
    await notifier.send(
      sampleMessage({ title }),
      notifier.parseConfig({ url: server.baseUrl, secret: "k3y-é" }),
      sendContext(),
    );
    const [request] = server.requests;
    assert.ok(request);
    assert.equal(Number(request.headers["content-length"]), Buffer.byteLength(request.body));
    const header = String(request.headers["x-firebreak-signature"]);
    assert.ok(verifyWebhookSignature("k3y-é", NOW_SECONDS, Buffer.from(request.body), header, NOW_SECONDS));
    const incident = jsonBody(request).incident as { title: string };
    assert.equal(incident.title, title);
    assert.ok(request.body.includes("\\ud800"), "a lone surrogate goes as an escape, not as bytes");
  });

  describe("status codes", () => {
    const config = () => notifier.parseConfig({ url: `${server.baseUrl}/hook` });
    for (const [status, expected] of [...STATUS_CASES, ...MORE_STATUS_CASES]) {
      it(`${status} ${describeOutcome(expected)}`, () =>
        checkStatusCase(
          server,
          () => notifier.send(sampleMessage(), config(), sendContext()),
          status,
          expected,
        ));
    }
  });

  it("treats a refused connection as a retryable network error", async () => {
    const config = notifier.parseConfig({ url: `${await refusedBaseUrl()}/hook` });
    const err = await rejectionOf(notifier.send(sampleMessage(), config, sendContext()));
    assert.ok(err instanceof NotifyError);
    assert.equal(err.retryable, true);
    assert.equal(err.reason, "network");
    assert.match(err.message, /^Webhook \(127\.0\.0\.1:\d+\): network error \(ECONNREFUSED\)$/);
  });

  describe("secrets", () => {
    const SECRETS = ["T0PATHSECRET", "QUERYSECRET99", "SIGNINGSECRET77"];
    const urlFor = (base: string) => `${base}/hooks/T0PATHSECRET?token=QUERYSECRET99`;

    for (const status of [404, 500]) {
      it(`keeps them out of the error when the receiver answers ${status} echoing the request`, async () => {
        server.respondWith((req) => ({
          status,
          body: `Cannot POST ${req.url} (token ${req.url.split("=")[1]})`,
        }));
        const config = notifier.parseConfig({ url: urlFor(server.baseUrl), secret: "SIGNINGSECRET77" });
        const err = await rejectionOf(notifier.send(sampleMessage(), config, sendContext()));
        assertNoSecretLeak(err, SECRETS);
        assert.match((err as Error).message, /Cannot POST <secret>/);
      });
    }

    it("keeps them out of the error when the connection is refused", async () => {
      const config = notifier.parseConfig({ url: urlFor(await refusedBaseUrl()), secret: "SIGNINGSECRET77" });
      assertNoSecretLeak(await rejectionOf(notifier.send(sampleMessage(), config, sendContext())), SECRETS);
    });

    it("keeps them out of describe()", () => {
      const config = notifier.parseConfig({
        url: urlFor("https://hooks.example.com"),
        secret: "SIGNINGSECRET77",
      });
      const description = notifier.describe(config);
      assert.equal(description, "Webhook (hooks.example.com), signed");
      assertDescribeHidesSecrets(description, SECRETS);
    });
  });

  describe("config", () => {
    const invalid: Array<[name: string, raw: unknown, path: string]> = [
      ["no url", {}, "/config/url"],
      ["a url that is not http", { url: "ftp://files.example.com/T0PATHSECRET" }, "/config/url"],
      ["a relative url", { url: "/hooks/T0PATHSECRET" }, "/config/url"],
      ["a url with credentials", { url: "https://user:T0PATHSECRET@hooks.example.com/x" }, "/config/url"],
      ["a secret that is not text", { url: "https://hooks.example.com/x", secret: 42 }, "/config/secret"],
      ["not an object", "https://hooks.example.com/x", "/config"],
    ];
    for (const [name, raw, path] of invalid) {
      it(`rejects ${name}, naming ${path}`, () => {
        assert.throws(
          () => notifier.parseConfig(raw),
          (err: unknown) => {
            assert.ok(err instanceof AppError);
            assert.equal(err.code, "VALIDATION");
            assert.deepEqual(
              err.fields.map((f) => f.path),
              [path],
            );
            assert.ok(!err.message.includes("T0PATHSECRET"));
            return true;
          },
        );
      });
    }

    it("names a field sent in another case (URL for url), never its value", () => {
      assert.throws(
        () => notifier.parseConfig({ URL: "https://hooks.example.com/T0PATHSECRET" }),
        (err: unknown) => {
          assert.ok(err instanceof AppError);
          assert.deepEqual(err.fields, [
            {
              path: "/config/url",
              message: 'is required (this config has "URL": field names are case-sensitive)',
            },
          ]);
          assert.ok(!JSON.stringify(err.fields).includes("T0PATHSECRET"));
          return true;
        },
      );
    });
  });
});

describe("verifyWebhookSignature", () => {
  it("accepts what send produced and rejects tampered body, timestamp or secret", async () => {
    const server = await startCaptureServer();
    try {
      await notifier.send(
        sampleMessage(),
        notifier.parseConfig({ url: server.baseUrl, secret: "k3y" }),
        sendContext(),
      );
      const [request] = server.requests;
      assert.ok(request);
      const timestamp = String(request.headers["x-firebreak-timestamp"]);
      const header = String(request.headers["x-firebreak-signature"]);

      assert.equal(verifyWebhookSignature("k3y", timestamp, request.body, header, NOW_SECONDS), true);
      assert.equal(
        verifyWebhookSignature("k3y", timestamp, Buffer.from(request.body), header, NOW_SECONDS),
        true,
      );
      assert.equal(
        verifyWebhookSignature("k3y", timestamp, request.body.replace("page", "pagE"), header, NOW_SECONDS),
        false,
      );
      assert.equal(
        verifyWebhookSignature("k3y", String(NOW_SECONDS + 1), request.body, header, NOW_SECONDS),
        false,
      );
      assert.equal(verifyWebhookSignature("other", timestamp, request.body, header, NOW_SECONDS), false);
      assert.equal(
        verifyWebhookSignature(
          "k3y",
          timestamp,
          request.body,
          `v1=${"0".repeat(64)}, ${header}`,
          NOW_SECONDS,
        ),
        true,
      );
    } finally {
      await server.close();
    }
  });

  const SECRET = "k3y";
  const TIMESTAMP = 1_740_907_511;
  const BODY = '{"version":1}';
  // createHmac("sha256", "k3y").update('1740907511.{"version":1}').digest("hex"), computed once
  const VALID = "v1=84cdcf821b8000cd22216065269bbffaa2d264f7c9b724d0c155238b247db7b1";
  const cases: Array<
    [
      name: string,
      timestamp: string | number,
      header: string | undefined,
      nowSeconds: number,
      expected: boolean,
    ]
  > = [
    ["a valid signature", TIMESTAMP, VALID, TIMESTAMP, true],
    ["a valid signature 300 s later", String(TIMESTAMP), VALID, TIMESTAMP + 300, true],
    ["a timestamp 301 s old", TIMESTAMP, VALID, TIMESTAMP + 301, false],
    ["a timestamp 301 s in the future", TIMESTAMP, VALID, TIMESTAMP - 301, false],
    ["a missing header", TIMESTAMP, undefined, TIMESTAMP, false],
    ["a header without version", TIMESTAMP, VALID.slice(3), TIMESTAMP, false],
    ["a truncated signature", TIMESTAMP, VALID.slice(0, -2), TIMESTAMP, false],
    ["a non-hex signature", TIMESTAMP, `v1=${"z".repeat(64)}`, TIMESTAMP, false],
    ["a non-numeric timestamp", "17409O7511", VALID, TIMESTAMP, false],
  ];
  for (const [name, timestamp, header, nowSeconds, expected] of cases) {
    it(`${expected ? "accepts" : "rejects"} ${name}`, () => {
      assert.equal(verifyWebhookSignature(SECRET, timestamp, BODY, header, nowSeconds), expected);
    });
  }
});
