/**
 * `kill -9` of the server while a page is at the receiver (sent, not yet answered), with the default
 * one-minute job lease: the restarted server on this host sees that the lease's holder is gone and
 * sends the page again at once, under the same Idempotency-Key, instead of a minute later.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import {
  configFor,
  createPagedService,
  withLocalStore,
  type PagedService,
} from "../support/alerting-setup.js";
import { freePort, startFirebreakProcess, type FirebreakProcess } from "../support/child-processes.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { startRecordingReceiver, type RecordingReceiver } from "../support/recording-receiver.js";
import { waitFor } from "../support/wait-for.js";

const LEASE_MS = 60_000;
const ON_LINUX = process.platform === "linux";

describeEachDialect(
  "crash safety: a page in flight when the server is killed goes out again at once",
  (dialect) => {
    let workDir: string;
    let fresh: FreshDatabase | undefined;
    let env: Record<string, string>;
    let receiver: RecordingReceiver;
    let paged: PagedService;
    let server: FirebreakProcess | undefined;

    before(async () => {
      workDir = mkdtempSync(path.join(tmpdir(), `firebreak-lease-${dialect}-`));
      receiver = await startRecordingReceiver();
      env = {
        FIREBREAK_DATA_DIR: path.join(workDir, "data"),
        FIREBREAK_JOB_LEASE_MS: String(LEASE_MS),
        FIREBREAK_SECRET_KEY: "lease-test-link-signing-key-0123456789abcdef",
      };
      if (dialect === "postgres") {
        fresh = await createFreshDatabase("postgres", { migrate: false });
        await fresh.handle.close();
        if (fresh.location.kind === "postgres") env.FIREBREAK_DATABASE_URL = fresh.location.url;
      }
      paged = await withLocalStore(configFor(env), ({ deps }) =>
        createPagedService(deps, { name: `lease ${dialect}`, receiverUrl: receiver.url, kinds: ["webhook"] }),
      );
    });

    after(async () => {
      await server?.stop("SIGKILL");
      await receiver?.close();
      await fresh?.drop();
      rmSync(workDir, { recursive: true, force: true });
    });

    it("re-sends the page well before the killed process's lease would have expired", async (t) => {
      if (!ON_LINUX) return t.skip("a dead holder is recognised through /proc (Linux)");
      const port = await freePort();
      server = await startFirebreakProcess(env, { port, name: `firebreak (${dialect})` });
      receiver.hold(true);
      const postedAt = Date.now();
      const res = await fetch(`${server.baseUrl}/integrations/webhook/${paged.keys.webhook}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ summary: "killed mid-page", dedup_key: "lease-1", status: "firing" }),
      });
      assert.equal(res.status, 200, await res.text());
      // Both the page and the channel message reached the receiver; neither send has its answer.
      const pageKey = await waitFor(
        () =>
          receiver.heldCount() >= 2 && [...receiver.byKey().keys()].find((key) => key.startsWith("page:")),
        { timeoutMs: 30_000, intervalMs: 20, what: "the page and channel message held at the receiver" },
      );
      const exit = await server.stop("SIGKILL");
      assert.equal(exit.signal, "SIGKILL");
      receiver.hold(false);
      receiver.release();

      server = await startFirebreakProcess(env, { port, name: `firebreak (${dialect}, restarted)` });
      const resent = await waitFor(() => receiver.byKey().get(pageKey)?.[1], {
        timeoutMs: LEASE_MS + 30_000,
        intervalMs: 50,
        what: "the page sent again",
      });
      // The claim came after the alert was posted, so its lease ran until postedAt + LEASE_MS at least.
      const waitedMs = resent.at - postedAt;
      process.stderr.write(
        `# ${dialect}: page sent again ${waitedMs} ms after the alert (lease ${LEASE_MS} ms)\n`,
      );
      assert.ok(
        waitedMs < LEASE_MS / 2,
        `sent again ${waitedMs} ms after the alert, not after the lease\n${server.output().slice(-3_000)}`,
      );
      const channelKey = [...receiver.byKey().keys()].find((key) => key.startsWith("channel:"));
      assert.ok(channelKey && receiver.byKey().get(channelKey)!.length >= 2, "the channel message too");
      assert.equal(receiver.byKey().size, 2, "the same two idempotency keys, no new message");
      const stopped = await server.stop("SIGTERM");
      assert.equal(stopped.code, 0, server.output().slice(-3_000));
    });
  },
);
