import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { client, type Client } from "./alerting-helpers.js";
import {
  at,
  dailyRotation,
  finalRow,
  iso,
  person,
  type Person,
  type TimelineJson,
} from "./schedules-helpers.js";

/**
 * A disabled person is on call nowhere: their shifts are gaps that name them (timeline, gaps, on
 * call), a page by hand that reaches nobody says why, and enabling them again gives the shifts back.
 */
describeEachDialect("schedules over HTTP: a disabled person's shifts", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let ada: Person;
  let carol: Person;
  let counter = 0;
  const system = { actor: systemActor("test"), requestId: null };

  const ok = async (res: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200) => {
    const answer = await res;
    assert.equal(answer.statusCode, status, answer.body);
    return answer.json() as Record<string, unknown> & { id: string };
  };
  const timeline = async (scheduleId: string, fromMs: number, toMs: number) =>
    (await ok(
      admin.get(`/api/v1/schedules/${scheduleId}/timeline?start=${iso(fromMs)}&end=${iso(toMs)}`),
    )) as unknown as TimelineJson;
  const gaps = (scheduleId: string, fromMs: number, toMs: number) =>
    ok(admin.get(`/api/v1/schedules/${scheduleId}/gaps?start=${iso(fromMs)}&end=${iso(toMs)}`));
  const setDisabled = (who: Person, disabled: boolean) =>
    ok(admin.patch(`/api/v1/users/${who.id}`, { disabled }));

  /** Ada and Carol take daily turns at 09:00 Berlin (Carol's: Tuesday to Wednesday), paged by a service. */
  async function setUp(extraSteps: object[] = []) {
    counter++;
    const schedule = await ok(
      admin.post("/api/v1/schedules", {
        name: `Primary ${counter}`,
        timeZone: "Europe/Berlin",
        layers: [{ name: "Daily", rotation: dailyRotation([ada.id, carol.id]) }],
      }),
      201,
    );
    const policy = await ok(
      admin.post("/api/v1/escalation-policies", {
        name: `Primary ${counter}`,
        steps: [{ delayMinutes: 5, targets: [{ kind: "schedule", scheduleId: schedule.id }] }, ...extraSteps],
        repeatCount: 0,
      }),
      201,
    );
    const service = await ok(
      admin.post("/api/v1/services", { name: `billing-${counter}`, escalationPolicyId: policy.id }),
      201,
    );
    return { schedule: schedule as { id: string; name: string }, serviceName: `billing-${counter}`, service };
  }

  before(async () => {
    clock = new FakeClock(at(0));
    fb = await startTestFirebreak({ dialect, clock, sender: new RecordingSender(), startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    ada = await person(fb, "Ada", "responder");
    carol = await person(fb, "Carol", "responder");
    for (const who of [ada, carol])
      await addContactMethod(fb.running.deps, system, {
        userId: who.id,
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
  });
  after(() => fb?.close());

  it("timeline, gaps and on call show her shift as a gap naming her; enabled again, it is hers", async () => {
    clock.set(at(0));
    const { schedule, serviceName } = await setUp();
    clock.set(at(0, 1));
    await setDisabled(carol, true);

    const view = await timeline(schedule.id, at(0), at(3));
    assert.deepEqual(finalRow(view), [`Ada ${iso(at(0))}→${iso(at(1))}`, `Ada ${iso(at(2))}→${iso(at(3))}`]);
    const gap = {
      start: iso(at(1)),
      end: iso(at(2)),
      reason: "disabled",
      userId: carol.id,
      userName: "Carol",
    };
    assert.deepEqual(view.gaps, [gap]);
    assert.deepEqual(
      view.layers[0]!.shifts.map((s) => s.userName),
      ["Ada", "Carol", "Ada"],
      "the layer keeps her turn",
    );
    assert.deepEqual(view.people.map((p) => `${p.name} ${p.disabled}`).sort(), ["Ada false", "Carol true"]);
    assert.deepEqual(await gaps(schedule.id, at(0), at(3)), [gap]);

    const tuesday = iso(at(1, 2));
    const onCall = await ok(admin.get(`/api/v1/oncall?scheduleId=${schedule.id}&at=${tuesday}`));
    const onCallGap = {
      scheduleId: schedule.id,
      scheduleName: schedule.name,
      reason: "disabled",
      userId: carol.id,
      userName: "Carol",
      start: iso(at(1)),
      end: iso(at(2)),
    };
    assert.deepEqual(onCall, { at: tuesday, entries: [], gaps: [onCallGap] });
    const byService = await ok(admin.get(`/api/v1/oncall?serviceId=${serviceName}&at=${tuesday}`));
    assert.deepEqual(byService.gaps, [onCallGap]);
    const everything = (await ok(admin.get(`/api/v1/oncall?at=${tuesday}`))) as unknown as {
      entries: Array<{ userId: string }>;
      gaps: Array<{ scheduleId: string }>;
    };
    assert.ok(!everything.entries.some((e) => e.userId === carol.id), "she is on call nowhere");
    assert.ok(everything.gaps.some((g) => g.scheduleId === schedule.id));

    await setDisabled(carol, false);
    const restored = await timeline(schedule.id, at(0), at(3));
    assert.deepEqual(finalRow(restored), [
      `Ada ${iso(at(0))}→${iso(at(1))}`,
      `Carol ${iso(at(1))}→${iso(at(2))}`,
      `Ada ${iso(at(2))}→${iso(at(3))}`,
    ]);
    assert.deepEqual(restored.gaps, []);
    assert.deepEqual(await gaps(schedule.id, at(0), at(3)), []);
    const back = await ok(admin.get(`/api/v1/oncall?scheduleId=${schedule.id}&at=${tuesday}`));
    assert.deepEqual(
      [(back.entries as Array<{ userName: string }>).map((e) => e.userName), back.gaps],
      [["Carol"], []],
    );
  });

  it("disabled during her shift: the time she was on call stays hers, the rest is a gap", async () => {
    clock.set(at(0));
    const { schedule } = await setUp();
    clock.set(at(1, 3));
    await setDisabled(carol, true);
    const view = await timeline(schedule.id, at(1), at(2));
    assert.deepEqual(finalRow(view), [`Carol ${iso(at(1))}→${iso(at(1, 3))}`]);
    assert.deepEqual(
      view.gaps.map((g) => `${g.reason} ${g.userName} ${g.start}→${g.end}`),
      [`disabled Carol ${iso(at(1, 3))}→${iso(at(2))}`],
    );
    await setDisabled(carol, false);
  });

  it("a page by hand that reaches nobody answers 201 with pagedNobody and the reason", async () => {
    clock.set(at(0));
    const { schedule, serviceName } = await setUp();
    await setDisabled(carol, true);
    clock.set(at(1, 2));
    const page = await ok(
      admin.post("/api/v1/incidents", { service: serviceName, summary: "Checkout is down" }),
      201,
    );
    assert.equal(page.title, "Checkout is down");
    assert.deepEqual(page.paged, []);
    assert.equal(page.pagedNobody, true);
    assert.equal(
      page.warning,
      `Nobody was paged: step 1 paged nobody (Carol, on call in schedule ${schedule.name}, is disabled)`,
    );
    // The incident's timeline said the same: the answer reuses the escalation's look-ups.
    const detail = await ok(admin.get(`/api/v1/incidents/${page.id}`));
    const messages = (detail.timeline as Array<{ message: string }>).map((e) => e.message);
    assert.ok(
      messages.some((m) =>
        m.startsWith(`Step 1 paged nobody (Carol, on call in schedule ${schedule.name}, is disabled)`),
      ),
      messages.join("\n"),
    );

    await setDisabled(carol, false);
    const paged = await ok(admin.post("/api/v1/incidents", { service: serviceName, summary: "Again" }), 201);
    assert.deepEqual([paged.paged, paged.pagedNobody, paged.warning], [["Carol"], false, null]);
  });

  it("when step 1 reaches nobody but step 2 does, the page warns and says who was paged instead", async () => {
    clock.set(at(0));
    const { schedule, serviceName } = await setUp([
      { delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] },
    ]);
    await setDisabled(carol, true);
    clock.set(at(1, 2));
    const page = await ok(
      admin.post("/api/v1/incidents", { service: serviceName, summary: "Disk full" }),
      201,
    );
    assert.deepEqual([page.paged, page.pagedNobody], [["Ada"], false]);
    assert.equal(
      page.warning,
      `Step 1 paged nobody (Carol, on call in schedule ${schedule.name}, is disabled): step 2 paged Ada instead`,
    );
    await setDisabled(carol, false);
  });
});
