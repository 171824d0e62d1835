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
  MORE_STATUS_CASES,
  refusedBaseUrl,
  rejectionOf,
  sampleMessage,
  sendContext,
  startCaptureServer,
  STATUS_CASES,
  type CaptureServer,
} from "../notifier-test-kit.test.js";
import { DISCORD_LIMITS, discordNotifier, discordPayload } from "./discord-notifier.js";

interface Embed {
  title: string;
  description: string;
  url?: string;
  color: number;
  timestamp: string;
  footer: { text: string };
  fields: Array<{ name: string; value: string; inline: boolean }>;
}
const embedOf = (payload: object): Embed => (payload as { embeds: Embed[] }).embeds[0] as Embed;

describe("Discord notifier", () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());
  const PATH = "/api/webhooks/1234567890/DISCORDTOKENSECRET_abc";
  const config = () => discordNotifier.parseConfig({ url: `${server.baseUrl}${PATH}` });

  it("posts content, one embed and no mentions, without ?wait=true", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 204 });
    const result = await discordNotifier.send(
      sampleMessage({ recipientName: "Ana" }),
      config(),
      sendContext(),
    );
    assert.deepEqual(result, { externalId: null });
    const [request] = server.requests;
    assert.ok(request);
    assert.equal(request.url, PATH);
    assert.equal(request.headers["content-type"], "application/json");
    const body = jsonBody(request);
    assert.equal(body.content, "🔴 **INC-42** triggered: Checkout p99 latency above 2s");
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    assert.deepEqual(embedOf(body), {
      title: "INC-42: Checkout p99 latency above 2s",
      description:
        "**Triggered** · Page · checkout\n" +
        "[Acknowledge](https://firebreak.example.net/a/ack-token) · [Resolve](https://firebreak.example.net/a/resolve-token)\n" +
        "Links: Runbook: [runbooks.example.net](https://runbooks.example.net/latency)",
      url: "https://firebreak.example.net/incidents/inc_01HZX4",
      color: 0x992d22,
      fields: [
        { name: "Opened", value: "2025-03-02 09:25 UTC", inline: true },
        { name: "For", value: "Ana", inline: true },
        { name: "p99", value: "2.31s (threshold 2s)", inline: true },
        { name: "region", value: "eu-1", inline: true },
      ],
      timestamp: "2025-03-02T09:25:11.000Z",
      footer: { text: "Firebreak" },
    });
  });

  it("keeps every limit with an over-long title, description and many fields", () => {
    const payload = discordPayload(
      sampleMessage({
        title: "x".repeat(3000),
        details: Array.from({ length: 40 }, (_, i) => ({
          label: `l${i}`.repeat(200),
          value: i === 0 ? "  " : "v".repeat(3000),
        })),
        links: Array.from({ length: 300 }, (_, i) => ({
          href: `https://example.net/${i}`,
          text: `link ${i}`,
        })),
      }),
    ) as { content: string };
    const embed = embedOf(payload);
    assert.ok(payload.content.length <= DISCORD_LIMITS.contentChars);
    assert.equal(Array.from(embed.title).length, DISCORD_LIMITS.titleChars);
    assert.ok(embed.description.length <= DISCORD_LIMITS.descriptionChars);
    assert.ok(embed.fields.length <= DISCORD_LIMITS.fields);
    for (const f of embed.fields) {
      assert.ok(
        f.name.length <= DISCORD_LIMITS.fieldNameChars && f.value.length <= DISCORD_LIMITS.fieldValueChars,
      );
      assert.ok(f.value.length > 0, "Discord refuses empty field values");
    }
    const total =
      embed.title.length +
      embed.description.length +
      embed.footer.text.length +
      embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    assert.ok(total <= DISCORD_LIMITS.embedTotalChars, `embed text ${total}`);
  });

  it("counts code points as Discord does: emoji-heavy details are not dropped for a limit they keep", () => {
    const codePoints = (text: string) => Array.from(text).length;
    const payload = discordPayload(
      sampleMessage({
        title: "🔥".repeat(400),
        details: Array.from({ length: 4 }, (_, i) => ({ label: `d${i}`, value: "🔥".repeat(1000) })),
      }),
    );
    const embed = embedOf(payload);
    assert.equal(codePoints(embed.title), DISCORD_LIMITS.titleChars);
    assert.ok(embed.title.endsWith("🔥…"), "cut between characters, not inside a surrogate pair");
    assert.deepEqual(
      embed.fields.map((f) => f.name),
      ["Opened", "d0", "d1", "d2", "d3"],
    );
    for (const text of [embed.title, embed.description, ...embed.fields.map((f) => f.value)])
      assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text));
    const total =
      codePoints(embed.title) +
      codePoints(embed.description) +
      codePoints(embed.footer.text) +
      embed.fields.reduce((n, f) => n + codePoints(f.name) + codePoints(f.value), 0);
    assert.ok(total <= DISCORD_LIMITS.embedTotalChars, `embed text ${total}`);
  });

  it("keeps @everyone, @here and <@123> in alert text inert: no mention is parsed, none allowed", () => {
    const payload = discordPayload(
      sampleMessage({
        title: "@everyone @here <@123> <@&456> disk full",
        details: [{ label: "owner", value: "<@123> @everyone" }],
      }),
    ) as { content: string; allowed_mentions: unknown };
    assert.deepEqual(payload.allowed_mentions, { parse: [] });
    assert.match(payload.content, /@everyone @here <@123> <@&456> disk full$/);
  });

  it("honours Discord's fractional retry_after, and Retry-After when the 429 body is not Discord's", async () => {
    server.respondWith({ status: 429, body: '{"retry_after":0.25,"global":true}' });
    const fromBody = await rejectionOf(discordNotifier.send(sampleMessage(), config(), sendContext()));
    assert.ok(fromBody instanceof NotifyError);
    assert.equal(fromBody.retryAfterSeconds, 1);
    server.respondWith({ status: 429, body: "<html>rate limited</html>", headers: { "Retry-After": "4" } });
    const fromHeader = await rejectionOf(discordNotifier.send(sampleMessage(), config(), sendContext()));
    assert.ok(fromHeader instanceof NotifyError);
    assert.deepEqual([fromHeader.retryable, fromHeader.retryAfterSeconds], [true, 4]);
  });

  it("escapes masked links in alert text, so a summary cannot show a link to anywhere", () => {
    const payload = discordPayload(
      sampleMessage({
        title: "[Acknowledge](https://evil.example/a) \\[x](https://evil.example/b)",
        details: [{ label: "[l](https://evil.example/c)", value: "see [Resolve](https://evil.example/d)" }],
      }),
    ) as { content: string };
    assert.equal(
      payload.content,
      "🔴 **INC-42** triggered: \\[Acknowledge\\](https://evil.example/a) \\\\\\[x\\](https://evil.example/b)",
    );
    const detail = embedOf(payload).fields[1];
    assert.deepEqual(detail, {
      name: "\\[l\\](https://evil.example/c)",
      value: "see \\[Resolve\\](https://evil.example/d)",
      inline: true,
    });
    const unescapedLink = /(?<!\\)(?:\\\\)*\[[^\]]*(?<!\\)\]\(/;
    for (const text of [payload.content, detail?.name ?? "", detail?.value ?? ""])
      assert.doesNotMatch(text, unescapedLink);
  });

  describe("links: the visible text of each is Firebreak's own label or the host it leads to", () => {
    const ACK = "https://firebreak.example.net/a/ack-token";
    const RESOLVE = "https://firebreak.example.net/a/resolve-token";
    const RUNBOOK = "https://runbooks.example.net/latency";
    // The masked links Discord renders: a `[` no backslash escapes, up to `](url)`.
    const maskedLinksOf = (markdown: string): Array<[label: string, url: string]> =>
      [...markdown.matchAll(/(?<!\\)\[([^\]]*)\]\(([^)]*)\)/g)].map((m) => [m[1] ?? "", m[2] ?? ""]);
    const OWN_LINKS = [
      ["Acknowledge", ACK],
      ["Resolve", RESOLVE],
    ];

    const LINK_TEXTS: Array<[name: string, text: string, shown: string]> = [
      ["one of Firebreak's own labels", "Acknowledge", "Acknowledge"],
      ["a Firebreak URL", ACK, ACK],
      ["a Firebreak host", "firebreak.example.net", "firebreak.example.net"],
      ["a masked link", `[Resolve](${RESOLVE})`, `\\[Resolve\\](${RESOLVE})`],
      ["a trailing backslash, which would escape the closing bracket", "Runbook\\", "Runbook\\\\"],
    ];
    for (const [name, text, shown] of LINK_TEXTS) {
      it(`shows an alert link's text that is ${name} as plain text beside its host`, () => {
        const { description } = embedOf(discordPayload(sampleMessage({ links: [{ href: RUNBOOK, text }] })));
        assert.deepEqual(maskedLinksOf(description), [...OWN_LINKS, ["runbooks.example.net", RUNBOOK]]);
        assert.ok(description.endsWith(`\nLinks: ${shown}: [runbooks.example.net](${RUNBOOK})`), description);
      });
    }

    const HREFS: Array<[name: string, href: string, link: string]> = [
      ["a link without text", RUNBOOK, `[runbooks.example.net](${RUNBOOK})`],
      [
        "brackets, parentheses and backslashes in the URL",
        "https://wiki.example.net/x](https://evil.example)/\\?q=a\\)",
        "[wiki.example.net](https://wiki.example.net/x%5D%28https://evil.example%29//?q=a%5C%29)",
      ],
      ["an IPv6 host", "http://[::1]:9093/#/alerts", "[open link](http://[::1]:9093/#/alerts)"],
      [
        "a user name that looks like a host",
        "https://firebreak.example.net@evil.example/",
        "[evil.example](https://firebreak.example.net@evil.example/)",
      ],
    ];
    for (const [name, href, link] of HREFS) {
      it(`shows ${name} as a link that names its host and stays inside (…)`, () => {
        const { description } = embedOf(discordPayload(sampleMessage({ links: [{ href, text: null }] })));
        assert.ok(description.endsWith(`\nLinks: ${link}`), description);
      });
    }

    it("keeps Firebreak's labels on Firebreak's own links", () => {
      const { description, url } = embedOf(discordPayload(sampleMessage()));
      assert.deepEqual(maskedLinksOf(description).slice(0, 2), OWN_LINKS);
      // The title links to the incident page; embed titles render no markdown link (discord-api-docs#6088).
      assert.equal(url, "https://firebreak.example.net/incidents/inc_01HZX4");
    });
  });

  it("names the state beside the event when they differ", () => {
    const embed = embedOf(discordPayload(sampleMessage({ event: "escalated" })));
    assert.match(embed.description, /^\*\*Escalated\*\* · Triggered · Page · checkout\n/);
  });

  it("colours acknowledged orange and resolved green", () => {
    assert.equal(embedOf(discordPayload(sampleMessage({ state: "acknowledged" }))).color, 0xe67e22);
    assert.equal(embedOf(discordPayload(sampleMessage({ state: "resolved" }))).color, 0x2d7d46);
  });

  it("takes the 429 delay from Discord's JSON retry_after, rounded up", async () => {
    server.respondWith({
      status: 429,
      body: '{"message":"You are being rate limited.","retry_after":1.5,"global":false}',
      headers: { "Retry-After": "9" },
    });
    const err = await rejectionOf(discordNotifier.send(sampleMessage(), config(), sendContext()));
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason, err.retryAfterSeconds], [true, "rate_limited", 2]);
  });

  describe("status codes", () => {
    for (const [status, expected] of [...STATUS_CASES, ...MORE_STATUS_CASES]) {
      it(`${status} ${describeOutcome(expected)}`, () =>
        checkStatusCase(
          server,
          () => discordNotifier.send(sampleMessage(), config(), sendContext()),
          status,
          expected,
        ));
    }
  });

  describe("secrets", () => {
    const SECRETS = ["DISCORDTOKENSECRET_abc"];
    for (const status of [404, 500]) {
      it(`keeps the webhook token out of the error on ${status}`, async () => {
        server.respondWith((req) => ({
          status,
          body: `{"message": "Unknown Webhook ${req.url}", "code": 10015}`,
        }));
        assertNoSecretLeak(
          await rejectionOf(discordNotifier.send(sampleMessage(), config(), sendContext())),
          SECRETS,
        );
      });
    }
    it("keeps the webhook token out of the error when the connection is refused", async () => {
      const refused = discordNotifier.parseConfig({ url: `${await refusedBaseUrl()}${PATH}` });
      assertNoSecretLeak(
        await rejectionOf(discordNotifier.send(sampleMessage(), refused, sendContext())),
        SECRETS,
      );
    });
    it("describes the webhook by host only", () => {
      const description = discordNotifier.describe(
        discordNotifier.parseConfig({ url: `https://discord.com${PATH}` }),
      );
      assert.equal(description, "Discord webhook (discord.com)");
      assertDescribeHidesSecrets(description, SECRETS);
    });
  });

  it("rejects a config without an http(s) url", () => {
    assert.throws(
      () => discordNotifier.parseConfig({ url: 42 }),
      (err: unknown) =>
        err instanceof AppError && err.code === "VALIDATION" && err.fields[0]?.path === "/config/url",
    );
  });
});
