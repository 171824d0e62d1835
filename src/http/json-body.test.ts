import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FORBIDDEN_KEY, findForbiddenKey, forbiddenKeyError } from "./json-body.js";

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
