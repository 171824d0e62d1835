import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  FORBIDDEN_KEY,
  findForbiddenKey,
  findNulCharacters,
  forbiddenKeyError,
  keepsTextAsSent,
  missingBodyError,
  NUL_CHARACTER,
  nulCharacterError,
  nulCharacterFields,
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
      nulCharacterFields({
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
    assert.deepEqual(nulCharacterFields({ params: {}, querystring: {}, body: undefined }), []);
  });

  it("says each field in the detail, showing a NUL inside a key's name as ␀", () => {
    const error = nulCharacterError(
      nulCharacterFields({
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
    assert.equal(keepsTextAsSent({ tags: ["ingest"] }), true);
    assert.equal(keepsTextAsSent({ tags: ["teams"] }), false);
    assert.equal(keepsTextAsSent({}), false);
    assert.equal(keepsTextAsSent(undefined), false);
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
