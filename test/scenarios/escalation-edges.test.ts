import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import type { Caller } from "../../src/app/deps.js";
import { createEscalationPolicy, updateEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { acknowledge, escalateNow, reassign } from "../../src/app/incidents/incident-actions.js";
import {
  advanceIncidentEscalation,
  escalateIncidentNow,
} from "../../src/app/incidents/incident-lifecycle.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import type { Tx } from "../../src/app/ports/store.js";
import { createSchedule } from "../../src/app/schedules/manage-schedules.js";
import { createService } from "../../src/app/services/manage-services.js";
import { createTeam } from "../../src/app/teams/create-team.js";
import { putTeamMember } from "../../src/app/teams/set-team-membership.js";
import { createUser } from "../../src/app/users/create-user.js";
import { updateUser } from "../../src/app/users/update-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { EscalationStep } from "../../src/core/escalation/policy.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";

const admin: Caller = { actor: systemActor("scenario"), requestId: null };
const SKIP_ON_SQLITE = "SQLite runs one transaction at a time: nothing can interleave";

/** Alerts of one Alertmanager group: another `instance` is another alert joining the same incident. */
const alertmanagerBody = (status: "firing" | "resolved", severity = "critical", instance = "db-7") => ({
  version: "4",
  groupKey: `{}:{alertname="DiskAlmostFull"}`,
  truncatedAlerts: 0,
  status,
  receiver: "firebreak",
  groupLabels: { alertname: "DiskAlmostFull" },
  commonLabels: { alertname: "DiskAlmostFull", severity },
  commonAnnotations: { summary: "DiskAlmostFull on db-7" },
  externalURL: "http://alertmanager.example.net",
  alerts: [
    {
      status,
      labels: { alertname: "DiskAlmostFull", instance: `${instance}:9100`, severity },
      annotations: { summary: "DiskAlmostFull on db-7" },
      startsAt: "2021-01-01T00:00:00Z",
      endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : "2021-01-01T00:30:00Z",
      generatorURL: "http://prometheus.example.net/graph",
      fingerprint: instance === "db-7" ? "5d4b1f0c2a9e7c31" : `fp-${instance}`,
    },
  ],
});

/**
 * Runs `work` in a transaction that stops right after its first read of an incident until `meanwhile`
 * has finished in another transaction: the interleaving of a timer and a person acting at once.
 */
async function interleave<T>(
  fb: TestFirebreak,
  work: (tx: Tx) => Promise<T>,
  meanwhile: () => Promise<unknown>,
): Promise<T> {
  let letGo!: () => void;
  const resumed = new Promise<void>((resolve) => (letGo = resolve));
  let firstRead!: () => void;
  const readDone = new Promise<void>((resolve) => (firstRead = resolve));
  const running = fb.running.deps.uow.run((tx) => {
    let reads = 0;
    const incidents = {
      ...tx.incidents,
      findById: async (id: string) => {
        const found = await tx.incidents.findById(id);
        if (reads++ === 0) {
          firstRead();
          await resumed;
        }
        return found;
      },
    };
    return work({ ...tx, incidents });
  });
  await readDone;
  await meanwhile();
  letGo();
  return running;
}

describeEachDialect("escalation edge cases (fake clock, no sleeps)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let key: string;
  let people: Record<"ada" | "bob" | "carol" | "dan" | "erin", { id: string }>;
  let teamId: string;
  let scheduleId: string;

  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const advance = async (ms: number) => {
    clock.advance(ms);
    return run();
  };
  const post = async (body: unknown) => {
    const res = await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: body as object,
    });
    assert.equal(res.statusCode, 200, res.body);
    await run();
  };
  /** The alert's incident (a schedule's gap check may open one of its own on the service). */
  const latestIncident = async (): Promise<Incident> =>
    (await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 10 }))).find(
      (i) => i.title === "DiskAlmostFull on db-7",
    )!;
  /** What the escalation wrote on the timeline, oldest first (deliveries left out). */
  const timeline = async () =>
    (await getIncident(fb.running.deps, admin, (await latestIncident()).id)).timeline
      .filter((e) => e.kind.startsWith("escalation.") || e.kind === "incident.escalated")
      .map((e) => e.message);
  /** The alert's incident as people name it. */
  const incidentRef = async () => `INC-${(await latestIncident()).number}`;
  const user = (id: string) => ({ kind: "user" as const, userId: id });
  /** Step 1 pages Ada, step 2 Bob, with these timeouts. */
  const adaThenBob = (firstMinutes: number, secondMinutes = firstMinutes): EscalationStep[] => [
    { delayMinutes: firstMinutes, targets: [user(people.ada.id)] },
    { delayMinutes: secondMinutes, targets: [user(people.bob.id)] },
  ];
  async function usePolicy(steps: EscalationStep[], repeatCount = 0, reopenWindowMinutes = 0) {
    const policy = await createEscalationPolicy(fb.running.deps, admin, {
      name: "Storage",
      steps,
      repeatCount,
    });
    // Carol left after she was put in the policy: a new policy may not name a disabled person.
    await updateUser(fb.running.deps, admin, people.carol.id, { disabled: true });
    const service = await createService(fb.running.deps, admin, {
      name: "storage",
      escalationPolicyId: policy.id,
      reopenWindowMinutes,
    });
    key = (await createIntegration(fb.running.deps, admin, { serviceId: service.id, kind: "alertmanager" }))
      .key;
    return policy.id;
  }

  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    const made: Record<string, { id: string }> = {};
    for (const name of ["Ada", "Bob", "Carol", "Dan", "Erin"]) {
      made[name.toLowerCase()] = await createUser(fb.running.deps, admin, {
        email: `${name.toLowerCase()}-${dialect}@example.com`,
        name,
        role: "responder",
        password: "correct horse battery staple",
      });
      // Dan has no contact method: nothing can wake him.
      if (name === "Dan") continue;
      await addContactMethod(fb.running.deps, admin, {
        userId: made[name.toLowerCase()]!.id,
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
    }
    people = made as typeof people;
    teamId = (await createTeam(fb.running.deps, admin, { name: "Databases" })).id;
    scheduleId = (
      await createSchedule(fb.running.deps, admin, { name: "Nights", timeZone: "UTC", layers: [] })
    ).id;
  });
  after(() => fb?.close());

  it("a step with nobody to page moves on at once, and the timeline says why", async () => {
    await usePolicy([
      { delayMinutes: 10, targets: [user(people.carol.id), user(people.dan.id)] },
      {
        delayMinutes: 10,
        targets: [
          { kind: "team", teamId },
          { kind: "schedule", scheduleId },
        ],
      },
      { delayMinutes: 10, targets: [user(people.bob.id)] },
    ]);
    await post(alertmanagerBody("firing"));
    assert.deepEqual(sender.summary(), ["Bob:triggered"], "Bob is paged at once, not after 20 minutes");
    const messages = await timeline();
    for (const expected of [
      "Step 1 paged nobody (Carol is disabled; Dan has no contact methods): moving on to step 2 now",
      "Step 2 paged nobody (team Databases has no members; nobody is on call in schedule Nights): moving on to step 3 now",
      "Step 3: paged Bob",
    ])
      assert.ok(messages.includes(expected), `${expected} in ${JSON.stringify(messages)}`);
    const incident = await latestIncident();
    assert.equal(incident.escalationStep, 2);

    await advance(10 * MINUTE - 1);
    assert.equal((await timeline()).at(-1), "Step 3: paged Bob", "Bob has his full ack timeout");
    await advance(1);
    assert.equal((await timeline()).at(-1), "Every escalation step was tried and nobody acknowledged");
  });

  it("when no step can page anyone it waits the timeout, so a later round finds someone", async () => {
    await usePolicy([{ delayMinutes: 10, targets: [{ kind: "team", teamId }] }], 1);
    await post(alertmanagerBody("firing"));
    assert.deepEqual(sender.summary(), []);
    assert.ok(
      (await timeline()).includes(
        "Step 1 paged nobody (team Databases has no members): nobody in the policy can be paged now, trying again in 10 minutes",
      ),
    );
    await putTeamMember(fb.running.deps, admin, { teamId, userId: people.bob.id, role: "member" });
    await advance(10 * MINUTE);
    assert.deepEqual(sender.summary(), ["Bob:escalated"]);
    assert.equal((await timeline()).at(-1), "Step 1 (round 2): paged Bob");
  });

  it("a reopened incident escalates from step 1 of the policy as it is now", async () => {
    const policyId = await usePolicy([{ delayMinutes: 10, targets: [user(people.ada.id)] }], 0, 30);
    await post(alertmanagerBody("firing"));
    await post(alertmanagerBody("resolved"));
    assert.equal((await latestIncident()).state, "resolved");
    // Ada has left the rota since: the reopened incident must not page her from the old snapshot.
    await updateEscalationPolicy(fb.running.deps, admin, policyId, {
      name: "Storage, after Ada",
      steps: [{ delayMinutes: 10, targets: [user(people.bob.id)] }],
      repeatCount: 0,
    });
    clock.advance(5 * MINUTE);
    await post(alertmanagerBody("firing"));
    const incident = await latestIncident();
    assert.equal(incident.state, "triggered");
    assert.equal(incident.escalation?.policyName, "Storage, after Ada");
    assert.deepEqual(sender.summary(), ["Ada:triggered", "Bob:reopened"]);
  });

  it("escalating a notify-level incident by hand pages step 1, not step 2", async () => {
    await usePolicy(adaThenBob(10));
    await post(alertmanagerBody("firing", "warning"));
    assert.deepEqual(sender.summary(), [], "a warning reaches the shared channel only");
    await escalateNow(fb.running.deps, admin, await incidentRef());
    await run();
    assert.deepEqual(sender.summary(), ["Ada:escalated"]);
    await escalateNow(fb.running.deps, admin, await incidentRef());
    await run();
    assert.deepEqual(sender.summary(), ["Ada:escalated", "Bob:escalated"]);
  });

  describe("a notify-level incident rising to page", () => {
    const twoSteps = () => usePolicy(adaThenBob(10), 0, 30);
    const raiseToPage = async () => {
      await post(alertmanagerBody("firing", "critical", "db-8"));
      assert.equal((await latestIncident()).level, "page");
    };

    it("after escalate-now goes on where it is: nobody paged again, the timer kept", async () => {
      await twoSteps();
      await post(alertmanagerBody("firing", "warning"));
      await escalateNow(fb.running.deps, admin, await incidentRef());
      await run();
      assert.deepEqual(sender.summary(), ["Ada:escalated"]);
      await advance(5 * MINUTE);
      await raiseToPage();
      assert.deepEqual(sender.summary(), ["Ada:escalated"], "Ada is not paged again");
      assert.deepEqual(await timeline(), ["Step 1: paged Ada"], "escalation does not start over");
      await advance(5 * MINUTE);
      assert.deepEqual(
        sender.summary(),
        ["Ada:escalated", "Bob:escalated"],
        "step 2 comes 10 minutes after the hand escalation, not 10 minutes after the raise",
      );
    });

    it("after the escalation reached step 2 does not page step 1 again", async () => {
      await twoSteps();
      await post(alertmanagerBody("firing", "warning"));
      await escalateNow(fb.running.deps, admin, await incidentRef());
      await advance(10 * MINUTE);
      assert.deepEqual(sender.summary(), ["Ada:escalated", "Bob:escalated"]);
      await raiseToPage();
      assert.deepEqual(sender.summary(), ["Ada:escalated", "Bob:escalated"], "Ada is not woken again");
      assert.equal((await latestIncident()).escalationStep, 1);
    });

    it("after a reassignment by hand pages nobody else", async () => {
      await twoSteps();
      await post(alertmanagerBody("firing", "warning"));
      await reassign(fb.running.deps, admin, await incidentRef(), [people.bob.id]);
      await run();
      await raiseToPage();
      assert.deepEqual(sender.summary(), ["Bob:escalated"], "neither Ada nor Bob is paged by the raise");
    });

    it("acknowledged after escalate-now stays acknowledged and pages nobody", async () => {
      await twoSteps();
      await post(alertmanagerBody("firing", "warning"));
      await escalateNow(fb.running.deps, admin, await incidentRef());
      await run();
      await acknowledge(fb.running.deps, admin, await incidentRef());
      await raiseToPage();
      await advance(30 * MINUTE);
      assert.equal((await latestIncident()).state, "acknowledged");
      assert.deepEqual(sender.summary(), ["Ada:escalated"]);
    });

    it("never escalated (or reopened since it was) starts at step 1", async () => {
      await twoSteps();
      await post(alertmanagerBody("firing", "warning"));
      await escalateNow(fb.running.deps, admin, await incidentRef());
      await run();
      await post(alertmanagerBody("resolved", "warning"));
      assert.equal((await latestIncident()).state, "resolved");
      await advance(5 * MINUTE);
      await post(alertmanagerBody("firing", "warning"));
      assert.equal((await latestIncident()).state, "triggered", "reopened, paging nobody");
      assert.deepEqual(sender.summary(), ["Ada:escalated"]);
      // The escalation of before the reopen is over: the raise starts the new one.
      await raiseToPage();
      assert.deepEqual(sender.summary(), ["Ada:escalated", "Ada:triggered"]);
      await advance(10 * MINUTE);
      assert.deepEqual(sender.summary(), ["Ada:escalated", "Ada:triggered", "Bob:escalated"]);
    });
  });

  describe("a notify-level incident reassigned by hand (no policy step has paged anyone)", () => {
    // Step 1's timeout differs from step 2's, so each timer shows which step it stands for.
    const tenThenTwenty = () => usePolicy(adaThenBob(10, 20));
    const reassignToErin = async () => {
      await post(alertmanagerBody("firing", "warning"));
      await reassign(fb.running.deps, admin, await incidentRef(), [people.erin.id]);
      await run();
      assert.deepEqual(sender.summary(), ["Erin:escalated"], "Erin is paged at once");
    };

    it("pages step 1 after step 1's timeout, and step 2 only after step 1's own timeout", async () => {
      await tenThenTwenty();
      await reassignToErin();
      await advance(10 * MINUTE - 1);
      assert.deepEqual(sender.summary(), ["Erin:escalated"]);
      await advance(1);
      assert.deepEqual(sender.summary(), ["Erin:escalated", "Ada:escalated"], "step 1 is not skipped");
      assert.deepEqual(await timeline(), ["Step 1: paged Ada"]);
      await advance(10 * MINUTE - 1);
      assert.deepEqual(sender.summary(), ["Erin:escalated", "Ada:escalated"], "Ada has her full ack timeout");
      await advance(1);
      assert.deepEqual(sender.summary(), ["Erin:escalated", "Ada:escalated", "Bob:escalated"]);
    });

    it("escalated by hand afterwards pages step 1, not step 2", async () => {
      await tenThenTwenty();
      await reassignToErin();
      await escalateNow(fb.running.deps, admin, await incidentRef());
      await run();
      assert.deepEqual(sender.summary(), ["Erin:escalated", "Ada:escalated"]);
    });

    it("raised to page meanwhile pages nobody then, and step 1 when Erin's timeout passes", async () => {
      await tenThenTwenty();
      await reassignToErin();
      await advance(5 * MINUTE);
      await post(alertmanagerBody("firing", "critical", "db-8"));
      assert.equal((await latestIncident()).level, "page");
      assert.deepEqual(sender.summary(), ["Erin:escalated"]);
      await advance(5 * MINUTE);
      assert.deepEqual(sender.summary(), ["Erin:escalated", "Ada:escalated"]);
    });
  });

  it("a page-level incident reassigned at step 1 and escalated by hand goes on to step 2", async () => {
    await usePolicy(adaThenBob(10));
    await post(alertmanagerBody("firing"));
    await reassign(fb.running.deps, admin, await incidentRef(), [people.erin.id]);
    await escalateNow(fb.running.deps, admin, await incidentRef());
    await run();
    assert.deepEqual(sender.summary(), ["Ada:triggered", "Erin:escalated", "Bob:escalated"]);
  });

  it("reassigning to someone who cannot be reached says so, and the policy resumes after the step", async () => {
    await usePolicy(adaThenBob(5));
    await post(alertmanagerBody("firing"));
    await reassign(fb.running.deps, admin, await incidentRef(), [people.dan.id]);
    const detail = await getIncident(fb.running.deps, admin, (await latestIncident()).id);
    assert.deepEqual(
      detail.timeline.slice(-2).map((e) => e.message),
      ["scenario reassigned it to Dan", "Dan cannot be reached: no contact methods"],
    );
    await advance(5 * MINUTE);
    assert.deepEqual(sender.summary(), ["Ada:triggered", "Bob:escalated"]);
  });

  it(
    "an acknowledgement made while the timer runs is not overwritten",
    { skip: dialect === "sqlite" && SKIP_ON_SQLITE },
    async () => {
      await usePolicy(adaThenBob(5));
      await post(alertmanagerBody("firing"));
      const incident = await latestIncident();
      clock.advance(5 * MINUTE);
      await interleave(
        fb,
        (tx) => advanceIncidentEscalation(tx, incident.id, incident.escalationVersion, clock.now()),
        () => acknowledge(fb.running.deps, admin, incident.id),
      );
      await run();
      const after = await latestIncident();
      assert.equal(after.state, "acknowledged");
      assert.deepEqual(sender.summary(), ["Ada:triggered"], "Bob is not woken for an acknowledged incident");
    },
  );

  it(
    "escalate-now made while the timer runs moves on from the step the timer reached",
    { skip: dialect === "sqlite" && SKIP_ON_SQLITE },
    async () => {
      await usePolicy([
        ...adaThenBob(5),
        { delayMinutes: 5, targets: [user(people.carol.id), user(people.ada.id)] },
      ]);
      await post(alertmanagerBody("firing"));
      const incident = await latestIncident();
      clock.advance(5 * MINUTE);
      const actor = { kind: "system" as const, id: "system", label: "Grace" };
      // The person read the incident at step 1; the timer moved it to step 2 before their escalation wrote.
      await interleave(
        fb,
        async (tx) =>
          escalateIncidentNow(tx, (await tx.incidents.findById(incident.id))!, actor, clock.now()),
        () => fb.running.deps.uow.run((tx) => advanceIncidentEscalation(tx, incident.id, 0, clock.now())),
      );
      await run();
      assert.equal((await latestIncident()).escalationStep, 2, "the hand escalation went on to step 3");
      assert.deepEqual(sender.summary(), ["Ada:triggered", "Bob:escalated", "Ada:escalated"]);
    },
  );
});
