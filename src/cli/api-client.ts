import { fieldName } from "../core/field-name.js";
import { FIREBREAK_API_HEADER } from "../core/api-identity.js";
import { regExpLiteral } from "../core/regexp-literal.js";
import { UsageError } from "./usage-error.js";

export interface RemoteTarget {
  readonly url: string;
  readonly apiKey: string;
  /** Where they came from, for the message that says what to check (never the key itself). */
  readonly urlFrom?: "--url" | "FIREBREAK_URL" | "default";
  readonly apiKeyFrom?: "--api-key" | "FIREBREAK_API_KEY";
}

/** The setting to check for the URL: FIREBREAK_URL when it came from there, else --url. */
const urlSetting = (from: RemoteTarget["urlFrom"]) => (from === "FIREBREAK_URL" ? "FIREBREAK_URL" : "--url");

/** Resolves --url/--api-key, falling back to FIREBREAK_URL/FIREBREAK_API_KEY. */
export function remoteTarget(
  values: { url?: string | undefined; "api-key"?: string | undefined },
  env: Record<string, string | undefined>,
): RemoteTarget {
  // `FIREBREAK_URL= firebreak …` (set but blank) means unset, as it does for FIREBREAK_API_KEY.
  const fromEnv = env.FIREBREAK_URL?.trim() === "" ? undefined : env.FIREBREAK_URL;
  const urlFrom = values.url !== undefined ? "--url" : fromEnv !== undefined ? "FIREBREAK_URL" : "default";
  const url = values.url ?? fromEnv ?? "http://localhost:8080";
  // A key pasted or read from a file often ends in a line break; that is not part of the key.
  const apiKey = (values["api-key"] ?? env.FIREBREAK_API_KEY)?.trim();
  if (!apiKey) throw new UsageError("an API key is needed: pass --api-key or set FIREBREAK_API_KEY");
  // fetch would refuse it as a header and print it whole in its error: never echo a secret.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new UsageError(
      "the API key holds spaces, line breaks or non-ASCII characters, which no Firebreak key has: check --api-key or FIREBREAK_API_KEY",
    );
  }
  const apiKeyFrom = values["api-key"] !== undefined ? "--api-key" : "FIREBREAK_API_KEY";
  return {
    url: serverUrl(url, urlSetting(urlFrom)),
    apiKey,
    urlFrom,
    apiKeyFrom,
  };
}

/** A user:password in a URL is a secret: never print it back. */
const withoutCredentials = (url: string) => url.replace(/\/\/[^/?#]*@/, "//…@");

/** The server's base URL, checked here so that a typo is a usage error rather than "cannot reach". */
function serverUrl(url: string, option: string): string {
  if (!/^https?:\/\//i.test(url))
    throw new UsageError(`${option} must be an http(s) URL, got "${withoutCredentials(url)}"`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${option} is not a valid URL: "${withoutCredentials(url)}"`);
  }
  if (parsed.username !== "" || parsed.password !== "")
    throw new UsageError(
      `${option} must not hold a user name or password: the API key (--api-key or FIREBREAK_API_KEY) signs in`,
    );
  if (parsed.search !== "" || parsed.hash !== "")
    throw new UsageError(`${option} must be the server's address without ?query or #fragment, got "${url}"`);
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, "");
}

/** What the server (or the lack of one) said, for `--json` errors: the problem's fields as sent. */
export interface RemoteProblem {
  /** The problem's code; UNREACHABLE when nothing answered, NOT_FIREBREAK when something else did. */
  readonly code: string;
  /** The server's problem type (urn:firebreak:problem:…), for scripts that act on a refusal. */
  readonly type?: string;
  readonly title?: string;
  readonly detail: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
  readonly requestId?: string;
  /** Which setting to check ("check --api-key …"), when the CLI can tell. */
  readonly hint?: string;
}

export class RemoteError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly problem: RemoteProblem,
  ) {
    super(message);
    this.name = "RemoteError";
  }
}

/** The problem+json fields a script may read, taken only when they have the expected types. */
function problemOf(body: unknown, detail: string, hint: string | undefined): RemoteProblem {
  const p = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const errors = Array.isArray(p.errors)
    ? p.errors.filter(
        (e): e is { path: string; message: string } =>
          typeof e?.path === "string" && typeof e?.message === "string",
      )
    : undefined;
  const title = text(p.title);
  const requestId = text(p.requestId);
  const type = text(p.type);
  return {
    code: text(p.code) ?? "NOT_FIREBREAK",
    ...(type !== undefined && { type }),
    ...(title !== undefined && { title }),
    detail,
    ...(errors !== undefined &&
      errors.length > 0 && { errors: errors.map(({ path, message }) => ({ path, message })) }),
    ...(requestId !== undefined && { requestId }),
    ...(hint !== undefined && { hint }),
  };
}

/**
 * The CLI's name for a field of the request body, by its path: `{"/heartbeatIntervalSeconds":
 * "--interval"}`. A path below one listed ("/callIn/0/userId" under "/callIn") takes its name too.
 */
export type CliNames = Readonly<Record<string, string>>;

const cliNameOf = (path: string, names: CliNames): string | undefined =>
  names[path] ?? Object.entries(names).find(([field]) => path.startsWith(`${field}/`))?.[1];

/**
 * The server's detail with the fields it names said as the CLI's options ("heartbeatIntervalSeconds:
 * a heartbeat needs …" → "--interval: a heartbeat needs …"). The detail names each field at the start
 * of its clause (core/field-name.ts); only those places change.
 */
export function inCliNames(
  detail: string,
  errors: readonly { readonly path: string }[] | undefined,
  names: CliNames,
): string {
  let text = detail;
  for (const { path } of errors ?? []) {
    const option = cliNameOf(path, names);
    if (option === undefined) continue;
    const field = new RegExp(`(^|; )${regExpLiteral(fieldName(path))}(?=[ :])`, "g");
    text = text.replace(field, (_, start: string) => `${start}${option}`);
  }
  return text;
}

/**
 * Calls the REST API and returns the JSON body; a problem+json answer becomes its detail. `names`
 * says which options the body's fields came from, for the message (--json keeps the server's words).
 */
export async function callApi(
  target: RemoteTarget,
  method: string,
  apiPath: string,
  body?: unknown,
  names: CliNames = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${target.url}${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${target.apiKey}`,
        accept: "application/json",
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    // At 3 am FIREBREAK_URL is often simply unset in this shell: say that the URL was the default.
    const unset = target.urlFrom === "default" ? ", the default URL: pass --url or set FIREBREAK_URL" : "";
    const message = `cannot reach Firebreak at ${target.url} (${whyUnreachable(err)})${unset}`;
    throw new RemoteError(message, undefined, {
      code: "UNREACHABLE",
      title: "Cannot reach the server",
      detail: message,
    });
  }
  const text = await response.text();
  const parsed = text.length > 0 ? safeJson(text) : null;
  if (!response.ok) {
    const detail =
      typeof (parsed as { detail?: unknown } | null)?.detail === "string"
        ? (parsed as { detail: string }).detail
        : parsed === undefined
          ? `${response.statusText || "error"} (not an answer from Firebreak's API: check --url)`
          : oneLine(text.slice(0, 200)) || response.statusText;
    const type = (parsed as { type?: unknown } | null)?.type;
    const hint = whatToCheck(target, response.status, detail, type);
    // 401's hint follows a colon; 404's, for a URL ending in /api/v1, is in parentheses.
    const said = hint === undefined ? "" : response.status === 401 ? `: ${hint}` : ` (${hint})`;
    const problem = problemOf(parsed, detail, hint);
    throw new RemoteError(
      `${response.status} ${inCliNames(detail, problem.errors, names)}${said}`,
      response.status,
      problem,
    );
  }
  // Another web server (a login page, the wrong port) answers 200 with HTML: that is no success.
  // Firebreak's API answers JSON, or nothing with 204.
  if (parsed === undefined || (parsed === null && response.status !== 204)) {
    const type = response.headers.get("content-type") ?? "no content type";
    const message = `${target.url} did not answer with Firebreak's JSON (${response.status}, ${type}): check --url`;
    throw new RemoteError(message, response.status, { code: "NOT_FIREBREAK", detail: message });
  }
  // Nor is another JSON server's 200: printing "Paged" for it would say someone was woken.
  if (response.headers.get(FIREBREAK_API_HEADER) === null) {
    const message = `${target.url} answered ${response.status} but is not Firebreak's API: check --url`;
    throw new RemoteError(message, response.status, { code: "NOT_FIREBREAK", detail: message });
  }
  return parsed;
}

/** The problem type the server gives the 403 of a key that acts for nobody (reason ACTS_FOR_NO_PERSON). */
const ACTS_FOR_NO_PERSON_TYPE = "urn:firebreak:problem:acts-for-no-person";

/** For a refused key or a URL that holds the API's path: which setting to look at. */
function whatToCheck(
  target: RemoteTarget,
  status: number,
  detail: string,
  type: unknown,
): string | undefined {
  if (status === 401) return `check ${target.apiKeyFrom ?? "the API key"} (is it a key of ${target.url}?)`;
  // Triage, fixes and tasks belong to people; a key made without --user acts for nobody. Told by the
  // problem's type, not its wording, which is for people and may change.
  if (status === 403 && type === ACTS_FOR_NO_PERSON_TYPE) return ACTS_FOR_NO_PERSON;
  // http://host/api/v1 pasted as --url asks for /api/v1/api/v1/…, which Firebreak has no route for.
  if (status === 404 && detail.startsWith("no route") && /\/api(\/v\d+)?$/.test(target.url))
    return `check ${urlSetting(target.urlFrom)}: the server's address, without /api/v1`;
  return undefined;
}

/** How to get a key that acts for a person, for the 403 of a key that acts for nobody. */
export const ACTS_FOR_NO_PERSON =
  'to make one: "firebreak apikey create --role ROLE --name NAME --user EMAIL" where the server\'s ' +
  "database is; a key an admin makes in the console under Settings → API keys acts for that admin";

function whyUnreachable(err: unknown): string {
  if ((err as Error).name === "TimeoutError") return "no answer within 30 s";
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string" && cause.message !== "") return cause.message;
  return (err as Error).message;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** The parsed JSON, or undefined when the text is not JSON. */
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
