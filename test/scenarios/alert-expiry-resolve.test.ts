import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";

// Prometheus resends a firing alert with an endsAt a few evaluations ahead; one that stops coming
// expires. That is how a fix looks, and also how a sender that went quiet looks: the incident's
// resolution says both, unlike one whose alert the source resolved.

const admin = { actor: systemActor("scenario"), requestId: null };

describeEachDialect("an incident whose alerts expire (fake clock)", (dialect) => {
  let fb: TestFirebreak;
  const clock = new FakeClock();
  let key: string;

  before(async () => {
    fb = await startTestFirebreak({ dialect, clock, sender: new RecordingSender(), startEngine: false });
    const service = await createService(fb.running.deps, admin, { name: "api" });
    key = (await createIntegration(fb.running.deps, admin, { serviceId: service.id, kind: "prometheus" }))
      .key;
  });
  after(() => fb?.close());

  const post = async (alertname: string, endsAt: Date) => {
    const res = await fb.http.inject({
      method: "POST",
      url: `/int/${key}/api/v2/alerts`,
      payload: [
        {
          labels: { alertname, instance: "api-1:9100", severity: "critical" },
          annotations: { summary: `${alertname} on api-1` },
          startsAt: clock.now().toISOString(),
          endsAt: endsAt.toISOString(),
          generatorURL: "http://prometheus.example.net/graph",
        },
      ],
    });
    assert.equal(res.statusCode, 200, res.body);
  };
  const resolution = async (alertname: string) => {
    const incident = (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 20 }))).find((i) =>
      i.title.includes(alertname),
    )!;
    const timeline = await fb.running.deps.uow.run((tx) => tx.timeline.listForIncident(incident.id));
    return { state: incident.state, message: timeline.find((e) => e.kind === "incident.resolved")?.message };
  };

  it("an alert not refreshed before its end time resolves the incident, saying the sender may have stopped", async () => {
    await post("ApiDown", new Date(clock.now().getTime() + 4 * MINUTE));
    clock.advance(5 * MINUTE);
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const { state, message } = await resolution("ApiDown");
    assert.equal(state, "resolved");
    assert.match(message ?? "", /not refreshed before its end time \(fixed, or the sender stopped sending/);
  });

  it("an alert its source resolves resolves the incident as before", async () => {
    await post("ApiSlow", new Date(clock.now().getTime() + 4 * MINUTE));
    clock.advance(MINUTE);
    await post("ApiSlow", clock.now());
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    assert.deepEqual(await resolution("ApiSlow"), {
      state: "resolved",
      message: "Resolved: all its alerts resolved",
    });
  });
});
