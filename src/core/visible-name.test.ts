import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkName, checkVisibleName, hasVisibleCharacters, MAX_NAME_LENGTH } from "./visible-name.js";

describe("checkVisibleName", () => {
  const NO_VISIBLE = "has no visible characters: it is made only of invisible or combining characters";
  const refused: Array<[what: string, name: string]> = [
    ["zero width space", "\u200b"],
    ["zero width spaces around a space", "\u200b \u200b"],
    ["word joiner", "\u2060"],
    ["invisible times", "\u2062"],
    // A BOM alone is whitespace to trim() (the length checks refuse it); with U+200B it is not.
    ["byte order mark and zero width space", "\ufeff\u200b"],
    ["soft hyphen", "\u00ad"],
    ["zero width joiner alone", "\u200d"],
    ["zero width non-joiner alone", "\u200c"],
    ["a combining acute accent alone", "\u0301"],
    ["combining marks alone", "\u0300\u0301\u0302"],
    ["a variation selector alone", "\ufe0f"],
    ["Hangul filler", "\u3164"],
    ["tag characters", "\u{e0041}\u{e0042}"],
  ];
  for (const [what, name] of refused) {
    it(`refuses a name of only ${what}`, () => {
      assert.equal(hasVisibleCharacters(name), false);
      assert.deepEqual(checkVisibleName(name), [{ path: "/name", message: NO_VISIBLE }]);
    });
  }

  const controls: Array<[what: string, name: string, found: string]> = [
    ["NUL", "a\u0000b", "U+0000 at position 2"],
    ["a terminal colour escape", "ok\u001b[31m", "U+001B at position 3"],
    ["a newline inside", "two\nlines", "U+000A at position 4"],
    ["a tab inside", "a\tb", "U+0009 at position 2"],
    ["DEL", "a\u007f", "U+007F at position 2"],
    ["a C1 control (NEL)", "a\u0085b", "U+0085 at position 2"],
    ["a right-to-left override", "\u202egpj.exe", "U+202E at position 1"],
    ["a bidi isolate", "x\u2066y\u2069", "U+2066 at position 2"],
    ["a right-to-left mark", "x\u200fy", "U+200F at position 2"],
    ["a line separator", "a\u2028b", "U+2028 at position 2"],
    // Positions count characters, not UTF-16 units, in the trimmed name.
    ["one after an emoji and leading spaces", "  🔥\u001b", "U+001B at position 2"],
    ["only bidi controls", "\u202e\u2066\u2069", "U+202E at position 1"],
  ];
  for (const [what, name, found] of controls) {
    it(`refuses ${what}, saying which character and where`, () => {
      assert.deepEqual(checkVisibleName(name, "/steps/0/name"), [
        { path: "/steps/0/name", message: `must not contain control characters (found ${found})` },
      ]);
    });
  }

  it("leaves whitespace around a name to trimming", () => {
    assert.deepEqual(checkVisibleName("\n\tPayments \r\n"), []);
  });

  const accepted: Array<[what: string, name: string]> = [
    ["a plain name", "Payments"],
    ["an emoji joined by ZWJ, then a word", "👩\u200d💻 oncall"],
    ["an emoji sequence alone", "👨\u200d👩\u200d👧"],
    ["a flag with a variation selector", "🏳\ufe0f\u200d🌈"],
    ["a letter with a combining accent", "e\u0301quipe"],
    ["Persian with ZWNJ", "می\u200cخواهم"],
    ["a name with a zero width space inside", "Dis\u200bk"],
    ["CJK", "支付"],
  ];
  for (const [what, name] of accepted) {
    it(`accepts ${what}`, () => {
      assert.equal(hasVisibleCharacters(name), true);
      assert.deepEqual(checkVisibleName(name), []);
    });
  }

  it("leaves empty and whitespace-only names to the length checks, and names the path given", () => {
    assert.deepEqual(checkVisibleName(""), []);
    assert.deepEqual(checkVisibleName("   "), []);
    assert.deepEqual(checkVisibleName("\u200b", "/steps/0/name"), [
      { path: "/steps/0/name", message: NO_VISIBLE },
    ]);
  });
});

describe("checkName", () => {
  it("takes 1 to MAX_NAME_LENGTH characters once trimmed", () => {
    const wrongLength = [{ path: "/name", message: `must be 1 to ${MAX_NAME_LENGTH} characters` }];
    assert.equal(MAX_NAME_LENGTH, 200);
    assert.deepEqual(checkName(""), wrongLength);
    assert.deepEqual(checkName(" \n\t "), wrongLength);
    assert.deepEqual(checkName("x".repeat(201)), wrongLength);
    assert.deepEqual(checkName(` ${"x".repeat(200)} `), []);
  });

  it("then refuses control characters and invisible names at the path given", () => {
    assert.deepEqual(checkName("a\u001bb", "/layers/0/name"), [
      { path: "/layers/0/name", message: "must not contain control characters (found U+001B at position 2)" },
    ]);
    assert.equal(checkName("\u200b")[0]?.message.startsWith("has no visible characters"), true);
  });
});
