// The ceiling of a raw-intake design on this machine: a Fastify route that checks the integration
// key against a map in memory, appends each request's body as one row (SQLite, WAL), commits the
// requests of one event-loop turn together and answers 200 only after an fdatasync of the WAL (as
// Firebreak's SqliteWalSync does). No alert is processed and nothing is sent: whatever a real intake
// design does on top (the processing in batches behind it, the notifications) comes out of what is
// left of the two cores. Driven by the alerts bench's own load generator on the same cores.
// With --beside-alertmanager it also measures Alertmanager 0.25 (webhook receiver, group_wait 0s, one
// notification per alert, as the alerts bench sets it up) with the same load generator, right after.
//   npx tsx bench/support/intake-floor.ts [--beside-alertmanager]
import Database from "better-sqlite3";
import Fastify from "fastify";
import { fdatasync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAlertmanager } from "../alerts-bench.js";
import { driveFloor, driveUrl } from "./floor-driver.js";
import { NotificationReceiver } from "./receiver.js";

interface Waiting {
  readonly integrationId: string;
  readonly body: string;
  readonly done: () => void;
}

async function serve(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "fb-intake-floor-"));
  const db = new Database(join(dir, "intake.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(
    "create table intake (id integer primary key, integration_id text not null, received_at_ms integer not null, body text not null)",
  );
  const insert = db.prepare("insert into intake (integration_id, received_at_ms, body) values (?, ?, ?)");
  const walFd = openSync(join(dir, "intake.db-wal"), "r+");
  const integrations = new Map([["bench-key", "integration-1"]]);

  let waiting: Waiting[] = [];
  let scheduled = false;
  const commitGroup = (): void => {
    scheduled = false;
    const group = waiting;
    waiting = [];
    const now = Date.now();
    db.transaction(() => {
      for (const w of group) insert.run(w.integrationId, now, w.body);
    })();
    fdatasync(walFd, () => group.forEach((w) => w.done()));
  };

  const app = Fastify({ logger: false });
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, text, done) => {
    try {
      JSON.parse(text as string);
      done(null, text);
    } catch {
      done(Object.assign(new Error("body is not JSON"), { statusCode: 400 }));
    }
  });
  app.post<{ Params: { key: string } }>("/int/:key/api/v2/alerts", async (request, reply) => {
    const integrationId = integrations.get(request.params.key);
    if (integrationId === undefined) return reply.code(404).send("no such integration");
    await new Promise<void>((done) => {
      waiting.push({ integrationId, body: request.body as string, done });
      if (!scheduled) {
        scheduled = true;
        setImmediate(commitGroup);
      }
    });
    return reply.code(200).send("");
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  process.once("SIGTERM", () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
  process.send?.(address);
}

if (process.argv[2] === "serve") {
  await serve();
} else {
  await driveFloor(
    process.argv[1]!,
    "/int/bench-key/api/v2/alerts",
    "raw intake (one row a request, fdatasync before 200)",
  );
  if (process.argv.includes("--beside-alertmanager")) {
    const receiver = new NotificationReceiver();
    await receiver.start();
    const alertmanager = await startAlertmanager(receiver);
    try {
      await driveUrl(alertmanager.alertsUrl, alertmanager.pid, alertmanager.name);
    } finally {
      await alertmanager.stop();
      await receiver.stop();
    }
  }
}
