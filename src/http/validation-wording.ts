import type { FieldError } from "../core/errors.js";
import { fieldErrorsSentence } from "../core/field-name.js";
import { regExpLiteral } from "../core/regexp-literal.js";

/**
 * The request-schema check's complaints in plain words. Fastify's ajv says "must NOT have fewer than 1
 * characters" or "must be equal to one of the allowed values"; every client (console, CLI, scripts)
 * gets "can't be empty" or "must be one of viewer, responder, admin" instead. `path` stays ajv's
 * instance path, as clients place errors by it.
 */

/** One ajv error, as Fastify hands it over in `err.validation`; its English `message` is never used. */
export interface AjvError {
  readonly instancePath?: string;
  readonly schemaPath?: string;
  readonly keyword?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

const TYPE_NOUNS: Record<string, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  null: "null",
};

const FORMAT_WORDS: Record<string, string> = {
  "date-time": "a date and time such as 2026-03-01T09:30:00Z",
  date: "a date such as 2026-03-01",
  time: "a time such as 09:30:00Z",
  email: "an email address",
  uri: "a URL",
  url: "a URL",
  uuid: "a UUID",
  hostname: "a host name",
  ipv4: "an IPv4 address",
  ipv6: "an IPv6 address",
};

/** Patterns our schemas use, said as what they accept; any other is quoted. */
const PATTERN_WORDS: Record<string, string> = {
  "^[0-9]{1,18}$": "must be a number of 1 to 18 digits",
};

const plural = (n: unknown, one: string, many: string) => `${String(n)} ${n === 1 ? one : many}`;

/** "text", "text or null", "a whole number, text or null". */
function typeNoun(type: unknown): string {
  const nouns = (Array.isArray(type) ? type : [type]).map((t) => TYPE_NOUNS[String(t)] ?? String(t));
  const types = [...new Set(nouns)];
  return types.length <= 1 ? (types[0] ?? "") : `${types.slice(0, -1).join(", ")} or ${types.at(-1)}`;
}

const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** "must be one of sev1, sev2, sev3" */
const oneOf = (values: readonly unknown[]): string =>
  values.length === 1 ? `must be ${shown(values[0])}` : `must be one of ${values.map(shown).join(", ")}`;

/**
 * What each ajv keyword our schemas use says, given its params. A keyword missing here would reach
 * people as "is not valid": test/http/validation-wording.test.ts checks every keyword in /openapi.json.
 */
export const WORDING: Readonly<Record<string, (params: Readonly<Record<string, unknown>>) => string>> = {
  required: () => "is required",
  additionalProperties: () => "is not a known field",
  type: (p) => `must be ${typeNoun(p.type)}`,
  enum: (p) => oneOf((p.allowedValues as unknown[] | undefined) ?? []),
  const: (p) => oneOf([p.allowedValue]),
  minLength: (p) =>
    p.limit === 1 ? "can't be empty" : `must be at least ${plural(p.limit, "character", "characters")}`,
  maxLength: (p) => `must be at most ${plural(p.limit, "character", "characters")}`,
  minimum: (p) => `must be at least ${String(p.limit)}`,
  maximum: (p) => `must be at most ${String(p.limit)}`,
  exclusiveMinimum: (p) => `must be more than ${String(p.limit)}`,
  exclusiveMaximum: (p) => `must be less than ${String(p.limit)}`,
  multipleOf: (p) => `must be a multiple of ${String(p.multipleOf)}`,
  pattern: (p) =>
    PATTERN_WORDS[String(p.pattern)] ?? `is not in the expected form (the pattern ${String(p.pattern)})`,
  format: (p) => `must be ${FORMAT_WORDS[String(p.format)] ?? `a valid ${String(p.format)}`}`,
  minItems: (p) =>
    p.limit === 1 ? "needs at least one entry" : `must have at least ${plural(p.limit, "entry", "entries")}`,
  maxItems: (p) => `must have at most ${plural(p.limit, "entry", "entries")}`,
  uniqueItems: (p) => {
    const [first, second] = [Number(p.i), Number(p.j)].sort((a, b) => a - b);
    return `must not list the same entry twice (entries ${first! + 1} and ${second! + 1} are the same)`;
  },
  minProperties: (p) => `must have at least ${plural(p.limit, "field", "fields")}`,
  maxProperties: (p) => `must have at most ${plural(p.limit, "field", "fields")}`,
  // Said from its branches (anyOf below); these stand only when no branch explains more.
  anyOf: () => "does not match any of the accepted forms",
  oneOf: () => "must match exactly one of the accepted forms",
};

/** An ajv error as a field error: the field at fault and what is wrong with it. */
function fieldErrorOf(e: AjvError, prefix: string): FieldError {
  const base = e.instancePath ?? "";
  const params = e.params ?? {};
  const child =
    e.keyword === "required"
      ? params.missingProperty
      : e.keyword === "additionalProperties"
        ? params.additionalProperty
        : undefined;
  const path = typeof child === "string" ? `${base}/${child}` : base || "/";
  const say = WORDING[e.keyword ?? ""];
  return { path: `${prefix}${path}`, message: say ? say(params) : "is not valid" };
}

/** A union's complaints said as one, at the field it is about. */
interface Said {
  readonly instancePath: string;
  readonly message: string;
  readonly said: true;
}
type Complaint = AjvError | Said;
const isSaid = (c: Complaint): c is Said => "said" in c;

/** How one branch of a union failed. */
type BranchFailure =
  | { readonly kind: "literal"; readonly values: readonly unknown[] }
  | { readonly kind: "type"; readonly type: unknown }
  | { readonly kind: "tag"; readonly field: string; readonly value: unknown }
  | { readonly kind: "near"; readonly errors: readonly AjvError[] };

function branchFailure(own: string, at: string, errors: readonly AjvError[]): BranchFailure {
  const literal = errors.find((e) => e.schemaPath === `${own}/const` || e.schemaPath === `${own}/enum`);
  if (literal)
    return {
      kind: "literal",
      values:
        literal.keyword === "enum"
          ? ((literal.params?.allowedValues as unknown[]) ?? [])
          : [literal.params?.allowedValue],
    };
  const wrongType = errors.find((e) => e.schemaPath === `${own}/type` && (e.instancePath ?? "") === at);
  if (wrongType) return { kind: "type", type: wrongType.params?.type };
  const tagPath = new RegExp(`^${regExpLiteral(own)}/properties/[^/]+/const$`);
  const tag = errors.find((e) => tagPath.test(e.schemaPath ?? ""));
  if (tag) return { kind: "tag", field: tag.instancePath ?? "", value: tag.params?.allowedValue };
  return { kind: "near", errors };
}

/**
 * What a failed union says. The complaints of the branch the value was meant for (its type or its tag
 * matched: `{kind: "weekly", …}` missing a field); of several such, the fields all of them need; else one
 * "must be one of …" for literals or for the tag of tagged objects; else the types accepted.
 */
function unionComplaints(at: string, failures: readonly BranchFailure[]): Complaint[] {
  const near = failures.flatMap((f) => (f.kind === "near" ? [f.errors] : []));
  if (near.length === 1) return [...near[0]!];
  if (near.length > 1) {
    const missing = (errors: readonly AjvError[]) =>
      errors.filter((e) => e.keyword === "required").map((e) => String(e.params?.missingProperty));
    const common = missing(near[0]!).filter((m) => near.every((errors) => missing(errors).includes(m)));
    if (common.length === 0) return [...near[0]!];
    return near[0]!.filter(
      (e) => e.keyword === "required" && common.includes(String(e.params?.missingProperty)),
    );
  }
  const tags = new Map<string, unknown[]>();
  for (const f of failures) if (f.kind === "tag") tags.set(f.field, [...(tags.get(f.field) ?? []), f.value]);
  if (tags.size > 0)
    return [...tags].map(([field, values]) => ({ instancePath: field, message: oneOf(values), said: true }));
  const literals = [...new Set(failures.flatMap((f) => (f.kind === "literal" ? f.values : [])))];
  const types = failures.flatMap((f) => (f.kind === "type" ? [f.type].flat() : []));
  if (types.length === 0) return [{ instancePath: at, message: oneOf(literals), said: true }];
  const accepted = [...literals.map(shown), typeNoun(types)].join(" or ");
  return [{ instancePath: at, message: `must be ${accepted}`, said: true }];
}

/** The complaints with one union's (its own and its branches') replaced, where they stood, by what it says. */
function reduceUnion(complaints: readonly Complaint[], union: AjvError): Complaint[] {
  const anyOf = union.schemaPath ?? "";
  const branches = new Map<string, AjvError[]>();
  const at = union.instancePath ?? "";
  // A union inside a list fails once per bad entry, each under the same schema path.
  const inside = (c: Complaint): boolean => {
    if (isSaid(c)) return false;
    const [schemaPath, instancePath] = [c.schemaPath ?? "", c.instancePath ?? ""];
    const sameValue = instancePath === at || instancePath.startsWith(`${at}/`);
    return sameValue && (schemaPath === anyOf || schemaPath.startsWith(`${anyOf}/`));
  };
  for (const c of complaints) {
    if (!inside(c) || c === union) continue;
    const e = c as AjvError;
    const branch = (e.schemaPath ?? "").slice(anyOf.length + 1).split("/")[0] ?? "";
    branches.set(branch, [...(branches.get(branch) ?? []), e]);
  }
  const failures = [...branches].map(([b, errors]) => branchFailure(`${anyOf}/${b}`, at, errors));
  const first = complaints.findIndex(inside);
  const rest = complaints.filter((c) => !inside(c));
  rest.splice(first, 0, ...unionComplaints(at, failures));
  return rest;
}

/**
 * Fastify's validation errors as field errors in plain words, one per field problem, in ajv's order.
 * `context` is where the value came from: body (said as nothing), querystring, params or headers.
 */
export function fieldErrorsFromAjv(errors: readonly AjvError[], context?: string): FieldError[] {
  const prefix = context && context !== "body" ? `${context} ` : "";
  // Outer unions first: a branch they drop takes its own unions with it.
  const unions = errors
    .filter((e) => e.keyword === "anyOf")
    .sort((a, b) => (a.schemaPath ?? "").length - (b.schemaPath ?? "").length);
  let complaints: Complaint[] = [...errors];
  for (const union of unions) if (complaints.includes(union)) complaints = reduceUnion(complaints, union);
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const c of complaints) {
    const field = isSaid(c)
      ? { path: `${prefix}${c.instancePath || "/"}`, message: c.message }
      : fieldErrorOf(c, prefix);
    const key = `${field.path}\n${field.message}`;
    if (!seen.has(key)) result.push(field);
    seen.add(key);
  }
  return result;
}

/** The problem's detail: every field error in one line, "name is required; role must be one of …". */
export const validationDetail = (errors: readonly FieldError[]): string =>
  fieldErrorsSentence(errors) || "the request is not valid";
