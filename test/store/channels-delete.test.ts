// Deleting a shared channel, on SQLite and PostgreSQL: it goes, and what named it (a service, archived
// or not, and a delivery already planned) keeps null instead of a dangling id or a failed delete; and
// the open incidents whose war room threads in it, which a delete must not leave posting nowhere.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { IncidentResponseRecord, ResponseChannel } from "../../src/app/ports/response-store.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { describeEachDialect } from "../support/dialects.js";
import { channel, delivery, incident, service, T0, useAlertingStore } from "./alerting-store-kit.js";

const warRoom = (incidentId: string, channel: ResponseChannel): IncidentResponseRecord => ({
  incidentId,
  phase: "investigating",
  triage: null,
  handlerId: null,
  commsLeadId: null,
  responderIds: [],
  pendingHandover: null,
  watch: null,
  publicUpdateRequiredSinceMs: null,
  videoCallUrl: null,
  channel,
  version: 1,
  createdAtMs: T0.getTime(),
  updatedAtMs: T0.getTime(),
});

const thread = (channelId: string): ResponseChannel => ({ kind: "thread", channelId, name: "#x", url: null });

describeEachDialect("deleting a shared channel (store)", (dialect) => {
  let store: KyselyStore;
  const { givenService } = useAlertingStore(dialect, (opened) => ({ store } = opened));

  it("deletes it and leaves null where a service or a delivery named it", async () => {
    const { serviceId } = await givenService("svc-del");
    await store.run(async (tx) => {
      await tx.channels.insert(channel("ch-gone"));
      await tx.channels.insert(channel("ch-kept"));
      await tx.services.insert(service("svc-archived", { channelId: "ch-gone" }));
      await tx.services.archive("svc-archived", T0);
      const inc = await tx.incidents.insert(incident("inc-del", serviceId));
      await tx.deliveries.insertIfAbsent(
        delivery("del-1", inc.id, { recipientKind: "channel", recipientId: "ch-gone", channelId: "ch-gone" }),
      );
    });

    assert.equal(await store.run((tx) => tx.channels.delete("ch-gone")), true);
    assert.equal(await store.run((tx) => tx.channels.delete("ch-gone")), false);

    await store.run(async (tx) => {
      assert.equal(await tx.channels.findById("ch-gone"), undefined);
      assert.deepEqual(
        (await tx.channels.list()).map((c) => c.id),
        ["ch-kept"],
      );
      assert.equal((await tx.services.findById("svc-archived"))?.channelId, null);
      const [kept] = await tx.deliveries.listForIncident("inc-del");
      assert.equal(kept?.channelId, null);
      assert.equal(kept?.status, "pending");
    });
  });

  it("lists the unresolved incidents whose war room threads in the channel, lowest number first", async () => {
    const { serviceId } = await givenService("svc-rooms");
    const numbers = await store.run(async (tx) => {
      await tx.channels.insert(channel("ch-rooms"));
      await tx.channels.insert(channel("ch-other"));
      const rooms: Array<[string, Parameters<typeof incident>[2], ResponseChannel]> = [
        ["inc-ack", { state: "acknowledged" }, thread("ch-rooms")],
        ["inc-trig", {}, thread("ch-rooms")],
        ["inc-resolved", { state: "resolved", resolvedAt: T0 }, thread("ch-rooms")],
        ["inc-elsewhere", {}, thread("ch-other")],
        // A Slack channel of its own whose id happens to be the same text: not a thread in this channel.
        ["inc-slack", {}, { kind: "slack-channel", channelId: "ch-rooms", name: "#inc", url: null }],
        ["inc-third", {}, thread("ch-rooms")],
      ];
      const byId = new Map<string, number>();
      for (const [id, overrides, where] of rooms) {
        byId.set(id, (await tx.incidents.insert(incident(id, serviceId, overrides))).number);
        await tx.incidentResponses.insert(warRoom(id, where));
      }
      return byId;
    });
    const open = ["inc-ack", "inc-trig", "inc-third"].map((id) => numbers.get(id)!);
    assert.deepEqual(await store.run((tx) => tx.channels.listOpenWarRoomIncidents("ch-rooms", 10)), open);
    assert.deepEqual(
      await store.run((tx) => tx.channels.listOpenWarRoomIncidents("ch-rooms", 2)),
      open.slice(0, 2),
    );
    assert.deepEqual(
      await store.run((tx) => tx.channels.listOpenWarRoomIncidents("no-such-channel", 10)),
      [],
    );
  });

  it("finds a channel for a change, a delete or a use as findById does", async () => {
    await store.run((tx) => tx.channels.insert(channel("ch-locks")));
    await store.run(async (tx) => {
      await tx.channels.lockNames();
      const plain = await tx.channels.findById("ch-locks");
      assert.ok(plain);
      assert.deepEqual(await tx.channels.findForChange("ch-locks"), plain);
      assert.deepEqual(await tx.channels.findForDelete("ch-locks"), plain);
      assert.deepEqual(await tx.channels.findForUse("ch-locks"), plain);
      assert.equal(await tx.channels.findForUse("no-such-channel"), undefined);
    });
  });
});
