import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import type { Caller } from "../../src/app/deps.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { pageByHand } from "../../src/app/incidents/page-by-hand.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { createService } from "../../src/app/services/manage-services.js";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";

const admin: Caller = { actor: systemActor("scenario"), requestId: null };

describeEachDialect("a page by hand to chosen people or a chosen policy, over time", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  const people: Record<string, string> = {};
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const later = (ms: number) => {
    clock.advance(ms);
    return run();
  };
  const user = (name: string) => ({ kind: "user" as const, userId: people[name]! });
  const escalationLog = async (incidentId: string) =>
    (await getIncident(fb.running.deps, admin, incidentId)).timeline
      .filter((e) => e.kind.startsWith("escalation.") || e.kind === "incident.escalated")
      .map((e) => e.message);

  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    for (const name of ["Ada", "Bob", "Carol"]) {
      people[name] = (
        await createUser(fb.running.deps, admin, {
          email: `${name.toLowerCase()}-${dialect}@example.com`,
          name,
          role: "responder",
          password: "correct horse battery staple",
        })
      ).id;
      await addContactMethod(fb.running.deps, admin, {
        userId: people[name]!,
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
    }
    // The service's own policy pages Ada, three rounds: none of it may run for a page to chosen people.
    const own = await createEscalationPolicy(fb.running.deps, admin, {
      name: "Storage",
      steps: [{ delayMinutes: 10, targets: [user("Ada")] }],
      repeatCount: 2,
    });
    await createService(fb.running.deps, admin, { name: "storage", escalationPolicyId: own.id });
  });
  after(() => fb?.close());

  it("pages the chosen person once; unacknowledged, it stops after the service's first-step timeout", async () => {
    const page = await pageByHand(fb.running.deps, admin, {
      service: "storage",
      summary: "Disk full on db-7",
      userIds: [people.Bob!],
    });
    await run();
    assert.deepEqual(sender.summary(), ["Bob:triggered"]);
    await later(9 * MINUTE);
    assert.deepEqual(sender.summary(), ["Bob:triggered"]);
    await later(1 * MINUTE);
    // No repeat: the one step ran out; Ada, the service's on-call, was never paged.
    await later(60 * MINUTE);
    assert.ok(!sender.summary().some((s) => s.startsWith("Ada:")), sender.summary().join());
    assert.deepEqual(
      sender.summary().filter((s) => !s.startsWith("#")),
      ["Bob:triggered"],
    );
    assert.deepEqual(await escalationLog(page.id), [
      "Step 1: paged Bob",
      "Every escalation step was tried and nobody acknowledged",
    ]);
  });

  it("pages by a chosen policy's steps and repeats as it says", async () => {
    await createEscalationPolicy(fb.running.deps, admin, {
      name: "DBAs",
      steps: [{ delayMinutes: 3, targets: [user("Carol")] }],
      repeatCount: 1,
    });
    const page = await pageByHand(fb.running.deps, admin, {
      service: "storage",
      summary: "Vacuum runs forever",
      escalationPolicyId: "DBAs",
    });
    await run();
    assert.deepEqual(sender.summary(), ["Carol:triggered"]);
    await later(3 * MINUTE);
    assert.deepEqual(sender.summary(), ["Carol:triggered", "Carol:escalated"]);
    await later(3 * MINUTE);
    await later(30 * MINUTE);
    assert.deepEqual(
      sender.summary().filter((s) => !s.startsWith("#")),
      ["Carol:triggered", "Carol:escalated"],
    );
    assert.deepEqual(await escalationLog(page.id), [
      "Step 1: paged Carol",
      "Step 1 (round 2): paged Carol",
      "Every escalation step was tried and nobody acknowledged",
    ]);
  });
});
