import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { multilineText, oneLine, singleLine, terminalText, textLines } from "./clean-text.js";

const RLO = "\u202e"; // RIGHT-TO-LEFT OVERRIDE
const PDF = "\u202c"; // POP DIRECTIONAL FORMATTING
const LRI = "\u2066"; // LEFT-TO-RIGHT ISOLATE
const PDI = "\u2069"; // POP DIRECTIONAL ISOLATE
const ZWSP = "\u200b"; // ZERO WIDTH SPACE
const ZWJ = "\u200d"; // ZERO WIDTH JOINER
const FAMILY = `\u{1f468}${ZWJ}\u{1f469}${ZWJ}\u{1f467}`; // one emoji: man, woman, girl

describe("the shared text cleaner with hostile text", () => {
  describe("multi-line text keeps its lines and drops what hides or reorders words", () => {
    const cases: Array<[string, string, string]> = [
      [
        "a bidi override",
        `Disk full ${RLO}!egdelwonkcA${PDF}\nsecond line`,
        "Disk full !egdelwonkcA\nsecond line",
      ],
      ["an isolate", `step 1${LRI}: ok${PDI}\nstep 2`, "step 1: ok\nstep 2"],
      ["a zero-width space inside a word", `Dis${ZWSP}k full\non db${ZWSP}-7`, "Disk full\non db-7"],
      ["a BOM, a soft hyphen and a word joiner", `\ufeffre\u00adstart\n\u2060now`, "restart\nnow"],
      [
        "an emoji joined by ZWJ, kept whole",
        `deploy ${FAMILY}\nrolled back`,
        `deploy ${FAMILY}\nrolled back`,
      ],
      [
        "a Persian word's ZWNJ, kept",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\nok",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\nok",
      ],
      ["control characters, a space each", "bell\u0007here\nesc\u001b[31mred", "bell here\nesc [31mred"],
      ["every line break, one newline", "a\r\nb\rc\u2028d\u2029e\u0085f", "a\nb\nc\nd\ne\nf"],
      ["blank lines made of hidden characters at the edges", `${ZWSP}\n${RLO}\nbody\n${ZWSP}\n`, "body"],
      ["blank lines inside, kept", "first\n\nthird", "first\n\nthird"],
    ];
    for (const [name, text, cleaned] of cases) it(name, () => assert.equal(multilineText(text), cleaned));

    it("keeps the indentation inside, so a forged line of ours can be indented away", () => {
      assert.deepEqual(textLines(`  stack\n${ZWSP}  at f()\nAcknowledge:${RLO} x`), [
        "  stack",
        "  at f()",
        "Acknowledge: x",
      ]);
    });
  });

  describe("one-line text", () => {
    const cases: Array<[string, string, string]> = [
      ["a title with every kind", `${RLO}Dis${ZWSP}k\nfull${LRI} on\tdb${PDI}`, "Disk full on db"],
      ["an emoji joined by ZWJ, kept whole", `db ${FAMILY} down`, `db ${FAMILY} down`],
    ];
    for (const [name, text, cleaned] of cases) it(name, () => assert.equal(singleLine(text), cleaned));

    it("oneLine (receiver snippets) drops bidi controls but leaves invisible formatting to singleLine", () => {
      assert.equal(oneLine(`bad${RLO} re${ZWSP}quest`), `bad re${ZWSP}quest`);
    });
  });

  describe("text for a terminal line (the CLI)", () => {
    const cases: Array<[string, string, string]> = [
      [
        "colours, a bell and a forged line",
        "esc\u001b[31mRED\u001b[0m\r\nFAKE LINE\u0007",
        "esc\ufffd[31mRED\ufffd[0m FAKE LINE\ufffd",
      ],
      ["a C1 CSI and DEL", "a\u009b2Jb\u007fc", "a\ufffd2Jb\ufffdc"],
      [
        "every line break and a tab, a space each",
        "a\nb\rc\u2028d\u2029e\u0085f\tg\vh\fi",
        "a b c d e f g h i",
      ],
      ["bidi and invisible formatting dropped", `${RLO}Dis${ZWSP}k${PDF}`, "Disk"],
      ["spaces at the edges and inside kept", "  two  spaces ", "  two  spaces "],
      ["an emoji joined by ZWJ, kept whole", `db ${FAMILY} down`, `db ${FAMILY} down`],
    ];
    for (const [name, text, shown] of cases) it(name, () => assert.equal(terminalText(text), shown));

    it("leaves a trailing control character visible, so the name does not look like one without it", () => {
      assert.notEqual(terminalText("ctl\u0007"), terminalText("ctl"));
    });
  });
});
