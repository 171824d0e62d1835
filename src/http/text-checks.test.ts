import assert from "node:assert/strict";
import { isUtf8 } from "node:buffer";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  declaredCharset,
  firstUnpairedSurrogate,
  ingestText,
  invalidUtf8Error,
  invalidUtf8Offset,
  isUtf8Charset,
  strictUtf8Text,
  UnsupportedCharsetError,
  utf16ByteOrder,
  withStorableEscapes,
} from "./text-checks.js";

describe("the charset a Content-Type declares", () => {
  const cases: Array<[header: string | undefined, charset: string | undefined]> = [
    [undefined, undefined],
    ["application/json", undefined],
    ["application/json;;", undefined],
    ["application/json; charset=utf-8", "utf-8"],
    ["application/json;charset=UTF-8", "UTF-8"],
    ['application/json; charset="iso-8859-1"', "iso-8859-1"],
    ["application/json; foo=bar; CHARSET = utf-16 ; x=y", "utf-16"],
    ["application/json; charset=", ""],
  ];
  for (const [header, charset] of cases)
    it(`${header} declares ${charset}`, () => assert.equal(declaredCharset(header), charset));

  it("is UTF-8 by each of its names, and by no other", () => {
    for (const name of ["utf-8", "UTF-8", "utf8", "Utf8"]) assert.equal(isUtf8Charset(name), true, name);
    for (const name of ["utf-16", "latin1", "", "utf-88", "x-utf-8"])
      assert.equal(isUtf8Charset(name), false);
  });
});

describe("a body read as UTF-8 only", () => {
  it("refuses another declared charset as a 415 that names it", () => {
    assert.throws(
      () => strictUtf8Text(Buffer.from("{}"), "iso-8859-1"),
      (err: unknown) =>
        err instanceof UnsupportedCharsetError &&
        err.statusCode === 415 &&
        err.message.startsWith("the body's charset=iso-8859-1 is not supported; send the body as UTF-8"),
    );
    const long = new UnsupportedCharsetError(`x${"\n".repeat(3)}${"y".repeat(100)}`);
    assert.ok(long.message.includes("charset=x yyyy"), "one line");
    assert.ok(long.message.includes("y…"), "cut short");
  });

  it("reads UTF-8 declared or not, a byte order mark kept for the JSON parser", () => {
    assert.equal(strictUtf8Text(Buffer.from('{"a":"é"}'), undefined), '{"a":"é"}');
    assert.equal(strictUtf8Text(Buffer.from("\ufeff{}"), "UTF8"), "\ufeff{}");
  });

  it("refuses bytes that are not UTF-8 as a 400 naming the first bad byte", () => {
    assert.throws(
      () => strictUtf8Text(Buffer.from([0x7b, 0x22, 0xff, 0x22]), "utf-8"),
      (err: unknown) =>
        (err as Error).message ===
        "the request body is not valid UTF-8 at byte offset 2 (0xFF); send the body as UTF-8",
    );
    assert.deepEqual(invalidUtf8Error(Buffer.from([0x80])).fields, [
      { path: "/", message: "is not valid UTF-8 at byte offset 0 (0x80); send the body as UTF-8" },
    ]);
  });

  const offsets: Array<[bytes: number[], offset: number]> = [
    [[0x61, 0x62], -1],
    [[0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], -1],
    [[0x61, 0xff], 1],
    [[0x61, 0xc3], 1],
    [[0xc0, 0xaf], 0],
    [[0xe0, 0x80, 0xaf], 0],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0xf0, 0x8f, 0xbf, 0xbf], 0],
    [[0x61, 0xe2, 0x82, 0x61], 1],
    [[0xef, 0xbf, 0xbd, 0xf5], 3],
  ];
  for (const [bytes, offset] of offsets)
    it(`finds the first bad byte of ${Buffer.from(bytes).toString("hex")} at ${offset}`, () => {
      assert.equal(invalidUtf8Offset(Uint8Array.from(bytes)), offset);
    });

  it("agrees with node:buffer isUtf8 on any bytes, and what comes before the bad byte is UTF-8", () => {
    const utf8ish = fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 255 }).map((b) => [b]),
        fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).map((c) => [...Buffer.from(c)]),
        fc.constantFrom([0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xc1, 0xbf]),
      ),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(utf8ish, (parts) => {
        const bytes = Uint8Array.from(parts.flat());
        const at = invalidUtf8Offset(bytes);
        assert.equal(at === -1, isUtf8(bytes));
        if (at >= 0) assert.equal(isUtf8(bytes.subarray(0, at)), true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("an ingest body's text", () => {
  const json = '{"summary":"café ☕"}';
  const utf16 = (order: "le" | "be", bom = true) => {
    const le = Buffer.from(`${bom ? "\ufeff" : ""}${json}`, "utf16le");
    return order === "le" ? le : Buffer.from(le).swap16();
  };

  it("tells UTF-16's byte order by its mark, else by the zero byte of an ASCII first character", () => {
    assert.equal(utf16ByteOrder(utf16("le")), "le");
    assert.equal(utf16ByteOrder(utf16("be")), "be");
    assert.equal(utf16ByteOrder(utf16("le", false)), "le");
    assert.equal(utf16ByteOrder(utf16("be", false)), "be");
    assert.equal(utf16ByteOrder(Buffer.from(json)), undefined);
    assert.equal(utf16ByteOrder(Buffer.from("{")), undefined);
  });

  const read: Array<[label: string, bytes: Buffer, charset: string | undefined]> = [
    ["UTF-8", Buffer.from(json), undefined],
    ["UTF-8, declared", Buffer.from(json), "UTF-8"],
    ["UTF-16LE with a mark", utf16("le"), "utf-16"],
    ["UTF-16BE with a mark", utf16("be"), "utf-16"],
    ["UTF-16BE without one, under utf-16le", utf16("be", false), "utf-16le"],
    ["UTF-8 under a false utf-16", Buffer.from(json), "utf-16"],
    ["UTF-8 under a false latin-1", Buffer.from(json), "ISO-8859-1"],
    ["UTF-8 under a charset nobody knows", Buffer.from(json), "x-klingon"],
  ];
  for (const [label, bytes, charset] of read)
    it(`reads ${label} as written`, () => assert.equal(ingestText(bytes, charset), json));

  it("reads latin-1 by its label when its bytes are not UTF-8, and U+FFFD for what no charset reads", () => {
    assert.equal(ingestText(Buffer.from('"café"', "latin1"), "iso-8859-1"), '"café"');
    assert.equal(ingestText(Buffer.from([0x22, 0xe9, 0x22]), undefined), '"\ufffd"');
    assert.equal(ingestText(Buffer.from([0x22, 0xe9, 0x22]), "x-klingon"), '"\ufffd"');
    // An unpaired surrogate in UTF-16 bytes, and an odd last byte.
    assert.equal(ingestText(Buffer.from([0x22, 0, 0x00, 0xd8, 0x22, 0, 0x41]), "utf-16"), '"\ufffd"\ufffd');
  });

  it("writes U+0000 and unpaired surrogate escapes as \\ufffd, and nothing else", () => {
    const cases: Array<[json: string, cleaned: string]> = [
      ['"a\\ud800b"', '"a\\ufffdb"'],
      ['"\\uDBFF\\uDBFF\\uDFFF"', '"\\ufffd\\uDBFF\\uDFFF"'],
      ['"\\udc00\\ud800"', '"\\ufffd\\ufffd"'],
      ['"\\u0000"', '"\\ufffd"'],
      ['"\\ud83d\\ude00"', '"\\ud83d\\ude00"'],
      // An escaped backslash then "ud800" is text, not an escape; after it, an escape is one again.
      ['"\\\\ud800 \\\\u0000"', '"\\\\ud800 \\\\u0000"'],
      ['"\\\\\\ud800"', '"\\\\\\ufffd"'],
      ['"\\ud83d\\\\ude00"', '"\\ufffd\\\\ude00"'],
      ['"\\u0026 \\u00e9 \\ud7ff \\ue000"', '"\\u0026 \\u00e9 \\ud7ff \\ue000"'],
    ];
    for (const [text, cleaned] of cases) assert.equal(withStorableEscapes(text), cleaned, text);
    assert.equal(ingestText(Buffer.from('{"k\\ud800":"\\u0000"}'), undefined), '{"k\\ufffd":"\\ufffd"}');
  });

  it("parses to what JSON.stringify wrote, with U+FFFD for U+0000 and unpaired surrogates", () => {
    const hostile = fc.string({
      unit: fc.oneof(
        fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\\", '"', "u", "d", "8"),
        fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
      ),
      maxLength: 30,
    });
    fc.assert(
      fc.property(hostile, (text) => {
        const parsed = JSON.parse(withStorableEscapes(JSON.stringify({ [text]: text }))) as object;
        const expected = text.replaceAll("\u0000", "\ufffd").toWellFormed();
        assert.deepEqual(parsed, { [expected]: expected });
      }),
      { numRuns: 3000 },
    );
  });

  it("finds the first unpaired surrogate", () => {
    assert.equal(firstUnpairedSurrogate("ok 😀"), undefined);
    assert.equal(firstUnpairedSurrogate("a\ud800"), 0xd800);
    assert.equal(firstUnpairedSurrogate("😀\udc00\ud800"), 0xdc00);
  });
});
