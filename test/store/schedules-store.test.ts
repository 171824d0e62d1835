import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Tx } from "../../src/app/ports/store.js";
import type { User } from "../../src/core/auth/records.js";
import type {
  CalendarFeed,
  LayerRecord,
  OverrideRecord,
  ScheduleRecord,
  ShiftTrade,
} from "../../src/core/schedules/records.js";
import type { RotationVersion } from "../../src/core/schedules/schedule.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, HOUR } from "../support/fake-clock.js";

// Millisecond precision on purpose: instants must survive the BIGINT round trip exactly.
const T0 = Date.parse("2026-11-16T08:00:00.123Z");
const DAY = 24 * HOUR;

const user = (id: string): User => ({
  id,
  email: `${id}@example.com`,
  name: `User ${id}`,
  role: "responder",
  passwordHash: null,
  disabledAt: null,
  createdAt: new Date(T0),
  updatedAt: new Date(T0),
});

const schedule = (id: string, over: Partial<ScheduleRecord> = {}): ScheduleRecord => ({
  id,
  name: `Schedule ${id}`,
  description: "",
  timeZone: "Europe/Berlin",
  teamId: null,
  createdAt: new Date(T0),
  updatedAt: new Date(T0),
  ...over,
});

const version = (fromMs: number, untilMs: number | null, memberIds: string[]): RotationVersion => ({
  effectiveFromMs: fromMs,
  effectiveUntilMs: untilMs,
  memberIds,
  shiftLength: 1,
  shiftUnit: "days",
  startLocal: "2026-11-16T09:00",
  restrictions: [{ weekday: 1, startTime: "09:00", endTime: "17:00" }],
});

const rotationLayer = (id: string, versions: RotationVersion[], priority = 1): LayerRecord => ({
  layer: { id, name: `Layer ${id}`, priority, source: "rotation", versions },
  endedAtMs: null,
});

const override = (id: string, scheduleId: string, startMs: number, endMs: number): OverrideRecord => ({
  id,
  scheduleId,
  userId: "u-1",
  startMs,
  endMs,
  replacesUserId: "u-2",
  source: "manual",
  createdBy: "u-1",
  createdAtMs: T0,
});

const trade = (id: string, scheduleId: string, over: Partial<ShiftTrade> = {}): ShiftTrade => ({
  id,
  scheduleId,
  kind: "swap",
  state: "pending",
  requesterId: "u-1",
  shift: { startMs: T0 + DAY, endMs: T0 + 2 * DAY },
  swapWith: { startMs: T0 + 3 * DAY, endMs: T0 + 4 * DAY },
  offeredTo: "u-2",
  acceptedBy: null,
  note: "dentist",
  overrideIds: [],
  createdAtMs: T0,
  decidedAtMs: null,
  ...over,
});

describeEachDialect("schedule store", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  const clock = new FakeClock(T0);
  const run = <T>(work: (tx: Tx) => Promise<T>) => store.run(work);

  before(async () => {
    db = await createFreshDatabase(dialect);
    store = new KyselyStore(db.handle, () => clock.now());
    await run(async (tx) => {
      for (const id of ["u-1", "u-2", "u-3"]) await tx.users.insert(user(id));
      await tx.teams.insert({ id: "t-1", name: "Storage", createdAt: new Date(T0) });
    });
  });
  after(async () => db.drop());

  describe("schedules", () => {
    it("round-trips, finds by id and name, lists by name and by team, updates", async () => {
      await run(async (tx) => {
        await tx.schedules.insert(schedule("s-b", { name: "Beta", teamId: "t-1" }));
        await tx.schedules.insert(schedule("s-a", { name: "Alpha", description: "first" }));
      });
      assert.deepEqual(
        await run((tx) => tx.schedules.findById("s-a")),
        schedule("s-a", { name: "Alpha", description: "first" }),
      );
      assert.equal((await run((tx) => tx.schedules.findByName("Beta")))?.id, "s-b");
      assert.equal(await run((tx) => tx.schedules.findByName("beta")), undefined, "names match exactly");
      assert.deepEqual(
        (await run((tx) => tx.schedules.list()))
          .map((s) => s.name)
          .filter((n) => n === "Alpha" || n === "Beta"),
        ["Alpha", "Beta"],
      );
      assert.deepEqual(
        (await run((tx) => tx.schedules.listForTeam("t-1"))).map((s) => s.id),
        ["s-b"],
      );
      const changed = schedule("s-a", {
        name: "Alpha",
        timeZone: "Asia/Tokyo",
        teamId: "t-1",
        updatedAt: new Date(T0 + 1),
      });
      await run((tx) => tx.schedules.update(changed));
      assert.deepEqual(await run((tx) => tx.schedules.findById("s-a")), changed);
    });

    it("refuses a second schedule with the same name (CONFLICT, not a 500)", async () => {
      await run((tx) => tx.schedules.insert(schedule("s-dup1", { name: "Twin" })));
      await assert.rejects(
        run((tx) => tx.schedules.insert(schedule("s-dup2", { name: "Twin" }))),
        (err: { code?: string }) => err.code === "CONFLICT",
      );
    });
  });

  describe("layers and rotation versions", () => {
    it("keeps rotation versions in order and replaces them on update; fixed layers keep their shifts", async () => {
      await run((tx) => tx.schedules.insert(schedule("s-layers")));
      const first = rotationLayer("l-rot", [version(T0, null, ["u-1", "u-2"])]);
      const fixed: LayerRecord = {
        layer: {
          id: "l-fixed",
          name: "Imported",
          priority: 5,
          source: "fixed",
          shifts: [{ userId: "u-3", startMs: T0 + HOUR, endMs: T0 + 2 * HOUR, sourceId: "uid-1@test" }],
        },
        endedAtMs: null,
      };
      await run(async (tx) => {
        await tx.schedules.insertLayer("s-layers", first, T0);
        await tx.schedules.insertLayer("s-layers", fixed, T0 + 1);
      });
      assert.deepEqual(await run((tx) => tx.schedules.listLayers("s-layers")), [first, fixed]);

      const edited = rotationLayer(
        "l-rot",
        [version(T0, T0 + DAY, ["u-1", "u-2"]), version(T0 + DAY, null, ["u-3"])],
        7,
      );
      await run((tx) => tx.schedules.updateLayer("s-layers", { ...edited, endedAtMs: T0 + 2 * DAY }));
      const [loaded] = await run((tx) => tx.schedules.listLayers("s-layers"));
      assert.deepEqual(loaded, { ...edited, endedAtMs: T0 + 2 * DAY });
    });

    it("deleting a schedule removes its layers, versions, overrides, trades and feed", async () => {
      await run(async (tx) => {
        await tx.schedules.insert(schedule("s-gone"));
        await tx.schedules.insertLayer("s-gone", rotationLayer("l-gone", [version(T0, null, ["u-1"])]), T0);
        await tx.scheduleOverrides.insert(override("o-gone", "s-gone", T0, T0 + HOUR));
        await tx.shiftTrades.insert(trade("t-gone", "s-gone"));
        await tx.calendarFeeds.replace({
          id: "f-gone",
          owner: { kind: "schedule", id: "s-gone" },
          tokenHash: "h-gone",
          createdAtMs: T0,
        });
      });
      assert.equal(await run((tx) => tx.schedules.delete("s-gone")), true);
      assert.equal(await run((tx) => tx.schedules.delete("s-gone")), false);
      assert.deepEqual(await run((tx) => tx.schedules.listLayers("s-gone")), []);
      assert.equal(await run((tx) => tx.scheduleOverrides.findById("o-gone")), undefined);
      assert.equal(await run((tx) => tx.shiftTrades.findById("t-gone")), undefined);
      assert.equal(await run((tx) => tx.calendarFeeds.findByTokenHash("h-gone")), undefined);
    });
  });

  describe("overrides", () => {
    it("lists those overlapping [from, to) oldest first; cuts one short; deletes", async () => {
      await run(async (tx) => {
        await tx.schedules.insert(schedule("s-over"));
        await tx.scheduleOverrides.insert(override("o-1", "s-over", T0, T0 + HOUR));
        await tx.scheduleOverrides.insert({
          ...override("o-2", "s-over", T0 + HOUR, T0 + 2 * HOUR),
          createdAtMs: T0 + 1,
        });
        await tx.scheduleOverrides.insert(override("o-3", "s-over", T0 + 5 * HOUR, T0 + 6 * HOUR));
      });
      const ids = (fromMs: number, toMs: number) =>
        run(async (tx) =>
          (await tx.scheduleOverrides.listOverlapping("s-over", fromMs, toMs)).map((o) => o.id),
        );
      assert.deepEqual(await ids(T0, T0 + 2 * HOUR), ["o-1", "o-2"]);
      assert.deepEqual(
        await ids(T0 + HOUR, T0 + HOUR + 1),
        ["o-2"],
        "an override ending at `from` does not overlap",
      );
      assert.deepEqual(await ids(T0 - HOUR, T0), [], "nor one starting at `to`");
      assert.deepEqual(await ids(T0 - DAY, T0 + DAY), ["o-1", "o-3", "o-2"], "by creation, then id");
      assert.deepEqual(
        await run((tx) => tx.scheduleOverrides.findById("o-1")),
        override("o-1", "s-over", T0, T0 + HOUR),
      );
      await run((tx) => tx.scheduleOverrides.setEnd("o-3", T0 + 5 * HOUR + 1));
      assert.equal((await run((tx) => tx.scheduleOverrides.findById("o-3")))?.endMs, T0 + 5 * HOUR + 1);
      assert.equal(await run((tx) => tx.scheduleOverrides.delete("o-3")), true);
      assert.equal(await run((tx) => tx.scheduleOverrides.delete("o-3")), false);
    });
  });

  describe("shift trades", () => {
    it("round-trips; a decision applies only while pending, so the second of two decisions loses", async () => {
      await run(async (tx) => {
        await tx.schedules.insert(schedule("s-trade"));
        await tx.shiftTrades.insert(trade("t-1", "s-trade"));
        await tx.shiftTrades.insert(
          trade("t-2", "s-trade", { kind: "cover", swapWith: null, offeredTo: null, createdAtMs: T0 + 1 }),
        );
      });
      assert.deepEqual(await run((tx) => tx.shiftTrades.findById("t-1")), trade("t-1", "s-trade"));
      const decision = {
        state: "accepted" as const,
        acceptedBy: "u-2",
        decidedAtMs: T0 + HOUR,
        overrideIds: ["o-a", "o-b"],
      };
      assert.equal(await run((tx) => tx.shiftTrades.decide("t-1", decision)), true);
      assert.equal(
        await run((tx) => tx.shiftTrades.decide("t-1", { ...decision, state: "declined", acceptedBy: null })),
        false,
      );
      assert.deepEqual(await run((tx) => tx.shiftTrades.findById("t-1")), {
        ...trade("t-1", "s-trade"),
        ...decision,
      });
      const list = (filter: Parameters<Tx["shiftTrades"]["list"]>[0]) =>
        run(async (tx) => (await tx.shiftTrades.list(filter)).map((t) => t.id));
      assert.deepEqual(await list({ scheduleId: "s-trade", limit: 10 }), ["t-2", "t-1"], "newest first");
      assert.deepEqual(await list({ scheduleId: "s-trade", state: "pending", limit: 10 }), ["t-2"]);
      assert.deepEqual(await list({ scheduleId: "s-trade", limit: 1 }), ["t-2"]);
    });
  });

  describe("calendar feeds", () => {
    it("finds a feed by token hash and by owner; replacing retires the old hash", async () => {
      const feed = (id: string, tokenHash: string): CalendarFeed => ({
        id,
        owner: { kind: "user", id: "u-1" },
        tokenHash,
        createdAtMs: T0,
      });
      await run((tx) => tx.calendarFeeds.replace(feed("f-1", "hash-1")));
      assert.deepEqual(await run((tx) => tx.calendarFeeds.findByTokenHash("hash-1")), feed("f-1", "hash-1"));
      await run((tx) => tx.calendarFeeds.replace(feed("f-2", "hash-2")));
      assert.equal(await run((tx) => tx.calendarFeeds.findByTokenHash("hash-1")), undefined);
      assert.deepEqual(
        await run((tx) => tx.calendarFeeds.findForOwner({ kind: "user", id: "u-1" })),
        feed("f-2", "hash-2"),
      );
      assert.equal(await run((tx) => tx.calendarFeeds.findForOwner({ kind: "user", id: "u-2" })), undefined);
    });
  });

  describe("users' time zones", () => {
    it("keeps a zone, clears it, and leaves users without one as they were", async () => {
      await run((tx) => tx.users.update("u-2", { timeZone: "America/New_York" }));
      assert.equal((await run((tx) => tx.users.findById("u-2")))?.timeZone, "America/New_York");
      await run((tx) => tx.users.update("u-2", { timeZone: null }));
      assert.deepEqual(await run((tx) => tx.users.findById("u-2")), user("u-2"));
    });
  });

  describe("disabled people", () => {
    it("lists only the disabled, with the exact instant, and forgets one enabled again", async () => {
      await run((tx) => tx.users.update("u-3", { disabledAt: new Date(T0 + 1) }));
      assert.deepEqual(await run((tx) => tx.users.listDisabled()), [
        { id: "u-3", disabledAt: new Date(T0 + 1) },
      ]);
      await run((tx) => tx.users.update("u-3", { disabledAt: null }));
      assert.deepEqual(await run((tx) => tx.users.listDisabled()), []);
    });
  });
});
