import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { hashToken, newId, newToken } from "../../src/app/auth/secrets.js";
import { ensureFirstAdmin, type FirstAdminOutcome } from "../../src/app/setup/ensure-first-admin.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR, REFERENCE_TIME } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, type ProblemBody } from "./problem-assertions.js";

const LINK_TTL_MS = 24 * HOUR;

function tokenOf(outcome: FirstAdminOutcome): string {
  assert.equal(outcome.kind, "sign-in-link");
  return (outcome as Extract<FirstAdminOutcome, { kind: "sign-in-link" }>).token;
}

describeEachDialect("checking a sign-in link without using it", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let firstToken: string;
  let latestToken: string;
  const refusals: ProblemBody[] = [];

  const check = (token: string) =>
    fb.http.inject({ method: "POST", url: "/api/v1/auth/check-link", payload: { token } });
  const claim = (token: string) =>
    fb.http.inject({
      method: "POST",
      url: "/api/v1/auth/claim-link",
      payload: { token, email: "owner@example.com", name: "The Owner", password: "the owner's password" },
    });
  const refused = async (token: string) => {
    const res = await check(token);
    refusals.push(assertProblem(res, 401, "UNAUTHENTICATED"));
    assert.equal(res.headers["set-cookie"], undefined);
  };

  before(async () => {
    clock = new FakeClock();
    fb = await startTestFirebreak({ dialect, clock, startEngine: false });
    firstToken = tokenOf(fb.running.firstAdmin);
  });
  after(() => fb?.close());

  it("answers a usable first-admin link with its expiry and no placeholder name, as often as asked", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await check(firstToken);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        email: null,
        name: null,
        expiresAt: new Date(REFERENCE_TIME + LINK_TTL_MS).toISOString(),
      });
      assert.ok(!res.body.includes(firstToken), "the answer never carries the token");
      assert.equal(res.headers["set-cookie"], undefined, "a check signs nobody in");
    }
  });

  it("refuses a link a newer one replaced", async () => {
    latestToken = tokenOf(await ensureFirstAdmin(fb.running.deps, {}));
    await refused(firstToken);
    assert.equal((await check(latestToken)).statusCode, 200);
  });

  it("refuses an expired link", async () => {
    clock.advance(LINK_TTL_MS);
    await refused(latestToken);
    latestToken = tokenOf(await ensureFirstAdmin(fb.running.deps, {}));
  });

  it("leaves a checked link to be claimed, and refuses it once used", async () => {
    assert.equal((await check(latestToken)).statusCode, 200);
    const claimed = await claim(latestToken);
    assert.equal(claimed.statusCode, 200, claimed.body);
    await refused(latestToken);
  });

  it("refuses a made-up token in the same words, so nobody learns which tokens existed", async () => {
    await refused(newToken("fbl"));
    await refused("fbl_made-up");
    const said = new Set(refusals.map((p) => `${p.title}|${p.detail}`));
    assert.equal(refusals.length, 5);
    assert.equal(said.size, 1, [...said].join("; "));
    assert.match(refusals[0]?.detail ?? "", /expired or was already used/);
  });

  it("names the person of a link for an account that has an email and name", async () => {
    const person = await fb.user("responder", "grace@example.com");
    const token = newToken("fbl");
    const now = clock.now();
    await fb.running.deps.uow.run((tx) =>
      tx.signInLinks.insert({
        id: newId(),
        tokenHash: hashToken(token),
        userId: person.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + HOUR),
        usedAt: null,
      }),
    );
    const res = await check(token);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().email, "grace@example.com");
    assert.equal(typeof res.json().name, "string");
  });

  it("refuses a body without a token with 400", async () => {
    const res = await fb.http.inject({ method: "POST", url: "/api/v1/auth/check-link", payload: {} });
    assertProblem(res, 400, "VALIDATION");
  });
});
