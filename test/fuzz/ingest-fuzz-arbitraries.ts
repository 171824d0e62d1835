// fast-check arbitraries for hostile ingest requests: mutated valid bodies, arbitrary JSON, hostile strings,
// invalid UTF-8, truncated or empty bodies, wrong content types, and bad keys in every place a key goes.
import fc from "fast-check";
import type { DialectName } from "../support/dialects.js";
import { MAX_PATH_KEY, type Endpoint, type Method } from "./ingest-fuzz-endpoints.js";

// ── generating requests ───────────────────────────────────────────────────────────────────────────────

type JsonPath = Array<string | number>;

/** Every path into `root`, breadth first, at most `maxDepth` levels down (a 1,000-deep value is not walked whole). */
function pathsOf(root: unknown, maxDepth = 12): JsonPath[] {
  const out: JsonPath[] = [];
  const queue: Array<{ value: unknown; path: JsonPath }> = [{ value: root, path: [] }];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const { value, path } = next;
    if (path.length >= maxDepth || typeof value !== "object" || value === null) continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, child] of entries.slice(0, 50)) {
      out.push([...path, key]);
      queue.push({ value: child, path: [...path, key] });
    }
  }
  return out;
}

function containerAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const step of path) node = (node as Record<string | number, unknown>)[step];
  return node;
}

const nested = (depth: number, shape: "array" | "object"): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = shape === "array" ? [value] : { a: value };
  return value;
};

/** Strings people do not expect: controls, lone surrogates, BOMs, line separators, JSON and URL syntax. */
const hostileString = (dialect: DialectName) =>
  fc
    .string({
      unit: fc.oneof(
        fc.constantFrom(
          "\u0000",
          "\u0001",
          "\u001f",
          "\u007f",
          "\ud800",
          "\udfff",
          "\u2028",
          "\ufeff",
          "\uffff",
          '"',
          "\\",
          "%",
          "{",
          "}",
          "\n",
        ),
        fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
      ),
      maxLength: 64,
    })
    // U+0000 on PostgreSQL has a test of its own in ingest-edge-inputs.fuzz.test.ts.
    .map((s) => (dialect === "postgres" ? s.replaceAll("\u0000", "") : s));

type Mutation =
  | { op: "delete" }
  | { op: "replace"; value: unknown }
  | { op: "huge"; length: number }
  | { op: "deep"; depth: number; shape: "array" | "object" }
  | { op: "protoKey"; key: string; value: unknown }
  | { op: "hostile"; value: string };

const mutationArb = (dialect: DialectName): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.constant({ op: "delete" as const }),
    fc.record({ op: fc.constant("replace" as const), value: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({
      op: fc.constant("replace" as const),
      // Numbers where strings belong, strings where objects belong, and the like.
      value: fc.oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant([]),
        fc.constant({}),
        fc.array(fc.string()),
        fc.string(),
      ),
    }),
    fc.record({ op: fc.constant("huge" as const), length: fc.constantFrom(5_000, 300_000, 1_100_000) }),
    // Kept below V8's JSON.stringify recursion limit (a few thousand): deeper is the known bug below.
    fc.record({
      op: fc.constant("deep" as const),
      depth: fc.constantFrom(10, 100, 1_000),
      shape: fc.constantFrom("array" as const, "object" as const),
    }),
    fc.record({
      op: fc.constant("protoKey" as const),
      key: fc.constantFrom(
        "__proto__",
        "constructor",
        "prototype",
        "hasOwnProperty",
        "toString",
        "valueOf",
        "__defineGetter__",
      ),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constant({ prototype: { polluted: true } }),
        fc.constant({ polluted: true }),
      ),
    }),
    fc.record({ op: fc.constant("hostile" as const), value: hostileString(dialect) }),
  );

/** Applies a mutation at the path chosen by `pick` (modulo the paths there are); returns the new root. */
function mutate(root: unknown, pick: number, given: Mutation): unknown {
  // Generated values can be shared between runs (constants): never insert the same object twice.
  const mutation =
    (given.op === "replace" || given.op === "protoKey") &&
    typeof given.value === "object" &&
    given.value !== null
      ? { ...given, value: JSON.parse(JSON.stringify(given.value)) as unknown }
      : given;
  if (mutation.op === "protoKey") {
    const objects: JsonPath[] = [[], ...pathsOf(root)].filter((p) => {
      const node = containerAt(root, p);
      return typeof node === "object" && node !== null && !Array.isArray(node);
    });
    if (objects.length === 0) return root;
    const target = containerAt(root, objects[pick % objects.length]!) as Record<string, unknown>;
    // An own, enumerable property even for "__proto__", so JSON.stringify writes it out.
    Object.defineProperty(target, mutation.key, {
      value: mutation.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return root;
  }
  const paths = pathsOf(root);
  if (paths.length === 0) return mutation.op === "delete" ? root : replacement(mutation);
  const path = paths[pick % paths.length]!;
  const parent = containerAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (mutation.op === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    parent[last] = replacement(mutation);
  }
  return root;
}

function replacement(mutation: Exclude<Mutation, { op: "delete" } | { op: "protoKey" }>): unknown {
  switch (mutation.op) {
    case "replace":
      return mutation.value;
    case "huge":
      return "x".repeat(mutation.length);
    case "deep":
      return nested(mutation.depth, mutation.shape);
    case "hostile":
      return mutation.value;
  }
}

/**
 * Keeps generated bodies clear of the inputs that were bugs once and have tests of their own in
 * ingest-edge-inputs.fuzz.test.ts, so the random properties keep guarding everything else: on PostgreSQL
 * an Alertmanager groupKey longer than btree's index row limit (about 2.7 kB) is cut to 1,000 characters.
 */
function avoidKnownBugs(endpoint: Endpoint, dialect: DialectName, value: unknown): unknown {
  if (
    dialect === "postgres" &&
    endpoint.kind === "alertmanager" &&
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value)
  ) {
    const body = value as Record<string, unknown>;
    if (typeof body.groupKey === "string" && body.groupKey.length > 1_000)
      body.groupKey = body.groupKey.slice(0, 1_000);
  }
  return value;
}

export interface FuzzRequest {
  readonly method: Method;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload: string | Buffer | undefined;
  /** The JSON value the payload encodes, when it does and is sent as application/json. */
  readonly json: unknown;
  readonly label: string;
}

/** Counterexamples print short: a 1 MB string is shown by its length, not in full. */
const described = (request: FuzzRequest): FuzzRequest & { [fc.toStringMethod](): string } => ({
  ...request,
  [fc.toStringMethod]: () => {
    const body =
      request.payload === undefined
        ? "(none)"
        : typeof request.payload === "string"
          ? request.payload
          : `<Buffer ${request.payload.toString("hex").slice(0, 200)}>`;
    return `${request.label}: ${request.method} ${request.url.slice(0, 200)} ${JSON.stringify(request.headers).slice(0, 200)} ${body.length > 400 ? `${body.slice(0, 400)}… (${body.length} chars)` : body}`;
  },
});

const WRONG_CONTENT_TYPES = [
  "text/plain",
  "text/plain; charset=utf-8",
  "application/x-www-form-urlencoded",
  "application/xml",
  "multipart/form-data; boundary=xyz",
  "application/octet-stream",
  "application/json; charset=utf-16le",
  "application/vnd.api+json",
  "APPLICATION/JSON",
  "application/json;;",
];

const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xc3],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc0, 0xaf],
  [0xe2, 0x28, 0xa1],
  [0xfe, 0xfe, 0xff, 0xff],
];

export interface Keys {
  readonly own: string;
  /** A key of another integration kind: a valid key, but not for this endpoint. */
  readonly otherKind: string;
}

export function requestArb(
  endpoint: Endpoint,
  keys: Keys,
  dialect: DialectName,
): fc.Arbitrary<ReturnType<typeof described>> {
  const key = fc.oneof(
    { weight: 12, arbitrary: fc.constant(keys.own) },
    { weight: 1, arbitrary: fc.constant(keys.otherKind) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", "x", "k".repeat(201), keys.own.toLowerCase(), `${keys.own} `),
    },
    // A key that goes in a header must be printable ASCII, or the client refuses to send it.
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map((s) => s.trim()) },
  );
  const hostileKey = fc.oneof(
    { weight: 4, arbitrary: key },
    { weight: 1, arbitrary: hostileString(dialect) },
  );

  type Body = {
    payload: string | Buffer | undefined;
    json: unknown;
    contentType: string | undefined;
    label: string;
  };
  const jsonBody = (value: unknown, label: string): Body => {
    const safe = avoidKnownBugs(endpoint, dialect, value);
    return { payload: JSON.stringify(safe), json: safe, contentType: "application/json", label };
  };

  const body = (bodyKey: string): fc.Arbitrary<Body> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.jsonValue().map((v) => jsonBody(v, "arbitrary JSON")) },
      { weight: 1, arbitrary: fc.constant(null).map(() => jsonBody(endpoint.valid(bodyKey), "valid body")) },
      {
        weight: 8,
        arbitrary: fc
          .array(fc.tuple(fc.nat(), mutationArb(dialect)), { minLength: 1, maxLength: 4 })
          .map((mutations) => {
            let value = endpoint.valid(bodyKey);
            for (const [pick, mutation] of mutations) value = mutate(value, pick, mutation);
            return jsonBody(value, `mutated: ${mutations.map(([, m]) => m.op).join(", ")}`);
          }),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(fc.constantFrom(...INVALID_UTF8), fc.nat()).map(([bytes, at]) => {
          const text = Buffer.from(JSON.stringify(endpoint.valid(bodyKey)), "utf8");
          // Inside a string value: right after an opening quote that follows a colon.
          const openings = [...text.toString("latin1").matchAll(/:"/g)].map((m) => (m.index ?? 0) + 2);
          const cut = openings.length > 0 ? openings[at % openings.length]! : 0;
          return {
            payload: Buffer.concat([text.subarray(0, cut), Buffer.from(bytes), text.subarray(cut)]),
            json: undefined,
            contentType: "application/json",
            label: "invalid UTF-8 inside a string",
          };
        }),
      },
      {
        weight: 1,
        arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({
          payload: Buffer.from(bytes),
          json: undefined,
          contentType: "application/json",
          label: "random bytes",
        })),
      },
      {
        weight: 1,
        arbitrary: fc.nat().map((n) => {
          const text = JSON.stringify(endpoint.valid(bodyKey));
          return {
            payload: text.slice(0, n % text.length),
            json: undefined,
            contentType: "application/json",
            label: "truncated JSON",
          };
        }),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom<Body>(
          { payload: "", json: undefined, contentType: "application/json", label: "empty body" },
          { payload: undefined, json: undefined, contentType: undefined, label: "no body at all" },
        ),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom(...WRONG_CONTENT_TYPES, undefined).map((contentType) => ({
          payload:
            contentType === "application/x-www-form-urlencoded"
              ? "routing_key=x&summary=y"
              : JSON.stringify(endpoint.valid(bodyKey)),
          json: undefined,
          contentType,
          label: `content type ${contentType ?? "(none)"}`,
        })),
      },
    );

  const keyInPath = (form: number) => form === 0 && endpoint.format !== "pagerduty";
  return (
    fc
      .tuple(fc.constantFrom(...endpoint.methods), fc.nat(endpoint.keyForms - 1))
      // Keys in a path or a JSON body can be any string; in an Authorization header, printable ASCII only.
      .chain(([method, form]) =>
        (keyInPath(form) || endpoint.format === "pagerduty" ? hostileKey : key).map(
          (chosenKey) => [method, form, chosenKey] as const,
        ),
      )
      // "." and ".." in a path are dot segments: URL normalisation removes them, so the request is
      // for another path altogether (answered as such), not for this endpoint with a bad key.
      .filter(
        ([, form, chosenKey]) =>
          !keyInPath(form) || (chosenKey.length <= MAX_PATH_KEY && chosenKey !== "." && chosenKey !== ".."),
      )
      .chain(([method, form, chosenKey]) =>
        body(chosenKey).map((b) => {
          const { url, headers } = endpoint.target(chosenKey, form);
          const allHeaders: Record<string, string> = {
            ...(headers.authorization !== undefined && { authorization: headers.authorization }),
            ...(b.contentType !== undefined && { "content-type": b.contentType }),
          };
          // A GET carries no body; its request is about the key alone.
          const payload = method === "GET" ? undefined : b.payload;
          return described({
            method,
            url,
            headers: allHeaders,
            payload,
            json: method === "GET" || b.contentType !== "application/json" ? undefined : b.json,
            label: `${b.label}, key ${chosenKey === keys.own ? "own" : "other"}`,
          });
        }),
      )
  );
}
