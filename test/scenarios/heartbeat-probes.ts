import type { Integration } from "../../src/core/alerts/records.js";
import type { FakeClock } from "../support/fake-clock.js";
import type { TestFirebreak } from "../support/firebreak-harness.js";

/** What the heartbeat scenarios do and look at; getters, since each test starts a new server. */
export interface HeartbeatWorld {
  fb(): TestFirebreak;
  clock(): FakeClock;
  serviceId(): string;
  heartbeat(): Integration;
}

export function heartbeatProbes(world: HeartbeatWorld) {
  const run = () => world.fb().running.runner!.runDueOnce({ now: world.clock().now() });
  const alerts = () =>
    world.fb().running.deps.uow.run((tx) => tx.alerts.list({ serviceId: world.serviceId(), limit: 50 }));
  return {
    run,
    /** Moves the clock on and runs what fell due. */
    async advance(ms: number) {
      world.clock().advance(ms);
      await run();
    },
    async checkIn(key = world.heartbeat().key) {
      return (await world.fb().http.inject({ method: "GET", url: `/heartbeat/${key}` })).statusCode;
    },
    alerts,
    firing: async () => (await alerts()).filter((a) => a.status === "firing"),
    incidents: () =>
      world.fb().running.deps.uow.run((tx) => tx.incidents.list({ serviceId: world.serviceId(), limit: 50 })),
    /** When the pending heartbeat.check jobs run. */
    checkJobs: async () =>
      (
        await world
          .fb()
          .running.store.handle.db.selectFrom("jobs")
          .select("run_at")
          .where("kind", "=", "heartbeat.check")
          .execute()
      ).map((row) => Number(row.run_at)),
  };
}
