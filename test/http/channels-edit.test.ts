// Changing and deleting shared channels over HTTP: a rename keeps the settings, new settings are
// checked as at create and never come back, a name another channel has (in any case) is refused, a
// channel a service shares or an open incident's war room threads in is kept (the 409 names them),
// and every change is in the audit log, without the secrets.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { IncidentResponseRecord } from "../../src/app/ports/response-store.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

interface Channel {
  id: string;
  name: string;
  kind: string;
  description: string;
  updatedAt: string;
}

const T0 = new Date("2021-03-04T05:06:07.891Z");

const openIncident = (id: string, serviceId: string): Omit<Incident, "number"> => ({
  id,
  serviceId,
  title: `Incident ${id}`,
  state: "acknowledged",
  level: "page",
  groupingKey: `group:${id}`,
  openedAt: T0,
  acknowledgedAt: T0,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  escalation: null,
  escalationStep: 0,
  escalationLoop: 0,
  escalationVersion: 0,
  assigneeIds: [],
  updatedAt: T0,
});

/** A war room whose updates go as a thread to the shared channel `channelId`. */
const threadedWarRoom = (incidentId: string, channelId: string): IncidentResponseRecord => ({
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
  channel: { kind: "thread", channelId, name: "#war-rooms", url: null },
  version: 1,
  createdAtMs: T0.getTime(),
  updatedAtMs: T0.getTime(),
});

const OLD_URL = "https://hooks.example.net/old-secret-token";
const NEW_URL = "https://hooks.example.net/new-secret-token";

describe("changing and deleting shared channels over HTTP", () => {
  let fb: TestFirebreak;
  let admin: Client;
  let responder: Client;

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    responder = client(fb, { key: await fb.apiKey("responder") });
  });
  after(() => fb.close());

  const newChannel = async (name: string, url = OLD_URL): Promise<Channel> => {
    const res = await admin.post("/api/v1/channels", { name, kind: "webhook", config: { url } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Channel;
  };
  const listed = async (): Promise<Channel[]> => (await admin.get("/api/v1/channels")).json() as Channel[];
  const auditOf = async (entityId: string) => {
    const res = await admin.get(`/api/v1/audit-log?entityId=${encodeURIComponent(entityId)}`);
    assert.equal(res.statusCode, 200, res.body);
    return { actions: (res.json() as Array<{ action: string }>).map((e) => e.action), text: res.body };
  };

  it("renames a channel and keeps its settings", async () => {
    const created = await newChannel("#storage");
    const res = await admin.patch(`/api/v1/channels/${created.id}`, { name: "  #storage-alerts " });
    assert.equal(res.statusCode, 200, res.body);
    const changed = res.json() as Channel;
    assert.equal(changed.name, "#storage-alerts");
    assert.equal(changed.kind, "webhook");
    assert.equal(changed.description, created.description);
    assert.ok(!res.body.includes("secret-token"));
    assert.deepEqual(
      (await listed()).find((c) => c.id === created.id),
      changed,
    );
  });

  it("replaces the settings whole, checked as at create, and never echoes them", async () => {
    const created = await newChannel("#payments");
    const res = await admin.patch(`/api/v1/channels/${created.id}`, { config: { url: NEW_URL } });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(!res.body.includes("secret-token"));
    assert.equal((res.json() as Channel).name, "#payments");

    // Another kind with its own settings.
    const moved = await admin.patch(`/api/v1/channels/${created.id}`, {
      kind: "ntfy",
      config: { serverUrl: "https://ntfy.example.net", topic: "payments-alerts" },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal((moved.json() as Channel).kind, "ntfy");

    const { actions, text } = await auditOf(created.id);
    assert.deepEqual(actions.sort(), ["channel.create", "channel.update", "channel.update"]);
    assert.ok(!text.includes("secret-token"), "the audit log keeps descriptions, not secrets");
  });

  it("refuses bad changes naming each field, and changes nothing", async () => {
    const created = await newChannel("#search");
    const before = await listed();
    const several = await admin.patch(`/api/v1/channels/${created.id}`, {
      name: " ",
      config: { url: "ftp://example.net" },
    });
    assertProblem(several, 400, "VALIDATION");
    assert.deepEqual(errorPaths(several), ["/name", "/config/url"]);
    assert.deepEqual(
      errorPaths(await admin.patch(`/api/v1/channels/${created.id}`, { name: "x".repeat(201) })),
      ["/name"],
    );
    // A new kind cannot keep the old kind's settings.
    assert.deepEqual(errorPaths(await admin.patch(`/api/v1/channels/${created.id}`, { kind: "ntfy" })), [
      "/config",
    ]);
    assert.deepEqual(
      errorPaths(await admin.patch(`/api/v1/channels/${created.id}`, { kind: "pigeon", config: {} })),
      ["/kind"],
    );
    // A setting the kind does not read is refused as at create.
    const unknownSetting = { url: NEW_URL, colour: "red" };
    const atCreate = await admin.post("/api/v1/channels", {
      name: "#x",
      kind: "webhook",
      config: unknownSetting,
    });
    assertProblem(atCreate, 400, "VALIDATION");
    assert.deepEqual(
      errorPaths(await admin.patch(`/api/v1/channels/${created.id}`, { config: unknownSetting })),
      errorPaths(atCreate),
    );
    assertProblem(await admin.patch(`/api/v1/channels/${created.id}`, { secret: "x" }), 400, "VALIDATION");
    assert.deepEqual(await listed(), before);
  });

  it("answers 404 for a channel that does not exist, and 403 for a responder", async () => {
    const created = await newChannel("#nobody-else");
    assertProblem(await admin.patch("/api/v1/channels/no-such-channel", { name: "x" }), 404, "NOT_FOUND");
    assertProblem(await admin.delete("/api/v1/channels/no-such-channel"), 404, "NOT_FOUND");
    assertProblem(await responder.patch(`/api/v1/channels/${created.id}`, { name: "x" }), 403, "FORBIDDEN");
    assertProblem(await responder.delete(`/api/v1/channels/${created.id}`), 403, "FORBIDDEN");
    assert.equal((await listed()).find((c) => c.id === created.id)?.name, "#nobody-else");
  });

  it("keeps a channel services share, naming them; deletes it once none does", async () => {
    const shared = await newChannel("#checkout");
    const services: string[] = [];
    for (const name of ["Checkout", "Basket"]) {
      const res = await admin.post("/api/v1/services", { name, channelId: shared.id });
      assert.equal(res.statusCode, 201, res.body);
      services.push((res.json() as { id: string }).id);
    }
    const refused = assertProblem(await admin.delete(`/api/v1/channels/${shared.id}`), 409, "CONFLICT");
    assert.equal(
      refused.detail,
      "channel #checkout is the shared channel of services Basket and Checkout: choose another channel (or none) on each before deleting it",
    );
    assert.ok((await listed()).some((c) => c.id === shared.id));

    for (const id of services) {
      const res = await admin.patch(`/api/v1/services/${id}`, { channelId: null });
      assert.equal(res.statusCode, 200, res.body);
    }
    const deleted = await admin.delete(`/api/v1/channels/${shared.id}`);
    assert.equal(deleted.statusCode, 204, deleted.body);
    assert.equal(deleted.body, "");
    assert.equal(
      (await listed()).find((c) => c.id === shared.id),
      undefined,
    );
    assertProblem(await admin.delete(`/api/v1/channels/${shared.id}`), 404, "NOT_FOUND");

    const { actions, text } = await auditOf(shared.id);
    assert.ok(actions.includes("channel.delete"), actions.join(", "));
    assert.ok(!text.includes("secret-token"));
  });

  it("deletes a channel only a deleted service named", async () => {
    const channel = await newChannel("#retired");
    const res = await admin.post("/api/v1/services", { name: "Retired", channelId: channel.id });
    assert.equal(res.statusCode, 201, res.body);
    const removed = await admin.delete(`/api/v1/services/${(res.json() as { id: string }).id}`);
    assert.equal(removed.statusCode, 204, removed.body);
    const deleted = await admin.delete(`/api/v1/channels/${channel.id}`);
    assert.equal(deleted.statusCode, 204, deleted.body);
  });

  it("refuses a name another channel has, in any case, on create and on rename", async () => {
    const first = await newChannel("#Ops-Alerts");
    const taken = `a channel named #Ops-Alerts already exists (webhook, id ${first.id})`;
    const atCreate = assertProblem(
      await admin.post("/api/v1/channels", {
        name: " #ops-alerts ",
        kind: "webhook",
        config: { url: NEW_URL },
      }),
      409,
      "CONFLICT",
    );
    assert.equal(atCreate.detail, taken);
    assert.deepEqual(atCreate.errors, [{ path: "/name", message: `is taken: ${taken}` }]);

    const other = await newChannel("#ops-other");
    const atRename = assertProblem(
      await admin.patch(`/api/v1/channels/${other.id}`, { name: "#OPS-ALERTS" }),
      409,
      "CONFLICT",
    );
    assert.equal(atRename.detail, taken);
    assert.equal((await listed()).find((c) => c.id === other.id)?.name, "#ops-other");

    // Its own name in another case is no clash.
    const recased = await admin.patch(`/api/v1/channels/${first.id}`, { name: "#ops-alerts" });
    assert.equal(recased.statusCode, 200, recased.body);
    assert.ok(!(await auditOf(other.id)).actions.includes("channel.update"));
  });

  it("keeps channels that shared a name before it was refused readable and changeable", async () => {
    const kept = await newChannel("#legacy");
    const now = new Date();
    await fb.running.deps.uow.run((tx) =>
      tx.channels.insert({
        id: "legacy-duplicate",
        name: "#LEGACY",
        kind: "webhook",
        config: { url: OLD_URL },
        createdAt: now,
        updatedAt: now,
      }),
    );
    assert.deepEqual(
      (await listed())
        .filter((c) => c.name.toLowerCase() === "#legacy")
        .map((c) => c.id)
        .sort(),
      [kept.id, "legacy-duplicate"].sort(),
    );
    const newSettings = await admin.patch("/api/v1/channels/legacy-duplicate", { config: { url: NEW_URL } });
    assert.equal(newSettings.statusCode, 200, newSettings.body);
    // The same name sent back with the settings (as the console's form does), or in another case.
    for (const name of ["#LEGACY", " #Legacy "]) {
      const res = await admin.patch("/api/v1/channels/legacy-duplicate", { name });
      assert.equal(res.statusCode, 200, res.body);
    }
    const renamedAway = await admin.patch("/api/v1/channels/legacy-duplicate", { name: "#legacy-2" });
    assert.equal(renamedAway.statusCode, 200, renamedAway.body);
  });

  it("keeps a channel an open incident's war room threads in, naming the incident; a resolved one does not", async () => {
    const channel = await newChannel("#war-rooms");
    const created = await admin.post("/api/v1/services", { name: "War rooms" });
    assert.equal(created.statusCode, 201, created.body);
    const serviceId = (created.json() as { id: string }).id;
    const incidents = await fb.running.deps.uow.run(async (tx) => {
      const opened: Incident[] = [];
      for (const id of ["war-1", "war-2"]) {
        opened.push(await tx.incidents.insert(openIncident(id, serviceId)));
        await tx.incidentResponses.insert(threadedWarRoom(id, channel.id));
      }
      return opened;
    });
    const [one, two] = incidents.map((i) => `INC-${i.number}`);
    const refused = assertProblem(await admin.delete(`/api/v1/channels/${channel.id}`), 409, "CONFLICT");
    assert.equal(
      refused.detail,
      `channel #war-rooms carries the war-room threads of open incidents ${one} and ${two}: resolve them before deleting the channel`,
    );

    // A service sharing it too: both are named.
    const shared = await admin.patch(`/api/v1/services/${serviceId}`, { channelId: channel.id });
    assert.equal(shared.statusCode, 200, shared.body);
    await fb.running.deps.uow.run((tx) =>
      tx.incidents.update({ ...incidents[0]!, state: "resolved", resolvedAt: T0 }),
    );
    assert.equal(
      assertProblem(await admin.delete(`/api/v1/channels/${channel.id}`), 409, "CONFLICT").detail,
      "channel #war-rooms is the shared channel of service War rooms: choose another channel (or none) on it; " +
        `it also carries the war-room thread of open incident ${two}: resolve it before deleting the channel`,
    );

    const unshared = await admin.patch(`/api/v1/services/${serviceId}`, { channelId: null });
    assert.equal(unshared.statusCode, 200, unshared.body);
    await fb.running.deps.uow.run((tx) =>
      tx.incidents.update({ ...incidents[1]!, state: "resolved", resolvedAt: T0 }),
    );
    const deleted = await admin.delete(`/api/v1/channels/${channel.id}`);
    assert.equal(deleted.statusCode, 204, deleted.body);
  });
});
