import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import { ingestAlertEvents, ingestRequests } from "../../src/app/alerts/ingest-alert-events.js";
import { createChannel } from "../../src/app/channels/manage-channels.js";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { acknowledge, resolve } from "../../src/app/incidents/incident-actions.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import type { AlertEvent } from "../../src/core/alerts/alert-event.js";
import { parsePostableAlerts } from "../../src/core/alerts/parse-alertmanager-v2.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { GroupingRule } from "../../src/core/incidents/grouping.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";

const admin = { actor: systemActor("grouping rules"), requestId: null };

/** A Prometheus-style alert `key` of the group `alertname` (services here group by alertname). */
const alert = (
  action: AlertEvent["action"],
  key: string,
  alertname = "DiskFull",
  severity = "critical",
  expiresAt: Date | null = null,
): AlertEvent => ({
  action,
  dedupKey: key,
  groupKey: null,
  summary: `${alertname} ${key}`,
  level: null,
  severity,
  labels: { alertname, instance: key },
  details: {},
  source: "test",
  occurredAt: new Date("2021-01-01T00:00:00Z"),
  expiresAt,
  links: [],
});

describeEachDialect("alert → incident rules at their edges", (dialect) => {
  const started: TestFirebreak[] = [];
  afterEach(async () => {
    for (const fb of started.splice(0)) await fb.close();
  });

  /** A service grouping by alertname that pages Ada and tells a shared channel. */
  async function setUp(options: { grouping?: GroupingRule; reopenWindowMinutes?: number } = {}) {
    const clock = new FakeClock();
    const fb = await startTestFirebreak({
      dialect,
      clock,
      sender: new RecordingSender(),
      startEngine: false,
    });
    started.push(fb);
    const deps = fb.running.deps;
    const ada = await fb.user("responder", `ada-${dialect}-${started.length}@example.com`);
    await addContactMethod(deps, admin, {
      userId: ada.id,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    const policy = await createEscalationPolicy(deps, admin, {
      name: "primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    const channel = await createChannel(deps, admin, {
      name: "ops",
      kind: "webhook",
      config: { url: "http://127.0.0.1:9/channel" },
    });
    const service = await createService(deps, admin, {
      name: "storage",
      escalationPolicyId: policy.id,
      channelId: channel.id,
      grouping: options.grouping ?? { mode: "labels", labels: ["alertname"], windowMinutes: null },
      reopenWindowMinutes: options.reopenWindowMinutes ?? 0,
    });
    const integration = await createIntegration(deps, admin, { serviceId: service.id, kind: "prometheus" });
    const ingest = (...events: AlertEvent[]) => ingestAlertEvents(deps, integration.id, events);
    /** Each incident, oldest first: state, level, its alerts, and the deliveries planned for it. */
    const incidents = () =>
      deps.uow.run(async (tx) => {
        const found = (await tx.incidents.list({ limit: 100 })).reverse();
        const out = [];
        for (const i of found) {
          out.push({
            id: i.id,
            state: i.state,
            level: i.level,
            alerts: (await tx.alerts.listForIncident(i.id)).map((a) => `${a.dedupKey} ${a.status}`).sort(),
            deliveries: (await tx.deliveries.listForIncident(i.id)).map(
              (d) => `${d.recipientKind} ${d.event}`,
            ),
          });
        }
        return out;
      });
    return { fb, clock, deps, integration, ingest, incidents };
  }

  it("a grouping window of N minutes takes alerts until just before N minutes, not at N", async () => {
    const { clock, ingest, incidents } = await setUp({
      grouping: { mode: "labels", labels: ["alertname"], windowMinutes: 10 },
    });
    await ingest(alert("trigger", "a1"));
    clock.advance(10 * MINUTE - 1);
    await ingest(alert("trigger", "a2"));
    clock.advance(1);
    await ingest(alert("trigger", "a3"));
    assert.deepEqual(
      (await incidents()).map((i) => i.alerts),
      [["a1 firing", "a2 firing"], ["a3 firing"]],
      "opened exactly 10 minutes ago is not 'less than 10 minutes ago'",
    );
  });

  it("a reopen window of N minutes reopens until just before N minutes, not at N", async () => {
    const { clock, ingest, incidents } = await setUp({ reopenWindowMinutes: 10 });
    await ingest(alert("trigger", "a1"));
    await ingest(alert("resolve", "a1"));
    clock.advance(10 * MINUTE - 1);
    await ingest(alert("trigger", "a1"));
    assert.deepEqual(
      (await incidents()).map((i) => [i.state, i.alerts]),
      [["triggered", ["a1 firing", "a1 resolved"]]],
      "resolved less than 10 minutes ago: reopened",
    );
    await ingest(alert("resolve", "a1"));
    clock.advance(10 * MINUTE);
    await ingest(alert("trigger", "a1"));
    assert.deepEqual(
      (await incidents()).map((i) => [i.state, i.alerts]),
      [
        ["resolved", ["a1 resolved", "a1 resolved"]],
        ["triggered", ["a1 firing"]],
      ],
      "resolved exactly 10 minutes ago: a new incident",
    );
  });

  for (const delivery of ["one request", "two requests in one transaction"] as const) {
    it(`a reopened incident takes its group's alerts again, though opened before the window (${delivery})`, async () => {
      const { clock, deps, integration, ingest, incidents } = await setUp({
        grouping: { mode: "labels", labels: ["alertname"], windowMinutes: 30 },
        reopenWindowMinutes: 60,
      });
      await ingest(alert("trigger", "a1"));
      clock.advance(45 * MINUTE);
      await ingest(alert("resolve", "a1"));
      clock.advance(5 * MINUTE);
      // The group fires again: a1 reopens the incident and a2, of the same group, must join it.
      if (delivery === "one request") await ingest(alert("trigger", "a1"), alert("trigger", "a2"));
      else
        await ingestRequests(deps, [
          { integrationId: integration.id, events: [alert("trigger", "a1")] },
          { integrationId: integration.id, events: [alert("trigger", "a2")] },
        ]);
      clock.advance(MINUTE);
      await ingest(alert("trigger", "a3"));
      const [only, ...others] = await incidents();
      assert.deepEqual(others, [], "one incident, paged once");
      assert.deepEqual(only!.alerts, ["a1 firing", "a1 resolved", "a2 firing", "a3 firing"]);
      assert.equal(only!.state, "triggered");
    });
  }

  it("a page-level alert joining an acknowledged notify incident leaves it acknowledged, unannounced", async () => {
    const { deps, ingest, incidents } = await setUp();
    await ingest(alert("trigger", "a1", "DiskFull", "warning"));
    const [opened] = await incidents();
    await acknowledge(deps, admin, opened!.id);
    await ingest(alert("trigger", "a2", "DiskFull", "critical"));
    const [incident] = await incidents();
    assert.equal(incident!.state, "acknowledged");
    assert.equal(incident!.level, "page");
    assert.deepEqual(
      incident!.deliveries,
      ["channel triggered", "channel acknowledged"],
      "nobody paged, and the channel is not told it was triggered",
    );
  });

  it("a page-level alert joining a triggered notify incident pages now", async () => {
    const { ingest, incidents } = await setUp();
    await ingest(alert("trigger", "a1", "DiskFull", "warning"));
    await ingest(alert("trigger", "a2", "DiskFull", "critical"));
    const [incident] = await incidents();
    assert.equal(incident!.level, "page");
    assert.deepEqual(incident!.deliveries.sort(), ["channel triggered", "user triggered"]);
  });

  it("an alert whose endsAt passed before its transaction ran is resolved, not paged", async () => {
    const { clock, ingest, incidents } = await setUp();
    // Parsed while its endsAt was still ahead; committed a moment after it passed.
    const parsedAt = clock.now();
    const endsAt = new Date(parsedAt.getTime() + 1_000).toISOString();
    const body = [{ labels: { alertname: "Flaky", severity: "critical" }, endsAt }];
    const [late] = parsePostableAlerts(body, parsedAt).events;
    assert.equal(late!.action, "trigger");
    clock.advance(2_000);
    await ingest(late!);
    assert.deepEqual(await incidents(), [], "nobody is paged for an alert that already ended");

    // And one that was firing resolves.
    await ingest(alert("trigger", "a1"));
    await ingest(alert("trigger", "a1", "DiskFull", "critical", new Date(clock.now().getTime() - 1)));
    assert.deepEqual(
      (await incidents()).map((i) => [i.state, i.alerts]),
      [["resolved", ["a1 resolved"]]],
    );
  });
  it("resolving by hand closes the alerts still firing: the source sending one again opens an incident", async () => {
    const { clock, deps, ingest, incidents } = await setUp();
    await ingest(alert("trigger", "a1"), alert("trigger", "a2"));
    const [opened] = await incidents();
    clock.advance(MINUTE);
    await resolve(deps, admin, opened!.id);
    assert.deepEqual(
      (await incidents()).map((i) => [i.state, i.alerts]),
      [["resolved", ["a1 resolved", "a2 resolved"]]],
    );
    // Prometheus sends what still fires again within a minute: the problem is not over.
    clock.advance(MINUTE);
    await ingest(alert("trigger", "a1"));
    const [first, second] = await incidents();
    assert.deepEqual(
      [first?.state, second?.state, second?.alerts],
      ["resolved", "triggered", ["a1 firing"]],
      "a new incident, not a refresh of an alert of the resolved one",
    );
    assert.ok(second?.deliveries.includes("user triggered"), "and it pages");
  });
});
