import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { acknowledge } from "../../src/app/incidents/incident-actions.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { alertmanagerBody } from "./alerting-helpers.js";
import { eventReader, getEventStream } from "./event-stream.js";
import { assertProblem } from "./problem-assertions.js";

const system = { actor: systemActor("test"), requestId: null };

const INCIDENT_EVENT = /event: incident\ndata: (.*)\n\n/;

describe("live incident updates (Server-Sent Events)", () => {
  let fb: TestFirebreak;
  let key: string;
  let integrationKey: string;

  before(async () => {
    fb = await startTestFirebreak({ listen: true, startEngine: false, sender: new RecordingSender() });
    key = await fb.apiKey("viewer");
    const service = await createService(fb.running.deps, system, { name: "storage" });
    integrationKey = (
      await createIntegration(fb.running.deps, system, { serviceId: service.id, kind: "alertmanager" })
    ).key;
  });
  after(() => fb.close());

  const openStream = async (signal: AbortSignal) => {
    const res = await getEventStream(`${fb.baseUrl}/api/v1/incidents/stream`, {
      headers: { authorization: `Bearer ${key}` },
      signal,
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers["content-type"] ?? "", /^text\/event-stream/);
    assert.equal(res.headers["cache-control"], "no-store");
    const events = eventReader(res);
    await events.until(/: connected\n\n/);
    return events;
  };

  it("needs credentials like every API route", async () => {
    assertProblem(
      await fb.http.inject({ method: "GET", url: "/api/v1/incidents/stream" }),
      401,
      "UNAUTHENTICATED",
    );
  });

  it(
    "sends an incident event when an alert opens an incident, and again when it is acknowledged",
    { timeout: 20_000 },
    async () => {
      const abort = new AbortController();
      try {
        const events = await openStream(abort.signal);
        const posted = await fb.http.inject({
          method: "POST",
          url: `/integrations/alertmanager/${integrationKey}`,
          payload: alertmanagerBody("firing"),
        });
        assert.equal(posted.statusCode, 200);

        const opened = JSON.parse((await events.until(INCIDENT_EVENT))[1]!) as Record<string, unknown>;
        const incident = (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!;
        assert.deepEqual(opened, {
          id: incident.id,
          number: incident.number,
          state: "triggered",
          title: "DiskAlmostFull on db-7",
          serviceId: incident.serviceId,
          updatedAt: incident.updatedAt.toISOString(),
        });

        await acknowledge(fb.running.deps, system, incident.id);
        const acked = JSON.parse((await events.until(INCIDENT_EVENT))[1]!) as Record<string, unknown>;
        assert.equal(acked.id, incident.id);
        assert.equal(acked.state, "acknowledged");
      } finally {
        abort.abort();
      }
    },
  );

  it("a stopping server ends the streams still open", { timeout: 20_000 }, async () => {
    const events = await openStream(new AbortController().signal);
    await fb.close();
    await events.ended();
  });
});
