import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, it } from "node:test";
import pg from "pg";
import type { NotificationSender } from "../../src/app/ports/notifications.js";
import type { EngineEvents } from "../../src/engine/events.js";
import {
  createIngestService,
  createPolicyPagingOneResponder,
  type IngestService,
} from "../support/alerting-setup.js";
import { describeOnPostgres } from "../support/dialects.js";
import { FakeClock, MINUTE, SECOND } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import { RecordingSender } from "../support/recording-sender.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

// A page must survive a database outage: one that comes due while PostgreSQL cannot be reached goes
// out once it is back, and one whose record was lost after it was sent is recorded by the job's next
// run without going out again (a process that died meanwhile would re-send it with the same
// idempotency key, which the receiver uses to keep one). The whole server runs, polling every 20 ms.

/** A RecordingSender that calls `beforeAnswer` after each send, before Firebreak hears back. */
class HookedSender implements NotificationSender {
  readonly recording = new RecordingSender();
  beforeAnswer: () => void = () => undefined;
  async send(...args: Parameters<NotificationSender["send"]>) {
    const result = await this.recording.send(...args);
    this.beforeAnswer();
    return result;
  }
}

describeOnPostgres("pages through a database outage", () => {
  let proxy: TcpProxy;
  let fb: TestFirebreak;
  let events: EngineEvents;
  let ingest: IngestService;
  let admin: pg.Client;
  const clock = new FakeClock();
  const sender = new HookedSender();
  let alertCounter = 0;

  before(async () => {
    proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    let directUrl = "";
    fb = await startTestFirebreak({
      dialect: "postgres",
      clock,
      sender,
      env: { FIREBREAK_ENGINE_POLL_MS: "20" },
      databaseUrl: (url) => {
        directUrl = url;
        return proxy.through(url);
      },
    });
    events = fb.running.runner!.events;
    admin = new pg.Client({ connectionString: directUrl });
    await admin.connect();
    // Pages the responder, and again 5 minutes later if nobody acknowledged.
    const policy = await createPolicyPagingOneResponder(fb, {
      policyName: "outage policy",
      email: "outage-oncall@example.com",
      delayMinutes: 5,
      repeatCount: 1,
    });
    ingest = await createIngestService(fb.running.deps, {
      name: "outage",
      kinds: ["pagerduty"],
      escalationPolicyId: policy.id,
    });
  });
  after(async () => {
    await admin?.end();
    await fb?.close();
    await proxy?.close();
  });
  beforeEach(() => {
    sender.recording.clear();
    sender.beforeAnswer = () => undefined;
  });
  afterEach(() => proxy.up());

  const pageSent = () => events.next("job:succeeded", ({ job }) => job.kind === "notification.send");
  const runnerErrors = (atLeast: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      const off = events.on("runner:error", () => {
        if (++seen < atLeast) return;
        off();
        resolve();
      });
    });
  const trigger = async () => {
    const sent = pageSent();
    const res = await fb.http.inject({
      method: "POST",
      url: "/v2/enqueue",
      payload: pagerDutyTrigger({
        routingKey: ingest.keys.pagerduty,
        dedupKey: `outage-${++alertCounter}`,
        summary: "disk full",
        source: "db-1",
      }),
    });
    assert.equal(res.statusCode, 202, res.body);
    return sent;
  };
  const keysSent = () => sender.recording.sent.map((s) => s.idempotencyKey);

  it("a page that came due while the database could not be reached goes out once it is back", async () => {
    await trigger();
    assert.equal(keysSent().length, 1);
    proxy.down();
    // The escalation's repeat is due now; every claim fails while the database is away.
    clock.advance(5 * MINUTE);
    await runnerErrors(3);
    const repeated = pageSent();
    proxy.up();
    await repeated;
    const keys = keysSent();
    assert.equal(keys.length, 2, "the first page and its repeat");
    assert.equal(new Set(keys).size, 2, "two deliveries, each sent once");
    const { rows } = await admin.query<{ pending: string }>(
      "select count(*) as pending from jobs where kind = 'notification.send'",
    );
    assert.equal(Number(rows[0]!.pending), 0, "nothing left to send");
  });

  it("a page whose record was lost after the send is recorded as sent once the database is back, not sent again", async () => {
    // The database goes away after the receiver got the page and before Firebreak records it.
    sender.beforeAnswer = () => {
      sender.beforeAnswer = () => undefined;
      proxy.down();
    };
    const failed = runnerErrors(2);
    const page = trigger();
    await failed;
    assert.equal(keysSent().length, 1);
    const retried = events.next("job:retried", ({ job }) => job.kind === "notification.send");
    proxy.up();
    // The worker holding the lease writes the job's retry once the database is back (no wait for the
    // 60 s lease); the retry runs after its backoff and records the kept outcome.
    const { runAt } = await retried;
    assert.ok(runAt.getTime() - clock.now().getTime() < 2 * SECOND, "due after its first backoff");
    clock.advance(Math.max(0, runAt.getTime() - clock.now().getTime()));
    await page;
    const keys = keysSent();
    assert.equal(keys.length, 1, "the engine kept the send's outcome: nothing went out twice");
    const { rows } = await admin.query<{ id: string; status: string }>(
      "select id, status from deliveries where idempotency_key = $1",
      [keys[0]],
    );
    assert.deepEqual(
      rows.map((r) => r.status),
      ["sent"],
    );
    const { rows: entries } = await admin.query<{ kind: string }>(
      "select kind from timeline_entries where data_json like $1",
      [`%${rows[0]!.id}%`],
    );
    assert.deepEqual(
      entries.map((e) => e.kind),
      ["notification.sent"],
    );
  });
});
