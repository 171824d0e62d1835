// Shared by the *.fuzz.test.ts suites of the ingest endpoints: fuzz settings, the property runner, the
// per-dialect Firebreak each suite fuzzes, and the per-endpoint property test.

/**
 * Hostile input at every ingestion endpoint, through the whole HTTP stack (Fastify's body parsing,
 * content-type handling, routes, use case, store), on both databases. fast-check generates arbitrary
 * JSON, valid bodies with fields deleted / replaced / retyped / made huge / nested deep / given
 * prototype-pollution keys or hostile Unicode, wrong content types, invalid UTF-8, truncated and empty
 * bodies, bad keys. For every request:
 *
 *  - never a 5xx, only 2xx or 4xx;
 *  - the body is in the endpoint's own format: PagerDuty's `{status, message, errors}` for /v2/enqueue and
 *    /v2/change/enqueue, Alertmanager's plain text for /api/v2/alerts (empty on 200), problem+json for the
 *    others;
 *  - a refusal names what is wrong: the field (a problem's detail says "the request body" only for the
 *    body itself), each fault once, and for a body of the wrong Content-Type, the one to send;
 *  - never a partial write: a 4xx that accepted nothing leaves alerts, incidents, change events, timeline
 *    and jobs exactly as they were (Alertmanager API v2 is the one endpoint that stores the valid alerts of
 *    a body that also holds invalid ones before its 400; there we ask the parser whether any were valid);
 *  - the server still answers /healthz.
 *
 * Four classes of input broke these properties once; they are fixed and kept out of the random
 * generators, each with a test of its own in ingest-edge-inputs.fuzz.test.ts:
 * free-form JSON nested deeper than V8's JSON.stringify recursion limit; a key path segment Fastify's
 * router refuses (its reply bypasses the endpoint's format); on PostgreSQL, an Alertmanager groupKey over
 * btree's index row limit; and on PostgreSQL, U+0000 in strings.
 *
 * FUZZ_RUNS (default 300) sets the runs per endpoint and dialect; FUZZ_SEED replays a failure.
 */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import fc from "fast-check";
import { sql } from "kysely";
import type { LightMyRequestResponse } from "fastify";
import type { IntegrationKind } from "../../src/core/alerts/records.js";
import { createIngestService } from "../support/alerting-setup.js";
import type { DialectName } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { requestArb, type FuzzRequest } from "./ingest-fuzz-arbitraries.js";
import { assertEndpointFormat, assertNamesWhatIsWrong, type Endpoint } from "./ingest-fuzz-endpoints.js";

export const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/**
 * The JSON value the server may have read from the payload: bytes decoded as UTF-8 the way Fastify decodes
 * them (invalid sequences become U+FFFD), whatever the content type said. Undefined when it is not JSON.
 */
function decodedJson(request: FuzzRequest): unknown {
  if (request.json !== undefined) return request.json;
  if (request.payload === undefined) return undefined;
  try {
    return JSON.parse(
      typeof request.payload === "string" ? request.payload : request.payload.toString("utf8"),
    ) as unknown;
  } catch {
    return undefined;
  }
}

/** fc.assert, but the report carries the failed assertion's message (Node's reporter does not print causes). */
async function assertProperty<T>(property: fc.IAsyncProperty<T>): Promise<void> {
  const details = await fc.check(property, { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) });
  if (!details.failed) return;
  const cause =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `${fc.defaultReportMessage(details)}\nFailed with: ${cause}\n(replay: FUZZ_SEED=${details.seed})`,
  );
}

/** The Firebreak one dialect's suite fuzzes, its integration keys, and the checks every answer must pass. */
export interface IngestFuzzServer {
  readonly keys: Partial<Record<IntegrationKind, string>>;
  snapshot(): Promise<Record<string, number>>;
  send(request: FuzzRequest): Promise<LightMyRequestResponse>;
  assertHealthy(): Promise<void>;
  checkOne(endpoint: Endpoint, request: FuzzRequest): Promise<LightMyRequestResponse>;
}

/**
 * Registers the suite's `before` (a Firebreak on a fresh database of the dialect, engine stopped, one
 * service with an integration of every kind) and `after` on the calling `describeEachDialect` block.
 */
export function useIngestFuzzServer(dialect: DialectName): IngestFuzzServer {
  let fb: TestFirebreak;
  const keys: Partial<Record<IntegrationKind, string>> = {};

  /** Everything an ingestion request can write, as one comparable row. */
  const snapshot = async () => {
    const { rows } = await sql<Record<string, unknown>>`
      select
        (select count(*) from alerts) as alerts,
        (select coalesce(sum(event_count), 0) from alerts) as alert_events,
        (select count(*) from alerts where status = 'resolved') as resolved_alerts,
        (select count(*) from incidents) as incidents,
        (select count(*) from change_events) as change_events,
        (select count(*) from timeline_entries) as timeline,
        (select count(*) from jobs) as jobs,
        (select count(*) from integrations where last_check_in_at is not null) as checked_in
    `.execute(fb.running.store.handle.db);
    return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
  };

  const send = (request: FuzzRequest) =>
    fb.http.inject({
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.payload !== undefined && { payload: request.payload }),
    });

  const assertHealthy = async () => {
    const health = await fb.http.inject({ method: "GET", url: "/healthz" });
    assert.equal(health.statusCode, 200, "the server still answers /healthz");
  };

  /** The properties of one answer; returns it for further checks. */
  const checkOne = async (endpoint: Endpoint, request: FuzzRequest): Promise<LightMyRequestResponse> => {
    const before = await snapshot();
    const res = await send(request);
    assert.ok(res.statusCode < 500, `never a 5xx: got ${res.statusCode} ${res.body.slice(0, 300)}`);
    assert.ok(
      res.statusCode >= 200 && res.statusCode < 500 && !(res.statusCode >= 300 && res.statusCode < 400),
      `2xx or 4xx, got ${res.statusCode}`,
    );
    assertEndpointFormat(endpoint, res);
    assertNamesWhatIsWrong(endpoint, res, request);
    if (res.statusCode >= 400) {
      const partial =
        res.statusCode === 400 &&
        endpoint.mayAcceptPartially !== undefined &&
        endpoint.mayAcceptPartially(decodedJson(request));
      if (!partial)
        assert.deepEqual(await snapshot(), before, `a ${res.statusCode} that accepted nothing wrote nothing`);
    }
    await assertHealthy();
    return res;
  };

  before(async () => {
    fb = await startTestFirebreak({ dialect, startEngine: false });
    const { keys: created } = await createIngestService(fb.running.deps, {
      name: "fuzzed",
      kinds: ["alertmanager", "prometheus", "pagerduty", "webhook", "heartbeat"],
      // The rate limit is not under test here: a 429 would hide what the parsers do.
      rateLimitPerMinute: 10_000_000,
    });
    Object.assign(keys, created);
  });
  after(() => fb?.close());

  return { keys, snapshot, send, assertHealthy, checkOne };
}

/** The random-input property test of one endpoint (RUNS runs): no 5xx, its own format, no partial write. */
export function itHoldsThePropertiesUnderFuzz(
  endpoint: Endpoint,
  dialect: DialectName,
  { keys, checkOne }: IngestFuzzServer,
): void {
  it(`${endpoint.name}: no 5xx, its own error format, no partial write, still healthy (${RUNS} runs)`, async () => {
    const own = keys[endpoint.kind]!;
    const otherKind = endpoint.kind === "webhook" ? keys.alertmanager! : keys.webhook!;
    const statuses = new Map<number, number>();
    await assertProperty(
      fc.asyncProperty(requestArb(endpoint, { own, otherKind }, dialect), async (request) => {
        const res = await checkOne(endpoint, request);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      }),
    );
    process.stderr.write(
      `# ${dialect} ${endpoint.name}: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`,
    );
    // Nothing a body said reached a prototype.
    assert.equal(Object.hasOwn(Object.prototype, "polluted"), false);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // The generators must reach the happy path too, or the properties say little.
    assert.ok(
      [...statuses.keys()].some((s) => s < 300),
      "some requests were accepted",
    );
    assert.ok(
      [...statuses.keys()].some((s) => s >= 400),
      "some requests were refused",
    );
  });
}
