import assert from "node:assert/strict";
import { afterEach, beforeEach, it } from "node:test";
import { createChannel } from "../../src/app/channels/manage-channels.js";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { acknowledge } from "../../src/app/incidents/incident-actions.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import type { Tx } from "../../src/app/ports/store.js";
import { createService } from "../../src/app/services/manage-services.js";
import { createUser } from "../../src/app/users/create-user.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { setupCaller } from "../support/alerting-setup.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { pagerDutyTrigger } from "../support/pagerduty-events.js";
import { RecordingSender } from "../support/recording-sender.js";

// An acknowledgement committed after a batch of deliveries was loaded and before a page of that batch
// goes out (another instance's, say, at the escalation mark) stops the page: it is re-read right
// before the send and skipped with its reason. Shared-channel messages are not re-read: they report
// state changes. The timeline names a shared channel by its name. The engine runs by hand.

describeEachDialect("a page acknowledged between its load and its send (fake clock)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let routingKey: string;
  let bobId: string;
  /** Called once the engine read a batch of deliveries holding Bob's step-2 page, before it is sent. */
  let afterPageLoaded: ((incident: Incident) => Promise<void>) | undefined;
  /** Reads of incidents apart from a batch's load (the re-read before a page). */
  let incidentRereads: number;

  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const trigger = async () => {
    const res = await fb.http.inject({
      method: "POST",
      url: "/v2/enqueue",
      payload: pagerDutyTrigger({ routingKey, dedupKey: "disk", summary: "disk full", source: "db-1" }),
    });
    assert.equal(res.statusCode, 202, res.body);
    return (await fb.running.store.read((tx) => tx.incidents.list({ limit: 1 })))[0]!;
  };
  const deliveries = (incidentId: string) =>
    fb.running.store.read((tx) => tx.deliveries.listForIncident(incidentId));
  const timeline = async (incidentId: string) =>
    (await fb.running.store.read((tx) => tx.timeline.listForIncident(incidentId))).map((e) => e.message);

  /** The engine's reads, seen: a load holding Bob's page calls `afterPageLoaded` before it returns. */
  const watchReads = () => {
    const store = fb.running.store;
    const read = KyselyStore.prototype.read.bind(store);
    store.read = async (work) => {
      let bobsPage: string | undefined;
      let loadsDeliveries = false;
      let readsIncidents = false;
      const watched = (tx: Tx): Tx => ({
        ...tx,
        deliveries: {
          ...tx.deliveries,
          findByIds: async (ids) => {
            loadsDeliveries = true;
            const found = await tx.deliveries.findByIds(ids);
            bobsPage ??= found.find((d) => d.recipientId === bobId && d.event === "escalated")?.incidentId;
            return found;
          },
        },
        incidents: {
          ...tx.incidents,
          findById: async (id) => {
            readsIncidents = true;
            return tx.incidents.findById(id);
          },
          findByIds: async (ids) => {
            readsIncidents = true;
            return tx.incidents.findByIds(ids);
          },
        },
      });
      const result = await read((tx) => work(watched(tx)));
      if (readsIncidents && !loadsDeliveries) incidentRereads++;
      const hook = afterPageLoaded;
      if (bobsPage && hook) {
        afterPageLoaded = undefined;
        await hook((await read((tx) => tx.incidents.findById(bobsPage!)))!);
      }
      return result;
    };
  };

  beforeEach(async () => {
    clock = new FakeClock();
    sender = new RecordingSender();
    afterPageLoaded = undefined;
    incidentRereads = 0;
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    const deps = fb.running.deps;
    const people = [];
    for (const name of ["Ada", "Bob"]) {
      const user = await createUser(deps, setupCaller, {
        email: `${name.toLowerCase()}-${dialect}@example.com`,
        name,
        role: "responder",
        password: "correct horse battery staple",
      });
      await addContactMethod(deps, setupCaller, {
        userId: user.id,
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
      people.push(user);
    }
    bobId = people[1]!.id;
    const policy = await createEscalationPolicy(deps, setupCaller, {
      name: "Storage primary",
      steps: [
        { delayMinutes: 1, targets: [{ kind: "user", userId: people[0]!.id }] },
        { delayMinutes: 10, targets: [{ kind: "user", userId: bobId }] },
      ],
      repeatCount: 0,
    });
    const channel = await createChannel(deps, setupCaller, {
      name: "#ops",
      kind: "webhook",
      config: { url: "http://127.0.0.1:9/ops" },
    });
    const service = await createService(deps, setupCaller, {
      name: "storage",
      escalationPolicyId: policy.id,
      channelId: channel.id,
    });
    routingKey = (await createIntegration(deps, setupCaller, { serviceId: service.id, kind: "pagerduty" }))
      .key;
    watchReads();
  });
  afterEach(() => fb?.close());

  it("acknowledged after the step-2 page was loaded: Bob is not paged, the page is skipped with why", async () => {
    const incident = await trigger();
    await run();
    assert.deepEqual(sender.summary().sort(), ["#channel:triggered", "Ada:triggered"]);
    let loadedState: string | undefined;
    afterPageLoaded = async (loaded) => {
      loadedState = loaded.state;
      await acknowledge(fb.running.deps, setupCaller, `INC-${incident.number}`);
    };
    clock.advance(MINUTE);
    await run();

    assert.equal(loadedState, "triggered", "the batch was loaded before the acknowledgement");
    assert.deepEqual(
      sender.summary().sort(),
      ["#channel:acknowledged", "#channel:triggered", "Ada:triggered"],
      "nobody is woken for an incident someone already has; the channel hears of the ack",
    );
    const bobs = (await deliveries(incident.id)).filter((d) => d.recipientId === bobId);
    assert.deepEqual(
      bobs.map((d) => [d.event, d.status, d.attempts, d.lastError]),
      [
        [
          "escalated",
          "skipped",
          0,
          `not sent: INC-${incident.number} was acknowledged before the page went out`,
        ],
      ],
    );
    assert.ok(!(await timeline(incident.id)).some((m) => m.startsWith("Notified Bob")));
    // Nothing left to run for it.
    clock.advance(60 * MINUTE);
    await run();
    assert.equal(sender.sent.length, 3);
  });

  it("still triggered when re-read: the page goes out carrying the state it has now", async () => {
    const incident = await trigger();
    await run();
    let hookRan = false;
    afterPageLoaded = async () => void (hookRan = true);
    incidentRereads = 0;
    clock.advance(MINUTE);
    await run();
    assert.ok(hookRan);
    assert.equal(incidentRereads, 1, "Bob's page re-read its incident once");
    assert.deepEqual(sender.summary().slice(2), ["Bob:escalated"]);
    assert.equal(sender.sent[2]!.message.state, "triggered");
    const bobs = (await deliveries(incident.id)).filter((d) => d.recipientId === bobId);
    assert.deepEqual(
      bobs.map((d) => d.status),
      ["sent"],
    );
  });

  it("a shared channel's messages are not re-read before they go, and the timeline names the channel", async () => {
    const incident = await trigger();
    await acknowledge(fb.running.deps, setupCaller, `INC-${incident.number}`);
    await run();
    // Ada's page was skipped as it was loaded; only the channel's two messages went out.
    assert.deepEqual(sender.summary().sort(), ["#channel:acknowledged", "#channel:triggered"]);
    assert.equal(incidentRereads, 0, "no incident re-read for a channel's message");
    const ada = (await deliveries(incident.id)).find((d) => d.recipientKind === "user");
    assert.equal(ada?.status, "skipped");
    assert.equal(
      ada?.lastError,
      `not sent: INC-${incident.number} was acknowledged before the page went out`,
    );
    const notified = (await timeline(incident.id)).filter((m) => m.startsWith("Notified"));
    assert.deepEqual(notified, ["Notified #ops by webhook", "Notified #ops by webhook"]);
  });
});
