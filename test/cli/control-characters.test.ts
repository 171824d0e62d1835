import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EXIT } from "../../src/cli/run-cli.js";
import { runCliCaptured, type CliOutcome } from "./cli-harness.js";
import { Problem, startFakeApi, type FakeApi } from "./fake-api.js";

/** Colours, a line of its own that looks like a table row, and a bell: what a name may hold. */
const HOSTILE = "esc\u001b[31mRED\u001b[0m\r\nFAKE LINE\u0007";
/** HOSTILE as the CLI shows it: the controls visible as U+FFFD, the line break a space. */
const SHOWN = "esc\ufffd[31mRED\ufffd[0m FAKE LINE\ufffd";
/** A name that clears the screen, and a C1 CSI (U+009B), which some terminals obey as ESC [. */
const CLEARS = "ctl\u001b[2J\u0007";
const C1 = "c1\u009b2Jname";

/** Anything a terminal obeys rather than shows; line feeds are counted apart. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** What people read holds no control character, and no more lines than it should. */
function assertShownSafely(out: CliOutcome, lines: { stdout: number; stderr: number }) {
  for (const stream of ["stdout", "stderr"] as const) {
    assert.doesNotMatch(out[stream], CONTROL, `${stream}: ${JSON.stringify(out[stream])}`);
    const count = out[stream] === "" ? 0 : out[stream].split("\n").length - 1;
    assert.equal(count, lines[stream], `${stream} lines: ${JSON.stringify(out[stream])}`);
  }
}

/**
 * Names, titles and messages the server sends are shown by the CLI with their control characters
 * harmless and their line breaks flattened; --json keeps them exact. The server here is a stand-in
 * that sends such text whatever the real API would store.
 */
describe("CLI: control characters in what the server sends", () => {
  let api: FakeApi;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  const incident = {
    id: "i7",
    number: 7,
    title: HOSTILE,
    state: "triggered",
    level: "page",
    serviceId: "s1",
    openedAt: "2027-01-01T00:00:00.000Z",
  };
  const service = { id: "s1", name: HOSTILE, teamId: null, escalationPolicyId: null };
  /** Acknowledged already, by a person whose name the server sends as it is. */
  const incident9 = {
    ...incident,
    number: 9,
    state: "acknowledged",
    acknowledgedBy: "u1",
    acknowledgedAt: "2027-01-01T00:01:00.000Z",
  };

  before(async () => {
    api = await startFakeApi(({ method, url }) => {
      const route = `${method} ${url.split("?")[0]}`;
      switch (route) {
        case "GET /api/v1/teams":
          return [
            { id: "t1", name: HOSTILE },
            { id: "t2", name: CLEARS },
            { id: "t3", name: C1 },
          ];
        case "GET /api/v1/escalation-policies":
          return [{ id: "p1", name: HOSTILE }];
        case "GET /api/v1/services":
          return [service];
        case "POST /api/v1/services":
          return service;
        case "GET /api/v1/incidents":
          return [{ ...incident, state: "acknowledged", acknowledgedBy: "u1" }];
        case "GET /api/v1/users":
          return [{ id: "u1", name: HOSTILE, email: "ada@example.com" }];
        case "GET /api/v1/incidents/INC-8":
          return { incident: { ...incident, number: 8 }, timeline: [] };
        case "GET /api/v1/incidents/INC-9":
          return { incident: incident9, timeline: [] };
        case "POST /api/v1/incidents/INC-9/acknowledge":
          return { ...incident9, changed: false };
        case "POST /api/v1/incidents":
          return { ...incident, pagedNobody: false, warning: `the first step reaches ${HOSTILE}` };
        case "POST /api/v1/incidents/INC-8/acknowledge":
          return new Problem(409, { code: "CONFLICT", detail: `incident INC-8 is held by ${HOSTILE}` });
        case "GET /api/v1/incidents/INC-7/response":
          return { tasks: [{ id: "k1", title: HOSTILE, state: "open", ownerName: HOSTILE }] };
        case "POST /api/v1/incidents/INC-7/fixes":
          return { number: 1, kind: "hotfix", state: "proposed", description: HOSTILE, followUp: null };
        case "GET /api/v1/schedules":
          return [{ id: "sc1", name: HOSTILE, timeZone: "UTC", layers: [] }];
        case "GET /api/v1/schedules/sc1/overrides":
          return [
            {
              id: "o1",
              userName: HOSTILE,
              start: "2027-01-01T00:00:00.000Z",
              end: "2027-01-02T00:00:00.000Z",
              source: "manual",
            },
          ];
        case "GET /api/v1/oncall":
          return {
            at: "2027-01-01T00:00:00.000Z",
            entries: [
              {
                scheduleName: HOSTILE,
                userName: HOSTILE,
                start: null,
                end: null,
                via: "schedule",
                layerName: HOSTILE,
              },
            ],
            gaps: [{ scheduleName: HOSTILE, reason: "disabled", userName: HOSTILE, start: null, end: null }],
          };
        case "GET /api/v1/auth/session":
          return {
            actor: { label: HOSTILE, role: "admin", kind: "api_key" },
            actsFor: { name: HOSTILE, email: "ada@example.com" },
          };
        default:
          return undefined;
      }
    });
    env = { FIREBREAK_URL: api.url, FIREBREAK_API_KEY: "fbk_test" };
  });
  after(() => api.close());

  it("teams list shows each name on its row, controls visible and harmless; --json keeps them", async () => {
    const out = await cli("teams", "list");
    assert.equal(out.code, EXIT.ok, out.stderr);
    assertShownSafely(out, { stdout: 4, stderr: 0 });
    assert.ok(out.stdout.includes(`t1  ${SHOWN}\n`), out.stdout);
    assert.ok(out.stdout.includes("t2  ctl\ufffd[2J\ufffd\n"), out.stdout);
    assert.ok(out.stdout.includes("t3  c1\ufffd2Jname\n"), out.stdout);
    const json = await cli("teams", "list", "--json");
    assert.deepEqual(
      (JSON.parse(json.stdout) as Array<{ name: string }>).map((t) => t.name),
      [HOSTILE, CLEARS, C1],
    );
  });

  it("a did-you-mean names such a team harmlessly, with its id, which can be typed back", async () => {
    const out = await cli("teams", "delete", "ctl");
    assert.equal(out.code, EXIT.failure);
    assertShownSafely(out, { stdout: 0, stderr: 1 });
    assert.equal(
      out.stderr,
      'firebreak teams: 404 team ctl not found (did you mean "ctl\ufffd[2J\ufffd", id t2?)\n',
    );
    assert.ok(!api.requests.some((r) => r.method === "DELETE"), "nothing was deleted");
  });

  it("incidents, page, ack, tasks and fix show titles and the server's words on their own lines", async () => {
    const cases: Array<[string[], number, { stdout: number; stderr: number }]> = [
      [["incidents"], EXIT.ok, { stdout: 2, stderr: 0 }],
      [["page", "--service", "s1", "db down"], EXIT.ok, { stdout: 1, stderr: 1 }],
      [["ack", "INC-8"], EXIT.failure, { stdout: 0, stderr: 1 }],
      // Already acknowledged: by a person whose name the server sends as it is.
      [["ack", "INC-9"], EXIT.ok, { stdout: 1, stderr: 0 }],
      [["tasks", "INC-7"], EXIT.ok, { stdout: 2, stderr: 0 }],
      [["fix", "INC-7", "--kind", "hotfix", "raise the pool"], EXIT.ok, { stdout: 1, stderr: 0 }],
    ];
    for (const [argv, code, lines] of cases) {
      const out = await cli(...argv);
      assert.equal(out.code, code, `${argv.join(" ")}: ${out.stderr}`);
      assertShownSafely(out, lines);
      assert.ok(
        `${out.stdout}${out.stderr}`.includes(SHOWN),
        `${argv.join(" ")}: ${out.stdout}${out.stderr}`,
      );
    }
    const ack = await cli("ack", "INC-8", "--json");
    assert.equal(
      (JSON.parse(ack.stderr) as { error: { detail: string } }).error.detail,
      `incident INC-8 is held by ${HOSTILE}`,
    );
  });

  it("services, schedules, oncall, override list and whoami show names harmlessly too", async () => {
    const cases: Array<[string[], { stdout: number; stderr: number }]> = [
      [["services", "list"], { stdout: 2, stderr: 0 }],
      [["policies", "list"], { stdout: 2, stderr: 0 }],
      [["schedules", "list"], { stdout: 2, stderr: 0 }],
      [["oncall"], { stdout: 3, stderr: 0 }],
      [["override", "list", "--schedule", "sc1"], { stdout: 2, stderr: 0 }],
      [["whoami"], { stdout: 1, stderr: 0 }],
    ];
    for (const [argv, lines] of cases) {
      const out = await cli(...argv);
      assert.equal(out.code, EXIT.ok, `${argv.join(" ")}: ${out.stderr}`);
      assertShownSafely(out, lines);
      assert.ok(out.stdout.includes(SHOWN), `${argv.join(" ")}: ${out.stdout}`);
    }
  });

  it("the warning for a service without a policy names it harmlessly, and by id in the command to paste", async () => {
    const out = await cli("services", "create", "db");
    assert.equal(out.code, EXIT.ok, out.stderr);
    assertShownSafely(out, { stdout: 1, stderr: 1 });
    assert.equal(out.stdout, `Created service ${SHOWN} (s1)\n`);
    assert.equal(
      out.stderr,
      `Warning: ${SHOWN} has no escalation policy, so its incidents page nobody: ` +
        "firebreak services update s1 --policy POLICY (firebreak policies list shows them).\n",
    );
  });
});
