import { UsageError } from "./usage-error.js";

export interface RemoteTarget {
  readonly url: string;
  readonly apiKey: string;
}

/** Resolves --url/--api-key, falling back to FIREBREAK_URL/FIREBREAK_API_KEY. */
export function remoteTarget(
  values: { url?: string | undefined; "api-key"?: string | undefined },
  env: Record<string, string | undefined>,
): RemoteTarget {
  const url = values.url ?? env.FIREBREAK_URL ?? "http://localhost:8080";
  // A key pasted or read from a file often ends in a line break; that is not part of the key.
  const apiKey = (values["api-key"] ?? env.FIREBREAK_API_KEY)?.trim();
  if (!apiKey) throw new UsageError("an API key is needed: pass --api-key or set FIREBREAK_API_KEY");
  // fetch would refuse it as a header and print it whole in its error: never echo a secret.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new UsageError(
      "the API key holds spaces, line breaks or non-ASCII characters, which no Firebreak key has: check --api-key or FIREBREAK_API_KEY",
    );
  }
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
  return { url: url.replace(/\/+$/, ""), apiKey };
}

export class RemoteError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "RemoteError";
  }
}

/** Calls the REST API and returns the JSON body; a problem+json answer becomes its detail. */
export async function callApi(
  target: RemoteTarget,
  method: string,
  apiPath: string,
  body?: unknown,
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
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new RemoteError(`cannot reach Firebreak at ${target.url} (${cause})`, undefined);
  }
  const text = await response.text();
  const parsed = text.length > 0 ? safeJson(text) : null;
  if (!response.ok) {
    const detail =
      (parsed as { detail?: string } | null)?.detail ?? (text.slice(0, 200) || response.statusText);
    throw new RemoteError(`${response.status} ${detail}`, response.status);
  }
  return parsed;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
