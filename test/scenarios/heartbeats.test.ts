import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { checkHeartbeat } from "../../src/app/heartbeats/heartbeats.js";
import {
  createIntegration,
  rotateIntegrationKey,
  setIntegrationEnabled,
} from "../../src/app/integrations/manage-integrations.js";
import { createMaintenanceWindow } from "../../src/app/maintenance/manage-maintenance-windows.js";
import type { Tx } from "../../src/app/ports/store.js";
import type { Integration } from "../../src/core/alerts/records.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { createServicePagingOneResponder } from "../support/alerting-setup.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE, SECOND } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { heartbeatProbes } from "./heartbeat-probes.js";

const admin = { actor: systemActor("scenario"), requestId: null };
const SKIP_ON_SQLITE = "SQLite runs one transaction at a time: nothing can interleave";
const INTERVAL = 5 * MINUTE;
const GRACE = MINUTE;
const DEADLINE = INTERVAL + GRACE;
const DAY = 24 * HOUR;

describeEachDialect("heartbeats (fake clock, no sleeps)", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let serviceId: string;
  let heartbeat: Integration;

  const { run, advance, checkIn, alerts, firing, incidents, checkJobs } = heartbeatProbes({
    fb: () => fb,
    clock: () => clock,
    serviceId: () => serviceId,
    heartbeat: () => heartbeat,
  });

  beforeEach(async () => {
    await fb?.close();
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    serviceId = (
      await createServicePagingOneResponder(fb, {
        serviceName: "backups",
        policyName: "Backups",
        email: `ada-heartbeat-${dialect}@example.com`,
      })
    ).id;
    heartbeat = await createIntegration(fb.running.deps, admin, {
      serviceId,
      kind: "heartbeat",
      name: "nightly backup",
      heartbeatIntervalSeconds: INTERVAL / SECOND,
      heartbeatGraceSeconds: GRACE / SECOND,
    });
  });
  after(() => fb?.close());

  it("waits for its first check-in; from then on a miss pages, and the next check-in resolves it", async () => {
    // Nothing calls it yet (the cron line is not in place): however long, no incident and no timer.
    await advance(DEADLINE + 1);
    await advance(DAY);
    assert.deepEqual(await incidents(), [], "a heartbeat that never checked in never alerts");
    assert.deepEqual(await checkJobs(), [], "no timer until the first check-in");

    assert.equal(await checkIn(), 200);
    await advance(DEADLINE);
    assert.deepEqual(await incidents(), [], "the deadline itself is still on time");
    await advance(1);
    const [incident] = await incidents();
    assert.equal(
      incident?.title,
      `Heartbeat "nightly backup" missed: no check-in for 6 minutes, expected every 5 minutes (1 minute overdue)`,
    );
    assert.deepEqual(sender.summary(), ["Test responder:triggered"]);

    assert.equal(await checkIn(), 200);
    await run();
    assert.deepEqual(await firing(), []);
    assert.equal((await incidents())[0]?.state, "resolved");
  });

  it("a missed check-in pages once, names how late it is, and the next check-in resolves it", async () => {
    assert.equal(await checkIn(), 200);
    await advance(DEADLINE - 1);
    assert.deepEqual(await incidents(), []);
    // The engine was away for most of an hour: the title says how long the silence really is.
    await advance(HOUR - DEADLINE + 1);
    const [incident] = await incidents();
    assert.equal(
      incident?.title,
      `Heartbeat "nightly backup" missed: no check-in for 1 hour, expected every 5 minutes (55 minutes overdue)`,
    );
    await advance(HOUR);
    assert.deepEqual(sender.summary(), ["Test responder:triggered"], "one page, not one per interval");
    assert.deepEqual(await checkJobs(), [], "after alerting, the next check-in arms the timer again");

    assert.equal(await checkIn(), 200);
    await run();
    assert.deepEqual(await firing(), []);
    assert.equal((await incidents())[0]?.state, "resolved");
    assert.deepEqual(await checkJobs(), [clock.now().getTime() + DEADLINE + 1]);
  });

  it("a check-in exactly at the deadline is on time: no alert", async () => {
    assert.equal(await checkIn(), 200);
    await advance(DEADLINE);
    assert.equal(await checkIn(), 200);
    await advance(DEADLINE);
    assert.deepEqual(await alerts(), []);
    assert.deepEqual(sender.summary(), []);
  });

  it("many check-ins in quick succession leave one timer, at the last one's deadline", async () => {
    for (let i = 0; i < 25; i++) {
      assert.equal(await checkIn(), 200);
      clock.advance(100);
    }
    const lastCheckInMs = clock.now().getTime() - 100;
    const [timer, ...more] = await checkJobs();
    assert.deepEqual(more, [], "one timer job, not one per check-in");
    assert.ok(timer! >= lastCheckInMs + DEADLINE && timer! <= lastCheckInMs + DEADLINE + 1);
    await advance(DEADLINE - 101);
    assert.deepEqual(await alerts(), [], "the earlier check-ins' deadlines are gone");
    await advance(2);
    assert.equal((await firing()).length, 1);
  });

  it("disabled while its timer waits: no alert; enabled again: it alerts if no check-in follows", async () => {
    assert.equal(await checkIn(), 200);
    await setIntegrationEnabled(fb.running.deps, admin, heartbeat.id, false);
    await advance(HOUR);
    assert.deepEqual(await alerts(), [], "a disabled heartbeat raises nothing");
    assert.equal(await checkIn(), 403);

    await setIntegrationEnabled(fb.running.deps, admin, heartbeat.id, true);
    await advance(DEADLINE);
    assert.deepEqual(await alerts(), [], "enabling gives the job a whole interval + grace");
    await advance(1);
    assert.equal((await firing()).length, 1, "a dead cron job is noticed after enabling");
    assert.deepEqual(sender.summary(), ["Test responder:triggered"]);
    // The hour it was disabled is silence, but not lateness: its clock started again at the enable.
    assert.equal(
      (await incidents())[0]?.title,
      `Heartbeat "nightly backup" missed: no check-in for 1 hour 6 minutes, expected every 5 minutes (enabled again 6 minutes ago; 1 minute overdue)`,
    );
  });

  it("a key rotated while its timer waits: a check-in on the new URL keeps it quiet", async () => {
    assert.equal(await checkIn(), 200);
    await advance(INTERVAL);
    const rotated = await rotateIntegrationKey(fb.running.deps, admin, heartbeat.id);
    assert.equal(await checkIn(), 404, "the old URL stops working at once");
    assert.equal(await checkIn(rotated.key), 200);
    await advance(DEADLINE - 1);
    assert.deepEqual(await alerts(), []);
  });

  it("missed during maintenance: held; a check-in before the window ends means nobody is paged", async () => {
    assert.equal(await checkIn(), 200);
    const now = clock.now().getTime();
    await createMaintenanceWindow(fb.running.deps, admin, {
      serviceId,
      window: { kind: "one-off", startsAt: new Date(now), endsAt: new Date(now + HOUR) },
    });
    await advance(DEADLINE + 1);
    const [held] = await alerts();
    assert.equal(held?.suppressed, true, "recorded, held by the window");
    assert.equal(await checkIn(), 200);
    assert.deepEqual(await firing(), []);
    // The cron job keeps checking in until after the window's end, whose release finds nothing to page.
    for (let i = 0; i < 12; i++) {
      await advance(INTERVAL);
      assert.equal(await checkIn(), 200);
    }
    assert.ok(clock.now().getTime() > now + HOUR);
    await run();
    assert.deepEqual(await firing(), []);
    assert.deepEqual(await incidents(), []);
    assert.deepEqual(sender.summary(), []);
  });

  it("a check-in that lands between the check's look and its alert: nothing is raised", async () => {
    const checkedInAt = clock.now().getTime();
    assert.equal(await checkIn(), 200);
    clock.advance(DEADLINE + 1);
    // The check-in commits between the check's look at the heartbeat and its alert.
    const uow = fb.running.deps.uow;
    let runs = 0;
    const racingUow = new Proxy(uow, {
      get(target, property) {
        if (property !== "run") {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        }
        const run: typeof uow.run = async (work, options) => {
          if (++runs === 2) assert.equal(await checkIn(), 200);
          return target.run(work, options);
        };
        return run;
      },
    });
    await checkHeartbeat({ ...fb.running.deps, uow: racingUow }, heartbeat.id, checkedInAt);
    assert.ok(runs >= 2, "the check-in landed while the check ran");
    assert.deepEqual(await firing(), [], "the check-in proved the job alive");
    assert.deepEqual(await incidents(), [], "no incident, not even one resolved at once");
  });

  /** The deps of a check whose alert transaction runs `during` once it has begun and read the heartbeat. */
  const checkWithin = (during: (tx: Tx) => Promise<void>, onRead: "findById" | "findForChange") => {
    const uow = fb.running.deps.uow;
    let runs = 0;
    const run: typeof uow.run = (work, options) =>
      ++runs === 2
        ? uow.run((tx) => {
            let paused = false;
            const read = async (id: string) => {
              const found = await tx.integrations[onRead](id);
              if (!paused) {
                paused = true;
                await during(tx);
              }
              return found;
            };
            return work({ ...tx, integrations: { ...tx.integrations, [onRead]: read } });
          }, options)
        : uow.run(work, options);
    return { ...fb.running.deps, uow: { ...uow, run } as typeof uow };
  };

  it(
    "a check-in committing while the check's alert transaction is open: nothing is raised",
    { skip: dialect === "sqlite" && SKIP_ON_SQLITE },
    async () => {
      const checkedInAt = clock.now().getTime();
      assert.equal(await checkIn(), 200);
      clock.advance(DEADLINE + 1);
      let landed = false;
      const deps = checkWithin(async () => {
        assert.equal(await checkIn(), 200);
        landed = true;
      }, "findById");
      await checkHeartbeat(deps, heartbeat.id, checkedInAt);
      assert.ok(landed, "the check-in committed inside the check's transaction");
      await run();
      assert.deepEqual(await incidents(), [], "the heartbeat checked in before the alert was decided");
      assert.deepEqual(sender.summary(), []);
    },
  );

  it(
    "a check-in after the check decided waits for its alert, then resolves it",
    { skip: dialect === "sqlite" && SKIP_ON_SQLITE },
    async () => {
      const checkedInAt = clock.now().getTime();
      assert.equal(await checkIn(), 200);
      clock.advance(DEADLINE + 1);
      let late: Promise<number> | undefined;
      // Not awaited: it waits for the heartbeat's row, which the check holds until it commits.
      const deps = checkWithin(async () => void (late = checkIn()), "findForChange");
      await checkHeartbeat(deps, heartbeat.id, checkedInAt);
      assert.equal(await late, 200);
      await run();
      assert.deepEqual(await firing(), []);
      assert.deepEqual(
        (await incidents()).map((i) => i.state),
        ["resolved"],
      );
    },
  );
});
