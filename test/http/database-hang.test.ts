import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { EngineEvents } from "../../src/engine/events.js";
import {
  createIngestService,
  createPolicyPagingOneResponder,
  type IngestService,
} from "../support/alerting-setup.js";
import { describeOnPostgres } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import { RecordingSender } from "../support/recording-sender.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { waitFor } from "../support/wait-for.js";

// A PostgreSQL that accepts connections and never answers (a hung server, a host gone without a
// reset) must not hold requests or the job engine: ingest answers 503 with Retry-After within the
// configured timeouts, the engine's claims fail and it polls on, and everything works once it answers.

const CONNECT_TIMEOUT_MS = 500;
const QUERY_TIMEOUT_MS = 1_000;
/** The driver gives up 1 s after statement_timeout; the rest is slack for a loaded machine. */
const ANSWER_WITHIN_MS = QUERY_TIMEOUT_MS + 1_000 + 3_000;

describeOnPostgres("a database that hangs", () => {
  let proxy: TcpProxy;
  let fb: TestFirebreak;
  let events: EngineEvents;
  let ingest: IngestService;
  const clock = new FakeClock();
  const sender = new RecordingSender();
  let alertCounter = 0;

  before(async () => {
    proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    fb = await startTestFirebreak({
      dialect: "postgres",
      clock,
      sender,
      env: {
        FIREBREAK_ENGINE_POLL_MS: "20",
        FIREBREAK_PG_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
        FIREBREAK_PG_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      },
      databaseUrl: (url) => proxy.through(url),
    });
    events = fb.running.runner!.events;
    // Pages the responder, and again 5 minutes later if nobody acknowledged.
    const policy = await createPolicyPagingOneResponder(fb, {
      policyName: "hang policy",
      email: "hang-oncall@example.com",
      delayMinutes: 5,
      repeatCount: 1,
    });
    ingest = await createIngestService(fb.running.deps, {
      name: "hang",
      kinds: ["pagerduty"],
      escalationPolicyId: policy.id,
    });
  });
  after(async () => {
    proxy?.resume();
    await fb?.close();
    await proxy?.close();
  });

  const pageSent = () => events.next("job:succeeded", ({ job }) => job.kind === "notification.send");
  const trigger = () =>
    fb.http.inject({
      method: "POST",
      url: "/v2/enqueue",
      payload: pagerDutyTrigger({
        routingKey: ingest.keys.pagerduty,
        dedupKey: `hang-${++alertCounter}`,
        summary: "database hangs",
        source: "db-1",
      }),
    });

  it("ingest answers 503 with Retry-After in time, the engine polls on, and all works once the database answers", async () => {
    const paged = pageSent();
    const first = await trigger();
    assert.equal(first.statusCode, 202, first.body);
    await paged;
    assert.equal(sender.sent.length, 1);

    let claimErrors = 0;
    const off = events.on("runner:error", () => void claimErrors++);
    proxy.pause();
    try {
      const started = performance.now();
      const refused = await trigger();
      const elapsedMs = performance.now() - started;
      assert.equal(refused.statusCode, 503, refused.body);
      assert.match(
        refused.body,
        /"status":"error","message":"the database (did not answer in time|cannot be reached); try again"/,
      );
      assert.equal(refused.headers["retry-after"], "5");
      assert.ok(elapsedMs < ANSWER_WITHIN_MS, `answered after ${elapsedMs} ms`);
      // Each claim gives up at a timeout and the loop tries again: it is not stuck on one statement.
      // The first claims may fail on connections already open; once those are dropped, new ones are held.
      await waitFor(() => claimErrors >= 2 && proxy.held >= 1, {
        timeoutMs: 3 * ANSWER_WITHIN_MS,
        what: "two failed claims, and a new connection held, while the database hangs",
      });
      assert.ok(proxy.held >= 1, "new connections were accepted and never answered");
    } finally {
      off();
      proxy.resume();
    }

    // The escalation's repeat comes due after the pause: the engine runs it.
    const repeated = pageSent();
    clock.advance(5 * MINUTE);
    await repeated;
    assert.equal(sender.sent.length, 2, "the first page and its repeat");
    const again = await trigger();
    assert.equal(again.statusCode, 202, again.body);
  });
});
