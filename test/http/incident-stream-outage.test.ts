// The incident stream through a database outage, on PostgreSQL behind a proxy the test takes down: the
// stream stays open (so its heartbeats alone would look live) and says `unavailable` once, with why;
// once a read works again it says `available`, then sends what changed meanwhile.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { PG_ADMIN_URL, describeOnPostgres } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { eventReader, getEventStream } from "./event-stream.js";

const UNAVAILABLE = /event: unavailable\ndata: (.*)\n\n/;
const INCIDENT = /event: incident\ndata: (.*)\n\n/;

describeOnPostgres("the incident stream while the database is down", () => {
  let fb: TestFirebreak;
  let database: TcpProxy;
  let adminKey = "";
  let serviceId = "";

  before(async () => {
    const pgAddress = new URL(PG_ADMIN_URL);
    database = await startTcpProxy({ host: pgAddress.hostname, port: Number(pgAddress.port || 5432) });
    fb = await startTestFirebreak({
      listen: true,
      startEngine: false,
      dialect: "postgres",
      databaseUrl: (url) => database.through(url),
    });
    adminKey = await fb.apiKey("admin");
    const service = await fetch(`${fb.baseUrl}/api/v1/services`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Checkout API" }),
    });
    assert.equal(service.status, 201, await service.clone().text());
    serviceId = ((await service.json()) as { id: string }).id;
  });

  after(async () => {
    database?.up();
    await fb?.close();
    await database?.close();
  });

  it(
    "says unavailable once with the reason, then available, then the incidents that changed",
    { timeout: 30_000 },
    async () => {
      const abort = new AbortController();
      try {
        const res = await getEventStream(`${fb.baseUrl}/api/v1/incidents/stream`, {
          headers: { authorization: `Bearer ${adminKey}` },
          signal: abort.signal,
        });
        assert.equal(res.statusCode, 200);
        const events = eventReader(res);
        await events.until(/: connected\n\n/);

        database.down();
        try {
          const [, data] = await events.until(UNAVAILABLE);
          assert.deepEqual(JSON.parse(data!), { reason: "the database cannot be reached; try again" });
          // The stream stays open through two more of its 2 s polls, which fail too.
          await new Promise((resolve) => setTimeout(resolve, 4_500));
        } finally {
          database.up();
        }
        const [next] = await events.until(/event: (?:unavailable|available)\n/);
        assert.equal(next, "event: available\n", "unavailable is said once per outage");
        await events.until(/data: \{\}\n\n/);

        const paged = await fetch(`${fb.baseUrl}/api/v1/incidents`, {
          method: "POST",
          headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
          body: JSON.stringify({ service: serviceId, summary: "Card payments time out" }),
        });
        assert.equal(paged.status, 201, await paged.clone().text());
        const [, incident] = await events.until(INCIDENT);
        assert.equal((JSON.parse(incident!) as { title: string }).title, "Card payments time out");
      } finally {
        abort.abort();
      }
    },
  );
});
