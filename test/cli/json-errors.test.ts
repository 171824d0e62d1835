import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../src/core/errors.js";
import { ACTS_FOR_NO_PERSON } from "../../src/cli/api-client.js";
import { EXIT, type CliRuntime } from "../../src/cli/run-cli.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";

interface ErrorBody {
  error: {
    status?: number;
    code: string;
    type?: string;
    title?: string;
    detail: string;
    errors?: Array<{ path: string; message: string }>;
    requestId?: string;
    hint?: string;
  };
}

/** With --json a failure is one JSON object on stderr, stdout stays empty, and the exit code is as ever. */
function jsonError(out: { code: number; stdout: string; stderr: string }, exit: number): ErrorBody["error"] {
  assert.equal(out.code, exit, out.stderr);
  assert.equal(out.stdout, "");
  assert.equal(out.stderr.split("\n").length, 2, `one line: ${out.stderr}`);
  const body = JSON.parse(out.stderr) as ErrorBody;
  assert.deepEqual(Object.keys(body), ["error"]);
  return body.error;
}

describe("CLI errors with --json, against a running server", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;

  before(async () => {
    fb = await startTestFirebreak({ listen: true });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    const created = await runCliCaptured(["schedules", "create", "Primary", "--time-zone", "UTC"], env);
    assert.equal(created.code, EXIT.ok, created.stderr);
  });
  after(() => fb.close());

  it("a conflict: the server's problem, status and code included", async () => {
    const argv = ["schedules", "create", "Primary", "--time-zone", "UTC"];
    const error = jsonError(await runCliCaptured([...argv, "--json"], env), EXIT.failure);
    assert.equal(error.status, 409);
    assert.equal(error.code, "CONFLICT");
    assert.equal(error.title, "Conflict");
    assert.match(error.detail, /Primary/);
    assert.equal(typeof error.requestId, "string");
    // Without --json, today's line.
    const text = await runCliCaptured(argv, env);
    assert.equal(text.code, EXIT.failure);
    assert.equal(text.stdout, "");
    assert.equal(text.stderr, `firebreak schedules: 409 ${error.detail}\n`);
  });

  it("a refused field: every field error, with its path", async () => {
    const out = await runCliCaptured(
      ["schedules", "create", "Other", "--time-zone", "Mars/Base", "--json"],
      env,
    );
    const error = jsonError(out, EXIT.failure);
    assert.equal(error.status, 400);
    assert.equal(error.code, "VALIDATION");
    assert.deepEqual(
      error.errors?.map((e) => e.path),
      ["/timeZone"],
    );
  });

  it("an unknown service: the server's problem whole, the CLI's suggestion in its hint", async () => {
    const error = jsonError(
      await runCliCaptured(["page", "--service", "nosuch", "db down", "--json"], env),
      EXIT.failure,
    );
    assert.equal(error.status, 404);
    assert.equal(error.code, "NOT_FOUND");
    assert.match(error.detail, /^service nosuch not found/);
    assert.doesNotMatch(error.detail, /^404/);
    assert.equal(typeof error.title, "string");
    assert.equal(typeof error.requestId, "string");
    assert.match(error.hint ?? "", /firebreak services list/);
  });

  it("an unknown policy name: NOT_FOUND with the names it may have meant", async () => {
    const error = jsonError(
      await runCliCaptured(["policies", "delete", "Nosuch", "--json"], env),
      EXIT.failure,
    );
    assert.equal(error.status, 404);
    assert.equal(error.code, "NOT_FOUND");
    assert.match(error.detail, /Nosuch not found$/);
  });

  it("a server field error: the server's path in errors[], the CLI's option in the line people read", async () => {
    assert.equal((await runCliCaptured(["services", "create", "cron"], env)).code, EXIT.ok);
    const argv = ["integrations", "create", "--service", "cron", "--kind", "heartbeat", "--interval", "5s"];
    const error = jsonError(await runCliCaptured([...argv, "--json"], env), EXIT.failure);
    assert.equal(error.status, 400);
    assert.deepEqual(
      error.errors?.map((e) => e.path),
      ["/heartbeatIntervalSeconds"],
    );
    assert.match(error.detail, /^heartbeatIntervalSeconds: /, "--json keeps the server's words");
    const text = await runCliCaptured(argv, env);
    assert.equal(text.code, EXIT.failure);
    assert.match(
      text.stderr,
      /^firebreak integrations: 400 --interval: a heartbeat needs an interval from 10 /,
    );
    assert.doesNotMatch(text.stderr, /heartbeatIntervalSeconds/);

    const zone = await runCliCaptured(["schedules", "create", "Other", "--time-zone", "Mars/Base"], env);
    assert.match(zone.stderr, /^firebreak schedules: 400 --time-zone /);
  });

  it("a key that acts for no person: 403, and how to get one that does", async () => {
    assert.equal((await runCliCaptured(["services", "create", "walk"], env)).code, EXIT.ok);
    const paged = await runCliCaptured(["page", "--service", "walk", "the dog is out", "--json"], env);
    // walk has no policy: the incident is open, but nobody was paged.
    assert.equal(paged.code, EXIT.pagedNobody, paged.stderr);
    const { number } = JSON.parse(paged.stdout) as { number: number };
    const argv = ["triage", `INC-${number}`, "--severity", "SEV2", "--level", "degradation"];
    const error = jsonError(await runCliCaptured([...argv, "--json"], env), EXIT.failure);
    assert.equal(error.status, 403);
    assert.equal(error.code, "FORBIDDEN");
    assert.equal(error.type, "urn:firebreak:problem:acts-for-no-person", "scripts can act on it");
    assert.match(error.detail, /acts for no person/);
    assert.equal(error.hint, ACTS_FOR_NO_PERSON);
    const text = await runCliCaptured(argv, env);
    assert.equal(text.stderr, `firebreak triage: 403 ${error.detail} (${ACTS_FOR_NO_PERSON})\n`);
    assert.match(text.stderr, /firebreak apikey create --role ROLE --name NAME --user EMAIL/);
  });

  it("a refused key: the problem and what to check, never the key", async () => {
    const out = await runCliCaptured(["whoami", "--json"], { ...env, FIREBREAK_API_KEY: "fbk_stale_key" });
    const error = jsonError(out, EXIT.failure);
    assert.equal(error.status, 401);
    assert.equal(error.code, "UNAUTHENTICATED");
    assert.equal(error.hint, `check FIREBREAK_API_KEY (is it a key of ${fb.baseUrl}?)`);
    assert.doesNotMatch(out.stderr, /fbk_stale_key/);
  });
});

describe("CLI errors with --json, without a Firebreak server", () => {
  let server: Server;
  let url: string;

  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a usage error: code USAGE, no status, exit 2", async () => {
    const error = jsonError(
      await runCliCaptured(["incidents", "--sate", "triggered", "--json"], {}),
      EXIT.usage,
    );
    assert.deepEqual(error, {
      code: "USAGE",
      title: "Usage error",
      detail: "unknown option --sate (did you mean --state?)",
      hint: 'run "firebreak incidents --help" for usage',
    });
  });

  it("an unknown command, and --json given before it", async () => {
    const error = jsonError(await runCliCaptured(["--json", "incidnets"], {}), EXIT.usage);
    assert.equal(error.code, "USAGE");
    assert.equal(error.detail, 'unknown command "incidnets" (did you mean "incidents"?)');
    const alone = jsonError(await runCliCaptured(["--json", "--api-key", "fbk_secret"], {}), EXIT.usage);
    assert.match(alone.detail, /a command is needed/);
    assert.doesNotMatch(JSON.stringify(alone), /fbk_secret/);
  });

  it("a usage error found by the command (a missing API key)", async () => {
    const error = jsonError(await runCliCaptured(["whoami", "--json"], { FIREBREAK_URL: url }), EXIT.usage);
    assert.equal(error.code, "USAGE");
    assert.match(error.detail, /an API key is needed/);
  });

  it("connection refused: code UNREACHABLE, no status", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const out = await runCliCaptured(["incidents", "--json"], {
      FIREBREAK_URL: dead,
      FIREBREAK_API_KEY: "fbk_x",
    });
    const error = jsonError(out, EXIT.failure);
    assert.equal(error.status, undefined);
    assert.equal(error.code, "UNREACHABLE");
    assert.match(error.detail, /cannot reach Firebreak at .* \(ECONNREFUSED\)/);
  });

  it("a proxy's error page: its status, code NOT_FIREBREAK, no markup", async () => {
    const out = await runCliCaptured(["incidents", "--json"], {
      FIREBREAK_URL: url,
      FIREBREAK_API_KEY: "fbk_x",
    });
    const error = jsonError(out, EXIT.failure);
    assert.equal(error.status, 502);
    assert.equal(error.code, "NOT_FIREBREAK");
    assert.doesNotMatch(error.detail, /<html>/);
  });

  it("a local command's failure: the AppError's code and fields", async () => {
    const runtime = {
      async createApiKey() {
        throw new AppError("VALIDATION", "name is too long", {
          fields: [{ path: "/name", message: "must be at most 200 characters" }],
        });
      },
    } as unknown as CliRuntime;
    const out = await runCliCaptured(
      ["apikey", "create", "--name", "k", "--role", "admin", "--json"],
      {},
      runtime,
    );
    assert.deepEqual(jsonError(out, EXIT.failure), {
      code: "VALIDATION",
      detail: "name is too long",
      errors: [{ path: "/name", message: "must be at most 200 characters" }],
    });
    const text = await runCliCaptured(["apikey", "create", "--name", "k", "--role", "admin"], {}, runtime);
    assert.equal(text.stderr, "firebreak apikey: name is too long\n");
  });
});
