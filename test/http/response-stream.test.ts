import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createIncidentTask } from "../../src/app/response/attack-plan-tasks.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { eventReader, getEventStream } from "./event-stream.js";

const INCIDENT_EVENT = /event: incident\ndata: (.*)\n\n/;

describe("the incident stream hears war-room changes", () => {
  let s: ResponseScenario;
  let key: string;
  before(async () => {
    s = await startResponseScenario("sqlite", { listen: true });
    key = await s.fb.apiKey("viewer");
  });
  after(() => s.close());

  it(
    "sends an incident event when a task is added, though the incident itself did not change",
    { timeout: 20_000 },
    async () => {
      const incident = await s.openIncident("Streamed");
      await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
        severity: "SEV3",
        level: "degradation",
        onCallCanHandle: true,
      });
      const abort = new AbortController();
      try {
        const res = await getEventStream(`${s.fb.baseUrl}/api/v1/incidents/stream`, {
          headers: { authorization: `Bearer ${key}` },
          signal: abort.signal,
        });
        assert.equal(res.statusCode, 200);
        const events = eventReader(res);
        await events.until(/: connected\n\n/);
        const before = await s.fb.running.deps.uow.run((tx) => tx.incidents.findById(incident.id));
        await createIncidentTask(s.fb.running.deps, s.ada.caller, incident.id, { title: "Check the queue" });
        const event = JSON.parse((await events.until(INCIDENT_EVENT))[1]!) as {
          id: string;
          updatedAt: string;
        };
        assert.equal(event.id, incident.id);
        assert.equal(event.updatedAt, before!.updatedAt.toISOString(), "the incident row is unchanged");
      } finally {
        abort.abort();
      }
    },
  );
});
