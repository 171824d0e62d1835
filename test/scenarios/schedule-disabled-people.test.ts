import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import type { Caller } from "../../src/app/deps.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createSchedule } from "../../src/app/schedules/manage-schedules.js";
import { formatInstant } from "../../src/app/schedules/schedule-notices.js";
import { createService } from "../../src/app/services/manage-services.js";
import { createUser } from "../../src/app/users/create-user.js";
import { updateUser } from "../../src/app/users/update-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";

const admin: Caller = { actor: systemActor("scenario"), requestId: null };
const NY = "America/New_York";
const DAY = 24 * HOUR;

/** Tuesday 2026-11-17, 07:00 in New York (EST): the schedule is made then. */
const TUESDAY_0700 = Date.parse("2026-11-17T12:00:00.000Z");
/** Wednesday 09:00 in New York: Ada hands off to Bob, whose turn runs to Thursday 09:00. */
const WEDNESDAY_0900 = Date.parse("2026-11-18T14:00:00.000Z");
const THURSDAY_0900 = Date.parse("2026-11-19T14:00:00.000Z");

const alertmanagerBody = {
  version: "4",
  groupKey: '{}:{alertname="DiskAlmostFull"}',
  truncatedAlerts: 0,
  status: "firing",
  receiver: "firebreak",
  groupLabels: { alertname: "DiskAlmostFull" },
  commonLabels: { alertname: "DiskAlmostFull", severity: "critical" },
  commonAnnotations: { summary: "DiskAlmostFull on db-7" },
  externalURL: "http://alertmanager.example.net",
  alerts: [
    {
      status: "firing",
      labels: { alertname: "DiskAlmostFull", instance: "db-7:9100", severity: "critical" },
      annotations: { summary: "DiskAlmostFull on db-7" },
      startsAt: "2026-11-18T15:00:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example.net/graph",
      fingerprint: "fp-disk",
    },
  ],
};

describeEachDialect(
  "a disabled person's shifts are gaps: gap alerts, notices, paging (fake clock)",
  (dialect) => {
    let fb: TestFirebreak;
    let clock: FakeClock;
    let sender: RecordingSender;
    let ada: { id: string };
    let bob: { id: string };

    const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
    const gapAlerts = (serviceId: string) =>
      fb.running.deps.uow.run(async (tx) =>
        (await tx.alerts.list({ serviceId, limit: 50 }))
          .filter((a) => a.dedupKey.startsWith("schedule-gap:"))
          .sort((a, b) => a.dedupKey.localeCompare(b.dedupKey)),
      );

    /** "Database on-call" in New York: Ada and Bob take daily turns at 09:00 (Ada from Sunday, so Tuesday too). */
    async function setUp() {
      const schedule = await createSchedule(fb.running.deps, admin, {
        name: "Database on-call",
        timeZone: NY,
        layers: [
          {
            name: "Daily",
            rotation: {
              memberIds: [ada.id, bob.id],
              shiftLength: 1,
              shiftUnit: "days",
              startLocal: "2026-11-15T09:00",
              restrictions: [],
            },
          },
        ],
      });
      const policy = await createEscalationPolicy(fb.running.deps, admin, {
        name: "Database",
        steps: [{ delayMinutes: 30, targets: [{ kind: "schedule", scheduleId: schedule.id }] }],
        repeatCount: 0,
      });
      const service = await createService(fb.running.deps, admin, {
        name: "database",
        escalationPolicyId: policy.id,
      });
      const integration = await createIntegration(fb.running.deps, admin, {
        serviceId: service.id,
        kind: "alertmanager",
      });
      return { scheduleId: schedule.id, serviceId: service.id, key: integration.key };
    }

    beforeEach(async () => {
      await fb?.close();
      clock = new FakeClock(TUESDAY_0700);
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

    it("disabling Bob raises a gap alert for each of his upcoming shifts at once; enabling him resolves them", async () => {
      const { scheduleId, serviceId } = await setUp();
      await run();
      // Two hours on: the schedule's first gap check has run and the next is a day away.
      clock.set(TUESDAY_0700 + 2 * HOUR);
      await run();
      assert.deepEqual(await gapAlerts(serviceId), [], "nobody disabled, no gap");

      await updateUser(fb.running.deps, admin, bob.id, { disabled: true });
      // No arming by hand and no time passing: the disable armed the check in its own transaction.
      await run();
      const alerts = await gapAlerts(serviceId);
      // Bob's turns starting in the next 7 days (to Tuesday 09:00): Wednesday, Friday and Sunday.
      assert.deepEqual(
        alerts.map((a) => a.dedupKey),
        [0, 2, 4].map((days) => `schedule-gap:${scheduleId}:${WEDNESDAY_0900 + days * DAY}`).sort(),
      );
      const first = alerts.find((a) => a.dedupKey.endsWith(`:${WEDNESDAY_0900}`))!;
      assert.equal(
        first.summary,
        `Nobody is on call for Database on-call from ${formatInstant(WEDNESDAY_0900, NY)} to ` +
          `${formatInstant(THURSDAY_0900, NY)} (in 1 day): Bob is disabled`,
      );
      assert.deepEqual([first.level, first.status, first.details.disabled], ["notify", "firing", "Bob"]);

      await updateUser(fb.running.deps, admin, bob.id, { disabled: false });
      await run();
      assert.deepEqual(
        (await gapAlerts(serviceId)).map((a) => a.status),
        ["resolved", "resolved", "resolved"],
      );
    });

    it("at the handoff to a disabled person nobody is told their shift starts, and an alert pages nobody, naming him", async () => {
      const { key } = await setUp();
      await run();
      await updateUser(fb.running.deps, admin, bob.id, { disabled: true });
      clock.set(WEDNESDAY_0900);
      await run();
      const notices = sender.sent.filter((s) => s.message.event === "notice");
      assert.ok(
        !notices.some((s) => s.message.recipientName === "Bob"),
        notices.map((s) => `${s.message.recipientName}: ${s.message.title}`).join("\n"),
      );

      clock.set(WEDNESDAY_0900 + HOUR);
      const res = await fb.http.inject({
        method: "POST",
        url: `/integrations/alertmanager/${key}`,
        payload: alertmanagerBody,
      });
      assert.equal(res.statusCode, 200, res.body);
      await run();
      assert.deepEqual(
        sender.summary().filter((s) => s.endsWith(":triggered") && !s.startsWith("#")),
        [],
      );
      const incident = (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!;
      const detail = await getIncident(fb.running.deps, admin, incident.id);
      assert.ok(
        detail.timeline.some((e) =>
          e.message.startsWith(
            "Step 1 paged nobody (Bob, on call in schedule Database on-call, is disabled)",
          ),
        ),
        detail.timeline.map((e) => e.message).join("\n"),
      );
    });
  },
);
