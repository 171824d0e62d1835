// The incident list reads the escalation timers of a whole page at once: tx.incidents.pendingEscalationTimers
// on both databases (one query for many incidents; failed and other kinds of jobs left out), and
// nextEscalationsAt's rule on top of it, the single read's: only a timer of the current version counts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KyselyPlugin } from "kysely";
import { escalationTimerJobKey } from "../../src/app/incidents/escalation-timer-key.js";
import { nextEscalationAt, nextEscalationsAt } from "../../src/app/incidents/next-escalation.js";
import type { Tx } from "../../src/app/ports/store.js";
import { snapshotOf } from "../../src/core/escalation/policy.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { incidentRepository } from "../../src/store/repositories/incidents.js";
import { describeEachDialect } from "../support/dialects.js";
import { MINUTE } from "../support/fake-clock.js";
import { at, incident, policy, useAlertingStore } from "./alerting-store-kit.js";

/** Counts the statements a Kysely instance compiles, to see a page's timers read in one query. */
function statementCounter(): { plugin: KyselyPlugin; count: () => number } {
  let statements = 0;
  return {
    plugin: {
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
    count: () => statements,
  };
}

const arm = (tx: Tx, incidentId: string, version: number, runAt: Date) =>
  tx.jobs.enqueue(
    "escalation.advance",
    { incidentId, version, dueAtMs: runAt.getTime() },
    { runAt, key: escalationTimerJobKey(incidentId), keyMode: "replace" },
  );

describeEachDialect("escalation timers of many incidents", (dialect) => {
  let store: KyselyStore;
  const { givenService } = useAlertingStore(dialect, (opened) => ({ store } = opened));

  describe("pendingEscalationTimers", () => {
    it("reads the waiting timers of several incidents in one query, by incident id", async () => {
      const { serviceId } = await givenService("svc-timers");
      const escalation = snapshotOf(policy("pol-timers"));
      const ids = ["inc-t1", "inc-t2", "inc-t3", "inc-t4", "inc-t5"];
      await store.run(async (tx) => {
        await tx.incidents.insertMany(ids.map((id) => incident(id, serviceId, { escalation })));
        await arm(tx, "inc-t1", 0, at(5 * MINUTE));
        await arm(tx, "inc-t2", 3, at(7 * MINUTE));
        await arm(tx, "inc-t3", 1, at(9 * MINUTE));
        // Another kind of job under a look-alike key is not a timer.
        await tx.jobs.enqueue("notification.send", { deliveryId: "d-1" } as never, {
          runAt: at(MINUTE),
          key: escalationTimerJobKey("inc-t4"),
        });
      });
      // A timer that failed for good will never run: it is not pending.
      await store.handle.db
        .updateTable("jobs")
        .set({ failed_at: at(MINUTE).getTime() })
        .where("job_key", "=", escalationTimerJobKey("inc-t3"))
        .execute();

      const counter = statementCounter();
      const counted = incidentRepository(store.handle.db.withPlugin(counter.plugin));
      const timers = await counted.pendingEscalationTimers([...ids, "inc-unknown"]);
      assert.equal(counter.count(), 1, "one query for the page");
      assert.deepEqual(
        new Map([...timers].sort(([a], [b]) => a.localeCompare(b))),
        new Map([
          ["inc-t1", { runAt: at(5 * MINUTE), version: 0 }],
          ["inc-t2", { runAt: at(7 * MINUTE), version: 3 }],
        ]),
      );
      assert.deepEqual(await counted.pendingEscalationTimers([]), new Map());

      // Each agrees with the single read.
      await store.run(async (tx) => {
        for (const id of ids) {
          const one = await tx.incidents.pendingEscalationTimer(id);
          assert.deepEqual(one, timers.get(id), id);
        }
      });
    });
  });

  describe("nextEscalationsAt", () => {
    it("counts a triggered incident's timer of its current version only, as the single read does", async () => {
      const { serviceId } = await givenService("svc-next");
      const escalation = snapshotOf(policy("pol-next"));
      const drafts: Array<Omit<Incident, "number">> = [
        incident("inc-n-current", serviceId, { escalation, escalationVersion: 2 }),
        incident("inc-n-stale", serviceId, { escalation, escalationVersion: 3 }),
        incident("inc-n-acked", serviceId, { escalation, state: "acknowledged", acknowledgedAt: at(1) }),
        incident("inc-n-resolved", serviceId, { escalation, state: "resolved", resolvedAt: at(1) }),
        incident("inc-n-no-policy", serviceId),
        incident("inc-n-no-timer", serviceId, { escalation }),
      ];
      const incidents = await store.run(async (tx) => {
        const inserted = await tx.incidents.insertMany(drafts);
        await arm(tx, "inc-n-current", 2, at(5 * MINUTE));
        await arm(tx, "inc-n-stale", 2, at(6 * MINUTE));
        await arm(tx, "inc-n-acked", 0, at(7 * MINUTE));
        await arm(tx, "inc-n-resolved", 0, at(8 * MINUTE));
        await arm(tx, "inc-n-no-policy", 0, at(9 * MINUTE));
        return inserted;
      });

      await store.run(async (tx) => {
        const nextAt = await nextEscalationsAt(tx, incidents);
        assert.deepEqual(
          Object.fromEntries(nextAt),
          Object.fromEntries(drafts.map((d) => [d.id, d.id === "inc-n-current" ? at(5 * MINUTE) : null])),
        );
        for (const i of incidents) assert.deepEqual(nextAt.get(i.id), await nextEscalationAt(tx, i), i.id);
        assert.deepEqual(await nextEscalationsAt(tx, []), new Map());
      });
    });
  });
});
