import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeMrkdwn } from "../../core/notifications/slack-mrkdwn.js";
import { cutText, mrkdwn, mrkdwnLink, mrkdwnLinkUrl } from "./slack-text.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BROKEN_ENTITY = /&(?!(?:amp|lt|gt);)/;
const FAMILY = "👨‍👩‍👧";

describe("cutText: plain text within a limit", () => {
  const cases: Array<[text: string, max: number, expected: string]> = [
    ["abc", 3, "abc"],
    ["abcd", 3, "ab…"],
    ["😀😀😀", 6, "😀😀😀"],
    ["😀😀😀", 5, "😀😀…"],
    ["😀😀😀", 4, "😀…"],
    ["a😀", 2, "a…"],
    ["🇩🇪🇫🇷", 5, "🇩🇪…"],
    [`${FAMILY}${FAMILY}`, 10, `${FAMILY}…`],
    ["e\u0301e\u0301e\u0301", 4, "e\u0301…"],
    ["abc", 1, "…"],
    ["abc", 0, ""],
  ];
  for (const [text, max, expected] of cases)
    it(`${JSON.stringify(text)} in ${max} → ${JSON.stringify(expected)}`, () =>
      assert.equal(cutText(text, max), expected));
});

describe("mrkdwn: escaped, then cut without splitting an entity", () => {
  const cases: Array<[text: string, max: number, expected: string]> = [
    ["plain", 10, "plain"],
    ["a&b", 7, "a&amp;b"],
    ["a&b", 6, "a…"],
    ["a&b", 3, "a…"],
    ["<<<<", 9, "&lt;&lt;…"],
    ["a<b>c", 11, "a&lt;b&gt;c"],
    ["a<b>c", 10, "a&lt;b…"],
    ["&😀", 7, "&amp;😀"],
    ["&😀x", 7, "&amp;…"],
    // already-escaped text is shown as typed, so its & is escaped again
    ["&amp;", 9, "&amp;amp;"],
    [`${FAMILY}&${FAMILY}`, 15, `${FAMILY}&amp;…`],
    ["e\u0301<", 7, "e\u0301&lt;"],
    // the accent stays with its letter
    ["aae\u0301x", 4, "aa…"],
    ["<!channel>", 100, "&lt;!channel&gt;"],
  ];
  for (const [text, max, expected] of cases)
    it(`${JSON.stringify(text)} in ${max} → ${JSON.stringify(expected)}`, () =>
      assert.equal(mrkdwn(text, max), expected));

  it("never exceeds the limit, splits a surrogate pair or an entity (seeded random text)", () => {
    const alphabet = ["a", "&", "<", ">", "😀", "🇩🇪", FAMILY, "e\u0301", "|", " "];
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let round = 0; round < 500; round++) {
      const text = Array.from({ length: next() % 60 }, () => alphabet[next() % alphabet.length]).join("");
      const max = next() % 80;
      for (const out of [mrkdwn(text, max), cutText(text, max)]) {
        assert.ok(out.length <= max, `${JSON.stringify(text)} ${max}: ${out.length}`);
        assert.doesNotMatch(out, LONE_SURROGATE);
      }
      const escaped = mrkdwn(text, max);
      assert.doesNotMatch(escaped, BROKEN_ENTITY);
      assert.doesNotMatch(escaped, /[<>]/);
      if (escaped !== escapeMrkdwn(text) && escaped !== "")
        assert.ok(escapeMrkdwn(text).startsWith(escaped.slice(0, -1)), "a cut keeps a prefix");
    }
  });
});

describe("links: <url|label>", () => {
  const urls: Array<[url: string, expected: string]> = [
    ["https://x.example/a|b", "https://x.example/a%7Cb"],
    ["https://x.example/?q=a|b|c", "https://x.example/?q=a%7Cb%7Cc"],
    ["https://x.example/?a=1&b=2", "https://x.example/?a=1&amp;b=2"],
    ["https://x.example/<x>", "https://x.example/%3Cx%3E"],
    ["https://x.example/a%7Cb", "https://x.example/a%7Cb"],
  ];
  for (const [url, expected] of urls)
    it(`${url} → ${expected}`, () => assert.equal(mrkdwnLinkUrl(url), expected));

  const links: Array<[url: string, label: string, max: number, expected: string]> = [
    ["https://x.example/a|b", "Runbook", 3000, "<https://x.example/a%7Cb|Runbook>"],
    ["https://x.example/", "Run|book", 3000, "<https://x.example/|Run¦book>"],
    ["https://x.example/", "a<b & c", 3000, "<https://x.example/|a&lt;b &amp; c>"],
    // too long to link: the label alone rather than a cut URL that leads elsewhere
    [`https://x.example/${"y".repeat(100)}`, "label", 50, "label"],
    ["https://x.example/?a&b", "l", 30, "<https://x.example/?a&amp;b|l>"],
    ["https://x.example/?a&b", "l", 29, "l"],
  ];
  for (const [url, label, max, expected] of links)
    it(`${url.slice(0, 40)} "${label}" in ${max} → ${expected}`, () =>
      assert.equal(mrkdwnLink(url, label, max), expected));
});
