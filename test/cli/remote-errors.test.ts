import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ACTS_FOR_NO_PERSON, callApi, RemoteError } from "../../src/cli/api-client.js";
import { EXIT } from "../../src/cli/run-cli.js";
import { runCliCaptured } from "./cli-harness.js";

/**
 * What a user sees when the command line or the server is wrong: one line on stderr naming the
 * problem, exit 2 for a usage error and 1 for a failure, no secret printed, and never a "success"
 * made of a web page that is not Firebreak's API.
 */
describe("CLI errors from bad arguments and from servers that are not Firebreak", () => {
  let server: Server;
  let url: string;
  const requests: string[] = [];
  let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();

  before(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cli = (...argv: string[]) =>
    runCliCaptured(argv, { FIREBREAK_URL: url, FIREBREAK_API_KEY: "fbk_good" });

  const html = (status: number) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { "content-type": "text/html" });
    res.end("<html>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n");
  };

  it("names an unknown help topic on stderr and exits 2", async () => {
    const out = await cli("help", "frobnicate");
    assert.equal(out.code, EXIT.usage);
    assert.equal(out.stdout, "");
    assert.match(out.stderr, /unknown command "frobnicate"/);
  });

  for (const state of ["", "triggered,", ",resolved"]) {
    it(`refuses --state "${state}" with exit 2 before asking the server`, async () => {
      const before = requests.length;
      const out = await cli("incidents", "--state", state);
      assert.equal(out.code, EXIT.usage, out.stdout);
      assert.match(out.stderr, /--state must be open, all, triggered, acknowledged or resolved, got ""/);
      assert.equal(requests.length, before);
    });
  }

  for (const bad of [
    "http://exa mple.com",
    "http://127.0.0.1:99999",
    "http://[::1",
    "http://x/?a=1",
    "http://x/#f",
  ]) {
    it(`refuses --url "${bad}" as a usage error`, async () => {
      const out = await cli("whoami", "--url", bad);
      assert.equal(out.code, EXIT.usage);
      assert.match(out.stderr, /--url/);
      assert.doesNotMatch(out.stderr, /cannot reach/);
    });
  }

  it("refuses a --url with a password, without printing the password", async () => {
    for (const bad of [`http://ops:s3cret-pw@127.0.0.1:1`, "http://ops:s3cret-pw@[::1"]) {
      const out = await cli("whoami", "--url", bad);
      assert.equal(out.code, EXIT.usage);
      assert.match(out.stderr, /--url/);
      assert.ok(!out.stderr.includes("s3cret-pw"), out.stderr);
    }
  });

  it("keeps a base path in --url", async () => {
    answer = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-firebreak-api": "1" });
      res.end(JSON.stringify({ actor: { kind: "api_key", id: "k1", role: "admin", label: "API key ci" } }));
    };
    const out = await cli("whoami", "--url", `${url}/firebreak/`);
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.equal(requests.at(-1), "GET /firebreak/api/v1/auth/session");
  });

  it("does not report success when the URL answers 200 with a web page", async () => {
    answer = html(200);
    for (const argv of [
      ["ack", "INC-1"],
      ["resolve", "INC-1"],
      ["whoami"],
      ["incidents"],
      ["services", "list"],
      ["integrations", "create", "--service", "checkout", "--kind", "webhook"],
    ]) {
      const out = await cli(...argv);
      assert.equal(out.code, EXIT.failure, `${argv.join(" ")}: ${out.stdout}`);
      assert.equal(out.stdout, "", argv.join(" "));
      assert.match(out.stderr, /did not answer with Firebreak's JSON \(200, text\/html\): check --url\n$/);
      assert.equal(out.stderr.split("\n").length, 2, "one line");
    }
  });

  it("does not report success when the URL answers 200 with nothing", async () => {
    answer = (_req, res) => res.end();
    const out = await cli("ack", "INC-1");
    assert.equal(out.code, EXIT.failure);
    assert.equal(out.stdout, "");
    assert.match(out.stderr, /did not answer with Firebreak's JSON/);
  });

  it("names a proxy's HTML error page in one line, not its markup", async () => {
    answer = html(502);
    const out = await cli("ack", "INC-1");
    assert.equal(out.code, EXIT.failure);
    assert.equal(
      out.stderr,
      "firebreak ack: 502 Bad Gateway (not an answer from Firebreak's API: check --url)\n",
    );
  });

  // The server marks this refusal by its problem type; its words are for people and may change.
  const forbidden = (type: string, detail: string) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(403, { "content-type": "application/problem+json" });
    res.end(
      JSON.stringify({ type, title: "Forbidden", status: 403, code: "FORBIDDEN", detail, requestId: "r1" }),
    );
  };

  it("tells how to get a key that acts for a person by the 403's problem type, whatever its words", async () => {
    answer = forbidden("urn:firebreak:problem:acts-for-no-person", "API key ci cannot take a role");
    const out = await cli("triage", "INC-1", "--severity", "SEV2", "--level", "outage");
    assert.equal(out.code, EXIT.failure);
    assert.equal(out.stderr, `firebreak triage: 403 API key ci cannot take a role (${ACTS_FOR_NO_PERSON})\n`);
    const json = await cli("triage", "INC-1", "--severity", "SEV2", "--level", "outage", "--json");
    assert.equal((JSON.parse(json.stderr) as { error: { hint?: string } }).error.hint, ACTS_FOR_NO_PERSON);
  });

  it("gives no such hint for another 403 that happens to use the words", async () => {
    answer = forbidden("urn:firebreak:problem:forbidden", "API key ci acts for no person");
    const refused = await callApi({ url, apiKey: "fbk_good" }, "GET", "/api/v1/x").catch(
      (err: unknown) => err,
    );
    assert.ok(refused instanceof RemoteError);
    assert.equal(refused.message, "403 API key ci acts for no person");
    assert.equal(refused.problem.hint, undefined);
  });

  it("still takes a 204 with no body (override delete)", async () => {
    answer = (_req, res) => {
      res.writeHead(204, { "x-firebreak-api": "1" });
      res.end();
    };
    assert.equal(await callApi({ url, apiKey: "fbk_good" }, "DELETE", "/api/v1/x"), null);
  });

  it("does not report success when another JSON server answers 200 (nobody was paged)", async () => {
    answer = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    };
    for (const argv of [
      ["page", "--service", "x", "y"],
      ["resolve", "5"],
      ["whoami"],
      ["incidents"],
      ["services", "list"],
    ]) {
      const out = await cli(...argv, "--url", url);
      assert.equal(out.code, 1, `${argv.join(" ")}: ${out.stdout}${out.stderr}`);
      assert.equal(out.stdout, "", argv.join(" "));
      assert.match(out.stderr, /answered 200 but is not Firebreak's API: check --url/, argv.join(" "));
    }
    const json = await cli("page", "--service", "x", "y", "--url", url, "--json");
    assert.equal((JSON.parse(json.stderr) as { error: { code: string } }).error.code, "NOT_FIREBREAK");
  });
});
