// A person's phone on their profile: set on PATCH /me, by an admin or when an admin creates the user,
// refused in plain words when it is not a phone number, cleared by "", shown first in the incident
// Directory, and listed on GET /users only to admins and to its owner.
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
  const create = (payload: Record<string, unknown>) =>
    fb.http.inject({ method: "POST", url: "/api/v1/users", headers: bearer(adminKey), payload });
  const newUser = (local: string, extra: Record<string, unknown> = {}) => ({
    email: `${local}-${dialect}@example.com`,
    name: local,
    role: "responder",
    password: "correct horse battery staple",
    ...extra,
  });
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

  it("creates a user with a phone, trimmed, listed to admins and dialled from the Directory", async () => {
    const res = await create(newUser("grace", { phone: "  +1 (202) 555-0143 " }));
    assert.equal(res.statusCode, 201, res.body);
    const grace = res.json() as Listed;
    assert.equal(grace.phone, "+1 (202) 555-0143");
    const byAdmin = await get<Listed[]>("/api/v1/users", bearer(adminKey));
    assert.equal(byAdmin.find((u) => u.id === grace.id)?.phone, "+1 (202) 555-0143");
    assert.deepEqual(await phonesOf(grace.id), [{ label: "Phone", number: "+1 (202) 555-0143" }]);

    // Optional: left out, "" and null all create someone without a phone.
    for (const [local, extra] of [
      ["hopper", {}],
      ["liskov", { phone: "" }],
      ["knuth", { phone: null }],
    ] as const) {
      const plain = await create(newUser(local, extra));
      assert.equal(plain.statusCode, 201, plain.body);
      assert.equal(plain.json().phone, null, local);
      assert.deepEqual(await phonesOf((plain.json() as Listed).id), [], local);
    }
  });

  it("refuses to create a user whose phone is not one, with a 400 naming /phone, and creates nobody", async () => {
    for (const phone of ["call me maybe", "12345", "1".repeat(16)]) {
      const problem = assertProblem(await create(newUser("dijkstra", { phone })), 400, "VALIDATION");
      assert.deepEqual(problem.errors, [{ path: "/phone", message: REFUSAL }], phone);
      assert.match(problem.detail, /phone/);
    }
    // The phone is checked with the other fields, so one answer names every mistake.
    const both = assertProblem(
      await create(newUser("dijkstra", { email: "nope", phone: "x" })),
      400,
      "VALIDATION",
    );
    assert.deepEqual(
      both.errors?.map((e) => e.path),
      ["/email", "/phone"],
    );
    const listed = await get<{ email: string }[]>("/api/v1/users", bearer(adminKey));
    assert.ok(!listed.some((u) => u.email.startsWith("dijkstra")), "nobody was created");
  });

  it("shows a viewer their own phone set at creation, and nobody else's", async () => {
    const res = await create(newUser("barbara", { role: "viewer", phone: "+44 20 7946 0018" }));
    assert.equal(res.statusCode, 201, res.body);
    const barbara = res.json() as Listed & { email: string };
    const session = await fb.signIn(barbara.email, "correct horse battery staple");
    const headers = { cookie: session.cookie, "x-csrf-token": session.csrfToken };
    const listed = await get<Listed[]>("/api/v1/users", headers);
    assert.equal(listed.find((u) => u.id === barbara.id)?.phone, "+44 20 7946 0018", "her own");
    const others = listed.filter((u) => u.id !== barbara.id);
    assert.ok(others.some((u) => u.id === bob.id));
    assert.ok(
      others.every((u) => !("phone" in u)),
      "nobody else's, though Bob and Grace have one",
    );
  });
});
