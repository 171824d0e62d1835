// A person's phone on their profile: set on PATCH /me or by an admin, refused in plain words when it
// is not a phone number, cleared by "", shown first in the incident Directory, and listed on
// GET /users only to admins and to its owner.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

interface Listed {
  id: string;
  phone?: string | null;
}
interface Directory {
  people: { id: string; phones: { label: string; number: string }[] }[];
}

const REFUSAL = "must be a phone number such as +49 30 1234567";

describeEachDialect("a user's phone over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let adminKey: string;
  let viewerKey: string;
  let ada: { id: string; headers: Record<string, string> };
  let bob: { id: string };

  const me = (payload: Record<string, unknown>) =>
    fb.http.inject({ method: "PATCH", url: "/api/v1/me", headers: ada.headers, payload });
  const adminPatch = (id: string, payload: Record<string, unknown>) =>
    fb.http.inject({ method: "PATCH", url: `/api/v1/users/${id}`, headers: bearer(adminKey), payload });
  const get = async <T>(url: string, headers: Record<string, string>): Promise<T> => {
    const res = await fb.http.inject({ method: "GET", url, headers });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as T;
  };
  const phonesOf = async (id: string) =>
    (await get<Directory>("/api/v1/directory", bearer(viewerKey))).people.find((p) => p.id === id)?.phones;

  before(async () => {
    fb = await startTestFirebreak({ dialect });
    adminKey = await fb.apiKey("admin");
    viewerKey = await fb.apiKey("viewer");
    const created = await fb.user("responder", `ada-${dialect}@example.com`);
    const session = await fb.signIn(created.email, created.password);
    ada = { id: created.id, headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken } };
    bob = await fb.user("responder", `bob-${dialect}@example.com`);
  });
  after(() => fb.close());

  it("sets my own phone trimmed, returns it, and keeps it when other fields change", async () => {
    const res = await me({ phone: "  +49 30 1234567 " });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().phone, "+49 30 1234567");
    const renamed = await me({ name: "Ada L." });
    assert.equal(renamed.json().phone, "+49 30 1234567", "a PATCH without phone keeps it");
    const session = await get<{ user: { phone: string | null } }>("/api/v1/auth/session", ada.headers);
    assert.equal(session.user.phone, "+49 30 1234567");
  });

  it("refuses a phone that is not one with a 400 naming /phone, and keeps the old number", async () => {
    for (const phone of [
      "call me maybe",
      "12345",
      "+49 30 1234567 ext. 12",
      "1".repeat(16),
      "+".repeat(40),
    ]) {
      const problem = assertProblem(await me({ phone }), 400, "VALIDATION");
      assert.deepEqual(problem.errors, [{ path: "/phone", message: REFUSAL }], phone);
      assert.match(problem.detail, /phone/);
    }
    const problem = assertProblem(await adminPatch(bob.id, { phone: "555-CALL-NOW" }), 400, "VALIDATION");
    assert.deepEqual(problem.errors, [{ path: "/phone", message: REFUSAL }]);
    assert.equal((await me({})).json().phone, "+49 30 1234567");
  });

  it("shows the profile phone first in the Directory, labelled Phone, to any role", async () => {
    assert.deepEqual(await phonesOf(ada.id), [{ label: "Phone", number: "+49 30 1234567" }]);
    assert.deepEqual(await phonesOf(bob.id), []);
  });

  it("lists the profile phone before a phone-kind contact method, as before", async () => {
    // No notifier creates sms or voice methods over the API yet, so this one goes in through the store.
    await fb.running.deps.uow.run((tx) =>
      tx.contactMethods.insert({
        id: `voice-${dialect}`,
        userId: ada.id,
        kind: "voice",
        label: "Desk line",
        config: { phoneNumber: "+44 20 7946 0000" },
        createdAt: new Date(),
      }),
    );
    assert.deepEqual(await phonesOf(ada.id), [
      { label: "Phone", number: "+49 30 1234567" },
      { label: "Desk line", number: "+44 20 7946 0000" },
    ]);
  });

  it("lets an admin set and clear anyone's phone", async () => {
    const set = await adminPatch(bob.id, { phone: "(030) 765-4321" });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().phone, "(030) 765-4321");
    assert.deepEqual(await phonesOf(bob.id), [{ label: "Phone", number: "(030) 765-4321" }]);
    const cleared = await adminPatch(bob.id, { phone: "" });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.equal(cleared.json().phone, null);
    assert.deepEqual(await phonesOf(bob.id), []);
    assert.equal((await adminPatch(bob.id, { phone: "+1 800 555 0100" })).json().phone, "+1 800 555 0100");
  });

  it("lists phones only to admins and to their owner, not to everyone who lists users", async () => {
    const byAdmin = await get<Listed[]>("/api/v1/users", bearer(adminKey));
    assert.equal(byAdmin.find((u) => u.id === bob.id)?.phone, "+1 800 555 0100");
    const byAda = await get<Listed[]>("/api/v1/users", ada.headers);
    assert.equal(byAda.find((u) => u.id === ada.id)?.phone, "+49 30 1234567", "her own");
    assert.ok(!("phone" in byAda.find((u) => u.id === bob.id)!), "not Bob's");
    const byViewer = await get<Listed[]>("/api/v1/users", bearer(viewerKey));
    assert.ok(byViewer.every((u) => !("phone" in u)));
  });

  it("clears my own phone with an empty string or null", async () => {
    assert.equal((await me({ phone: "" })).json().phone, null);
    assert.deepEqual(await phonesOf(ada.id), [{ label: "Desk line", number: "+44 20 7946 0000" }]);
    assert.equal((await me({ phone: "030 1234567" })).json().phone, "030 1234567");
    assert.equal((await me({ phone: null })).json().phone, null);
  });
});
