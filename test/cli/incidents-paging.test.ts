import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { EXIT } from "../../src/cli/run-cli.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";

interface Row {
  number: number;
  state: string;
  title: string;
}

const numbersIn = (text: string) => [...text.matchAll(/^INC-(\d+)\s/gm)].map((m) => Number(m[1]));

/** `firebreak incidents` a page at a time, against a running server with more than a page of incidents. */
describe("firebreak incidents: --limit, --before and the line that says more are left", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  /** Every incident's number, newest first. */
  let all: number[] = [];
  const cli = (...argv: string[]) => runCliCaptured(argv, env);

  before(async () => {
    fb = await startTestFirebreak({ listen: true, startEngine: false });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    const made = await cli("services", "create", "paging");
    assert.equal(made.code, 0, made.stderr);
    for (let i = 1; i <= 53; i++) {
      const res = await fetch(`${fb.baseUrl}/api/v1/incidents`, {
        method: "POST",
        headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ service: "paging", summary: `incident ${i}` }),
      });
      assert.equal(res.status, 201, await res.text());
    }
    const listed = await cli("incidents", "--limit", "500", "--json");
    assert.equal(listed.stderr, "", "all of them fit");
    all = (JSON.parse(listed.stdout) as Row[]).map((r) => r.number);
    assert.equal(all.length, 53);
  });
  after(() => fb.close());

  it("lists 50 by default and says on stderr how to get the rest", async () => {
    const out = await cli("incidents");
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(numbersIn(out.stdout), all.slice(0, 50));
    assert.equal(
      out.stderr,
      `More incidents than these 50: run again with --before ${all[49]} for the next ones (or --limit N, up to 500).\n`,
    );
  });

  it("pages with --limit and --before until nothing is left, and then says nothing more", async () => {
    const first = await cli("incidents", "--limit", "20");
    assert.deepEqual(numbersIn(first.stdout), all.slice(0, 20));
    assert.match(first.stderr, new RegExp(`--before ${all[19]} `));

    const second = await cli("incidents", "--limit", "20", "--before", String(all[19]));
    assert.deepEqual(numbersIn(second.stdout), all.slice(20, 40));
    assert.match(second.stderr, new RegExp(`--before ${all[39]} `));

    const last = await cli("incidents", "--limit", "20", "--before", `INC-${all[39]}`);
    assert.equal(last.code, 0, last.stderr);
    assert.deepEqual(numbersIn(last.stdout), all.slice(40));
    assert.equal(last.stderr, "", "the last page");

    const beyond = await cli("incidents", "--before", String(all[52]));
    assert.equal(beyond.stdout, `No triggered or acknowledged incidents before INC-${all[52]}.\n`);
    assert.equal(beyond.stderr, "");
  });

  it("says nothing more when the page holds exactly what is left", async () => {
    const out = await cli("incidents", "--limit", "53");
    assert.equal(numbersIn(out.stdout).length, 53);
    assert.equal(out.stderr, "");
  });

  it("keeps --json's stdout the API's list, and gives the cursor as one JSON object on stderr", async () => {
    const out = await cli("incidents", "--limit", "5", "--json");
    assert.equal(out.code, 0, out.stderr);
    const rows = JSON.parse(out.stdout) as Row[];
    assert.deepEqual(
      rows.map((r) => r.number),
      all.slice(0, 5),
    );
    assert.deepEqual(JSON.parse(out.stderr), { more: true, before: all[4] });

    const next = await cli("incidents", "--limit", "5", "--before", String(all[4]), "--json");
    assert.deepEqual(
      (JSON.parse(next.stdout) as Row[]).map((r) => r.number),
      all.slice(5, 10),
    );
    const end = await cli("incidents", "--limit", "5", "--before", String(all[50]), "--json");
    assert.equal((JSON.parse(end.stdout) as Row[]).length, 2);
    assert.equal(end.stderr, "", "nothing left: no cursor");
  });

  it("keeps --state open working with the paging options", async () => {
    const open = await cli("incidents", "--state", "open", "--limit", "3", "--json");
    assert.equal(open.code, 0, open.stderr);
    const rows = JSON.parse(open.stdout) as Row[];
    assert.deepEqual(
      rows.map((r) => r.number),
      all.slice(0, 3),
    );
    assert.ok(rows.every((r) => r.state === "triggered" || r.state === "acknowledged"));
    assert.deepEqual(JSON.parse(open.stderr), { more: true, before: all[2] });
    const none = await cli("incidents", "--state", "resolved", "--limit", "3");
    assert.equal(none.stdout, "No resolved incidents.\n");
    assert.equal(none.stderr, "");
  });
});

/** What the CLI asks the API for, and its largest page, against a fake server. */
describe("firebreak incidents against a fake server", () => {
  let server: Server;
  let url: string;
  let paths: string[] = [];
  /** Incidents 1..total exist, all triggered. */
  let total = 0;

  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? "";
      paths.push(path);
      const query = new URL(path, "http://x").searchParams;
      const limit = Number(query.get("limit") ?? "50");
      const below = Number(query.get("before") ?? String(total + 1));
      res.writeHead(200, { "content-type": "application/json", "x-firebreak-api": "1" });
      const rows: object[] = [];
      for (let n = Math.min(total, below - 1); n >= 1 && rows.length < limit; n--)
        rows.push({
          ...{ id: `i${n}`, number: n, title: `incident ${n}`, state: "triggered", level: "page" },
          ...{ serviceId: "svc-1", openedAt: "2026-12-06T03:00:00.000Z" },
        });
      res.end(JSON.stringify(rows));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    paths = [];
  });
  const cli = (...argv: string[]) =>
    runCliCaptured(["incidents", ...argv], { FIREBREAK_URL: url, FIREBREAK_API_KEY: "fbk_good" });
  /** The pages asked for: the services' names are looked up too, for the SERVICE column. */
  const listed = () => paths.filter((p) => p.startsWith("/api/v1/incidents"));

  it("asks for one more than the page, within the API's largest page, with the cursor as given", async () => {
    total = 803;
    const out = await cli("--limit", "10", "--before", "#700");
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(listed(), ["/api/v1/incidents?state=triggered%2Cacknowledged&limit=11&before=700"]);
    assert.deepEqual(numbersIn(out.stdout), [699, 698, 697, 696, 695, 694, 693, 692, 691, 690]);
    assert.match(out.stderr, /--before 690 /);
  });

  it("at the largest page, looks past its last incident to say whether more are left", async () => {
    total = 803;
    const more = await cli("--limit", "500");
    assert.deepEqual(listed(), [
      "/api/v1/incidents?state=triggered%2Cacknowledged&limit=500",
      "/api/v1/incidents?state=triggered%2Cacknowledged&limit=1&before=304",
    ]);
    assert.equal(numbersIn(more.stdout).length, 500);
    assert.equal(
      more.stderr,
      "More incidents than these 500: run again with --before 304 for the next ones.\n",
    );

    paths = [];
    total = 500;
    const exact = await cli("--limit", "500");
    assert.equal(listed().length, 2);
    assert.equal(exact.stderr, "", "the look past found nothing");
  });

  for (const [argv, message] of [
    [["--limit", "0"], '--limit must be a whole number from 1 to 500, got "0"'],
    [["--limit", "501"], '--limit must be a whole number from 1 to 500, got "501"'],
    [["--limit", "ten"], '--limit must be a whole number from 1 to 500, got "ten"'],
    [["--limit=-5"], '--limit must be a whole number from 1 to 500, got "-5"'],
    [["--limit", ""], '--limit must be a whole number from 1 to 500, got ""'],
    [
      ["--before", "0"],
      '--before must be an incident number such as 753 or INC-753 (the last one a page listed), got "0"',
    ],
    [
      ["--before", "yesterday"],
      '--before must be an incident number such as 753 or INC-753 (the last one a page listed), got "yesterday"',
    ],
  ] as const) {
    it(`refuses ${argv.join(" ")} with exit 2 before asking the server`, async () => {
      const out = await cli(...argv);
      assert.equal(out.code, EXIT.usage, out.stdout);
      assert.equal(out.stdout, "");
      assert.match(out.stderr, new RegExp(`^firebreak incidents: ${escape(message)}\n`));
      assert.deepEqual(paths, []);
    });
  }
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
