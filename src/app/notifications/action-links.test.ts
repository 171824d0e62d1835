import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signActionLink, verifyActionLink } from "./action-links.js";

const NOW = new Date("2021-01-01T03:00:00.000Z");
const SECRET = "test-secret-0123456789";
const claims = {
  incidentId: "inc-1",
  action: "acknowledge" as const,
  userId: "ada",
  expiresAt: new Date(NOW.getTime() + 3_600_000),
};

describe("signed action links", () => {
  it("verifies what it signed", () => {
    assert.deepEqual(verifyActionLink(SECRET, signActionLink(SECRET, claims), NOW), { ok: true, claims });
  });
  it("carries when the page was planned, and still reads links signed without it", () => {
    const issued = { ...claims, issuedAt: new Date(NOW.getTime() - 60_000) };
    assert.deepEqual(verifyActionLink(SECRET, signActionLink(SECRET, issued), NOW), {
      ok: true,
      claims: issued,
    });
  });
  it("refuses an expired link", () => {
    const verdict = verifyActionLink(SECRET, signActionLink(SECRET, claims), claims.expiresAt);
    assert.deepEqual(verdict, {
      ok: false,
      reason: "this link has expired; open the incident in Firebreak instead",
    });
  });
  it("refuses another key, a changed action, and garbage", () => {
    const token = signActionLink(SECRET, claims);
    assert.equal(verifyActionLink("other-secret", token, NOW).ok, false);
    const [payload, signature] = token.split(".");
    const forged = Buffer.from(
      Buffer.from(payload!, "base64url").toString().replace("acknowledge", "resolve"),
    ).toString("base64url");
    assert.equal(verifyActionLink(SECRET, `${forged}.${signature}`, NOW).ok, false);
    for (const junk of ["", ".", "a.b.c", "%%%.***", "eyJ9.AAAA"])
      assert.equal(verifyActionLink(SECRET, junk, NOW).ok, false);
  });
});
