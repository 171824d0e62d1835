// Whether the server can send email for an address alone, as the console's forms ask before a save:
// a yes or no for anyone signed in, never the SMTP URL or its password.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client } from "./alerting-helpers.js";

const PASSWORD = "smtp-pass-5521";

describe("GET /api/v1/notification-settings", () => {
  let withSmtp: TestFirebreak;
  let withoutSmtp: TestFirebreak;

  before(async () => {
    withSmtp = await startTestFirebreak({
      startEngine: false,
      env: {
        FIREBREAK_SMTP_URL: `smtp://firebreak:${PASSWORD}@smtp.example.net:587`,
        FIREBREAK_SMTP_FROM: "Firebreak <pages@example.com>",
      },
    });
    withoutSmtp = await startTestFirebreak({ startEngine: false });
  });
  after(async () => {
    await withSmtp?.close();
    await withoutSmtp?.close();
  });

  const read = async (fb: TestFirebreak) => {
    const viewer = await fb.user("viewer");
    const res = await client(fb, await fb.signIn(viewer.email, viewer.password)).get(
      "/api/v1/notification-settings",
    );
    assert.equal(res.statusCode, 200, res.body);
    return res;
  };

  it("says yes where FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM are set, without either value", async () => {
    const res = await read(withSmtp);
    assert.deepEqual(res.json(), { serverEmail: true });
    assert.doesNotMatch(res.body, /smtp|example\.net|pages@|5521/i);
  });

  it("says no where they are not set", async () => {
    assert.deepEqual((await read(withoutSmtp)).json(), { serverEmail: false });
  });

  it("needs a signed-in caller", async () => {
    const res = await withSmtp.http.inject({ method: "GET", url: "/api/v1/notification-settings" });
    assert.equal(res.statusCode, 401, res.body);
  });
});
