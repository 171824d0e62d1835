import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NotificationSender } from "../app/ports/notifications.js";
import { DEFAULT_BREAKER_POLICY } from "../core/notifications/receiver-breaker.js";
import type { IncidentMessage } from "../core/notifications/incident-message.js";
import { NotifyError } from "../notifiers/contract.js";
import { heldBackError, ReceiverGate } from "../notifiers/receiver-gate.js";
import { NOTIFIER_KINDS } from "../notifiers/registry.js";
import { createMetrics } from "./metrics.js";
import {
  countingSender,
  createNotificationCounter,
  NOTIFICATION_OUTCOMES,
  type NotificationCounter,
} from "./notification-counters.js";

/** A sender whose next sends end as told: "ok", or the error thrown. */
function scriptedSender(): NotificationSender & { next: Array<"ok" | Error> } {
  const next: Array<"ok" | Error> = [];
  return {
    next,
    async send() {
      const step = next.shift() ?? "ok";
      if (step !== "ok") throw step;
      return { externalId: null };
    },
  };
}

const MESSAGE = {} as IncidentMessage;
const CONTEXT = { idempotencyKey: "k", previousExternalId: null };

/** The counter's values as "kind outcome" → count, the zeros included. */
async function valuesOf(counter: NotificationCounter): Promise<Map<string, number>> {
  const { values } = await counter.get();
  return new Map(values.map((v) => [`${v.labels.kind} ${v.labels.outcome}`, v.value]));
}

const sample = (text: string, series: string): number | undefined => {
  const escaped = series.replace(/[{}"]/g, (c) => `\\${c}`);
  const value = new RegExp(`^${escaped} (\\d+)$`, "m").exec(text)?.[1];
  return value === undefined ? undefined : Number(value);
};

describe("firebreak_notifications_total", () => {
  it("starts at 0 for every registered kind and outcome, before any send", async () => {
    const values = await valuesOf(createNotificationCounter());
    assert.equal(values.size, NOTIFIER_KINDS.length * NOTIFICATION_OUTCOMES.length);
    for (const kind of NOTIFIER_KINDS)
      for (const outcome of NOTIFICATION_OUTCOMES) assert.equal(values.get(`${kind} ${outcome}`), 0);
  });

  it("counts each send once by its outcome: a retry that gets through counts its failure, then a sent", async () => {
    const counter = createNotificationCounter();
    const inner = scriptedSender();
    const sender = countingSender(inner, counter);
    inner.next.push(
      new NotifyError("Slack webhook: HTTP 503", { retryable: true, reason: "server" }),
      "ok",
      new NotifyError("Slack webhook: HTTP 404", { retryable: false, reason: "client" }),
      heldBackError("Slack webhook", { retryAfterMs: 10_000, failures: 5 }),
    );
    await assert.rejects(sender.send("slack", {}, MESSAGE, CONTEXT), /503/);
    await sender.send("slack", {}, MESSAGE, CONTEXT);
    await assert.rejects(sender.send("slack", {}, MESSAGE, CONTEXT), /404/);
    await assert.rejects(sender.send("slack", {}, MESSAGE, CONTEXT), /not tried/);
    const values = await valuesOf(counter);
    assert.deepEqual(
      NOTIFICATION_OUTCOMES.map((outcome) => [outcome, values.get(`slack ${outcome}`)]),
      [
        ["sent", 1],
        ["failed_retryable", 1],
        ["failed_permanent", 1],
        ["held_back", 1],
      ],
    );
    assert.equal(values.get("webhook sent"), 0, "other kinds untouched");
  });

  it("counts an error that does not say it is permanent as retryable (the job runs it again)", async () => {
    const counter = createNotificationCounter();
    const inner = scriptedSender();
    inner.next.push(new TypeError("a bug in a notifier"));
    await assert.rejects(countingSender(inner, counter).send("ntfy", {}, MESSAGE, CONTEXT), TypeError);
    assert.equal((await valuesOf(counter)).get("ntfy failed_retryable"), 1);
  });

  it("labels a kind the registry does not know as unknown, so stored settings cannot grow the series", async () => {
    const counter = createNotificationCounter();
    const inner = scriptedSender();
    inner.next.push(new NotifyError("no such kind", { retryable: false, reason: "config" }));
    await assert.rejects(countingSender(inner, counter).send("pager-2099", {}, MESSAGE, CONTEXT));
    const values = await valuesOf(counter);
    assert.equal(values.get("unknown failed_permanent"), 1);
    assert.equal(values.has("pager-2099 failed_permanent"), false);
  });

  it("is exported by every metrics registry it is given to", async () => {
    const counter = createNotificationCounter();
    await countingSender(scriptedSender(), counter).send("email", {}, MESSAGE, CONTEXT);
    for (const metrics of [createMetrics({ counter }), createMetrics({ counter })]) {
      const text = await metrics.render();
      assert.equal(sample(text, 'firebreak_notifications_total{kind="email",outcome="sent"}'), 1);
      assert.match(text, /^# TYPE firebreak_notifications_total counter$/m);
    }
  });
});

describe("firebreak_notification_receivers_held_back", () => {
  it("counts the receivers a send would be held back from now, and asking moves no breaker", async () => {
    let nowMs = 1_000_000;
    const gate = new ReceiverGate(DEFAULT_BREAKER_POLICY, () => nowMs);
    const metrics = createMetrics({ counter: createNotificationCounter(), receiverGate: gate });
    const heldBack = async () => sample(await metrics.render(), "firebreak_notification_receivers_held_back");

    assert.equal(await heldBack(), 0);
    for (let i = 0; i < DEFAULT_BREAKER_POLICY.failuresToOpen; i++) {
      assert.equal(gate.enter("https://hooks.example.net"), undefined);
      gate.settle("https://hooks.example.net", "unreachable");
    }
    gate.settle("https://ntfy.example.net", "unreachable");
    assert.equal(await heldBack(), 1, "open; one failure alone holds nothing back");
    assert.equal(await heldBack(), 1, "a scrape does not turn the breaker into a trial");

    nowMs += DEFAULT_BREAKER_POLICY.firstOpenMs;
    assert.equal(await heldBack(), 0, "the open time is over: the next send goes");
    assert.equal(gate.enter("https://hooks.example.net"), undefined, "the trial send");
    assert.equal(await heldBack(), 1, "while the trial is out, the others are held back");
    gate.settle("https://hooks.example.net", "reachable");
    assert.equal(await heldBack(), 0);
  });
});
