import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import formats from "ajv-formats";
import { Type, type TSchema } from "typebox";
import type { FieldError } from "../core/errors.js";
import { fieldName } from "../core/field-name.js";
import { fieldErrorsFromAjv, validationDetail, WORDING, type AjvError } from "./validation-wording.js";
import { AJV_OPTIONS } from "./validators-by-part.js";

// Fastify's validator (ajv with ajv-formats, through @fastify/ajv-compiler), configured as in
// validators-by-part.ts (bodies without type coercion), so the errors are the ones the API meets.
const forText = new Ajv({ ...AJV_OPTIONS.customOptions });
const forBodies = new Ajv({ ...AJV_OPTIONS.customOptions, coerceTypes: false });
formats.default(forText);
formats.default(forBodies);

function complaints(schema: TSchema, value: unknown, context?: string): FieldError[] {
  const validate = (context && context !== "body" ? forText : forBodies).compile(schema);
  assert.equal(validate(value), false, "the value is refused");
  return fieldErrorsFromAjv(validate.errors as AjvError[], context);
}

const Severity = Type.Union([Type.Literal("sev1"), Type.Literal("sev2"), Type.Literal("sev3")]);
const Window = Type.Union([
  Type.Object({ kind: Type.Literal("one-off"), at: Type.String({ format: "date-time" }) }),
  Type.Object({ kind: Type.Literal("weekly"), weekday: Type.Integer({ minimum: 0, maximum: 6 }) }),
]);
const obj = (properties: Record<string, TSchema>) => Type.Object(properties, { additionalProperties: false });

describe("the schema check's complaints in plain words", () => {
  const cases: Array<[string, TSchema, unknown, FieldError[]]> = [
    ["a missing field", obj({ name: Type.String() }), {}, [{ path: "/name", message: "is required" }]],
    [
      "a field the schema does not know, named",
      obj({ name: Type.String() }),
      { name: "x", colour: "red" },
      [{ path: "/colour", message: "is not a known field" }],
    ],
    [
      "an empty name",
      obj({ name: Type.String({ minLength: 1 }) }),
      { name: "" },
      [{ path: "/name", message: "can't be empty" }],
    ],
    [
      "a name too short",
      obj({ name: Type.String({ minLength: 3 }) }),
      { name: "ab" },
      [{ path: "/name", message: "must be at least 3 characters" }],
    ],
    [
      "a name too long",
      obj({ name: Type.String({ maxLength: 200 }) }),
      { name: "x".repeat(201) },
      [{ path: "/name", message: "must be at most 200 characters" }],
    ],
    [
      "a union of literals, once, with the choices",
      obj({ severity: Severity }),
      { severity: "sev9" },
      [{ path: "/severity", message: "must be one of sev1, sev2, sev3" }],
    ],
    [
      "an enum",
      obj({ colour: Type.Unsafe({ enum: ["red", "green"] }) }),
      { colour: "blue" },
      [{ path: "/colour", message: "must be one of red, green" }],
    ],
    [
      "a constant",
      obj({ version: Type.Literal(2) }),
      { version: 3 },
      [{ path: "/version", message: "must be 2" }],
    ],
    [
      "text where a whole number belongs",
      obj({ limit: Type.Integer() }),
      { limit: "lots" },
      [{ path: "/limit", message: "must be a whole number" }],
    ],
    [
      "a list where text belongs",
      obj({ name: Type.String() }),
      { name: {} },
      [{ path: "/name", message: "must be text" }],
    ],
    [
      "text where yes or no belongs",
      obj({ on: Type.Boolean() }),
      { on: "maybe" },
      [{ path: "/on", message: "must be true or false" }],
    ],
    [
      "a body that is not an object",
      obj({ name: Type.String() }),
      "text",
      [{ path: "/", message: "must be an object" }],
    ],
    [
      "a nullable number given text",
      obj({ minutes: Type.Unsafe({ type: ["integer", "null"] }) }),
      { minutes: "soon" },
      [{ path: "/minutes", message: "must be a whole number or null" }],
    ],
    [
      "a number below its minimum",
      obj({ minutes: Type.Integer({ minimum: 1 }) }),
      { minutes: 0 },
      [{ path: "/minutes", message: "must be at least 1" }],
    ],
    [
      "a number above its maximum",
      obj({ minutes: Type.Integer({ maximum: 1440 }) }),
      { minutes: 1441 },
      [{ path: "/minutes", message: "must be at most 1440" }],
    ],
    [
      "exclusive bounds",
      obj({ a: Type.Number({ exclusiveMinimum: 0 }), b: Type.Number({ exclusiveMaximum: 1 }) }),
      { a: 0, b: 1 },
      [
        { path: "/a", message: "must be more than 0" },
        { path: "/b", message: "must be less than 1" },
      ],
    ],
    [
      "a cursor that is not digits",
      obj({ before: Type.String({ pattern: "^[0-9]{1,18}$" }) }),
      { before: "abc" },
      [{ path: "/before", message: "must be a number of 1 to 18 digits" }],
    ],
    [
      "another pattern, quoted",
      obj({ slug: Type.String({ pattern: "^[a-z-]+$" }) }),
      { slug: "A B" },
      [{ path: "/slug", message: "is not in the expected form (the pattern ^[a-z-]+$)" }],
    ],
    [
      "a date that is no date",
      obj({ at: Type.String({ format: "date-time" }) }),
      { at: "tomorrow" },
      [{ path: "/at", message: "must be a date and time such as 2026-03-01T09:30:00Z" }],
    ],
    [
      "a format without words of its own",
      obj({ id: Type.String({ format: "ipv4" }), addr: Type.String({ format: "json-pointer" }) }),
      { id: "x", addr: "x" },
      [
        { path: "/id", message: "must be an IPv4 address" },
        { path: "/addr", message: "must be a valid json-pointer" },
      ],
    ],
    [
      "an empty list",
      obj({ userIds: Type.Array(Type.String(), { minItems: 1 }) }),
      { userIds: [] },
      [{ path: "/userIds", message: "needs at least one entry" }],
    ],
    [
      "a list too short and one too long",
      obj({
        a: Type.Array(Type.String(), { minItems: 2 }),
        b: Type.Array(Type.String(), { maxItems: 1 }),
      }),
      { a: ["x"], b: ["x", "y"] },
      [
        { path: "/a", message: "must have at least 2 entries" },
        { path: "/b", message: "must have at most 1 entry" },
      ],
    ],
    [
      "a list with a duplicate",
      obj({ ids: Type.Array(Type.String(), { uniqueItems: true }) }),
      { ids: ["a", "b", "a"] },
      [{ path: "/ids", message: "must not list the same entry twice (entries 1 and 3 are the same)" }],
    ],
    [
      "a map with too few fields",
      obj({ labels: Type.Record(Type.String(), Type.String(), { minProperties: 1 }) }),
      { labels: {} },
      [{ path: "/labels", message: "must have at least 1 field" }],
    ],
    [
      "a nested field, by its whole path",
      obj({ steps: Type.Array(obj({ delayMinutes: Type.Integer({ minimum: 0 }) })) }),
      { steps: [{ delayMinutes: 1 }, { delayMinutes: -1 }] },
      [{ path: "/steps/1/delayMinutes", message: "must be at least 0" }],
    ],
    [
      "a list of literals: each bad entry once",
      obj({ severities: Type.Array(Severity) }),
      { severities: ["sev1", "x", "y"] },
      [
        { path: "/severities/1", message: "must be one of sev1, sev2, sev3" },
        { path: "/severities/2", message: "must be one of sev1, sev2, sev3" },
      ],
    ],
    [
      "nullable text too long: the text's limit, not 'must be null'",
      obj({ note: Type.Union([Type.String({ maxLength: 3 }), Type.Null()]) }),
      { note: "long" },
      [{ path: "/note", message: "must be at most 3 characters" }],
    ],
    [
      "a nullable date given nonsense",
      obj({ until: Type.Union([Type.String({ format: "date-time" }), Type.Null()]) }),
      { until: "later" },
      [{ path: "/until", message: "must be a date and time such as 2026-03-01T09:30:00Z" }],
    ],
    [
      "a union of types given neither",
      obj({ value: Type.Union([Type.Integer(), Type.Boolean()]) }),
      { value: {} },
      [{ path: "/value", message: "must be a whole number or true or false" }],
    ],
    [
      "tagged objects given text: the type once",
      obj({ window: Window }),
      { window: "weekly" },
      [{ path: "/window", message: "must be an object" }],
    ],
    [
      "tagged objects with an unknown tag: the tag's choices",
      obj({ window: Window }),
      { window: { kind: "monthly" } },
      [{ path: "/window/kind", message: "must be one of one-off, weekly" }],
    ],
    [
      "tagged objects: only the complaints of the branch the tag chose",
      obj({ window: Window }),
      { window: { kind: "weekly", weekday: 9 } },
      [{ path: "/window/weekday", message: "must be at most 6" }],
    ],
    [
      "tagged objects without the tag: the tag is required",
      obj({ window: Window }),
      { window: {} },
      [{ path: "/window/kind", message: "is required" }],
    ],
    [
      "every bad field at once, in the validator's order",
      obj({ name: Type.String({ minLength: 1 }), severity: Severity, limit: Type.Integer() }),
      { severity: "x", limit: "y", extra: 1 },
      [
        { path: "/name", message: "is required" },
        { path: "/extra", message: "is not a known field" },
        { path: "/severity", message: "must be one of sev1, sev2, sev3" },
        { path: "/limit", message: "must be a whole number" },
      ],
    ],
  ];
  for (const [name, schema, value, expected] of cases) {
    it(name, () => assert.deepEqual(complaints(schema, value), expected));
  }

  it("names where a query parameter's complaint comes from", () => {
    const schema = obj({ limit: Type.Integer({ maximum: 100 }) });
    assert.deepEqual(complaints(schema, { limit: 101 }, "querystring"), [
      { path: "querystring /limit", message: "must be at most 100" },
    ]);
    assert.deepEqual(complaints(schema, { limit: 101 }, "body"), [
      { path: "/limit", message: "must be at most 100" },
    ]);
  });

  it("never repeats ajv's own words", () => {
    const schema = obj({
      a: Type.String({ minLength: 2, maxLength: 3, pattern: "^x" }),
      b: Severity,
      c: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1, uniqueItems: true }),
    });
    const said = JSON.stringify(complaints(schema, { a: "", b: 1, c: [0, 0], d: 1 }));
    assert.doesNotMatch(said, /must NOT|must have required|equal to|allowed values|must match|additional/);
  });

  it("says something for a keyword it has no words for", () => {
    const unknown: AjvError = {
      instancePath: "/x",
      schemaPath: "#/properties/x/not",
      keyword: "not",
      params: {},
    };
    assert.deepEqual(fieldErrorsFromAjv([unknown]), [{ path: "/x", message: "is not valid" }]);
  });

  it("has words for the keywords the API's schemas use", () => {
    for (const keyword of ["required", "additionalProperties", "type", "enum", "const", "anyOf"])
      assert.ok(keyword in WORDING, keyword);
    for (const keyword of ["minLength", "maxLength", "minimum", "maximum", "pattern", "format"])
      assert.ok(keyword in WORDING, keyword);
    for (const keyword of ["minItems", "maxItems", "uniqueItems"]) assert.ok(keyword in WORDING, keyword);
  });
});

describe("a field error's path as a person reads it", () => {
  const cases: Array<[string, string]> = [
    ["/name", "name"],
    ["/steps/0/delayMinutes", "steps[0].delayMinutes"],
    ["/labels/team~1owner", "labels.team/owner"],
    ["/0/summary", "[0].summary"],
    ["/", "the request body"],
    ["querystring /limit", "query parameter limit"],
    ["params /id", "path parameter id"],
    ["headers /x-firebreak-signature", "header x-firebreak-signature"],
    ["querystring /", "the query string"],
  ];
  for (const [path, said] of cases) it(path, () => assert.equal(fieldName(path), said));

  it("makes the detail of every field error", () => {
    assert.equal(
      validationDetail([
        { path: "/name", message: "is required" },
        { path: "/severity", message: "must be one of sev1, sev2" },
        { path: "querystring /limit", message: "must be at most 100" },
      ]),
      "name is required; severity must be one of sev1, sev2; query parameter limit must be at most 100",
    );
    assert.equal(validationDetail([]), "the request is not valid");
  });
});
