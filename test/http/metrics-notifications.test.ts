/**
 * Operators could not alert on "pages are failing": /metrics said nothing of notifications. Every
 * send now counts once by its outcome in firebreak_notifications_total{kind, outcome}, and
 * firebreak_notification_receivers_held_back says how many receivers the breaker holds sends back
 * from. Real webhook receivers on 127.0.0.1 answer as told; the notifiers are the real ones.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { DEFAULT_BREAKER_POLICY } from "../../src/core/notifications/receiver-breaker.js";
import { NOTIFIER_KINDS } from "../../src/notifiers/registry.js";
import { NOTIFICATION_OUTCOMES } from "../../src/server/notification-counters.js";
import { FakeClock, HOUR } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, pathOf, type Client } from "./alerting-helpers.js";

/** A sample's value in a scrape; undefined when the series is not there. */
const sample = (body: string, series: string): number | undefined => {
  const escaped = series.replace(/[{}"|]/g, (c) => `\\${c}`);
  const value = new RegExp(`^${escaped} (\\d+)$`, "m").exec(body)?.[1];
  return value === undefined ? undefined : Number(value);
};
const webhookSeries = (outcome: string) =>
  `firebreak_notifications_total{kind="webhook",outcome="${outcome}"}`;

async function scrape(fb: TestFirebreak): Promise<string> {
  const res = await fb.http.inject({ method: "GET", url: "/metrics" });
  assert.equal(res.statusCode, 200);
  return res.body;
}

/** The webhook counters now, by outcome. */
async function webhookCounts(fb: TestFirebreak): Promise<Record<string, number>> {
  const body = await scrape(fb);
  return Object.fromEntries(
    NOTIFICATION_OUTCOMES.map((outcome) => [outcome, sample(body, webhookSeries(outcome)) ?? NaN]),
  );
}

/** How each counter moved between two readings. */
const moved = (before: Record<string, number>, now: Record<string, number>) =>
  Object.fromEntries(
    NOTIFICATION_OUTCOMES.map((outcome) => [outcome, (now[outcome] ?? 0) - (before[outcome] ?? 0)]),
  );

/** A webhook receiver that answers each POST with the next status it is told (200 once told none). */
async function startReceiver(): Promise<{
  url: string;
  answers: number[];
  received: number[];
  close(): Promise<void>;
}> {
  const answers: number[] = [];
  const received: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const status = answers.shift() ?? 200;
      received.push(status);
      res.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    answers,
    received,
    close: () => closeServer(server),
  };
}

const listen = (server: Server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe("notification counters on /metrics (all role), over real webhooks", () => {
  const clock = new FakeClock();
  let fb: TestFirebreak;
  let admin: Client;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let alertPath: string;
  let alerts = 0;

  before(async () => {
    receiver = await startReceiver();
    fb = await startTestFirebreak({ clock, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    const channel = await admin.post("/api/v1/channels", {
      name: "ops",
      kind: "webhook",
      config: { url: receiver.url },
    });
    assert.equal(channel.statusCode, 201, channel.body);
    const service = await admin.post("/api/v1/services", {
      name: "checkout",
      channelId: (channel.json() as { id: string }).id,
    });
    assert.equal(service.statusCode, 201, service.body);
    const integration = await admin.post(
      `/api/v1/services/${(service.json() as { id: string }).id}/integrations`,
      { kind: "webhook" },
    );
    assert.equal(integration.statusCode, 201, integration.body);
    alertPath = pathOf((integration.json() as { url: string }).url);
  });
  after(async () => {
    await fb?.close();
    await receiver?.close();
  });

  /** Opens an incident: the service's channel gets one message about it (a notification.send job). */
  const openIncident = async () => {
    const posted = await fb.http.inject({
      method: "POST",
      url: alertPath,
      payload: { summary: `checkout errors #${++alerts}`, dedup_key: `checkout-${alerts}`, status: "firing" },
    });
    assert.equal(posted.statusCode, 200, posted.body);
  };
  const runDue = () => fb.running.runner!.runDueOnce({ now: clock.now() });

  it("exports every registered kind and outcome at 0 before anything is sent", async () => {
    const body = await scrape(fb);
    for (const kind of NOTIFIER_KINDS) {
      for (const outcome of NOTIFICATION_OUTCOMES) {
        const series = `firebreak_notifications_total{kind="${kind}",outcome="${outcome}"}`;
        assert.equal(typeof sample(body, series), "number", series);
      }
    }
    assert.match(body, /^# TYPE firebreak_notifications_total counter$/m);
    assert.equal(sample(body, "firebreak_notification_receivers_held_back"), 0);
  });

  it("a send that gets through counts one sent", async () => {
    const before = await webhookCounts(fb);
    await openIncident();
    await runDue();
    assert.deepEqual(receiver.received.slice(-1), [200]);
    assert.deepEqual(moved(before, await webhookCounts(fb)), {
      sent: 1,
      failed_retryable: 0,
      failed_permanent: 0,
      held_back: 0,
    });
  });

  it("a send the receiver answers 503 counts failed_retryable, and its retry that gets through a sent", async () => {
    const before = await webhookCounts(fb);
    receiver.answers.push(503);
    await openIncident();
    await runDue();
    assert.deepEqual(receiver.received.slice(-1), [503]);
    assert.deepEqual(moved(before, await webhookCounts(fb)), {
      sent: 0,
      failed_retryable: 1,
      failed_permanent: 0,
      held_back: 0,
    });

    clock.advance(HOUR);
    await runDue();
    assert.deepEqual(receiver.received.slice(-1), [200], "the retry went out");
    assert.deepEqual(moved(before, await webhookCounts(fb)), {
      sent: 1,
      failed_retryable: 1,
      failed_permanent: 0,
      held_back: 0,
    });
  });

  it("a send the receiver refuses (HTTP 400) counts failed_permanent, once: it is not tried again", async () => {
    const before = await webhookCounts(fb);
    const requestsBefore = receiver.received.length;
    receiver.answers.push(400);
    await openIncident();
    await runDue();
    clock.advance(HOUR);
    await runDue();
    assert.deepEqual(receiver.received.slice(requestsBefore), [400], "one request, no retry");
    assert.deepEqual(moved(before, await webhookCounts(fb)), {
      sent: 0,
      failed_retryable: 0,
      failed_permanent: 1,
      held_back: 0,
    });
  });

  it("a receiver that stops answering is held back: the gauge rises and the sends count held_back", async () => {
    // A host that resets every connection: no answer at all, as a dead webhook gives.
    const dead = createServer();
    dead.on("connection", (socket: Socket) => socket.destroy());
    await listen(dead);
    try {
      const channel = await admin.post("/api/v1/channels", {
        name: "dead end",
        kind: "webhook",
        config: { url: `http://127.0.0.1:${(dead.address() as AddressInfo).port}/hook` },
      });
      assert.equal(channel.statusCode, 201, channel.body);
      const testUrl = `/api/v1/channels/${(channel.json() as { id: string }).id}/test`;
      const before = await webhookCounts(fb);
      const heldBefore = sample(await scrape(fb), "firebreak_notification_receivers_held_back");

      for (let i = 0; i < DEFAULT_BREAKER_POLICY.failuresToOpen; i++) {
        const res = await admin.post(testUrl);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal((res.json() as { delivered: boolean }).delivered, false);
      }
      const held = await admin.post(testUrl);
      assert.match((held.json() as { error: string }).error, /not tried/);

      const body = await scrape(fb);
      assert.equal(sample(body, "firebreak_notification_receivers_held_back"), (heldBefore ?? 0) + 1);
      assert.deepEqual(moved(before, await webhookCounts(fb)), {
        sent: 0,
        failed_retryable: DEFAULT_BREAKER_POLICY.failuresToOpen,
        failed_permanent: 0,
        held_back: 1,
      });
    } finally {
      await closeServer(dead);
    }
  });
});

describe("notification counters on /metrics (engine role)", () => {
  let fb: TestFirebreak;
  before(async () => {
    fb = await startTestFirebreak({ startEngine: false, env: { FIREBREAK_ROLE: "engine" } });
  });
  after(() => fb?.close());

  it("exports the counters and the breaker gauge, the engine being where jobs send", async () => {
    const body = await scrape(fb);
    for (const kind of NOTIFIER_KINDS) {
      const series = `firebreak_notifications_total{kind="${kind}",outcome="failed_permanent"}`;
      assert.equal(typeof sample(body, series), "number", series);
    }
    assert.equal(typeof sample(body, "firebreak_notification_receivers_held_back"), "number");
  });
});
