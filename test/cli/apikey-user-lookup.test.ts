import assert from "node:assert/strict";
import path from "node:path";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { firebreak } from "./firebreak-process.js";

/**
 * `apikey create --user EMAIL` (the real process, on a real server's database) answers an email that
 * names nobody as override --user and triage --handler do: 404 NOT_FOUND with the address likely meant.
 */
describeEachDialect("CLI apikey create --user: nobody with that email", (dialect) => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  const create = (user: string, ...more: string[]) =>
    firebreak(["apikey", "create", "--role", "viewer", "--name", "x", "--user", user, ...more], env);

  before(async () => {
    fb = await startTestFirebreak({ dialect });
    const store = fb.running.config.store;
    env =
      store.kind === "sqlite"
        ? { FIREBREAK_DATA_DIR: path.dirname(store.file), FIREBREAK_SQLITE_SYNCHRONOUS: "normal" }
        : { FIREBREAK_DATABASE_URL: store.url };
    await fb.user("responder", "ada@example.com");
    const dee = await fb.user("responder", "dee@example.com");
    await fb.running.deps.uow.run((tx) => tx.users.update(dee.id, { disabledAt: new Date() }));
  });
  after(() => fb.close());

  it("names the address likely meant, in the line and in --json's hint, and makes no key", async () => {
    const out = await create("ada@exmaple.com");
    assert.equal(out.code, 1, out.stderr);
    assert.equal(out.stdout, "");
    assert.equal(
      out.stderr,
      'firebreak apikey: 404 nobody with the email ada@exmaple.com (did you mean "ada@example.com"?)\n',
    );
    const json = await create("ada@exmaple.com", "--json");
    assert.equal(json.code, 1, json.stderr);
    assert.equal(json.stdout, "");
    assert.deepEqual(JSON.parse(json.stderr), {
      error: {
        status: 404,
        code: "NOT_FOUND",
        detail: "nobody with the email ada@exmaple.com",
        hint: '(did you mean "ada@example.com"?)',
      },
    });
    const keys = await fb.running.deps.uow.read((tx) => tx.apiKeys.list());
    assert.deepEqual(
      keys.filter((k) => k.name === "x"),
      [],
    );
  });

  it("says a disabled person's address is theirs and that they are disabled, never suggesting it", async () => {
    const out = await create("dee@example.com", "--json");
    assert.equal(out.code, 1, out.stderr);
    assert.deepEqual(JSON.parse(out.stderr), {
      error: {
        status: 404,
        code: "NOT_FOUND",
        detail: "nobody enabled with the email dee@example.com: Test responder is disabled",
      },
    });
    const slip = await create("dee@exmaple.com");
    assert.equal(slip.stderr, "firebreak apikey: 404 nobody with the email dee@exmaple.com\n");
  });
});
