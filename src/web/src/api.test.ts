import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { api, ApiError, messageOf } from "./api";

// The server words schema errors plainly; the console shows its words as sent, each at its field.
describe("a refused request as the console shows it", () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  const answer = (status: number, body: unknown) => {
    globalThis.fetch = async () =>
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/problem+json" } });
  };

  async function refusal(): Promise<ApiError> {
    try {
      await api.createApiKey({ name: "", role: "viewer" });
    } catch (err) {
      assert.ok(err instanceof ApiError);
      return err;
    }
    assert.fail("the request was refused");
  }

  it("keeps the server's words and places each at its field", async () => {
    answer(400, {
      code: "VALIDATION",
      title: "Invalid request",
      detail: "name can't be empty; role must be one of viewer, responder, admin",
      errors: [
        { path: "/name", message: "can't be empty" },
        { path: "/role", message: "must be one of viewer, responder, admin" },
        { path: "/steps/0/delayMinutes", message: "must be at least 0" },
      ],
      requestId: "r-1",
    });
    const err = await refusal();
    assert.equal(err.status, 400);
    assert.equal(err.code, "VALIDATION");
    assert.deepEqual(err.fieldMap(), {
      name: "can't be empty",
      role: "must be one of viewer, responder, admin",
      steps: "must be at least 0",
    });
    assert.equal(err.pathMap()["steps/0/delayMinutes"], "must be at least 0");
    assert.equal(messageOf(err), "Name can't be empty; role must be one of viewer, responder, admin.");
  });

  it("says the status when the answer has no detail", async () => {
    answer(409, { code: "CONFLICT" });
    const err = await refusal();
    assert.equal(err.detail, "The server answered 409.");
    assert.deepEqual(err.fields, []);
  });
});
