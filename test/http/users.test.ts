import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, assertRacingCreates, bearer } from "./problem-assertions.js";

interface PublicUser {
  id: string;
  email: string;
  role: string;
  disabledAt: string | null;
}

describeEachDialect("users over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let adminKey: string;
  const OWNER = "owner@example.com";

  const listUsers = async (): Promise<PublicUser[]> =>
    (
      await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(adminKey) })
    ).json() as PublicUser[];
  const enabledAdmins = async () =>
    (await listUsers()).filter((u) => u.role === "admin" && u.disabledAt === null);
  const patch = (id: string, payload: Record<string, unknown>) =>
    fb.http.inject({ method: "PATCH", url: `/api/v1/users/${id}`, headers: bearer(adminKey), payload });
  const create = (payload: Record<string, unknown>) =>
    fb.http.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: bearer(adminKey),
      payload: { name: "Someone", role: "viewer", password: "a long enough password", ...payload },
    });

  before(async () => {
    fb = await startTestFirebreak({
      dialect,
      env: { FIREBREAK_ADMIN_EMAIL: OWNER, FIREBREAK_ADMIN_PASSWORD: "owner password 123" },
    });
    adminKey = await fb.apiKey("admin");
  });
  after(() => fb.close());

  it("creates a user and lists it, with the email normalised", async () => {
    const res = await create({ email: "  Created@Example.COM ", name: "Created Person", role: "responder" });
    assert.equal(res.statusCode, 201, res.body);
    const user = res.json() as PublicUser & { hasPassword: boolean };
    assert.equal(user.email, "created@example.com");
    assert.equal(user.hasPassword, true);
    assert.ok(!res.body.includes('password"'), "no password field in the response");
    assert.ok((await listUsers()).some((u) => u.id === user.id));
  });

  it("answers a duplicate email with 409, whatever its case", async () => {
    assert.equal((await create({ email: "dup@example.com" })).statusCode, 201);
    const problem = assertProblem(await create({ email: "DUP@example.com" }), 409, "CONFLICT");
    assert.match(problem.detail, /dup@example\.com/);
    assert.equal((await listUsers()).filter((u) => u.email === "dup@example.com").length, 1);
  });

  it("answers concurrent creations of one email with a single 201 and 409s at /email, never 500", async () => {
    await assertRacingCreates(
      "same",
      (name) => create({ email: `${name}@example.com` }),
      (name) => `a user with email ${name}@example.com already exists`,
      "/email",
    );
  });

  it("refuses to demote the last admin with 412", async () => {
    const [owner] = await enabledAdmins();
    assert.ok(owner);
    assert.equal(owner.email, OWNER);
    assertProblem(await patch(owner.id, { role: "responder" }), 412, "PRECONDITION_FAILED");
    assert.equal((await enabledAdmins()).length, 1, "the admin keeps the role");
  });

  it("refuses to disable the last admin with 412", async () => {
    const [owner] = await enabledAdmins();
    assert.ok(owner);
    assertProblem(await patch(owner.id, { disabled: true }), 412, "PRECONDITION_FAILED");
    assert.deepEqual(
      (await enabledAdmins()).map((u) => u.id),
      [owner.id],
    );
  });

  it("allows demoting an admin while another stays, then protects the one left", async () => {
    const second = (await create({ email: "second.admin@example.com", role: "admin" })).json() as PublicUser;
    const owner = (await enabledAdmins()).find((u) => u.email === OWNER);
    assert.ok(owner);
    const demoted = await patch(owner.id, { role: "responder" });
    assert.equal(demoted.statusCode, 200, demoted.body);
    assert.equal(demoted.json().role, "responder");
    assertProblem(await patch(second.id, { role: "viewer" }), 412, "PRECONDITION_FAILED");
    assert.equal((await patch(owner.id, { role: "admin" })).statusCode, 200);
  });

  it("does not count a disabled admin as the one who keeps the lights on", async () => {
    const third = (await create({ email: "third.admin@example.com", role: "admin" })).json() as PublicUser;
    assert.equal((await patch(third.id, { disabled: true })).statusCode, 200);
    const admins = await enabledAdmins();
    assert.equal(admins.length, 2);
    const [first, last] = admins as [PublicUser, PublicUser];
    assert.equal((await patch(first.id, { disabled: true })).statusCode, 200);
    assertProblem(await patch(last.id, { disabled: true }), 412, "PRECONDITION_FAILED");
    assert.equal((await patch(first.id, { disabled: false })).statusCode, 200);
  });

  it("answers a change to an unknown user with 404", async () => {
    assertProblem(await patch("no-such-user", { name: "Nobody" }), 404, "NOT_FOUND");
  });

  it("keeps at least one enabled admin when admins are demoted concurrently", async () => {
    for (let round = 0; round < 10; round++) {
      await create({ email: `race${round}@example.com`, role: "admin" });
      const admins = await enabledAdmins();
      await Promise.all(admins.map((a) => patch(a.id, { role: "viewer" })));
      assert.ok((await enabledAdmins()).length >= 1, `round ${round}: no enabled admin is left`);
    }
  });
});
