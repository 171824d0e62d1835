import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import {
  addContactMethod,
  removeContactMethod,
  setNotificationRules,
} from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { acknowledge, escalateNow, reassign, resolve } from "../../src/app/incidents/incident-actions.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { updateUser } from "../../src/app/users/update-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";

const admin = { actor: systemActor("scenario"), requestId: null };

const alertmanagerBody = (status: "firing" | "resolved") => ({
  version: "4",
  groupKey: `{}:{alertname="DiskAlmostFull"}`,
  truncatedAlerts: 0,
  status,
  receiver: "firebreak",
  groupLabels: { alertname: "DiskAlmostFull" },
  commonLabels: { alertname: "DiskAlmostFull", severity: "critical" },
  commonAnnotations: { summary: "DiskAlmostFull on db-7" },
  externalURL: "http://alertmanager.example.net",
  alerts: [
    {
      status,
      labels: { alertname: "DiskAlmostFull", instance: "db-7:9100", severity: "critical" },
      annotations: { summary: "DiskAlmostFull on db-7" },
      startsAt: "2021-01-01T00:00:00Z",
      endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : "2021-01-01T00:30:00Z",
      generatorURL: "http://prometheus.example.net/graph",
      fingerprint: "5d4b1f0c2a9e7c31",
    },
  ],
});

/**
 * Ada's rules: push at once, SMS after 10 minutes, which is after her step's 5-minute timeout.
 * Step 2 pages Bob and waits an hour. Each message is named by the contact method's URL path.
 */
describeEachDialect("a person's notification rules over an incident's life (fake clock)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let key: string;
  let adaId: string;
  let bobId: string;
  let adaSmsId: string;

  const post = (status: "firing" | "resolved") =>
    fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody(status),
    });
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const advance = async (ms: number) => {
    clock.advance(ms);
    return run();
  };
  /** "ada-push:triggered", … in the order sent. */
  const sent = () =>
    sender.sent.map((s) => `${new URL(String(s.config.url)).pathname.slice(1)}:${s.message.event}`);
  const incidentRef = async () =>
    `INC-${(await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 })))[0]!.number}`;
  const timeline = async () =>
    (await getIncident(fb.running.deps, admin, await incidentRef())).timeline.map((e) => e.message);

  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    adaId = (await fb.user("responder", `ada-${dialect}@example.com`)).id;
    bobId = (await fb.user("responder", `bob-${dialect}@example.com`)).id;
    await updateUser(fb.running.deps, admin, adaId, { name: "Ada" });
    await updateUser(fb.running.deps, admin, bobId, { name: "Bob" });
    const method = (userId: string, label: string) =>
      addContactMethod(fb.running.deps, admin, {
        userId,
        kind: "webhook",
        label,
        config: { url: `http://127.0.0.1:9/${label}` },
      });
    const adaPush = await method(adaId, "ada-push");
    adaSmsId = (await method(adaId, "ada-sms")).id;
    await method(bobId, "bob-push");
    await setNotificationRules(fb.running.deps, admin, adaId, [
      { contactMethodId: adaPush.id, delayMinutes: 0 },
      { contactMethodId: adaSmsId, delayMinutes: 10 },
    ]);
    const policy = await createEscalationPolicy(fb.running.deps, admin, {
      name: "Storage primary",
      steps: [
        { delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] },
        { delayMinutes: 60, targets: [{ kind: "user", userId: bobId }] },
      ],
      repeatCount: 0,
    });
    const service = await createService(fb.running.deps, admin, {
      name: "storage",
      escalationPolicyId: policy.id,
      reopenWindowMinutes: 60,
    });
    key = (await createIntegration(fb.running.deps, admin, { serviceId: service.id, kind: "alertmanager" }))
      .key;
  });
  after(() => fb?.close());

  it("a person whose first rule waits is paged, and the timeline says nothing reaches them before it", async () => {
    await setNotificationRules(fb.running.deps, admin, adaId, [
      { contactMethodId: adaSmsId, delayMinutes: 10 },
    ]);
    await post("firing");
    await run();
    assert.deepEqual(sent(), [], "nothing at once");
    assert.ok(
      (await timeline()).includes(
        "Ada's first notification rule is at 10 min: nothing reaches them before then",
      ),
      (await timeline()).join("\n"),
    );
  });

  it("a rule due after the step's timeout still reaches the person while nobody acknowledged", async () => {
    await post("firing");
    await run();
    await advance(5 * MINUTE);
    await advance(5 * MINUTE);
    assert.deepEqual(sent(), ["ada-push:triggered", "bob-push:escalated", "ada-sms:triggered"]);
  });

  it("an acknowledgement stops the later rules, also when the incident is escalated by hand after it", async () => {
    await post("firing");
    await run();
    await advance(MINUTE);
    await acknowledge(fb.running.deps, admin, await incidentRef());
    await advance(MINUTE);
    await escalateNow(fb.running.deps, admin, await incidentRef());
    await advance(20 * MINUTE);
    assert.deepEqual(sent(), ["ada-push:triggered", "bob-push:escalated"], "Ada acknowledged: no SMS");
  });

  it("reassigning stops the old assignee's pending rules", async () => {
    await post("firing");
    await run();
    await advance(MINUTE);
    await reassign(fb.running.deps, admin, await incidentRef(), [bobId]);
    await advance(20 * MINUTE);
    // Bob by the reassignment, then by step 2 once he did not acknowledge either.
    assert.deepEqual(sent(), ["ada-push:triggered", "bob-push:escalated", "bob-push:escalated"]);
  });

  it("rules pending from before a resolve do not go out once the incident reopens", async () => {
    await post("firing");
    await run();
    await advance(MINUTE);
    await post("resolved");
    await advance(MINUTE);
    await post("firing"); // reopens, paging Ada again: push now, SMS at 12 minutes; Bob at 7
    await advance(8 * MINUTE);
    const reopened = ["ada-push:triggered", "ada-push:reopened", "bob-push:escalated"];
    assert.deepEqual(sent(), reopened, "not the first page's SMS at 10 minutes");
    await advance(2 * MINUTE);
    assert.deepEqual(sent(), [...reopened, "ada-sms:reopened"]);
  });

  it("resolving stops every pending rule", async () => {
    await post("firing");
    await run();
    await advance(MINUTE);
    await resolve(fb.running.deps, admin, await incidentRef());
    await advance(60 * MINUTE);
    assert.deepEqual(sent(), ["ada-push:triggered"]);
  });

  it("a person disabled after being paged gets no later rule, and the timeline says so", async () => {
    await post("firing");
    await run();
    await advance(MINUTE);
    await updateUser(fb.running.deps, admin, adaId, { disabled: true });
    await advance(20 * MINUTE);
    assert.deepEqual(sent(), ["ada-push:triggered", "bob-push:escalated"]);
    assert.ok(
      (await timeline()).includes("Could not notify Ada by webhook (ada-sms): the account is disabled"),
      (await timeline()).join("\n"),
    );
  });

  it("a contact method removed while its message waits is a failure on the timeline, not retried", async () => {
    await post("firing");
    await run();
    await removeContactMethod(fb.running.deps, admin, adaSmsId);
    const ran = await advance(10 * MINUTE);
    assert.deepEqual([ran.retried, ran.failed], [0, 0]);
    assert.deepEqual(sent(), ["ada-push:triggered", "bob-push:escalated"]);
    assert.ok((await timeline()).includes("Could not notify Ada: a removed contact method"));
  });
});
