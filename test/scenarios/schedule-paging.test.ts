import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import type { Caller } from "../../src/app/deps.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { acceptShiftTrade } from "../../src/app/schedules/decide-shift-trade.js";
import { createSchedule } from "../../src/app/schedules/manage-schedules.js";
import { requestShiftTrade } from "../../src/app/schedules/request-shift-trade.js";
import { createService } from "../../src/app/services/manage-services.js";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { TimeWindow } from "../../src/core/schedules/schedule.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";

const admin: Caller = { actor: systemActor("scenario"), requestId: null };
const as = (id: string, label: string): Caller => ({
  actor: { kind: "user", id, role: "responder", label },
  requestId: null,
});

/** Monday 2026-11-16, 07:00 in New York (EST, UTC−5): the schedule is made then. */
const MONDAY_0700_NY = Date.parse("2026-11-16T12:00:00.000Z");
/** Monday 09:00 and Tuesday 09:00 in New York: Ada's first daily shift. */
const MONDAY_0900_NY = Date.parse("2026-11-16T14:00:00.000Z");
const TUESDAY_0900_NY = Date.parse("2026-11-17T14:00:00.000Z");
/** Tuesday 03:00 in New York: in the middle of the night, inside Ada's shift. */
const TUESDAY_0300_NY = Date.parse("2026-11-17T08:00:00.000Z");

const alertmanagerBody = (alertname: string) => ({
  version: "4",
  groupKey: `{}:{alertname="${alertname}"}`,
  truncatedAlerts: 0,
  status: "firing",
  receiver: "firebreak",
  groupLabels: { alertname },
  commonLabels: { alertname, severity: "critical" },
  commonAnnotations: { summary: `${alertname} on db-7` },
  externalURL: "http://alertmanager.example.net",
  alerts: [
    {
      status: "firing",
      labels: { alertname, instance: "db-7:9100", severity: "critical" },
      annotations: { summary: `${alertname} on db-7` },
      startsAt: "2026-11-17T07:59:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example.net/graph",
      fingerprint: `fp-${alertname}`,
    },
  ],
});

describeEachDialect("paging through an on-call schedule (fake clock, no sleeps)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let ada: { id: string };
  let bob: { id: string };

  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  /** Pages people only (on-call notices go out as "notice" messages to the same people). */
  const pages = () => sender.summary().filter((s) => !s.endsWith(":notice"));

  /** A service whose one-step policy pages the schedule; returns the integration key to alert on. */
  async function serviceThroughSchedule(
    restrictions: TimeWindow[] = [],
    repeatCount = 0,
  ): Promise<{ key: string; scheduleId: string }> {
    const schedule = await createSchedule(fb.running.deps, admin, {
      name: "Database on-call",
      timeZone: "America/New_York",
      layers: [
        {
          name: "Daily",
          rotation: {
            memberIds: [ada.id, bob.id],
            shiftLength: 1,
            shiftUnit: "days",
            startLocal: "2026-11-16T09:00",
            restrictions,
          },
        },
      ],
    });
    const policy = await createEscalationPolicy(fb.running.deps, admin, {
      name: "Database",
      steps: [{ delayMinutes: 30, targets: [{ kind: "schedule", scheduleId: schedule.id }] }],
      repeatCount,
    });
    const service = await createService(fb.running.deps, admin, {
      name: "database",
      escalationPolicyId: policy.id,
    });
    const integration = await createIntegration(fb.running.deps, admin, {
      serviceId: service.id,
      kind: "alertmanager",
    });
    return { key: integration.key, scheduleId: schedule.id };
  }

  const alertAt = async (key: string, atMs: number, alertname = "DiskAlmostFull") => {
    clock.set(atMs);
    const res = await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody(alertname),
    });
    assert.equal(res.statusCode, 200, res.body);
    await run();
  };

  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock(MONDAY_0700_NY);
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    const people: Array<{ id: string }> = [];
    for (const name of ["Ada", "Bob"]) {
      const user = await createUser(fb.running.deps, admin, {
        email: `${name.toLowerCase()}-${dialect}@example.com`,
        name,
        role: "responder",
        password: "correct horse battery staple",
      });
      await addContactMethod(fb.running.deps, admin, {
        userId: user.id,
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
      people.push(user);
    }
    [ada, bob] = people as [{ id: string }, { id: string }];
  });
  after(() => fb?.close());

  it("an alert at 03:00 in the schedule's zone pages the person on that shift", async () => {
    const { key } = await serviceThroughSchedule();
    await alertAt(key, TUESDAY_0300_NY);
    assert.deepEqual(pages(), ["Ada:triggered"]);
    const incident = (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!;
    assert.ok(
      incident.escalation?.steps[0]?.targets.some((t) => t.kind === "schedule"),
      "the snapshot keeps the schedule",
    );
    const detail = await getIncident(fb.running.deps, admin, incident.id);
    assert.ok(
      detail.timeline.some((e) => e.message === "Step 1: paged Ada"),
      JSON.stringify(detail.timeline),
    );
  });

  it("after a swap is accepted, the same alert time pages the other person", async () => {
    const { key, scheduleId } = await serviceThroughSchedule();
    const trade = await requestShiftTrade(fb.running.deps, as(ada.id, "Ada"), scheduleId, {
      kind: "swap",
      shift: { start: new Date(MONDAY_0900_NY), end: new Date(TUESDAY_0900_NY) },
      offeredTo: bob.id,
    });
    await acceptShiftTrade(fb.running.deps, as(bob.id, "Bob"), trade.id);
    await alertAt(key, TUESDAY_0300_NY);
    assert.deepEqual(pages(), ["Bob:triggered"]);
  });

  it("a step whose schedule has nobody on call says so on the incident's timeline", async () => {
    // Business hours only: at 03:00 the schedule has a gap.
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: "09:00", endTime: "17:00" }));
    const { key } = await serviceThroughSchedule(weekdays);
    await alertAt(key, TUESDAY_0300_NY);
    assert.deepEqual(pages(), []);
    const incident = (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!;
    const detail = await getIncident(fb.running.deps, admin, incident.id);
    assert.ok(
      detail.timeline.some((e) => e.message === "Step 1: paged nobody"),
      JSON.stringify(detail.timeline),
    );
  });

  it("who is on call is looked up when the step runs: a repeat after the handoff pages the next person", async () => {
    const { key } = await serviceThroughSchedule([], 1);
    await alertAt(key, TUESDAY_0900_NY - 10 * MINUTE);
    assert.deepEqual(pages(), ["Ada:triggered"]);
    clock.set(TUESDAY_0900_NY + 20 * MINUTE);
    await run();
    assert.deepEqual(pages(), ["Ada:triggered", "Bob:escalated"]);
  });
});
