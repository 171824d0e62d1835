import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { hashToken, newId, newToken } from "../../src/app/auth/secrets.js";
import { ensureFirstAdmin, type FirstAdminOutcome } from "../../src/app/setup/ensure-first-admin.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, HOUR, REFERENCE_TIME } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, type ProblemBody } from "./problem-assertions.js";

const LINK_TTL_MS = 24 * HOUR;
const EXPIRED = "this sign-in link has expired";
const SPENT = "a sign-in link was already used for this account";
const UNKNOWN = "this sign-in link has expired or was already used";

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
  const refused = async (token: string, detail: string) => {
    const res = await check(token);
    const problem = assertProblem(res, 401, "UNAUTHENTICATED");
    refusals.push(problem);
    assert.equal(problem.detail, detail);
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

  it("keeps an earlier link usable when a later start issues another", async () => {
    latestToken = tokenOf(await ensureFirstAdmin(fb.running.deps, {}));
    assert.notEqual(latestToken, firstToken);
    assert.equal((await check(firstToken)).statusCode, 200);
    assert.equal((await check(latestToken)).statusCode, 200);
  });

  it("refuses an expired link as expired", async () => {
    clock.advance(LINK_TTL_MS);
    await refused(firstToken, EXPIRED);
    await refused(latestToken, EXPIRED);
  });

  it("leaves checked links to be claimed; using one voids the account's others", async () => {
    const other = tokenOf(await ensureFirstAdmin(fb.running.deps, {}));
    latestToken = tokenOf(await ensureFirstAdmin(fb.running.deps, {}));
    assert.equal((await check(other)).statusCode, 200);
    assert.equal((await check(latestToken)).statusCode, 200);
    const claimed = await claim(latestToken);
    assert.equal(claimed.statusCode, 200, claimed.body);
    await refused(latestToken, SPENT);
    await refused(other, SPENT);
    assertProblem(await claim(other), 401, "UNAUTHENTICATED");
    // One that expired before the claim: the account is claimed now, which is what the person needs to know.
    await refused(firstToken, SPENT);
  });

  it("refuses a made-up token, or one whose row is gone, in words that do not say which", async () => {
    await refused(newToken("fbl"), UNKNOWN);
    await refused("fbl_made-up", UNKNOWN);
    assert.equal(refusals.length, 7);
    const said = new Set(refusals.map((p) => p.title));
    assert.equal(said.size, 1, "one title for every refusal");
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
