import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer, type ProblemBody } from "./problem-assertions.js";

// Answers the router gives before any route's own code: a wrong method, `/`, unknown query
// parameters, a 415's code, and what Node refuses before Fastify (headers too large).
describe("routing answers: 405, `/`, unknown query parameters, 415 and 431 as problems", () => {
  let fb: TestFirebreak;
  let adminKey: string;

  before(async () => {
    fb = await startTestFirebreak({ listen: true, startEngine: false });
    adminKey = await fb.apiKey("admin");
  });
  after(() => fb?.close());

  const send = (method: string, url: string, headers: Record<string, string> = {}) =>
    fb.http.inject({ method: method as "GET", url, headers: { ...bearer(adminKey), ...headers } });

  describe("a method the path does not take is a 405 with Allow", () => {
    it("names the path's methods in the Allow header and the problem", async () => {
      const res = await send("PUT", "/api/v1/services");
      const problem = assertProblem(res, 405, "METHOD_NOT_ALLOWED");
      assert.equal(res.headers.allow, "GET, HEAD, POST");
      assert.equal(problem.title, "Method not allowed");
      assert.equal(problem.type, "urn:firebreak:problem:method-not-allowed");
      assert.equal(problem.detail, "PUT is not allowed on /api/v1/services; it takes GET, HEAD, POST");
      assert.equal(problem.instance, "/api/v1/services");
    });

    it("matches paths with parameters as the router does", async () => {
      const res = await send("POST", "/api/v1/services/no-such-service?x=1");
      assertProblem(res, 405, "METHOD_NOT_ALLOWED");
      const allow = String(res.headers.allow).split(", ");
      assert.ok(allow.includes("GET") && allow.includes("DELETE"), String(res.headers.allow));
      assert.ok(!allow.includes("POST"));
    });

    it("never echoes a key from an ingest URL asked with the wrong method", async () => {
      const key = "k3y-that-is-a-secret";
      const res = await fb.http.inject({ method: "GET", url: `/integrations/webhook/${key}` });
      const problem = assertProblem(res, 405, "METHOD_NOT_ALLOWED");
      assert.equal(res.headers.allow, "POST");
      assert.ok(!res.body.includes(key), res.body);
      assert.equal(problem.instance, "/integrations/webhook/<secret>");
    });

    it("answers OPTIONS on a known path with 405 and Allow, and unknown paths with 404", async () => {
      const options = await send("OPTIONS", "/api/v1/services");
      assertProblem(options, 405, "METHOD_NOT_ALLOWED");
      assert.equal(options.headers.allow, "GET, HEAD, POST");
      for (const method of ["GET", "PUT", "OPTIONS"]) {
        const res = await send(method, "/api/v1/no-such-thing");
        assert.equal(assertProblem(res, 404, "NOT_FOUND").detail, `no route ${method} /api/v1/no-such-thing`);
        assert.equal(res.headers.allow, undefined);
      }
    });

    it("still answers HEAD where there is a GET", async () => {
      const res = await send("HEAD", "/api/v1/services");
      assert.equal(res.statusCode, 200);
    });
  });

  describe("`/`: a signpost for curl, the console for a browser", () => {
    it("tells a client that is not a browser what answers here", async () => {
      for (const accept of [undefined, "*/*", "application/json"]) {
        const res = await fb.http.inject({
          method: "GET",
          url: "/",
          ...(accept !== undefined && { headers: { accept } }),
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers["content-type"]), /^application\/json/);
        assert.deepEqual(res.json(), {
          name: "firebreak",
          console: "open / in a browser",
          api: "/api/v1",
          docs: "/docs",
          openapi: "/openapi.json",
          health: "/healthz",
        });
      }
      assert.equal((await fb.http.inject({ method: "HEAD", url: "/" })).statusCode, 200);
    });

    it("serves the console (or its placeholder) to a browser, at / and at its own pages", async () => {
      for (const url of ["/", "/incidents"]) {
        const res = await fb.http.inject({ method: "GET", url, headers: { accept: "text/html" } });
        assert.equal(res.statusCode, 200, url);
        assert.match(String(res.headers["content-type"]), /^text\/html/);
        assert.match(res.body, /<title>Firebreak/i);
      }
    });

    it("answers another method on / with 405", async () => {
      const res = await fb.http.inject({ method: "POST", url: "/", payload: {} });
      assertProblem(res, 405, "METHOD_NOT_ALLOWED");
      assert.equal(res.headers.allow, "GET, HEAD");
    });
  });

  describe("every GET of /api/v1 with credentials refuses a query parameter it does not declare", () => {
    it("on lists that declared none and on those that did", async () => {
      for (const [url, name, takes] of [
        ["/api/v1/services?foo=bar", "foo", "takes includeArchived"],
        ["/api/v1/incidents?cursor=abc", "cursor", "takes state, service, limit, before"],
        ["/api/v1/users?limt=5", "limt", "takes no query parameters"],
      ] as const) {
        const problem = assertProblem(await send("GET", url), 400, "VALIDATION");
        assert.equal(
          problem.detail,
          `query parameter ${name} is not a known field: this route ${takes}`,
          url,
        );
      }
    });

    it("on every GET route of /api/v1 in the OpenAPI document", async () => {
      const doc = (await fb.http.inject({ method: "GET", url: "/openapi.json" })).json() as {
        paths: Record<string, Record<string, { security?: unknown[] }>>;
      };
      // Public reads (security: []) are fetched by other programs too, and keep taking what they add.
      const urls = Object.entries(doc.paths)
        .filter(([path, { get }]) => path.startsWith("/api/v1/") && get && get.security?.length !== 0)
        .map(([path]) => path.replaceAll(/\{[^}]+\}/g, "x"));
      assert.ok(urls.length > 40, `${urls.length} routes`);
      for (const url of urls) {
        const res = await send("GET", `${url}?nosuchparameter=1`);
        const problem = assertProblem(res, 400, "VALIDATION");
        assert.ok(
          problem.errors?.some((e) => e.path === "querystring /nosuchparameter"),
          `${url}: ${res.body}`,
        );
      }
    });

    it("still takes the parameters the console and the CLI send", async () => {
      const person = await fb.user("responder");
      const { cookie } = await fb.signIn(person.email, person.password);
      const at = encodeURIComponent(new Date().toISOString());
      for (const url of [
        "/api/v1/incidents?state=triggered,acknowledged&limit=5",
        `/api/v1/oncall?at=${at}`,
        "/api/v1/trades?state=pending&mine=true",
        "/api/v1/follow-ups?state=overdue",
        "/api/v1/services?includeArchived=true",
        "/api/v1/api-keys/names",
      ]) {
        const res = await fb.http.inject({ method: "GET", url, headers: { cookie } });
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      }
    });

    it("leaves public reads, which other programs fetch, taking what they add", async () => {
      const status = await fb.http.inject({ method: "GET", url: "/api/v1/status?nocache=1" });
      assert.equal(status.statusCode, 200, status.body);
      const feed = await fb.http.inject({ method: "GET", url: "/api/v1/calendars/nope.ics?nocache=1" });
      assertProblem(feed, 404, "NOT_FOUND");
    });
  });

  describe("a 415 carries its own code and title", () => {
    it("for a wrong Content-Type and for a Content-Encoding alike", async () => {
      const body = JSON.stringify({ name: "refused" });
      for (const [headers, payload] of [
        [{ "content-type": "text/plain" }, body],
        [{ "content-type": "application/json", "content-encoding": "gzip" }, gzipSync(body)],
      ] as const) {
        const res = await fb.http.inject({
          method: "POST",
          url: "/api/v1/services",
          headers: { ...bearer(adminKey), ...headers },
          payload,
        });
        const problem = assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE");
        assert.equal(problem.title, "Unsupported media type");
        assert.equal(problem.type, "urn:firebreak:problem:unsupported-media-type");
      }
    });
  });

  describe("headers over Node's limit", () => {
    it("are a 431 problem naming the limit, not Fastify's own JSON", async () => {
      const answer = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
        (resolve, reject) => {
          const req = httpRequest(`${fb.baseUrl}/api/v1/services`, {
            headers: { "x-padding": "a".repeat(20 * 1024) },
          });
          req.on("response", (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          });
          req.on("error", reject);
          req.end();
        },
      );
      assert.equal(answer.status, 431, answer.body);
      assert.match(String(answer.headers["content-type"]), /^application\/problem\+json/);
      const problem = JSON.parse(answer.body) as ProblemBody;
      assert.equal(problem.status, 431);
      assert.equal(problem.code, "REQUEST_HEADER_FIELDS_TOO_LARGE");
      assert.equal(problem.title, "Request header fields too large");
      assert.equal(
        problem.detail,
        "the request line and headers are larger than this server takes (16 KiB in all; Node's --max-http-header-size)",
      );
      assert.equal(problem.requestId, answer.headers["x-request-id"]);
      assert.equal(answer.headers["x-firebreak-api"], "1");
    });
  });
});
