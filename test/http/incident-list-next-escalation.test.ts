// GET /api/v1/incidents says when each triggered incident's escalation pages next
// (`nextEscalationAt`), the same instant GET /api/v1/incidents/:ref says, so the console's list and
// the CLI can show "next step at 03:14"; null once acknowledged or resolved, and with no policy.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { client, PUBLIC_URL, type Client } from "./alerting-helpers.js";

interface ListItem {
  number: number;
  state: string;
  nextEscalationAt: string | null;
}

describeEachDialect("the incident list's next escalation times over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let pagedServiceId: string;
  let unpagedServiceId: string;
  const created = async (url: string, body: object) => {
    const res = await admin.post(url, body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; number: number };
  };
  const list = async (query = "state=triggered,acknowledged,resolved"): Promise<Map<number, ListItem>> => {
    const res = await admin.get(`/api/v1/incidents?${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return new Map((res.json() as ListItem[]).map((i) => [i.number, i]));
  };
  const detailNext = async (number: number): Promise<string | null> => {
    const res = await admin.get(`/api/v1/incidents/${number}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { nextEscalationAt: string | null }).nextEscalationAt;
  };
  const inMinutes = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE).toISOString();

  before(async () => {
    clock = new FakeClock();
    fb = await startTestFirebreak({
      dialect,
      clock,
      sender: new RecordingSender(),
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL },
    });
    admin = client(fb, { key: await fb.apiKey("admin") });
    const ada = await created("/api/v1/users", {
      email: `ada-list-${dialect}@example.com`,
      name: "Ada",
      role: "responder",
      password: "a long enough password",
    });
    await created(`/api/v1/users/${ada.id}/contact-methods`, {
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    const policy = await created("/api/v1/escalation-policies", {
      name: "List primary",
      steps: [
        { delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] },
        { delayMinutes: 10, targets: [{ kind: "user", userId: ada.id }] },
      ],
      repeatCount: 0,
    });
    pagedServiceId = (await created("/api/v1/services", { name: "ledger", escalationPolicyId: policy.id }))
      .id;
    unpagedServiceId = (await created("/api/v1/services", { name: "ledger without policy" })).id;
  });
  after(() => fb.close());

  it("is the detail's instant for triggered incidents, null when acknowledged, resolved or with no policy", async () => {
    const page = (service: string, summary: string) => created("/api/v1/incidents", { service, summary });
    const first = await page(pagedServiceId, "Ledger lags");
    clock.advance(MINUTE);
    const second = await page(pagedServiceId, "Ledger drops writes");
    const acked = await page(pagedServiceId, "Ledger slow");
    const resolved = await page(pagedServiceId, "Ledger down");
    const lonely = await page(unpagedServiceId, "Nobody to page");
    assert.equal((await admin.post(`/api/v1/incidents/${acked.number}/acknowledge`)).statusCode, 200);
    assert.equal((await admin.post(`/api/v1/incidents/${resolved.number}/resolve`)).statusCode, 200);

    const listed = await list();
    for (const { number } of [first, second]) {
      const item = listed.get(number);
      assert.equal(item?.state, "triggered");
      assert.equal(item?.nextEscalationAt, await detailNext(number), `INC-${number} as its page says`);
    }
    assert.equal(listed.get(first.number)?.nextEscalationAt, inMinutes(4), "opened a minute earlier");
    assert.equal(listed.get(second.number)?.nextEscalationAt, inMinutes(5));
    for (const { number } of [acked, resolved, lonely]) {
      assert.equal(listed.get(number)?.nextEscalationAt, null, `INC-${number}`);
      assert.equal(await detailNext(number), null);
    }

    // The filtered list and a page further back carry it too.
    const triggeredOnly = await list(
      `state=triggered&service=${pagedServiceId}&limit=1&before=${second.number}`,
    );
    assert.deepEqual([...triggeredOnly.keys()], [first.number]);
    assert.equal(triggeredOnly.get(first.number)?.nextEscalationAt, inMinutes(4));
  });

  it("is null on a page where nothing is triggered", async () => {
    const listed = await list("state=resolved");
    assert.ok(listed.size > 0);
    for (const item of listed.values()) assert.equal(item.nextEscalationAt, null);
  });
});
