import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { callApi, remoteTarget } from "../../src/cli/api-client.js";
import { EXIT } from "../../src/cli/run-cli.js";
import { runCliCaptured } from "./cli-harness.js";

/**
 * The CLI as someone paged at 3 am types it: typos, unquoted words, pasted URLs, a stale key. A
 * usage error is exit 2 with a hint and reaches no server; a failure is exit 1 with one line that
 * says what to check. A fake server records every request.
 */
describe("the CLI with typos and bad arguments", () => {
  let server: Server;
  let url: string;
  let requests: Array<{ method: string; path: string; body: string }> = [];

  const incident = {
    ...{ id: "i1", number: 42, title: "db down", state: "acknowledged", level: "page" },
    ...{ serviceId: "svc-1", openedAt: "2026-12-06T03:00:00.000Z" },
  };
  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        const path = req.url ?? "";
        requests.push({ method: req.method ?? "", path, body });
        const send = (status: number, value: unknown) => {
          res.writeHead(status, { "content-type": "application/json", "x-firebreak-api": "1" });
          res.end(JSON.stringify(value));
        };
        if (req.headers.authorization !== "Bearer fbk_good")
          return send(401, { status: 401, detail: "API key is not valid" });
        if (path === "/api/v1/services/checkout") return send(200, { id: "svc-1", name: "checkout" });
        if (path === "/api/v1/services") return send(200, [{ id: "svc-1", name: "checkout" }]);
        if (path.startsWith("/api/v1/services/svc-1/integrations"))
          return send(201, { id: "n1", kind: "prometheus", key: "k", url: "http://x/k" });
        if (path.startsWith("/api/v1/services/")) {
          const name = decodeURIComponent(path.split("/")[4]!);
          return send(404, { status: 404, detail: `service ${name} not found` });
        }
        if (path.startsWith("/api/v1/incidents?")) return send(200, [incident]);
        if (path === "/api/v1/incidents" && req.method === "POST") {
          const service = (JSON.parse(body) as { service: string }).service;
          if (service !== "checkout")
            return send(404, { status: 404, detail: `service ${service} not found` });
          return send(201, incident);
        }
        // ack and resolve read the incident first: triggered, so that they act.
        if (/^\/api\/v1\/incidents\/[^/]+$/.test(path) && req.method === "GET")
          return send(200, { incident: { ...incident, state: "triggered" }, timeline: [] });
        if (/^\/api\/v1\/incidents\/[^/]+\/(acknowledge|resolve)$/.test(path)) return send(200, incident);
        if (/^\/api\/v1\/incidents\/[^/]+\/triage$/.test(path)) {
          const { severity, level } = JSON.parse(body) as { severity: string; level: string };
          return send(200, {
            incident,
            response: { phase: "investigating", severity, level, handlerName: "Dee" },
            tasks: [],
          });
        }
        if (/^\/api\/v1\/incidents\/[^/]+\/fixes$/.test(path)) {
          const { kind, description } = JSON.parse(body) as { kind: string; description: string };
          return send(201, { number: 1, kind, state: "planned", description });
        }
        send(404, { status: 404, detail: `no route ${req.method} ${path}` });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests = [];
  });

  const cliWith = (env: Record<string, string>, argv: string[]) => runCliCaptured(argv, env);
  const cli = (...argv: string[]) => cliWith({ FIREBREAK_URL: url, FIREBREAK_API_KEY: "fbk_good" }, argv);

  /**
   * A usage error: exit 2, nothing on stdout, a message, no request. With --json the same message is
   * the detail of one JSON object on stderr. Returns what a person sees (without --json).
   */
  async function refused(argv: string[], message: RegExp) {
    const asked = requests.length;
    const out = await cli(...argv);
    assert.equal(out.code, EXIT.usage, `${argv.join(" ")}: ${out.stderr}${out.stdout}`);
    assert.equal(out.stdout, "", argv.join(" "));
    assert.match(out.stderr, message, argv.join(" "));
    const json = await cli(...argv, "--json");
    assert.equal(json.code, EXIT.usage, `${argv.join(" ")} --json: ${json.stderr}`);
    assert.equal(json.stdout, "", `${argv.join(" ")} --json`);
    assert.equal(json.stderr.split("\n").length, 2, "one line of JSON");
    const { error } = JSON.parse(json.stderr) as { error: Record<string, unknown> };
    assert.equal(error.code, "USAGE");
    assert.equal(error.status, undefined);
    assert.ok(
      out.stderr.split("\n")[0]!.endsWith(`: ${String(error.detail)}`),
      `${json.stderr} says ${out.stderr}`,
    );
    assert.equal(requests.length, asked, `${argv.join(" ")} asked the server nothing`);
    return out;
  }

  describe("commands and options", () => {
    it("suggests the command meant by a typo", async () => {
      for (const [typo, meant] of [
        ["incidnets", "incidents"],
        ["incident", "incidents"],
        ["ackk", "ack"],
        ["servces", "services"],
        ["integration", "integrations"],
      ]) {
        const out = await refused([typo!], new RegExp(`unknown command "${typo}"`));
        assert.match(out.stderr, new RegExp(`did you mean "${meant}"\\?`), typo);
      }
      const far = await refused(["frobnicate"], /unknown command "frobnicate"/);
      assert.doesNotMatch(far.stderr, /did you mean/);
    });

    it("suggests the option meant by a typo", async () => {
      await refused(["incidents", "--sate", "triggered"], /unknown option --sate \(did you mean --state\?\)/);
      await refused(
        ["integrations", "create", "--sevice", "checkout", "--kind", "webhook"],
        /unknown option --sevice \(did you mean --service\?\)/,
      );
      await refused(["incidents", "-json"], /did you mean --json\?/);
      await refused(["incidents", "--frobnicate"], /unknown option --frobnicate\n/);
      const key = await refused(["whoami", "--api_key=fbk_secret"], /did you mean --api-key\?/);
      assert.doesNotMatch(key.stderr, /fbk_secret/);
    });

    it('says that an argument starting with "-" goes after --', async () => {
      await refused(["page", "--service", "checkout", "-5xx spiking"], /"-5xx spiking".*after --/);
      await refused(["ack", "-1"], /"-1".*after --/);
      const after = await cli("ack", "--", "-1");
      assert.equal(after.code, EXIT.usage);
      assert.match(after.stderr, /INCIDENT must be .*, got "-1"/);
      // A "--json" after -- is an argument, not the option.
      const word = await cli("ack", "--", "--json");
      assert.match(word.stderr, /^firebreak ack: .*got "--json"/);
    });

    it("takes --url, --api-key and --json before the command, as kubectl does", async () => {
      const out = await cliWith({}, ["--json", "--url", url, "--api-key=fbk_good", "incidents"]);
      assert.equal(out.code, EXIT.ok, out.stderr);
      assert.equal((JSON.parse(out.stdout) as unknown[]).length, 1);
      const alone = await cliWith({}, ["--json", "--api-key", "fbk_secret"]);
      assert.equal(alone.code, EXIT.usage);
      assert.match(alone.stderr, /a command is needed/);
      assert.doesNotMatch(alone.stderr, /fbk_secret/);
    });

    it("separates each command's description from its options in --help", async () => {
      for (const command of [
        "ack",
        "resolve",
        "integrations",
        "page",
        "triage",
        "fix",
        "oncall",
        "override",
        "schedules",
      ]) {
        const out = await cli(command, "--help");
        assert.equal(out.code, EXIT.ok);
        assert.match(out.stdout, /\n\n {2}--url/, command);
      }
    });
  });

  describe("incident references", () => {
    it("takes INC-42, inc-42, INC42, #42, 42 and an id", async () => {
      const id = "01a249de-6b1f-7001-b42a-c037786e9bf7";
      for (const ref of ["INC-42", "inc-42", "INC42", "#42", "42", " 42"]) {
        requests = [];
        const out = await cli("ack", ref);
        assert.equal(out.code, EXIT.ok, `${ref}: ${out.stderr}`);
        assert.equal(requests.at(-1)?.path, "/api/v1/incidents/INC-42/acknowledge", ref);
      }
      requests = [];
      assert.equal((await cli("resolve", id.toUpperCase())).code, EXIT.ok);
      assert.equal(requests.at(-1)?.path, `/api/v1/incidents/${id}/resolve`);
    });

    it("refuses what is neither an incident number nor an id, before asking the server", async () => {
      for (const ref of ["abc", "0", "INC-0", "1.5", "INC-", "INC 2", "12345678901", "../services"]) {
        for (const verb of ["ack", "resolve", "triage", "tasks"]) {
          const extra = verb === "triage" ? ["--severity", "SEV1", "--level", "outage"] : [];
          await refused([verb, ref, ...extra], /INCIDENT must be a number such as INC-42 or 42, or an id/);
        }
        await refused(["fix", ref, "--kind", "hotfix", "rolled back"], new RegExp(`got "${ref}"`));
        await refused(["fix", "deploy", ref, "1"], new RegExp(`got "${ref}"`));
      }
    });
  });

  describe("services, states, kinds and summaries", () => {
    it("refuses a blank --service before asking the server", async () => {
      await refused(
        ["integrations", "create", "--service", "  ", "--kind", "webhook"],
        /--service is blank: it needs a value/,
      );
      await refused(["incidents", "--service", " "], /--service is blank: it needs a value/);
      await refused(["page", "--service", "\t", "db down"], /--service is blank: it needs a value/);
    });

    it("trims the service name and names the closest one when it is unknown", async () => {
      assert.equal((await cli("incidents", "--service", " checkout ")).code, EXIT.ok);
      assert.equal(requests[0]?.path, "/api/v1/services/checkout");
      for (const argv of [
        ["incidents", "--service", "chekout"],
        ["integrations", "create", "--service", "Checkout", "--kind", "webhook"],
        ["page", "--service", "checkotu", "db down"],
      ]) {
        const out = await cli(...argv);
        assert.equal(out.code, EXIT.failure, argv.join(" "));
        assert.match(
          out.stderr,
          /404 service \S+ not found \(did you mean "checkout"\?\)\n$/,
          argv.join(" "),
        );
      }
      const none = await cli("incidents", "--service", "billing");
      assert.match(none.stderr, /404 service billing not found \(firebreak services list shows them\)\n$/);
    });

    it("takes --state several times, in any case, with spaces after commas", async () => {
      for (const argv of [
        ["--state", "triggered", "--state", "resolved"],
        ["--state", "Triggered, RESOLVED"],
      ]) {
        requests = [];
        const out = await cli("incidents", ...argv);
        assert.equal(out.code, EXIT.ok, out.stderr);
        assert.equal(
          requests[0]?.path,
          "/api/v1/incidents?state=triggered%2Cresolved&limit=51",
          argv.join(" "),
        );
      }
      await refused(["incidents", "--state", "ack"], /got "ack" \(did you mean acknowledged\?\)/);
    });

    it("takes --kind in any case and suggests the kind meant", async () => {
      assert.equal(
        (await cli("integrations", "create", "--service", "checkout", "--kind", "Prometheus")).code,
        EXIT.ok,
      );
      assert.deepEqual(JSON.parse(requests.at(-1)!.body), { kind: "prometheus" });
      await refused(
        ["integrations", "create", "--service", "checkout", "--kind", "prometeus"],
        /got "prometeus" \(did you mean prometheus\?\)/,
      );
    });

    it("takes triage's --severity and --level, and fix's --kind, in any case", async () => {
      for (const [severity, level] of [
        ["sev1", "Outage"],
        ["Sev1", "OUTAGE"],
        [" SEV1 ", "outage"],
      ]) {
        const out = await cli("triage", "42", "--severity", severity!, "--level", level!);
        assert.equal(out.code, EXIT.ok, `${severity} ${level}: ${out.stderr}`);
        assert.deepEqual(JSON.parse(requests.at(-1)!.body), {
          severity: "SEV1",
          level: "outage",
          onCallCanHandle: true,
        });
      }
      assert.equal((await cli("triage", "42", "--severity", "SEV2", "--level", "Data-Corruption")).code, 0);
      assert.equal(JSON.parse(requests.at(-1)!.body).level, "data-corruption");
      const fix = await cli("fix", "42", "--kind", "HotFix", "raise the pool");
      assert.equal(fix.code, EXIT.ok, fix.stderr);
      assert.deepEqual(JSON.parse(requests.at(-1)!.body), { kind: "hotfix", description: "raise the pool" });
    });

    it("names the valid values, and the likely one, when triage's or fix's value is wrong", async () => {
      await refused(
        ["triage", "42", "--severity", "sev9", "--level", "outage"],
        /--severity must be one of SEV1, SEV2, SEV3, SEV4, got "sev9" \(did you mean SEV1\?\)/,
      );
      await refused(
        ["triage", "42", "--severity", "SEV1", "--level", "outtage"],
        /--level must be one of degradation, data-corruption, outage, got "outtage" \(did you mean outage\?\)/,
      );
      await refused(
        ["triage", "42", "--level", "outage"],
        /--severity is required: one of SEV1, SEV2, SEV3, SEV4\n/,
      );
      await refused(
        ["fix", "42", "--kind", "rolback", "undo"],
        /--kind must be one of rollback, hotfix, proper-fix, got "rolback" \(did you mean rollback\?\)/,
      );
    });

    it("pages with a summary typed without quotes", async () => {
      const out = await cli("page", "--service", "checkout", "db", "is", "down");
      assert.equal(out.code, EXIT.ok, out.stderr);
      assert.deepEqual(JSON.parse(requests.at(-1)!.body), { service: "checkout", summary: "db is down" });
      await refused(["page", "--service", "checkout", " ", " "], /summary/);
    });
  });

  describe("a heartbeat's --interval and --grace", () => {
    const heartbeat = ["integrations", "create", "--service", "checkout", "--kind", "heartbeat"];

    it("takes seconds, or a whole number with s, m, h or d in any case, and sends them in seconds", async () => {
      const cases: Array<[interval: string, grace: string, sent: object]> = [
        ["30", "0", { heartbeatIntervalSeconds: 30, heartbeatGraceSeconds: 0 }],
        ["45s", "90S", { heartbeatIntervalSeconds: 45, heartbeatGraceSeconds: 90 }],
        ["5m", " 2M ", { heartbeatIntervalSeconds: 300, heartbeatGraceSeconds: 120 }],
        ["1h", "1h", { heartbeatIntervalSeconds: 3600, heartbeatGraceSeconds: 3600 }],
        ["3D", "1d", { heartbeatIntervalSeconds: 259_200, heartbeatGraceSeconds: 86_400 }],
      ];
      for (const [interval, grace, sent] of cases) {
        const out = await cli(...heartbeat, "--interval", interval, "--grace", grace);
        assert.equal(out.code, EXIT.ok, out.stderr);
        assert.deepEqual(JSON.parse(requests.at(-1)!.body), { kind: "heartbeat", ...sent }, interval);
      }
      // Either alone; without both the server's defaults apply.
      assert.equal((await cli(...heartbeat, "--interval=10m")).code, EXIT.ok);
      assert.deepEqual(JSON.parse(requests.at(-1)!.body), {
        kind: "heartbeat",
        heartbeatIntervalSeconds: 600,
      });
      assert.equal((await cli(...heartbeat)).code, EXIT.ok);
      assert.deepEqual(JSON.parse(requests.at(-1)!.body), { kind: "heartbeat" });
    });

    it("refuses any other form, naming the option and the forms it takes, before asking the server", async () => {
      for (const bad of ["5 min", "1.5m", "-30", "30x", "1w", "m", "", "PT5M", "9".repeat(20)]) {
        const out = await refused(
          [...heartbeat, `--interval=${bad}`],
          /--interval must be a number of seconds \(300\) or a whole number with s, m, h or d \(30s, 5m, 1h, 3d\)/,
        );
        assert.ok(out.stderr.includes(`got "${bad}"`), out.stderr);
      }
      await refused([...heartbeat, "--grace", "soon"], /--grace must be a number of seconds .*got "soon"/);
    });

    it("refuses them for kinds that have no check-ins", async () => {
      await refused(
        ["integrations", "create", "--service", "checkout", "--kind", "webhook", "--interval", "5m"],
        /--interval is only for --kind heartbeat, not webhook/,
      );
      await refused(
        ["integrations", "create", "--service", "checkout", "--kind", "Prometheus", "--grace", "1m"],
        /--grace is only for --kind heartbeat, not prometheus/,
      );
    });
  });

  describe("what a failure says to check", () => {
    it("names where a refused key came from, and never prints it", async () => {
      const fromEnv = await cliWith({ FIREBREAK_URL: url, FIREBREAK_API_KEY: "fbk_stale" }, ["incidents"]);
      assert.equal(fromEnv.code, EXIT.failure);
      assert.equal(
        fromEnv.stderr,
        `firebreak incidents: 401 API key is not valid: check FIREBREAK_API_KEY (is it a key of ${url}?)\n`,
      );
      const fromFlag = await cli("ack", "42", "--api-key", "fbk_stale", "--json");
      assert.equal(fromFlag.code, EXIT.failure);
      assert.equal(fromFlag.stdout, "");
      const { error } = JSON.parse(fromFlag.stderr) as { error: Record<string, unknown> };
      assert.equal(error.status, 401);
      assert.equal(error.detail, "API key is not valid");
      assert.equal(error.hint, `check --api-key (is it a key of ${url}?)`);
      assert.doesNotMatch(fromEnv.stderr + fromFlag.stderr, /fbk_stale/);
    });

    it("says that --url should not hold the API's path when it does", async () => {
      const out = await cli("incidents", "--url", `${url}/api/v1`);
      assert.equal(out.code, EXIT.failure);
      assert.match(
        out.stderr,
        /404 no route GET \/api\/v1\/api\/v1\/incidents.*\(check --url: .*without \/api/,
      );
    });

    it("names FIREBREAK_URL when it is the one that is wrong, and takes a blank one as unset", async () => {
      const out = await cliWith({ FIREBREAK_URL: "localhost:8080", FIREBREAK_API_KEY: "fbk_good" }, [
        "whoami",
      ]);
      assert.equal(out.code, EXIT.usage);
      assert.match(
        out.stderr,
        /^firebreak whoami: FIREBREAK_URL must be an http\(s\) URL, got "localhost:8080"\n/,
      );
      const flag = await cliWith({ FIREBREAK_API_KEY: "fbk_good" }, ["whoami", "--url", "localhost:8080"]);
      assert.match(flag.stderr, /^firebreak whoami: --url must be/);
      const blank = remoteTarget({}, { FIREBREAK_URL: " ", FIREBREAK_API_KEY: "fbk_good" });
      assert.deepEqual([blank.url, blank.urlFrom], ["http://localhost:8080", "default"]);
    });

    it("says when it tried the default URL because none was given", async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const target = { url: dead, apiKey: "fbk_good", urlFrom: "default" } as const;
      await assert.rejects(callApi(target, "GET", "/api/v1/incidents"), (err: Error) => {
        assert.equal(
          err.message,
          `cannot reach Firebreak at ${dead} (ECONNREFUSED), the default URL: pass --url or set FIREBREAK_URL`,
        );
        return true;
      });
    });
  });
});
