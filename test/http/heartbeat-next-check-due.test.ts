// A heartbeat's API answer says by when the next check-in must come (`nextCheckDueAt`), read from the
// engine's pending check itself: after a disable and an enable the check runs from the enable, not
// from the last check-in, and the console shows that instant. Fake clock; the engine runs when told.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE, SECOND } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";

const INTERVAL_MS = 5 * MINUTE;
const GRACE_MS = MINUTE;
const WAIT_MS = INTERVAL_MS + GRACE_MS;

interface IntegrationAnswer {
  id: string;
  key: string;
  kind: string;
  lastCheckInAt: string | null;
  nextCheckDueAt: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

describeEachDialect("a heartbeat's nextCheckDueAt", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let serviceId = "";
  let heartbeat: IntegrationAnswer;

  const runDue = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const listed = async () => {
    const res = await admin.get(`/api/v1/services/${serviceId}/integrations`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as IntegrationAnswer[];
  };
  const dueNow = async () => (await listed()).find((i) => i.id === heartbeat.id)?.nextCheckDueAt;
  const checkIn = async () => {
    const res = await fb.http.inject({ method: "GET", url: `/heartbeat/${heartbeat.key}` });
    assert.equal(res.statusCode, 200, res.body);
    return clock.now().getTime();
  };
  const change = async (verb: "disable" | "enable") => {
    const res = await admin.post(`/api/v1/integrations/${heartbeat.id}/${verb}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as IntegrationAnswer;
  };
  const firing = async () =>
    (await fb.running.deps.uow.read((tx) => tx.alerts.list({ serviceId, limit: 50 }))).filter(
      (a) => a.status === "firing",
    ).length;

  before(async () => {
    clock = new FakeClock();
    fb = await startTestFirebreak({ dialect, clock, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    const service = await admin.post("/api/v1/services", { name: "backups" });
    assert.equal(service.statusCode, 201, service.body);
    serviceId = (service.json() as { id: string }).id;
    const created = await admin.post(`/api/v1/services/${serviceId}/integrations`, {
      kind: "heartbeat",
      name: "nightly backup",
      heartbeatIntervalSeconds: INTERVAL_MS / SECOND,
      heartbeatGraceSeconds: GRACE_MS / SECOND,
    });
    assert.equal(created.statusCode, 201, created.body);
    heartbeat = created.json() as IntegrationAnswer;
  });
  after(() => fb.close());

  it("is null while it waits for its first check-in, and for other kinds", async () => {
    assert.equal(heartbeat.nextCheckDueAt, null, "as created");
    assert.equal(await dueNow(), null);
    const webhook = await admin.post(`/api/v1/services/${serviceId}/integrations`, { kind: "webhook" });
    assert.equal(webhook.statusCode, 201, webhook.body);
    assert.equal((webhook.json() as IntegrationAnswer).nextCheckDueAt, null);
    assert.deepEqual(
      (await listed()).filter((i) => i.kind === "webhook").map((i) => i.nextCheckDueAt),
      [null],
    );
  });

  it("is interval + grace after a check-in", async () => {
    const checkedInMs = await checkIn();
    assert.equal(await dueNow(), iso(checkedInMs + WAIT_MS));
    clock.advance(MINUTE);
    const again = await checkIn();
    assert.equal(await dueNow(), iso(again + WAIT_MS), "each check-in moves it on");
  });

  it("after a disable and an enable, runs from the enable, as the engine does", async () => {
    const checkedInMs = await checkIn();
    assert.equal((await change("disable")).nextCheckDueAt, null, "disabled: no check would alert");
    assert.equal(await dueNow(), null);

    // The check falls due while it is disabled: it raises nothing and is gone.
    clock.advance(WAIT_MS + MINUTE);
    await runDue();
    assert.equal(await firing(), 0);

    const enabled = await change("enable");
    const enabledMs = clock.now().getTime();
    assert.equal(enabled.lastCheckInAt, iso(checkedInMs), "the last check-in is unchanged");
    assert.equal(enabled.nextCheckDueAt, iso(enabledMs + WAIT_MS), "from the enable, not the last check-in");
    assert.equal(await dueNow(), iso(enabledMs + WAIT_MS));

    // The engine agrees: on time up to that instant, alerting just after it.
    clock.advance(WAIT_MS);
    await runDue();
    assert.equal(await firing(), 0, "still on time at nextCheckDueAt");
    clock.advance(1);
    await runDue();
    assert.equal(await firing(), 1, "alerted just after nextCheckDueAt");
    assert.equal(await dueNow(), null, "the check ran: its alert is raised, nothing more is pending");

    const resolvedAt = await checkIn();
    assert.equal(await firing(), 0, "the check-in resolved it");
    assert.equal(await dueNow(), iso(resolvedAt + WAIT_MS));
  });

  it("a short disable keeps the check that was waiting, with its earlier deadline", async () => {
    const checkedInMs = await checkIn();
    await change("disable");
    clock.advance(MINUTE);
    assert.equal((await change("enable")).nextCheckDueAt, iso(checkedInMs + WAIT_MS));
    assert.equal(await dueNow(), iso(checkedInMs + WAIT_MS));
  });
});
