import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { makePage, statusAdmin } from "../support/status-setup.js";
import { assertProblem } from "./problem-assertions.js";

// The public status-page routes have no query or body schema: what a stranger sends in the query
// string or the subscribe form is checked by hand, and a repeated or wrongly typed field is a 4xx.
describe("public status pages: repeated and mistyped input", () => {
  let fb: TestFirebreak;
  let secretLinkToken: string;

  before(async () => {
    fb = await startTestFirebreak({
      startEngine: false,
      // Subscriptions are offered once email is set up; no mail is sent while the engine is stopped.
      env: {
        FIREBREAK_STATUS_SMTP_URL: "smtp://127.0.0.1:9",
        FIREBREAK_STATUS_EMAIL_FROM: "Acme status <status@acme.example>",
      },
    });
    const admin = statusAdmin(fb.http, await fb.apiKey("admin"));
    await makePage(admin, { slug: "open" });
    secretLinkToken = (await makePage(admin, { slug: "internal", private: true })).secretLinkToken ?? "";
    assert.match(secretLinkToken, /^fbsp_/);
  });
  after(() => fb.close());

  const get = (url: string) => fb.http.inject({ method: "GET", url });

  describe("a repeated token is a wrong token", () => {
    it("a private page answers as an unknown page does: 404, nothing revealed, no cookie", async () => {
      const unknown = assertProblem(await get("/status/no-such-page?token=a&token=b"), 404, "NOT_FOUND");
      assert.equal(unknown.detail, "status page no-such-page not found");
      for (const path of ["/status/internal", "/status/internal/api/v2/summary.json"]) {
        for (const query of ["token=a&token=b", `token=${secretLinkToken}&token=${secretLinkToken}`]) {
          const res = await get(`${path}?${query}`);
          const problem = assertProblem(res, 404, "NOT_FOUND");
          assert.equal(problem.detail, "status page internal not found", `${path}?${query}`);
          assert.equal(res.headers["set-cookie"], undefined);
        }
      }
      // The link as sent, once, still opens the page.
      assert.equal((await get(`/status/internal?token=${secretLinkToken}`)).statusCode, 200);
    });

    it("a public page is served as without a token", async () => {
      assert.equal((await get("/status/open?token=a&token=b")).statusCode, 200);
    });

    it("the confirmation link answers 'Link not valid'", async () => {
      const res = await get("/status/open/subscribe/confirm?token=a&token=b");
      assert.equal(res.statusCode, 404, res.body);
      assert.deepEqual(res.json(), {
        result: "Link not valid",
        detail: "This confirmation link is unknown or expired. Subscribe again to get a new one.",
      });
    });

    it("unsubscribing answers that the link is not subscribed, by GET's button and by POST", async () => {
      const page = await get("/status/open/unsubscribe?token=a&token=b");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /action="\/status\/open\/unsubscribe\?token="/);
      const res = await fb.http.inject({ method: "POST", url: "/status/open/unsubscribe?token=a&token=b" });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        result: "Unsubscribed",
        detail: "This link is not subscribed (any more).",
      });
    });
  });

  describe("the subscribe body names what is wrong with it", () => {
    const subscribe = (payload: unknown) =>
      fb.http.inject({
        method: "POST",
        url: "/status/open/subscribe",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(payload),
      });

    it("an email that is not text is 'email must be text', not 'email is required'", async () => {
      for (const email of [5, {}, ["a@example.com"], true]) {
        const problem = assertProblem(await subscribe({ email }), 400, "VALIDATION");
        assert.equal(problem.detail, "email must be text", JSON.stringify(email));
        assert.deepEqual(problem.errors, [{ path: "/email", message: "must be text" }]);
      }
      const problem = assertProblem(
        await subscribe({ email: "a@example.com", webhookUrl: 7 }),
        400,
        "VALIDATION",
      );
      assert.equal(problem.detail, "webhookUrl must be text");
    });

    it("a body that is not an object says so", async () => {
      for (const payload of [[{ email: "a@example.com" }], "email=a@example.com", 5]) {
        const problem = assertProblem(await subscribe(payload), 400, "VALIDATION");
        assert.equal(
          problem.detail,
          "the request body must be a form or a JSON object",
          JSON.stringify(payload),
        );
        assert.deepEqual(problem.errors, [{ path: "/", message: "must be a form or a JSON object" }]);
      }
    });

    it("a form with the email twice is refused naming the field, as a problem and as a page", async () => {
      const body = "email=first%40example.com&email=second%40example.com";
      const form = (accept: string) =>
        fb.http.inject({
          method: "POST",
          url: "/status/open/subscribe",
          headers: { "content-type": "application/x-www-form-urlencoded", accept },
          payload: body,
        });
      const problem = assertProblem(await form("application/json"), 400, "VALIDATION");
      assert.equal(problem.detail, "email was given more than once");
      assert.deepEqual(problem.errors, [{ path: "/email", message: "was given more than once" }]);
      const page = await form("text/html");
      assert.equal(page.statusCode, 400);
      assert.match(String(page.headers["content-type"]), /^text\/html/);
      assert.match(page.body, /email was given more than once/);
    });

    it("still takes a form and a JSON object with the email once", async () => {
      const json = await subscribe({ email: "once@example.com", webhookUrl: null });
      assert.equal(json.statusCode, 202, json.body);
      const form = await fb.http.inject({
        method: "POST",
        url: "/status/open/subscribe",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "email=twice-not%40example.com",
      });
      assert.equal(form.statusCode, 202, form.body);
    });
  });
});
