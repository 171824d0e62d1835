import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { EXIT } from "../../src/cli/run-cli.js";
import { startResponseScenario, type Person, type ResponseScenario } from "../support/response-setup.js";
import { runCliCaptured } from "./cli-harness.js";

const HOUR = 3_600_000;

/**
 * Every command that names a person by email (override --user, triage --handler and --call-in) looks
 * them up one way, against a real server: nobody is NOT_FOUND (exit 1), no email at all is USAGE (exit 2).
 */
describe("CLI: people named by email", () => {
  let s: ResponseScenario;
  let carol: Person;
  let env: Record<string, string>;

  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.fb.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json() as Promise<unknown>;
  };
  /** An override in Primary from one to two hours ahead on the server's clock, for `user`. */
  const override = (user: string, ...more: string[]) =>
    cli(
      "override",
      "--schedule",
      "Primary",
      "--user",
      user,
      "--start",
      new Date(s.clock.now().getTime() + HOUR).toISOString(),
      "--end",
      new Date(s.clock.now().getTime() + 2 * HOUR).toISOString(),
      ...more,
    );
  const triage = async (...more: string[]) => {
    const incident = await s.openIncident(`People${Math.random().toString(36).slice(2, 8)}`);
    return cli("triage", `INC-${incident.number}`, "--severity", "SEV2", "--level", "outage", ...more);
  };
  const errorOf = (stderr: string) => (JSON.parse(stderr) as { error: Record<string, unknown> }).error;

  before(async () => {
    s = await startResponseScenario("sqlite", { listen: true });
    const dee = await s.person("admin", "Dee");
    const key = await createApiKey(s.fb.running.deps, dee.caller, { name: "dee's laptop", role: "admin" });
    env = { FIREBREAK_URL: s.fb.baseUrl as string, FIREBREAK_API_KEY: key.token };
    await api("POST", "/api/v1/schedules", { name: "Primary", timeZone: "UTC" });
    carol = await s.person("responder", "Carol");
    await api("PATCH", `/api/v1/users/${carol.id}`, { disabled: true });
  });
  after(() => s.close());

  it("override --user naming nobody is a 404 NOT_FOUND (exit 1), worded and coded as triage --handler's", async () => {
    const out = await override("unknown@example.com");
    assert.equal(out.code, EXIT.failure, out.stderr);
    assert.equal(out.stdout, "");
    assert.equal(out.stderr, "firebreak override: 404 nobody with the email unknown@example.com\n");

    const json = await override("unknown@example.com", "--json");
    assert.equal(json.code, EXIT.failure, json.stderr);
    const expected = {
      error: { status: 404, code: "NOT_FOUND", detail: "nobody with the email unknown@example.com" },
    };
    assert.deepEqual(JSON.parse(json.stderr), expected);
    const triaged = await triage("--handler", "unknown@example.com", "--json");
    assert.equal(triaged.code, json.code);
    assert.deepEqual(JSON.parse(triaged.stderr), expected);

    // Nothing was made.
    assert.deepEqual(await api("GET", "/api/v1/schedules/Primary/overrides"), []);
  });

  it("names the address likely meant, in the line and in --json's hint", async () => {
    const slip = s.ada.email.replace("@example.com", "@exmaple.com");
    const out = await override(slip);
    assert.equal(out.code, EXIT.failure, out.stderr);
    assert.equal(
      out.stderr,
      `firebreak override: 404 nobody with the email ${slip} (did you mean "${s.ada.email}"?)\n`,
    );
    const json = errorOf((await override(slip, "--json")).stderr);
    assert.deepEqual(json, {
      status: 404,
      code: "NOT_FOUND",
      detail: `nobody with the email ${slip}`,
      hint: `(did you mean "${s.ada.email}"?)`,
    });
    assert.deepEqual(errorOf((await triage("--handler", slip, "--json")).stderr), json);
  });

  it("says a disabled person's address is theirs and that they are disabled, for each command alike", async () => {
    const detail = `nobody enabled with the email ${carol.email}: Carol is disabled`;
    const out = await override(carol.email);
    assert.equal(out.code, EXIT.failure, out.stderr);
    assert.equal(out.stderr, `firebreak override: 404 ${detail}\n`);
    // Never suggested as the one meant, either: a disabled person cannot be named.
    const handler = await triage("--handler", carol.email.toUpperCase(), "--json");
    assert.deepEqual(errorOf(handler.stderr), {
      status: 404,
      code: "NOT_FOUND",
      detail: `nobody enabled with the email ${carol.email.toUpperCase()}: Carol is disabled`,
    });
    const callIn = await triage("--needs-help", "--call-in", `${s.bob.email},${carol.email}`);
    assert.equal(callIn.code, EXIT.failure, callIn.stderr);
    assert.equal(callIn.stderr, `firebreak triage: 404 ${detail}\n`);
  });

  it("refuses what is no email nor user id before any request (exit 2), and takes a user id as given", async () => {
    for (const typed of ["Ada", "ada@", "not an email"]) {
      const out = await override(typed, "--json");
      assert.equal(out.code, EXIT.usage, out.stderr);
      assert.deepEqual(errorOf(out.stderr), {
        code: "USAGE",
        title: "Usage error",
        detail: `--user must be an email such as ada@example.com or a user id, got "${typed}"`,
        hint: 'run "firebreak override --help" for usage',
      });
    }
    const byId = await override(s.bob.id, "--json");
    assert.equal(byId.code, EXIT.ok, byId.stderr);
    assert.equal((JSON.parse(byId.stdout) as { userName: string }).userName, "Bob");
    const byEmail = await override(` ${s.ada.email.toUpperCase()} `, "--json");
    assert.equal(byEmail.code, EXIT.ok, byEmail.stderr);
    assert.equal((JSON.parse(byEmail.stdout) as { userName: string }).userName, "Ada");
  });
});
