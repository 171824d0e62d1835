import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sampleMessage } from "../notifier-test-kit.test.js";
import { renderSlackMessage, SLACK_LIMITS, type SlackBlock, type SlackButton } from "./slack-blocks.js";
import { mrkdwn } from "./slack-text.js";

const buttonsOf = (blocks: readonly SlackBlock[]): readonly SlackButton[] =>
  blocks.flatMap((b) => (b.type === "actions" ? b.elements : []));

describe("Slack Block Kit rendering", () => {
  it("renders the incident as header, facts, details, links, buttons and context", () => {
    const { text, blocks } = renderSlackMessage(sampleMessage({ recipientName: "Ana" }), {
      interactive: false,
    });
    assert.equal(text, "🔴 INC-42 [Page] Checkout p99 latency above 2s — Triggered");
    assert.deepEqual(
      blocks.map((b) => b.type),
      ["header", "section", "section", "section", "actions", "context"],
    );
    assert.deepEqual(blocks[0], {
      type: "header",
      text: { type: "plain_text", text: "🔴 INC-42 · Checkout p99 latency above 2s", emoji: true },
    });
    assert.deepEqual(blocks[1], {
      type: "section",
      fields: [
        { type: "mrkdwn", text: "*Status:*\nTriggered" },
        { type: "mrkdwn", text: "*Service:*\ncheckout" },
        { type: "mrkdwn", text: "*Level:*\nPage" },
        {
          type: "mrkdwn",
          text: "*Opened:*\n<!date^1740907511^{date_short_pretty} {time}|2025-03-02 09:25 UTC>",
        },
        { type: "mrkdwn", text: "*For:*\nAna" },
      ],
    });
    assert.deepEqual(blocks[2], {
      type: "section",
      text: { type: "mrkdwn", text: "*p99:* 2.31s (threshold 2s)\n*region:* eu-1" },
    });
    assert.deepEqual(blocks[3], {
      type: "section",
      text: { type: "mrkdwn", text: "<https://runbooks.example.net/latency|Runbook>" },
    });
    assert.deepEqual(blocks[5], {
      type: "context",
      elements: [{ type: "mrkdwn", text: "Firebreak · Triggered · INC-42" }],
    });
  });

  it("in webhook mode links Acknowledge and Resolve to the signed URLs, and opens the incident", () => {
    const { blocks } = renderSlackMessage(sampleMessage(), { interactive: false });
    const actions = blocks.find((b) => b.type === "actions");
    assert.ok(actions && actions.type === "actions");
    assert.equal(actions.block_id, "incident:inc_01HZX4");
    assert.deepEqual(actions.elements, [
      {
        type: "button",
        action_id: "incident_ack_link",
        text: { type: "plain_text", text: "Acknowledge", emoji: true },
        url: "https://firebreak.example.net/a/ack-token",
        style: "primary",
      },
      {
        type: "button",
        action_id: "incident_resolve_link",
        text: { type: "plain_text", text: "Resolve", emoji: true },
        url: "https://firebreak.example.net/a/resolve-token",
      },
      {
        type: "button",
        action_id: "incident_open",
        text: { type: "plain_text", text: "Open incident", emoji: true },
        url: "https://firebreak.example.net/incidents/inc_01HZX4",
      },
    ]);
  });

  it("in webhook mode shows only the open button when the message has no signed links", () => {
    const { blocks } = renderSlackMessage(sampleMessage({ acknowledgeUrl: null, resolveUrl: null }), {
      interactive: false,
    });
    assert.deepEqual(
      buttonsOf(blocks).map((b) => b.action_id),
      ["incident_open"],
    );
  });

  it("in app mode makes Acknowledge and Resolve interactive, Resolve asking for confirmation", () => {
    const { blocks } = renderSlackMessage(sampleMessage(), { interactive: true });
    const [ack, resolve, open] = buttonsOf(blocks);
    assert.deepEqual(ack, {
      type: "button",
      action_id: "incident_ack",
      style: "primary",
      text: { type: "plain_text", text: "Acknowledge", emoji: true },
      value: "inc_01HZX4",
    });
    assert.equal(resolve?.action_id, "incident_resolve");
    assert.equal(resolve?.value, "inc_01HZX4");
    assert.equal(resolve?.style, "danger");
    assert.equal(resolve?.url, undefined);
    assert.deepEqual(resolve?.confirm, {
      title: { type: "plain_text", text: "Resolve incident?", emoji: true },
      text: { type: "mrkdwn", text: "Marks INC-42 resolved for everyone." },
      confirm: { type: "plain_text", text: "Resolve", emoji: true },
      deny: { type: "plain_text", text: "Cancel", emoji: true },
      style: "danger",
    });
    assert.equal(open?.action_id, "incident_open");
  });

  const stateCases: Array<[state: "triggered" | "acknowledged" | "resolved", expected: string[]]> = [
    ["triggered", ["incident_ack", "incident_resolve", "incident_open"]],
    ["acknowledged", ["incident_resolve", "incident_open"]],
    ["resolved", ["incident_open"]],
  ];
  for (const [state, expected] of stateCases) {
    it(`offers ${expected.join(", ")} when the incident is ${state}`, () => {
      const { blocks } = renderSlackMessage(sampleMessage({ state, event: state }), { interactive: true });
      assert.deepEqual(
        buttonsOf(blocks).map((b) => b.action_id),
        expected,
      );
    });
  }

  it("offers no ack or resolve on a test notification, only a link to Firebreak", () => {
    const { text, blocks } = renderSlackMessage(
      sampleMessage({ event: "test", incidentUrl: "https://firebreak.example.net" }),
      { interactive: true },
    );
    assert.deepEqual(
      buttonsOf(blocks).map((b) => [b.action_id, b.text.text]),
      [["notice_open", "Open Firebreak"]],
    );
    assert.equal(text, "🧪 Firebreak test notification");
  });

  it("escapes &, < and > in mrkdwn, but not in the plain-text header", () => {
    const { text, blocks } = renderSlackMessage(
      sampleMessage({
        title: "<!channel> a & b",
        serviceName: "<svc>",
        details: [{ label: "q", value: "x<y&z>w" }],
      }),
      { interactive: false },
    );
    assert.equal(text, "🔴 INC-42 [Page] &lt;!channel&gt; a &amp; b — Triggered");
    assert.deepEqual(blocks[0], {
      type: "header",
      text: { type: "plain_text", text: "🔴 INC-42 · <!channel> a & b", emoji: true },
    });
    assert.match(JSON.stringify(blocks[1]), /\*Service:\*\\n&lt;svc&gt;/);
    assert.deepEqual(blocks[2], {
      type: "section",
      text: { type: "mrkdwn", text: "*q:* x&lt;y&amp;z&gt;w" },
    });
  });

  it("keeps every limit with an over-long title, many long details and many links", () => {
    const message = sampleMessage({
      title: "Very long title ".repeat(400),
      serviceName: "s".repeat(5000),
      recipientName: "r".repeat(5000),
      details: Array.from({ length: 40 }, (_, i) => ({
        label: `label ${i} `.repeat(50),
        value: "v&".repeat(3000),
      })),
      links: Array.from({ length: 200 }, (_, i) => ({
        href: `https://example.net/${i}?a=1&b=2`,
        text: `link | ${i}`,
      })),
      incidentUrl: `https://firebreak.example.net/${"x".repeat(3100)}`,
    });
    for (const interactive of [false, true]) {
      const { text, blocks } = renderSlackMessage(message, { interactive });
      assert.ok(text.length <= SLACK_LIMITS.fallbackTextChars);
      assert.ok(blocks.length <= SLACK_LIMITS.blocks);
      for (const block of blocks) {
        if (block.type === "header")
          assert.ok(Array.from(block.text.text).length <= SLACK_LIMITS.headerChars);
        if (block.type === "section") {
          if (block.text)
            assert.ok(
              block.text.text.length <= SLACK_LIMITS.sectionTextChars,
              `section ${block.text.text.length}`,
            );
          assert.ok((block.fields ?? []).length <= SLACK_LIMITS.fields);
          for (const f of block.fields ?? []) assert.ok(f.text.length <= SLACK_LIMITS.fieldChars);
        }
        if (block.type === "context") assert.ok(block.elements.length <= SLACK_LIMITS.contextElements);
        if (block.type === "actions") {
          assert.ok(block.elements.length <= SLACK_LIMITS.actionsElements);
          assert.ok(block.block_id.length <= SLACK_LIMITS.blockIdChars);
          for (const b of block.elements) {
            assert.ok(b.text.text.length <= SLACK_LIMITS.buttonTextChars);
            assert.ok((b.url ?? "").length <= SLACK_LIMITS.buttonUrlChars);
          }
        }
      }
      // the over-long incident URL cannot be a button
      assert.ok(!buttonsOf(blocks).some((b) => b.action_id === "incident_open"));
      const header = blocks[0];
      assert.ok(header?.type === "header" && header.text.text.endsWith("…"));
      const linkSection = blocks[3];
      assert.ok(linkSection?.type === "section" && linkSection.text?.text.match(/…and \d+ more$/));
      assert.ok(!linkSection.text?.text.includes("link | 0"), "a | in a label would end the label early");
    }
  });

  it("cuts escaped text without splitting an entity", () => {
    assert.equal(mrkdwn("a&b", 3), "a…");
    assert.equal(mrkdwn("a&b", 7), "a&amp;b");
    assert.equal(mrkdwn("<<<<", 9), "&lt;&lt;…");
  });

  it("never renders a javascript: link", () => {
    const { blocks } = renderSlackMessage(
      sampleMessage({ links: [{ href: "javascript:alert(1)", text: "x" }] }),
      { interactive: false },
    );
    assert.ok(!JSON.stringify(blocks).includes("javascript:"));
  });
});
