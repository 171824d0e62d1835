import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkVisibleName, hasVisibleCharacters } from "./visible-name.js";

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
    ["bidi override and isolate", "\u202e\u2066\u2069"],
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
