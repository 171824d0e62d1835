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
  refusedBaseUrl,
  rejectionOf,
  sampleMessage,
  sendContext,
  startCaptureServer,
  STATUS_CASES,
  type CaptureServer,
} from "../notifier-test-kit.test.js";
import { singleLine } from "../../core/clean-text.js";
import { TEAMS_MAX_PAYLOAD_BYTES, teamsNotifier, teamsPayload } from "./teams-notifier.js";

interface CardElement {
  type: string;
  id?: string;
  text?: string;
  weight?: string;
  size?: string;
  color?: string;
  isSubtle?: boolean;
  inlines?: Array<CardElement | string>;
  items?: CardElement[];
  columns?: CardElement[];
  facts?: Array<{ title: string; value: string }>;
}
interface Card {
  type: string;
  version: string;
  body: CardElement[];
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

/** Every element of the card body, depth first. */
function elementsOf(card: Card): CardElement[] {
  const out: CardElement[] = [];
  const visit = (e: CardElement): void => {
    out.push(e);
    for (const child of [...(e.items ?? []), ...(e.columns ?? [])]) visit(child);
  };
  for (const e of card.body) visit(e);
  return out;
}

/**
 * The card's text by how Teams shows it: `markdown` is read as markdown (TextBlock text, Fact title
 * and value), `literal` is shown as is (TextRun text; a string inline is a TextRun).
 */
function textsOf(card: Card): { markdown: string[]; literal: CardElement[] } {
  const markdown: string[] = [];
  const literal: CardElement[] = [];
  for (const e of elementsOf(card)) {
    if (e.type === "TextBlock") markdown.push(e.text ?? "");
    for (const f of e.facts ?? []) markdown.push(f.title, f.value);
    for (const inline of e.inlines ?? [])
      literal.push(typeof inline === "string" ? { type: "TextRun", text: inline } : inline);
  }
  return { markdown, literal };
}

const byId = (card: Card, id: string): CardElement => {
  const found = elementsOf(card).find((e) => e.id === id);
  assert.ok(found, `the card has an element "${id}"`);
  return found;
};

/** The title's one TextRun. */
const titleRunOf = (card: Card): CardElement => {
  const inlines = byId(card, "title").inlines ?? [];
  assert.equal(inlines.length, 1);
  return inlines[0] as CardElement;
};

/** The facts as [label, value]: each a RichTextBlock of a bold "Label: " run and a value run. */
const factsOf = (card: Card): Array<[string, string]> =>
  (byId(card, "facts").items ?? []).map((block) => {
    assert.equal(block.type, "RichTextBlock");
    const runs = (block.inlines ?? []) as CardElement[];
    if (runs.length === 1) return ["", runs[0]?.text ?? ""];
    assert.equal(runs.length, 2);
    assert.equal(runs[0]?.weight, "Bolder");
    assert.match(runs[0]?.text ?? "", /: $/);
    return [(runs[0]?.text ?? "").slice(0, -2), runs[1]?.text ?? ""];
  });

/** The links as [label run text, markdown of the link]. */
const linksOf = (card: Card): Array<[string, string]> =>
  (byId(card, "links").items ?? []).map((row) => {
    const [label, link] = row.columns ?? [];
    const labelRuns = (label?.items?.[0]?.inlines ?? []) as CardElement[];
    assert.equal(labelRuns.length, 1);
    assert.equal(link?.items?.[0]?.type, "TextBlock");
    return [labelRuns[0]?.text ?? "", link.items[0].text ?? ""];
  });

const EXPECTED_ACTIONS = [
  {
    type: "Action.OpenUrl",
    title: "Open incident",
    url: "https://firebreak.example.net/incidents/inc_01HZX4",
  },
  { type: "Action.OpenUrl", title: "Acknowledge", url: "https://firebreak.example.net/a/ack-token" },
  { type: "Action.OpenUrl", title: "Resolve", url: "https://firebreak.example.net/a/resolve-token" },
];

describe("Teams notifier", () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());
  const WORKFLOW_PATH =
    "/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=SIGSECRET123456";
  const config = () => teamsNotifier.parseConfig({ url: `${server.baseUrl}${WORKFLOW_PATH}` });

  it("posts an Adaptive Card 1.4 with a bold coloured title, facts, links and open-URL actions", async () => {
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
      type: "RichTextBlock",
      id: "title",
      inlines: [
        {
          type: "TextRun",
          text: "INC-42: Checkout p99 latency above 2s",
          weight: "Bolder",
          size: "Medium",
          color: "Attention",
        },
      ],
    });
    assert.deepEqual(card.body[1], {
      type: "TextBlock",
      text: "Triggered · Page",
      isSubtle: true,
      spacing: "None",
      wrap: true,
    });
    assert.deepEqual(factsOf(card), [
      ["Status", "Triggered"],
      ["Service", "checkout"],
      ["Level", "Page"],
      ["Opened", "2025-03-02 09:25 UTC"],
      ["For", "Ana"],
      ["p99", "2.31s (threshold 2s)"],
      ["region", "eu-1"],
    ]);
    assert.deepEqual(linksOf(card), [
      ["Runbook", "[runbooks.example.net](https://runbooks.example.net/latency)"],
    ]);
    assert.deepEqual(card.actions, EXPECTED_ACTIONS);
  });

  it("colours a resolved incident Good and drops its ack and resolve actions", () => {
    const card = cardOf(teamsPayload(sampleMessage({ state: "resolved", event: "resolved" })));
    assert.equal(titleRunOf(card).color, "Good");
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
    assert.ok((titleRunOf(card).text ?? "").length <= 1000);
    const facts = factsOf(card);
    assert.ok(
      facts.some(([label]) => label === "detail 0"),
      "the first details survive",
    );
    assert.match(facts.at(-1)?.[1] ?? "", /^\d+ more details in the incident$/);
    const linkRows = byId(card, "links").items ?? [];
    assert.equal(linkRows.length, 11, "ten links and a note");
    assert.equal((linkRows.at(-1)?.inlines?.[0] as CardElement).text, "90 more links in the incident");
    assert.equal(card.actions[0]?.title, "Open incident");
  });

  it("keeps a small message whole", () => {
    const payload = teamsPayload(sampleMessage());
    assert.equal(factsOf(cardOf(payload)).length, 6);
  });

  describe("alert text renders literally (TextRun), never as markdown", () => {
    // Each payload carries a marker that must reach the card only as TextRun text.
    const HOSTILE: Array<[name: string, text: string, marker: string]> = [
      ["a markdown link", "see [INJ1 Acknowledge](https://evil.example/phish)", "INJ1"],
      ["bold, italic and strike-through", "**INJ2 urgent** _now_ ~~ok~~", "INJ2"],
      ["a heading and a list", "# INJ3 heading - item 1. one", "INJ3"],
      ["HTML", '<b>INJ4</b><a href="https://evil.example">x</a><img src=x onerror=alert(1)>', "INJ4"],
      ["an autolink and a mention", "<https://evil.example/INJ5> <at>INJ5</at>", "INJ5"],
      ["an image", "![INJ6](https://evil.example/pixel.png)", "INJ6"],
    ];
    const FIELDS: Array<[field: string, place: (text: string) => Partial<IncidentMessage>]> = [
      ["title", (text) => ({ title: text })],
      ["service name", (text) => ({ serviceName: text })],
      ["recipient name", (text) => ({ recipientName: text })],
      ["detail label", (text) => ({ details: [{ label: text, value: "2.31s" }] })],
      ["detail value", (text) => ({ details: [{ label: "summary", value: text }] })],
      ["link text", (text) => ({ links: [{ href: "https://runbooks.example.net/latency", text }] })],
    ];
    for (const [field, place] of FIELDS) {
      for (const [name, text, marker] of HOSTILE) {
        it(`${name} in the ${field}`, () => {
          const message = sampleMessage(place(text));
          const card = cardOf(teamsPayload(message));
          const { markdown, literal } = textsOf(card);

          for (const md of markdown) {
            assert.ok(!md.includes(marker), `markdown text carries alert text: ${JSON.stringify(md)}`);
            assert.ok(!md.includes("evil.example"), `markdown text links to the alert's URL: ${md}`);
          }
          assert.ok(
            literal.some((r) => r.type === "TextRun" && (r.text ?? "").includes(text)),
            "the alert text is shown whole, as a TextRun",
          );

          // The card still says what it is about and still offers our own actions.
          assert.equal(titleRunOf(card).text, `INC-42: ${singleLine(message.title)}`);
          assert.equal(titleRunOf(card).weight, "Bolder");
          assert.equal(titleRunOf(card).color, "Attention");
          const facts = new Map(factsOf(card));
          assert.equal(facts.get("Service"), singleLine(message.serviceName));
          assert.equal(facts.get("Level"), "Page");
          assert.deepEqual(card.actions, EXPECTED_ACTIONS);
        });
      }
    }
  });

  describe("alert links", () => {
    const LINKS: Array<[name: string, href: string, markdown: string]> = [
      [
        "a plain URL",
        "https://grafana.example.net/d/abc?orgId=1",
        "[grafana.example.net](https://grafana.example.net/d/abc?orgId=1)",
      ],
      [
        "brackets, parentheses and backslashes",
        "https://wiki.example.net/x](https://evil.example)/\\?q=a\\)",
        "[wiki.example.net](https://wiki.example.net/x%5D%28https://evil.example%29//?q=a%5C%29)",
      ],
      ["a port", "http://10.0.0.7:9090/graph", "[10.0.0.7:9090](http://10.0.0.7:9090/graph)"],
      ["an IPv6 host", "http://[::1]:9093/#/alerts", "[open link](http://[::1]:9093/#/alerts)"],
      ["markdown in the host", "https://a_b_.example.net/", "[open link](https://a_b_.example.net/)"],
      [
        "parentheses in the user info",
        "http://u(s)er@alerts.example.net/p",
        "[alerts.example.net](http://u%28s%29er@alerts.example.net/p)",
      ],
    ];
    for (const [name, href, markdown] of LINKS) {
      it(`shows ${name} as one markdown link that names its host and stays inside (…)`, () => {
        const card = cardOf(teamsPayload(sampleMessage({ links: [{ href, text: "Dashboard" }] })));
        assert.deepEqual(linksOf(card), [["Dashboard", markdown]]);
      });
    }
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
