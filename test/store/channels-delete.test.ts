// Deleting a shared channel, on SQLite and PostgreSQL: it goes, and what named it (a service, archived
// or not, and a delivery already planned) keeps null instead of a dangling id or a failed delete.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { describeEachDialect } from "../support/dialects.js";
import { channel, delivery, incident, service, T0, useAlertingStore } from "./alerting-store-kit.js";

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
});
