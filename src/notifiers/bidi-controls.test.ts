// Unicode bidi controls in alert text (Trojan Source, CVE-2021-42574): invisible, but they reorder
// what is shown, so every channel must drop them before alert text reaches a reader.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IncidentMessage } from "../core/notifications/incident-message.js";
import { discordPayload } from "./discord/discord-notifier.js";
import { renderEmail } from "./email/render-email.js";
import { sampleMessage } from "./notifier-test-kit.test.js";
import { ntfyPayload } from "./ntfy/ntfy-notifier.js";
import { renderPlainText, safeLinks } from "./render-text.js";
import { multilineText, singleLine, textLines } from "../core/clean-text.js";
import { sanitizeSnippet } from "./safe-error-text.js";
import { renderSlackMessage } from "./slack/slack-blocks.js";
import { teamsPayload } from "./teams/teams-notifier.js";

const BIDI_CONTROLS: Array<[name: string, char: string]> = [
  ["ARABIC LETTER MARK", "\u061c"],
  ["LEFT-TO-RIGHT MARK", "\u200e"],
  ["RIGHT-TO-LEFT MARK", "\u200f"],
  ["LEFT-TO-RIGHT EMBEDDING", "\u202a"],
  ["RIGHT-TO-LEFT EMBEDDING", "\u202b"],
  ["POP DIRECTIONAL FORMATTING", "\u202c"],
  ["LEFT-TO-RIGHT OVERRIDE", "\u202d"],
  ["RIGHT-TO-LEFT OVERRIDE", "\u202e"],
  ["LEFT-TO-RIGHT ISOLATE", "\u2066"],
  ["RIGHT-TO-LEFT ISOLATE", "\u2067"],
  ["FIRST STRONG ISOLATE", "\u2068"],
  ["POP DIRECTIONAL ISOLATE", "\u2069"],
];
const ANY_BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const CHANNELS: Array<[channel: string, render: (m: IncidentMessage) => unknown]> = [
  ["Slack webhook", (m) => renderSlackMessage(m, { interactive: false })],
  ["Slack app", (m) => renderSlackMessage(m, { interactive: true })],
  ["Teams", (m) => teamsPayload(m)],
  ["Discord", (m) => discordPayload(m)],
  ["email", (m) => renderEmail(m, "notify:inc_01HZX4:chan:1")],
  ["ntfy", (m) => ntfyPayload(m, "oncall")],
  ["plain text", (m) => renderPlainText(m)],
];

describe("bidi controls in alert text", () => {
  describe("the render-text helpers drop them, leaving no gap", () => {
    for (const [name, char] of BIDI_CONTROLS) {
      it(`U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} ${name}`, () => {
        assert.equal(singleLine(`Ack${char}nowledge ${char}INC-42`), "Acknowledge INC-42");
        assert.deepEqual(textLines(`line${char} one\n${char}  two${char}`), ["line one", "  two"]);
        assert.equal(multilineText(`${char}\n a${char}b \n\n c\n`), "ab\n\n c");
        assert.equal(sanitizeSnippet(`bad${char} request`, []), "bad request");
      });
    }
  });

  it("keeps the text around them in its written order", () => {
    // Shown as "Disk full Acknowledge" by a bidi-aware renderer, though the text says otherwise.
    const title = "Disk full \u202e!egdelwonkcA\u202c";
    assert.equal(singleLine(title), "Disk full !egdelwonkcA");
  });

  it("drops them from a link's label, and the URL parser percent-encodes them in its address", () => {
    const message = sampleMessage({
      links: [{ href: "https://runbooks.example.net/\u202eusers", text: "Run\u2067book\u2069" }],
    });
    assert.deepEqual(safeLinks(message), [
      { href: "https://runbooks.example.net/%E2%80%AEusers", text: "Runbook" },
    ]);
  });

  describe("no channel renders them", () => {
    const R = "\u202e";
    const hostile: IncidentMessage = sampleMessage({
      title: `Disk full ${R}!egdelwonkcA\u202c`,
      serviceName: `check${R}out`,
      recipientName: `A\u2066na\u2069`,
      details: [
        { label: `p${R}99`, value: `2.31s\u200f\n${R}stack line` },
        { label: "region", value: `eu\u061c-1` },
      ],
      links: [{ href: "https://runbooks.example.net/latency", text: `Run${R}book` }],
    });
    for (const [channel, render] of CHANNELS) {
      it(channel, () => {
        // JSON.stringify leaves these characters as they are, so the search sees every string.
        const rendered = JSON.stringify(render(hostile));
        assert.doesNotMatch(rendered, ANY_BIDI_CONTROL);
        for (const shown of ["Disk full !egdelwonkcA", "Runbook", "stack line"])
          assert.ok(rendered.includes(shown), `${channel} shows ${shown}`);
      });
    }
  });
});

// Zero-width and other invisible formatting characters: they split a word so that neither the reader
// nor a search sees it ("Dis\u200bk full"). Titles, labels and multi-line values drop them.
const INVISIBLE_FORMATTING: Array<[name: string, char: string]> = [
  ["SOFT HYPHEN", "\u00ad"],
  ["MONGOLIAN VOWEL SEPARATOR", "\u180e"],
  ["ZERO WIDTH SPACE", "\u200b"],
  ["WORD JOINER", "\u2060"],
  ["INVISIBLE TIMES", "\u2062"],
  ["ZERO WIDTH NO-BREAK SPACE (BOM)", "\ufeff"],
];
const ANY_INVISIBLE_FORMATTING = /[\u00ad\u180e\u200b\u2060-\u2064\ufeff]/;
const hex = (char: string) => char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");

describe("invisible formatting characters in alert text", () => {
  describe("one-line text drops them, leaving no gap", () => {
    for (const [name, char] of INVISIBLE_FORMATTING) {
      it(`U+${hex(char)} ${name}`, () => {
        assert.equal(singleLine(`${char}Dis${char}k ${char}full${char}`), "Disk full");
        assert.equal(singleLine(`Ack${char}${char}nowledge`), "Acknowledge");
      });
    }
  });

  it("keeps ZWNJ and ZWJ, which Persian, Indic scripts and emoji sequences need", () => {
    const persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"; // می‌خواهم, "I want"
    const hindi = "\u0915\u094d\u200d\u0937"; // a half form of क before ष
    const family = "\u{1f468}\u200d\u{1f469}\u200d\u{1f467}"; // one emoji: man, woman, girl
    for (const text of [persian, hindi, family])
      assert.equal(singleLine(`db ${text} down`), `db ${text} down`);
  });

  it("leaves the rest of a line's spacing as it was", () => {
    assert.equal(singleLine("p99\u200b \u200b latency"), "p99 latency");
    assert.equal(singleLine("\ufeffDisk full"), "Disk full");
  });

  describe("multi-line text (a description, a timeline note) drops them and keeps its lines", () => {
    for (const [name, char] of INVISIBLE_FORMATTING) {
      it(`U+${hex(char)} ${name}`, () => {
        assert.deepEqual(textLines(`Dis${char}k full\n${char}  at db-7${char}`), ["Disk full", "  at db-7"]);
        assert.equal(multilineText(`${char}\n re${char}start \n\n done\n`), "restart\n\n done");
      });
    }
  });

  describe("no channel shows them in a multi-line value", () => {
    const Z = "\u200b";
    const hidden: IncidentMessage = sampleMessage({
      details: [{ label: "description", value: `Dis${Z}k full\n\ufeffon db\u00ad-7` }],
    });
    for (const [channel, render] of CHANNELS) {
      it(channel, () => {
        const rendered = JSON.stringify(render(hidden));
        assert.doesNotMatch(rendered, ANY_INVISIBLE_FORMATTING);
        for (const shown of ["Disk full", "on db-7"])
          assert.ok(rendered.includes(shown), `${channel} shows ${shown}`);
      });
    }
  });

  describe("no channel shows them in a title or label", () => {
    const Z = "\u200b";
    const hidden: IncidentMessage = sampleMessage({
      title: `\ufeffDis${Z}k fu\u2060ll on db\u00ad-7`,
      serviceName: `check${Z}out`,
      recipientName: `A\u180ena`,
      details: [{ label: `p${Z}99`, value: "2.31s" }],
      links: [{ href: "https://runbooks.example.net/latency", text: `Run${Z}book` }],
    });
    for (const [channel, render] of CHANNELS) {
      it(channel, () => {
        const rendered = JSON.stringify(render(hidden));
        assert.doesNotMatch(rendered, ANY_INVISIBLE_FORMATTING);
        for (const shown of ["Disk full on db-7", "Runbook"])
          assert.ok(rendered.includes(shown), `${channel} shows ${shown}`);
      });
    }
  });
});
