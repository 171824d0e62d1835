import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import { sampleMessage } from "../notifier-test-kit.test.js";
import { renderSlackMessage, SLACK_LIMITS, type SlackBlock } from "./slack-blocks.js";

/**
 * Block Kit limits (header 150, section 3000, field 2000, 50 blocks, button text 75, action_id and
 * block_id 255, url 3000, value 2000) for hostile messages, counted in UTF-16 code units, the
 * stricter reading of Slack's "characters"; and every cut leaves whole markup.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BROKEN_ENTITY = /&(?!(?:amp|lt|gt);)/;
const FAMILY = "👨‍👩‍👧";

function assertWholeMrkdwn(text: string, where: string): void {
  assert.doesNotMatch(text, BROKEN_ENTITY, `${where}: an entity cut in half`);
  // Every < opens a link, mention or date that closes before the next one opens.
  assert.doesNotMatch(text.replace(/<[^<>]*>/g, ""), /[<>]/, `${where}: an unbalanced < or >`);
  for (const [, url] of text.matchAll(/<(https?:[^|>]*)\|/g))
    assert.ok(!url!.includes("…") && !url!.includes("|"), `${where}: a cut or split link ${url}`);
}

function assertWithinLimits(blocks: readonly SlackBlock[], text: string): void {
  assert.ok(blocks.length <= SLACK_LIMITS.blocks);
  assert.ok(text.length <= SLACK_LIMITS.fallbackTextChars);
  assertWholeMrkdwn(text, "fallback text");
  assert.doesNotMatch(JSON.stringify({ blocks, text }).replace(/\\u[0-9a-f]{4}/gi, ""), LONE_SURROGATE);
  for (const block of blocks) {
    if (block.type === "header") assert.ok(block.text.text.length <= SLACK_LIMITS.headerChars, "header");
    if (block.type === "section") {
      if (block.text) {
        assert.ok(
          block.text.text.length <= SLACK_LIMITS.sectionTextChars,
          `section ${block.text.text.length}`,
        );
        assertWholeMrkdwn(block.text.text, "section");
      }
      assert.ok((block.fields ?? []).length <= SLACK_LIMITS.fields);
      for (const field of block.fields ?? []) {
        assert.ok(field.text.length <= SLACK_LIMITS.fieldChars, "field");
        assertWholeMrkdwn(field.text, "field");
      }
    }
    if (block.type === "context") {
      assert.ok(block.elements.length <= SLACK_LIMITS.contextElements);
      for (const e of block.elements) assertWholeMrkdwn(e.text, "context");
    }
    if (block.type === "actions") {
      assert.ok(block.elements.length <= SLACK_LIMITS.actionsElements);
      assert.ok(block.block_id.length <= SLACK_LIMITS.blockIdChars, "block_id");
      for (const b of block.elements) {
        assert.ok(b.text.text.length <= SLACK_LIMITS.buttonTextChars, "button text");
        assert.ok(b.action_id.length <= SLACK_LIMITS.blockIdChars, "action_id");
        assert.ok((b.url ?? "").length <= SLACK_LIMITS.buttonUrlChars, "button url");
        assert.ok((b.value ?? "").length <= SLACK_LIMITS.buttonValueChars, "button value");
      }
    }
  }
}

const link = (href: string, text: string | null = null) => ({ href, text });
const section = (blocks: readonly SlackBlock[], index: number): string => {
  const block = blocks[index];
  assert.ok(block?.type === "section" && block.text, `block ${index} is a section with text`);
  return block.text.text;
};

const cases: Array<{
  name: string;
  message: Partial<IncidentMessage>;
  check?: (blocks: readonly SlackBlock[]) => void;
}> = [
  {
    name: "an emoji title fills the header with whole emoji, two code units each",
    message: { title: "😀".repeat(200) },
    check: (blocks) => {
      const header = blocks[0]?.type === "header" ? blocks[0].text.text : "";
      assert.match(header, /^🔴 INC-42 · (😀)+…$/);
      assert.ok(header.length >= SLACK_LIMITS.headerChars - 1, `${header.length}`);
    },
  },
  {
    name: "a title of family emoji is cut between them, never inside the sequence",
    message: { title: FAMILY.repeat(40) },
    check: (blocks) => {
      const header = blocks[0]?.type === "header" ? blocks[0].text.text : "";
      assert.match(header, new RegExp(`^🔴 INC-42 · (${FAMILY})+…$`));
    },
  },
  {
    name: "markup characters everywhere are escaped and cut on entity boundaries",
    message: {
      title: "&<>".repeat(400),
      serviceName: "<".repeat(3000),
      recipientName: "&".repeat(3000),
      details: Array.from({ length: 12 }, () => ({ label: ">".repeat(300), value: "&<>".repeat(2000) })),
    },
  },
  {
    name: "a | in a link's URL is encoded, so Slack does not end the URL there",
    message: { links: [link("https://runbooks.example.net/a|b?q=c|d", "Runbook")] },
    check: (blocks) =>
      assert.equal(section(blocks, 3), "<https://runbooks.example.net/a%7Cb?q=c%7Cd|Runbook>"),
  },
  {
    name: "a link too long for the section shows its label, never a cut URL or a dangling <",
    message: { links: [link(`https://x.example/?${"a=1&".repeat(745)}`, "Dashboard")] },
    check: (blocks) => assert.equal(section(blocks, 3), "Dashboard"),
  },
  {
    name: "two links just under the limit: the first whole, then how many were left out",
    message: {
      links: [
        link(`https://x.example/${"p".repeat(2_870)}`, "one"),
        link(`https://x.example/${"q".repeat(200)}`, "two"),
      ],
    },
    check: (blocks) => assert.match(section(blocks, 3), /^<https:\/\/x\.example\/p+\|one> · …and 1 more$/),
  },
  {
    name: "hundreds of links end with how many were left out",
    message: {
      links: Array.from({ length: 300 }, (_, i) =>
        link(`https://x.example/${i}?a=1&b=${"q".repeat(200)}`, `l|${i}`),
      ),
    },
    check: (blocks) => assert.match(section(blocks, 3), /…and \d+ more$/),
  },
  {
    name: "an incident URL over 3000 characters is no button; a long incident id is cut in block_id",
    message: {
      incidentUrl: `https://firebreak.example.net/${"x".repeat(3_100)}`,
      incidentId: `inc_${"z".repeat(400)}`,
    },
    check: (blocks) => {
      const actions = blocks.find((b) => b.type === "actions");
      assert.ok(actions?.type === "actions");
      assert.ok(!actions.elements.some((b) => b.action_id === "incident_open"));
    },
  },
];

describe("Slack's limits, whatever the incident holds", () => {
  for (const { name, message, check } of cases) {
    for (const interactive of [false, true]) {
      it(`${name} (${interactive ? "app" : "webhook"} mode)`, () => {
        const { text, blocks } = renderSlackMessage(sampleMessage(message), { interactive });
        assertWithinLimits(blocks, text);
        check?.(blocks);
      });
    }
  }
});
