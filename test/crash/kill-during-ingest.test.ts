/**
 * Crash safety of the real server process (`firebreak serve`), on SQLite and on a fresh PostgreSQL
 * database: a PagerDuty-style sender streams alerts with distinct dedup keys, 8 at a time, retrying what
 * got no 2xx (as Alertmanager does); the server is killed with SIGKILL four times at different moments
 * and restarted on the same database:
 *
 *   1. a third into the stream: requests and notification sends in flight;
 *   2. two thirds in, with the receiver holding its answers: the receiver has the notification, the server
 *      has not heard back (so it must send it again, under the same Idempotency-Key);
 *   3. moments after that restart, as the new process starts on the dead one's leased jobs;
 *   4. right after the last alert was accepted: the notification backlog (if any is left) is going out.
 *
 * The service's policy pages one person through a `webhook` contact method and tells a shared `webhook`
 * channel, both pointed at a local receiver that records every request's Idempotency-Key and body.
 * Afterwards:
 *
 *  - every alert that got a 2xx is stored, exactly one alert per dedup key, each with its own incident;
 *  - every expected notification (one page to the person and one channel message per incident) reached
 *    the receiver at least once, and the distinct idempotency keys that arrived are exactly the expected
 *    ones: none lost, none planned twice; each delivery row ends `sent`;
 *  - duplicates (the at-least-once part: a send the crash cut off before it was recorded) are counted and
 *    reported; a duplicate never carries a different message (channel messages byte for byte; a person's
 *    page apart from its signed action links, see the todo test at the end).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Config } from "../../src/server/config.js";
import {
  configFor,
  createPagedService,
  openLocalStore,
  withLocalStore,
  type PagedService,
} from "../support/alerting-setup.js";
import { freePort, startFirebreakProcess, type FirebreakProcess } from "../support/child-processes.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { startTestFirebreak } from "../support/firebreak-harness.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import {
  startRecordingReceiver,
  type ReceivedRequest,
  type RecordingReceiver,
} from "../support/recording-receiver.js";
import { waitFor } from "../support/wait-for.js";

const ALERTS = Number(process.env.CRASH_ALERTS ?? 240);
const CONCURRENCY = 8;
const WAIT = { timeoutMs: 90_000, intervalMs: 50 };

/** A person's page with its signed acknowledge/resolve links left out (they carry the send time). */
const withoutActionLinks = (body: string): string => {
  try {
    const parsed = JSON.parse(body) as { incident?: Record<string, unknown> };
    if (parsed.incident) {
      delete parsed.incident.acknowledgeUrl;
      delete parsed.incident.resolveUrl;
    }
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
};

describeEachDialect(
  "crash safety: SIGKILL while alerts stream in, restart on the same database",
  (dialect) => {
    let workDir: string;
    let fresh: FreshDatabase | undefined;
    let env: Record<string, string>;
    let config: Config;
    let receiver: RecordingReceiver;
    let paged: PagedService;
    let port: number;
    let server: FirebreakProcess | undefined;

    before(async () => {
      workDir = mkdtempSync(path.join(tmpdir(), `firebreak-crash-${dialect}-`));
      // A little latency at the receiver widens the window between a send and its record.
      receiver = await startRecordingReceiver({ delayMs: () => Math.floor(Math.random() * 25) });
      env = {
        FIREBREAK_DATA_DIR: path.join(workDir, "data"),
        // A killed process leaves its claimed jobs leased; keep the lease short so the next one takes them soon.
        FIREBREAK_JOB_LEASE_MS: "2000",
        FIREBREAK_ENGINE_POLL_MS: "200",
        FIREBREAK_SECRET_KEY: "crash-test-link-signing-key-0123456789abcdef",
      };
      if (dialect === "postgres") {
        fresh = await createFreshDatabase("postgres", { migrate: false });
        await fresh.handle.close();
        if (fresh.location.kind === "postgres") env.FIREBREAK_DATABASE_URL = fresh.location.url;
      }
      config = configFor(env);
      paged = await withLocalStore(config, ({ deps }) =>
        createPagedService(deps, {
          name: `crash ${dialect}`,
          receiverUrl: receiver.url,
          kinds: ["pagerduty"],
          rateLimitPerMinute: 10_000_000,
        }),
      );
      port = await freePort();
    });

    after(async () => {
      await server?.stop("SIGKILL");
      await receiver?.close();
      await fresh?.drop();
      rmSync(workDir, { recursive: true, force: true });
    });

    it(`${ALERTS} alerts, killed 4 times: every accepted alert stored once, every notification delivered, none planned twice`, async () => {
      server = await startFirebreakProcess(env, { port, name: `firebreak (${dialect})` });
      const baseUrl = server.baseUrl;
      let up = true;
      const kills: string[] = [];

      const kill = async (moment: string) => {
        up = false;
        const exit = await server!.stop("SIGKILL");
        assert.equal(
          exit.signal,
          "SIGKILL",
          `${moment}: the process died of SIGKILL (${JSON.stringify(exit)})\n${server!.output().slice(-3_000)}`,
        );
        kills.push(
          `${moment} (accepted ${accepted.size}/${ALERTS}, receiver had ${receiver.received.length} requests)`,
        );
      };
      const restart = async () => {
        server = await startFirebreakProcess(env, {
          port,
          name: `firebreak (${dialect}, after ${kills.length} kills)`,
        });
        up = true;
      };

      // ── the sender: distinct dedup keys, retried until a 2xx (connection errors and 5xx), like Alertmanager ──
      const accepted = new Map<string, number>();
      let attempts = 0;
      let failedAttempts = 0;
      const dedupKeys = Array.from({ length: ALERTS }, (_, i) => `crash-${dialect}-${i}`);
      const sendOne = async (dedupKey: string) => {
        const body = JSON.stringify(
          pagerDutyTrigger({
            routingKey: paged.keys.pagerduty,
            dedupKey,
            summary: `Crash test alert ${dedupKey}`,
            source: "crash-test",
            customDetails: { n: dedupKey },
          }),
        );
        const giveUpAt = Date.now() + 90_000;
        for (let attempt = 1; ; attempt++) {
          attempts++;
          try {
            const res = await fetch(`${baseUrl}/v2/enqueue`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body,
              signal: AbortSignal.timeout(10_000),
            });
            const text = await res.text();
            if (res.status === 202) {
              assert.equal((JSON.parse(text) as { dedup_key: string }).dedup_key, dedupKey);
              accepted.set(dedupKey, attempt);
              return;
            }
            // A 4xx is not a crash artefact: the event itself was refused. Stop and say so.
            if (res.status < 500 && res.status !== 429)
              throw new Error(`${dedupKey}: refused with ${res.status}: ${text}`);
          } catch (err) {
            if ((err as Error).message.includes("refused with")) throw err;
          }
          failedAttempts++;
          if (Date.now() > giveUpAt) throw new Error(`${dedupKey}: no 2xx after ${attempt} attempts`);
          const pauseUntil = Date.now() + 20;
          await waitFor(() => up && Date.now() >= pauseUntil, {
            timeoutMs: 60_000,
            intervalMs: 10,
            what: "the server to be back",
          });
        }
      };
      let next = 0;
      const senders = Array.from({ length: CONCURRENCY }, async () => {
        while (next < dedupKeys.length) await sendOne(dedupKeys[next++]!);
      });

      // ── the killer ──
      const killer = (async () => {
        await waitFor(() => accepted.size >= ALERTS / 3, { ...WAIT, what: "a third of the stream" });
        await kill("kill 1: a third into the stream");
        await restart();

        await waitFor(() => accepted.size >= (2 * ALERTS) / 3, { ...WAIT, what: "two thirds of the stream" });
        receiver.hold(true);
        await waitFor(() => receiver.heldCount() >= 3 || accepted.size === ALERTS, {
          timeoutMs: 30_000,
          intervalMs: 10,
          what: "notifications held at the receiver",
        });
        const held = receiver.heldCount();
        await kill(`kill 2: two thirds in, ${held} notifications received but not answered`);
        receiver.hold(false);
        receiver.release();
        await restart();

        const acceptedBefore = accepted.size;
        await waitFor(() => accepted.size > acceptedBefore || accepted.size === ALERTS, {
          ...WAIT,
          intervalMs: 5,
          what: "the restarted server's first accepted alert",
        });
        await kill("kill 3: moments after a restart, as the new process takes over the dead one's work");
        await restart();
      })();
      await Promise.all([...senders, killer]);

      await kill("kill 4: right after the last alert was accepted");
      await restart();

      // ── what the database says ──
      const reader = await openLocalStore(config);
      try {
        assert.equal(accepted.size, ALERTS, "every alert eventually got a 2xx");
        const alerts = await reader.store.run((tx) =>
          tx.alerts.list({ serviceId: paged.service.id, limit: 100_000 }),
        );
        const perKey = new Map<string, number>();
        for (const a of alerts) perKey.set(a.dedupKey, (perKey.get(a.dedupKey) ?? 0) + 1);
        const missing = [...accepted.keys()].filter((k) => !perKey.has(k));
        const doubled = [...perKey].filter(([, n]) => n > 1).map(([k]) => k);
        assert.deepEqual(missing, [], "every alert that got a 2xx is stored");
        assert.deepEqual(doubled, [], "exactly one alert per dedup key");
        assert.equal(alerts.length, ALERTS, "no alert that was never sent");
        const incidentIds = new Set(alerts.map((a) => a.incidentId));
        assert.ok(!incidentIds.has(null), "every alert opened (or joined) an incident");
        assert.equal(incidentIds.size, ALERTS, "each dedup key is its own incident");

        // ── what the receiver got ──
        const expected = new Map<string, "/person" | "/channel">();
        for (const id of incidentIds) {
          expected.set(`page:${id}:v0:${paged.userId}:${paged.contactMethodId}:0`, "/person");
          expected.set(`channel:${id}:triggered:v0`, "/channel");
        }
        await waitFor(
          () => {
            const got = receiver.byKey();
            return [...expected.keys()].every((k) => got.has(k));
          },
          { ...WAIT, what: `all ${expected.size} notifications at the receiver` },
        ).catch((err: unknown) => {
          const got = receiver.byKey();
          const lost = [...expected.keys()].filter((k) => !got.has(k));
          throw new Error(
            `${(err as Error).message}: ${lost.length} never arrived, e.g. ${lost.slice(0, 3).join(", ")}\n${server!.output().slice(-3_000)}`,
          );
        });
        const byKey = receiver.byKey();
        const unexpected = [...byKey.keys()].filter((k) => !expected.has(k));
        assert.deepEqual(
          unexpected,
          [],
          "no notification that was not planned (and none without an Idempotency-Key)",
        );
        assert.equal(
          byKey.size,
          expected.size,
          "distinct idempotency keys = expected deliveries: none lost, none planned twice",
        );
        for (const [key, requests] of byKey) {
          for (const r of requests) assert.equal(r.path, expected.get(key), `${key} went to ${r.path}`);
        }

        const duplicates = [...byKey].filter(([, requests]) => requests.length > 1);
        const extraSends = duplicates.reduce((n, [, requests]) => n + requests.length - 1, 0);
        const rawBodyDiffers = duplicates
          .filter(([, requests]) => new Set(requests.map((r) => r.body)).size > 1)
          .map(([k]) => k);
        const bodyDiffers = duplicates
          .filter(
            ([key, requests]) =>
              new Set(
                requests.map((r: ReceivedRequest) =>
                  key.startsWith("page:") ? withoutActionLinks(r.body) : r.body,
                ),
              ).size > 1,
          )
          .map(([k]) => k);
        process.stderr.write(
          `# ${dialect}: ${ALERTS} alerts, ${attempts} requests (${failedAttempts} failed and retried); kills: ${kills.join("; ")}\n` +
            `# ${dialect}: receiver: ${receiver.received.length} requests, ${byKey.size} distinct idempotency keys (${expected.size} expected), ` +
            `${duplicates.length} keys delivered more than once (${extraSends} extra sends); ${rawBodyDiffers.length} of them with a different raw body ` +
            `(${rawBodyDiffers.filter((k) => k.startsWith("page:")).length} person pages, ${rawBodyDiffers.filter((k) => k.startsWith("channel:")).length} channel messages)\n`,
        );
        assert.deepEqual(bodyDiffers, [], "a duplicate carries the same message as the first send");

        // ── every delivery row ends sent, exactly the two planned per incident ──
        await waitFor(
          async () => {
            const deliveries = await reader.store.run(async (tx) =>
              (await Promise.all([...incidentIds].map((id) => tx.deliveries.listForIncident(id!)))).flat(),
            );
            return deliveries.length === expected.size && deliveries.every((d) => d.status === "sent")
              ? deliveries
              : undefined;
          },
          { ...WAIT, what: "every delivery recorded as sent" },
        ).then((deliveries) => {
          assert.deepEqual(new Set(deliveries.map((d) => d.idempotencyKey)), new Set(expected.keys()));
        });
      } finally {
        await reader.close();
      }

      const exit = await server.stop("SIGTERM");
      assert.equal(
        exit.code,
        0,
        `a clean stop after all that exits 0 (${JSON.stringify(exit)})\n${server.output().slice(-3_000)}`,
      );
    });

    it(
      "a page sent again (after a retryable failure) carries the same body under the same Idempotency-Key",
      {},
      async () => {
        const flaky = await startRecordingReceiver({ failFirstAttemptStatus: 503 });
        const fb = await startTestFirebreak({ dialect });
        try {
          const service = await createPagedService(fb.running.deps, {
            name: "retried page",
            receiverUrl: flaky.url,
            kinds: ["webhook"],
          });
          const res = await fb.http.inject({
            method: "POST",
            url: `/integrations/webhook/${service.keys.webhook}`,
            payload: { summary: "retried page", dedup_key: "retry-1" },
          });
          assert.equal(res.statusCode, 200, res.body);
          const page = await waitFor(
            () =>
              [...flaky.byKey()].find(([key, requests]) => key.startsWith("page:") && requests.length >= 2),
            {
              ...WAIT,
              what: "the page and its retry",
            },
          );
          const [first, second] = page[1].map(
            (r) => (JSON.parse(r.body) as { incident: Record<string, unknown> }).incident,
          );
          const differing = Object.keys(first!).filter(
            (field) => JSON.stringify(first![field]) !== JSON.stringify(second![field]),
          );
          assert.deepEqual(differing, [], "the retry of a delivery is the same message");
        } finally {
          await fb.close();
          await flaky.close();
        }
      },
    );
  },
);
