import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Integration } from "../../src/core/alerts/records.js";
import { describeEachDialect } from "../support/dialects.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { client, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

type Shown = { id: string; name: string; kind: string; disabledAt: string | null };

/**
 * Two integrations of one service with the same name cannot be told apart in the console or the CLI:
 * a new one whose name another of the service has (whatever the case) is a 409 naming that one.
 */
describeEachDialect("integration names are unique within their service", (dialect) => {
  let s: ResponseScenario;
  let admin: Client;
  let otherServiceId: string;

  before(async () => {
    s = await startResponseScenario(dialect);
    admin = client(s.fb, { key: await s.fb.apiKey("admin") });
    const other = await admin.post("/api/v1/services", { name: "billing" });
    assert.equal(other.statusCode, 201, other.body);
    otherServiceId = (other.json() as { id: string }).id;
  });
  after(() => s.close());

  const add = (serviceId: string, body: object) =>
    admin.post(`/api/v1/services/${serviceId}/integrations`, { kind: "webhook", ...body });
  const listed = async (serviceId: string) =>
    (await admin.get(`/api/v1/services/${serviceId}/integrations`)).json() as Shown[];

  it("refuses a taken name, in any case and with spaces around it, with a 409 naming the holder", async () => {
    const first = await add(s.serviceId, { name: "prometheus" });
    assert.equal(first.statusCode, 201, first.body);
    const holder = first.json() as Shown;
    for (const name of ["prometheus", "Prometheus", "  PROMETHEUS "]) {
      const again = await add(s.serviceId, { kind: "pagerduty", name });
      const problem = assertProblem(again, 409, "CONFLICT");
      assert.equal(
        problem.detail,
        `service checkout-${dialect} already has an integration named prometheus (webhook, id ${holder.id})`,
        name,
      );
      assert.deepEqual(
        problem.errors?.map((e) => e.path),
        ["/name"],
      );
    }
    assert.equal((await listed(s.serviceId)).filter((i) => i.name.toLowerCase() === "prometheus").length, 1);
  });

  it("lets another service use the same name", async () => {
    const there = await add(otherServiceId, { name: "prometheus" });
    assert.equal(there.statusCode, 201, there.body);
  });

  it("numbers a default name past those taken instead of refusing it", async () => {
    const names: string[] = [];
    for (let n = 0; n < 3; n++) {
      const made = await add(otherServiceId, {});
      assert.equal(made.statusCode, 201, made.body);
      names.push((made.json() as Shown).name);
    }
    assert.deepEqual(names, ["billing webhook", "billing webhook 2", "billing webhook 3"]);
  });

  it("shortens a default name that would be too long, rather than refusing a name nobody typed", async () => {
    // 200 characters, an emoji's surrogate pair where the first default name would cut.
    const longName = `${"a".repeat(191)}😀${"b".repeat(7)}`;
    const service = await admin.post("/api/v1/services", { name: longName });
    assert.equal(service.statusCode, 201, service.body);
    const { id } = service.json() as { id: string };
    const names: string[] = [];
    for (let n = 0; n < 2; n++) {
      const made = await add(id, {});
      assert.equal(made.statusCode, 201, made.body);
      names.push((made.json() as Shown).name);
    }
    assert.deepEqual(names, [`${"a".repeat(191)} webhook`, `${"a".repeat(190)} webhook 2`]);
  });

  it("frees the name of a deleted integration", async () => {
    const made = await add(otherServiceId, { name: "short-lived" });
    const { id } = made.json() as Shown;
    assert.equal((await admin.delete(`/api/v1/integrations/${id}`)).statusCode, 204);
    assert.equal((await add(otherServiceId, { name: "short-lived" })).statusCode, 201);
  });

  it("keeps listing and changing duplicates stored before the check", async () => {
    const deps = s.fb.running.deps;
    const [template] = await deps.uow.run((tx) => tx.integrations.listForService(otherServiceId));
    const twin = (n: number): Integration => ({
      ...template!,
      id: `00000000-0000-4000-8000-00000000000${n}`,
      kind: "webhook",
      name: "legacy twin",
      key: `legacytwinkey${n}`.padEnd(32, "x"),
      archivedAt: null,
    });
    await deps.uow.run(async (tx) => {
      await tx.integrations.insert(twin(1));
      await tx.integrations.insert(twin(2));
    });
    assert.equal((await listed(otherServiceId)).filter((i) => i.name === "legacy twin").length, 2);
    for (const verb of ["disable", "enable", "rotate-key"]) {
      const changed = await admin.post(`/api/v1/integrations/${twin(2).id}/${verb}`);
      assert.equal(changed.statusCode, 200, `${verb}: ${changed.body}`);
    }
    assertProblem(await add(otherServiceId, { name: "Legacy Twin" }), 409, "CONFLICT");
  });

  it("lets only one of three creates at once take a name", async () => {
    const results = await Promise.all([1, 2, 3].map(() => add(s.serviceId, { name: "race" })));
    assert.deepEqual(
      results.map((r) => r.statusCode).sort(),
      [201, 409, 409],
      results.map((r) => r.body).join("\n"),
    );
    assert.equal((await listed(s.serviceId)).filter((i) => i.name === "race").length, 1);
  });
});
