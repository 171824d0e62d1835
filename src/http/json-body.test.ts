import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  FORBIDDEN_KEY,
  findForbiddenKey,
  findNulCharacters,
  findTextFaults,
  forbiddenKeyError,
  isIngestRoute,
  missingBodyError,
  NUL_CHARACTER,
  textFaultError,
  textFaultFields,
} from "./json-body.js";

describe("forbidden keys in a JSON body", () => {
  const found: Array<[json: string, key: string, path: string]> = [
    ['{"__proto__": {"x": 1}}', "__proto__", "/__proto__"],
    ['{"a": [1, {"__proto__": null}]}', "__proto__", "/a/1/__proto__"],
    ['{"\\u005f_proto__": 1}', "__proto__", "/__proto__"],
    ['{"constructor": {"prototype": {}}}', "constructor.prototype", "/constructor/prototype"],
    ['{"a/b": {"c~d": {"__proto__": 1}}}', "__proto__", "/a~1b/c~0d/__proto__"],
    [
      '[{"ok": 1}, {"x": {"constructor": {"prototype": 0}}}]',
      "constructor.prototype",
      "/1/x/constructor/prototype",
    ],
    // Breadth first, as Fastify's parser scans: the shallower of two is named.
    ['{"a": {"b": {"__proto__": 1}}, "c": {"__proto__": 2}}', "__proto__", "/c/__proto__"],
  ];
  for (const [json, key, path] of found) {
    it(`names ${key} at ${path} in ${json}`, () => {
      assert.deepEqual(findForbiddenKey(JSON.parse(json)), { key, path });
    });
  }

  const allowed = [
    '{"constructor": "a string"}',
    '{"constructor": {"name": "no prototype"}}',
    '{"prototype": {}}',
    '{"summary": "__proto__"}',
    '"__proto__"',
    "null",
    "[]",
  ];
  for (const json of allowed) {
    it(`allows ${json}`, () => {
      assert.equal(findForbiddenKey(JSON.parse(json)), undefined);
    });
  }

  // The field at fault by name, then why, as the schema check's complaints read ("summary is required").
  const said: Array<[json: string, detail: string, path: string]> = [
    ['{"__proto__": 1}', "__proto__ is a forbidden key", "/__proto__"],
    ['{"labels": {"__proto__": {}}}', "labels.__proto__ is a forbidden key", "/labels/__proto__"],
    ['[{"labels": {"__proto__": {}}}]', "[0].labels.__proto__ is a forbidden key", "/0/labels/__proto__"],
    [
      '{"annotations": {"constructor": {"prototype": {}}}}',
      "annotations.constructor.prototype is a forbidden key",
      "/annotations/constructor/prototype",
    ],
  ];
  for (const [json, detail, path] of said) {
    it(`says "${detail}" for ${json}`, () => {
      const error = forbiddenKeyError(json);
      assert.equal(error?.code, "VALIDATION");
      assert.equal(error?.message, `${detail}: keys that could change an object's prototype are refused`);
      assert.deepEqual(error?.fields, [{ path, message: FORBIDDEN_KEY }]);
    });
  }

  it("walks a body nested 100,000 deep without overflowing the stack", () => {
    const json = `${'{"a":'.repeat(100_000)}{"__proto__":1}${"}".repeat(100_000)}`;
    const error = forbiddenKeyError(json);
    assert.equal(error?.code, "VALIDATION");
    assert.ok(error?.message.startsWith("a.a.a."));
    assert.ok(error?.message.endsWith(`.a.__proto__ ${FORBIDDEN_KEY}`));
  });

  it("leaves malformed JSON to Fastify's own error, and reads past a byte order mark", () => {
    assert.equal(forbiddenKeyError('{"__proto__": '), undefined);
    assert.equal(forbiddenKeyError(""), undefined);
    assert.equal(forbiddenKeyError('\ufeff{"__proto__": 1}')?.message, `__proto__ ${FORBIDDEN_KEY}`);
  });
});

describe("NUL characters in a request", () => {
  const found: Array<[value: unknown, paths: string[]]> = [
    [{ name: "a\u0000b" }, ["/name"]],
    [{ steps: [{ targets: [{ userId: "\u0000" }] }] }, ["/steps/0/targets/0/userId"]],
    // A key names itself; its value is not looked into again.
    [{ labels: { "te\u0000am": { deeper: "\u0000" } } }, ["/labels/te\u0000am"]],
    [{ "a/b": ["x", "y\u0000"] }, ["/a~1b/1"]],
    // Breadth first: the shallower field first.
    [{ a: { b: "\u0000" }, c: "\u0000" }, ["/c", "/a/b"]],
    ["whole\u0000body", ["/"]],
    [["\u0000", 1, null, true], ["/0"]],
  ];
  for (const [value, paths] of found)
    it(`finds ${JSON.stringify(paths)} in ${JSON.stringify(value)}`, () => {
      assert.deepEqual(findNulCharacters(value), paths);
    });

  for (const value of [{ name: "a\u2400b" }, "no nul", 0, null, undefined, [], { n: 1, t: true }])
    it(`finds none in ${JSON.stringify(value)}`, () => {
      assert.deepEqual(findNulCharacters(value), []);
    });

  it("stops at its limit", () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, "\u0000"]));
    assert.equal(findNulCharacters(many).length, 20);
    assert.deepEqual(findNulCharacters(many, 2), ["/f0", "/f1"]);
    assert.deepEqual(findNulCharacters("\u0000", 0), []);
  });

  it("walks a body nested 100,000 deep without overflowing the stack", () => {
    const json = `${'{"a":'.repeat(100_000)}"\\u0000"${"}".repeat(100_000)}`;
    assert.equal(findNulCharacters(JSON.parse(json))[0]?.length, 200_000);
  });

  it("names path parameters, then query parameters, then the body, as validation does", () => {
    assert.deepEqual(
      textFaultFields({
        params: { id: "x\u0000" },
        querystring: { serviceId: "\u0000", state: ["open", "\u0000"] },
        body: { name: "\u0000" },
      }),
      [
        { path: "params /id", message: NUL_CHARACTER },
        { path: "querystring /serviceId", message: NUL_CHARACTER },
        { path: "querystring /state/1", message: NUL_CHARACTER },
        { path: "/name", message: NUL_CHARACTER },
      ],
    );
    assert.deepEqual(textFaultFields({ params: {}, querystring: {}, body: undefined }), []);
  });

  it("says each field in the detail, showing a NUL inside a key's name as ␀", () => {
    const error = textFaultError(
      textFaultFields({
        querystring: { serviceId: "\u0000" },
        body: { name: "\u0000", labels: { "a\u0000b": "" } },
      }),
    );
    assert.equal(error.code, "VALIDATION");
    assert.equal(
      error.message,
      "query parameter serviceId must not contain a NUL character; name must not contain a NUL character; " +
        "labels.a\u2400b must not contain a NUL character",
    );
    assert.equal(error.fields[2]?.path, "/labels/a\u0000b", "errors[] keeps the exact pointer");
  });

  it("leaves the ingest routes' text as sent", () => {
    assert.equal(isIngestRoute({ tags: ["ingest"] }), true);
    assert.equal(isIngestRoute({ tags: ["teams"] }), false);
    assert.equal(isIngestRoute({}), false);
    assert.equal(isIngestRoute(undefined), false);
  });
});

describe("unpaired surrogates in a request", () => {
  const said = (unit: string) => `has an unpaired surrogate (${unit}), which is not valid Unicode text`;

  const found: Array<[value: unknown, faults: Array<{ path: string; message: string }>]> = [
    [{ name: "lone\ud800x" }, [{ path: "/name", message: said("\\ud800") }]],
    [{ name: "\udc00" }, [{ path: "/name", message: said("\\udc00") }]],
    // Two high halves: the first has no low half after it.
    [{ name: "\ud83d\ud83d" }, [{ path: "/name", message: said("\\ud83d") }]],
    [{ name: "pair \ud83d\ude00, then \ude00" }, [{ path: "/name", message: said("\\ude00") }]],
    // A key names itself; a NUL is said first when a text holds both.
    [{ labels: { "a\udfffb": "x\ud800" } }, [{ path: "/labels/a\udfffb", message: said("\\udfff") }]],
    [{ a: "\u0000\ud800" }, [{ path: "/a", message: NUL_CHARACTER }]],
    ["\ud800", [{ path: "/", message: said("\\ud800") }]],
  ];
  for (const [value, faults] of found)
    it(`finds ${JSON.stringify(faults.map((f) => f.path))} in ${JSON.stringify(value)}`, () => {
      assert.deepEqual(findTextFaults(value), faults);
    });

  for (const value of [{ name: "😀 \ud83d\ude00" }, "\ufffd", { "\u{10ffff}": "\u{10000}" }])
    it(`finds none in ${JSON.stringify(value)}`, () => {
      assert.deepEqual(findTextFaults(value), []);
    });

  it("findNulCharacters still finds NUL alone", () => {
    assert.deepEqual(findNulCharacters({ a: "\ud800", b: "\u0000" }), ["/b"]);
  });

  it("names path and query parameters too, and shows a surrogate in a key as U+FFFD in the detail", () => {
    const fields = textFaultFields({
      params: { id: "x\ud800" },
      querystring: { state: ["open", "\udc00"] },
      body: { config: { "a\udfffb": "s" } },
    });
    assert.deepEqual(
      fields.map((f) => f.path),
      ["params /id", "querystring /state/1", "/config/a\udfffb"],
    );
    const error = textFaultError(fields);
    assert.equal(
      error.message,
      `path parameter id ${said("\\ud800")}; query parameter state[1] ${said("\\udc00")}; ` +
        `config.a\ufffdb ${said("\\udfff")}`,
    );
    assert.equal(error.message.isWellFormed(), true);
    assert.equal(error.fields[2]?.path, "/config/a\udfffb", "errors[] keeps the exact pointer");
  });
});

describe("a request without a body", () => {
  it("is told the body is required where the schema check wanted one", () => {
    const error = missingBodyError({ validation: [], validationContext: "body" }, undefined);
    assert.equal(error?.message, "the request body is required");
    assert.deepEqual(error?.fields, [{ path: "/", message: "is required" }]);
  });

  it("keeps every other complaint", () => {
    assert.equal(missingBodyError({ validation: [], validationContext: "body" }, ["an array"]), undefined);
    assert.equal(missingBodyError({ validation: [], validationContext: "body" }, null), undefined);
    assert.equal(
      missingBodyError({ validation: [], validationContext: "querystring" }, undefined),
      undefined,
    );
    assert.equal(missingBodyError(new Error("x"), undefined), undefined);
    assert.equal(missingBodyError(undefined, undefined), undefined);
  });
});
