import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { bearer } from "./problem-assertions.js";

interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: string; id: string; label: string };
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describeEachDialect("the audit log over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let admin: { id: string; email: string; password: string };
  let session: { cookie: string; csrfToken: string };
  const NEW_PASSWORD = "the new user's first password";
  const RESET_PASSWORD = "an admin reset this password";
  let userId: string;
  let createdKey: { key: string; apiKey: { id: string } };

  const asAdmin = (requestId: string) => ({
    cookie: session.cookie,
    "x-csrf-token": session.csrfToken,
    "x-request-id": requestId,
  });
  const entriesFor = async (entityId: string): Promise<{ entries: AuditEntry[]; text: string }> => {
    const res = await fb.http.inject({
      method: "GET",
      url: `/api/v1/audit-log?entityId=${encodeURIComponent(entityId)}`,
      headers: { cookie: session.cookie },
    });
    assert.equal(res.statusCode, 200, res.body);
    return { entries: (res.json() as AuditEntry[]).reverse(), text: res.body };
  };

  before(async () => {
    fb = await startTestFirebreak({ dialect });
    admin = await fb.user("admin");
    session = await fb.signIn(admin.email, admin.password);

    const created = await fb.http.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: asAdmin("req-create-user"),
      payload: {
        email: "audited@example.com",
        name: "Audited Person",
        role: "viewer",
        password: NEW_PASSWORD,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    userId = (created.json() as { id: string }).id;

    const promoted = await fb.http.inject({
      method: "PATCH",
      url: `/api/v1/users/${userId}`,
      headers: asAdmin("req-promote"),
      payload: { role: "responder" },
    });
    assert.equal(promoted.statusCode, 200, promoted.body);

    const reset = await fb.http.inject({
      method: "PATCH",
      url: `/api/v1/users/${userId}`,
      headers: asAdmin("req-reset-password"),
      payload: { password: RESET_PASSWORD },
    });
    assert.equal(reset.statusCode, 200, reset.body);

    const keyRes = await fb.http.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: asAdmin("req-create-key"),
      payload: { name: "deploy bot", role: "responder" },
    });
    assert.equal(keyRes.statusCode, 201, keyRes.body);
    createdKey = keyRes.json() as typeof createdKey;

    const revoked = await fb.http.inject({
      method: "DELETE",
      url: `/api/v1/api-keys/${createdKey.apiKey.id}`,
      headers: asAdmin("req-revoke-key"),
    });
    assert.equal(revoked.statusCode, 200, revoked.body);
  });
  after(() => fb.close());

  it("records creating a user with the actor, the after state and the request id", async () => {
    const { entries } = await entriesFor(userId);
    const entry = entries.find((e) => e.action === "user.create");
    assert.ok(entry, "a user.create entry exists");
    assert.deepEqual(entry.actor, { kind: "user", id: admin.id, label: admin.email });
    assert.equal(entry.entityType, "user");
    assert.equal(entry.before, null);
    assert.equal(entry.after?.email, "audited@example.com");
    assert.equal(entry.after?.role, "viewer");
    assert.equal(entry.requestId, "req-create-user");
  });

  it("records a role change with before and after", async () => {
    const { entries } = await entriesFor(userId);
    const entry = entries.find((e) => e.requestId === "req-promote");
    assert.ok(entry, "the role change is recorded under its request id");
    assert.equal(entry.action, "user.update");
    assert.equal(entry.actor.id, admin.id);
    assert.equal(entry.before?.role, "viewer");
    assert.equal(entry.after?.role, "responder");
  });

  it("records creating and revoking an API key", async () => {
    const { entries } = await entriesFor(createdKey.apiKey.id);
    assert.deepEqual(
      entries.map((e) => [e.action, e.requestId, e.actor.id]),
      [
        ["api_key.create", "req-create-key", admin.id],
        ["api_key.revoke", "req-revoke-key", admin.id],
      ],
    );
    const [create, revoke] = entries as [AuditEntry, AuditEntry];
    assert.equal(create.before, null);
    assert.equal(create.after?.name, "deploy bot");
    assert.equal(revoke.before?.revokedAt, null);
    assert.equal(typeof revoke.after?.revokedAt, "string");
  });

  it("lists entries in order and in time", async () => {
    const { entries } = await entriesFor(userId);
    assert.deepEqual(
      entries.map((e) => e.requestId),
      ["req-create-user", "req-promote", "req-reset-password"],
    );
    for (const e of entries) assert.ok(!Number.isNaN(Date.parse(e.at)));
  });

  it("never holds a password, a password hash, an API key or a token hash", async () => {
    const res = await fb.http.inject({
      method: "GET",
      url: "/api/v1/audit-log?limit=500",
      headers: { cookie: session.cookie },
    });
    assert.equal(res.statusCode, 200);
    const text = res.body;
    assert.ok((res.json() as unknown[]).length >= 6, "the log holds the entries written above");
    for (const forbidden of [
      "passwordHash",
      "password_hash",
      '"password"',
      "tokenHash",
      "token_hash",
      "scrypt$",
      NEW_PASSWORD,
      RESET_PASSWORD,
      admin.password,
      createdKey.key,
      sha256(createdKey.key),
    ]) {
      assert.ok(!text.includes(forbidden), `the audit log contains ${JSON.stringify(forbidden)}`);
    }
  });

  it("is for admins only", async () => {
    const viewerKey = await fb.apiKey("viewer");
    const res = await fb.http.inject({ method: "GET", url: "/api/v1/audit-log", headers: bearer(viewerKey) });
    assert.equal(res.statusCode, 403);
  });
});
