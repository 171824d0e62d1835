import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { ensureFirstAdmin, type FirstAdminOutcome } from "../../src/app/setup/ensure-first-admin.js";
import type { Api } from "../../src/http/api-instance.js";
import { loadConfig } from "../../src/server/config.js";
import { startFirebreak, type RunningFirebreak } from "../../src/server/firebreak.js";
import { createLogger } from "../../src/server/logger.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { assertProblem } from "./problem-assertions.js";

const SPENT = "a sign-in link was already used for this account";

function tokenOf(outcome: FirstAdminOutcome): string {
  assert.equal(outcome.kind, "sign-in-link");
  return (outcome as Extract<FirstAdminOutcome, { kind: "sign-in-link" }>).token;
}

/** The operator's case: instances started together on one fresh database each print a link. */
describeEachDialect("first-admin links of instances started together", (dialect) => {
  let fresh: FreshDatabase;
  const instances: RunningFirebreak[] = [];
  let tokens: string[] = [];
  let dataDir: string | undefined;

  const env = () => {
    const where = fresh.location;
    return where.kind === "postgres"
      ? { FIREBREAK_DATABASE_URL: where.url, FIREBREAK_DATA_DIR: dataDir as string }
      : { FIREBREAK_DATA_DIR: path.dirname(where.file), FIREBREAK_SQLITE_SYNCHRONOUS: "normal" };
  };
  const start = () =>
    startFirebreak(loadConfig({ FIREBREAK_PORT: "0", FIREBREAK_LOG_LEVEL: "silent", ...env() }), {
      logger: createLogger({ logLevel: "silent" }),
      listen: false,
      startEngine: false,
    });
  const http = (i: number) => instances[i]!.http as Api;
  const check = (i: number, token: string) =>
    http(i).inject({ method: "POST", url: "/api/v1/auth/check-link", payload: { token } });
  const claim = (i: number, token: string, email: string) =>
    http(i).inject({
      method: "POST",
      url: "/api/v1/auth/claim-link",
      payload: { token, email, name: "The Owner", password: "the owner's password" },
    });

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-instances-"));
    fresh = await createFreshDatabase(dialect, { migrate: false });
    await fresh.handle.close();
    // On SQLite the first start makes the file's tables alone (instances share a database on
    // PostgreSQL, where all three start at once).
    if (dialect === "sqlite") instances.push(await start());
    const together = dialect === "sqlite" ? 2 : 3;
    instances.push(...(await Promise.all(Array.from({ length: together }, start))));
  });
  after(async () => {
    for (const running of instances) await running.stop();
    await fresh?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts every instance, and each prints a link of its own", () => {
    tokens = instances.map((running) => tokenOf(running.firstAdmin));
    assert.equal(new Set(tokens).size, 3);
  });

  it("keeps every link usable, on any instance, until one is used", async () => {
    for (const [i, token] of tokens.entries()) {
      for (const on of [0, 1, 2]) {
        const res = await check(on, token);
        assert.equal(res.statusCode, 200, `link ${i} on instance ${on}: ${res.body}`);
      }
    }
  });

  it("lets one of two links claimed at once through, and voids the account's others", async () => {
    const [first, second] = await Promise.all([
      claim(0, tokens[0]!, "owner@example.com"),
      claim(2, tokens[2]!, "someone-else@example.com"),
    ]);
    const outcomes = [first, second].map((r) => r.statusCode).sort();
    assert.deepEqual(outcomes, [200, 401], `${first.body} / ${second.body}`);
    const refused = first.statusCode === 401 ? first : second;
    assert.equal(assertProblem(refused, 401, "UNAUTHENTICATED").detail, SPENT);

    for (const token of tokens) {
      for (const on of [0, 1, 2])
        assert.equal(assertProblem(await check(on, token), 401, "UNAUTHENTICATED").detail, SPENT);
    }
    const late = await claim(1, tokens[1]!, "third@example.com");
    assert.equal(assertProblem(late, 401, "UNAUTHENTICATED").detail, SPENT);
  });

  it("prints no link once the account is claimed", async () => {
    assert.deepEqual(await ensureFirstAdmin(instances[1]!.deps, {}), { kind: "already-set-up" });
    const restarted = await start();
    instances.push(restarted);
    assert.deepEqual(restarted.firstAdmin, { kind: "already-set-up" });
  });
});
