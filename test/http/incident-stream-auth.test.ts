import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { revokeApiKey } from "../../src/app/api-keys/revoke-api-key.js";
import { LoginAttempts } from "../../src/app/auth/login-attempts.js";
import { pageByHand } from "../../src/app/incidents/page-by-hand.js";
import { createService } from "../../src/app/services/manage-services.js";
import { updateUser } from "../../src/app/users/update-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { Api } from "../../src/http/api-instance.js";
import { buildHttpApp } from "../../src/http/build-http-app.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { eventReader, getEventStream } from "./event-stream.js";

const system = { actor: systemActor("test"), requestId: null };

/**
 * One more HTTP server over the test Firebreak's database, as a second instance behind a load
 * balancer would be, with the incident stream's heartbeat (its credential check) set by the test.
 */
async function startInstance(
  fb: TestFirebreak,
  heartbeatMs: number,
): Promise<{ http: Api; baseUrl: string }> {
  const http = await buildHttpApp({
    app: fb.running.deps,
    alerting: fb.running.deps,
    sender: new RecordingSender(),
    loginAttempts: new LoginAttempts(),
    version: "test",
    readiness: async () => ({ ok: true, detail: "ok" }),
    isShuttingDown: () => false,
    metrics: { contentType: "text/plain", render: async () => "", observeRequest: () => undefined },
    jobCounts: async () => ({ queued: 0, running: 0, failed: 0, urgentWaiting: 0, overdue: 0 }),
    logger: false,
    webRoot: undefined,
    secureCookies: false,
    bodyLimitBytes: 1_000_000,
    trustProxyHops: 0,
    incidentStream: { heartbeatMs },
  });
  const baseUrl = (await http.listen({ host: "127.0.0.1", port: 0 })).replace("[::1]", "127.0.0.1");
  return { http, baseUrl };
}

describe("the incident stream ends once its credentials are gone", () => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  /** Heartbeat every 10 minutes: within a test only a sign-out here can end its streams. */
  let quiet: { http: Api; baseUrl: string };
  /** Heartbeat (and credential check) every 50 ms. */
  let checking: { http: Api; baseUrl: string };
  const aborts: AbortController[] = [];

  before(async () => {
    clock = new FakeClock();
    fb = await startTestFirebreak({ clock, startEngine: false, sender: new RecordingSender() });
    quiet = await startInstance(fb, 10 * 60_000);
    checking = await startInstance(fb, 50);
  });
  after(async () => {
    for (const abort of aborts) abort.abort();
    await quiet?.http.close();
    await checking?.http.close();
    await fb?.close();
  });

  const openStream = async (baseUrl: string, headers: Record<string, string>) => {
    const abort = new AbortController();
    aborts.push(abort);
    const res = await getEventStream(`${baseUrl}/api/v1/incidents/stream`, { headers, signal: abort.signal });
    assert.equal(res.statusCode, 200);
    const events = eventReader(res);
    await events.until(/: connected\n\n/);
    return events;
  };
  const signedIn = async () => {
    const user = await fb.user("viewer");
    return { user, ...(await fb.signIn(user.email, user.password)) };
  };
  const signOut = async (http: Api, session: { cookie: string; csrfToken: string }) => {
    const res = await http.inject({
      method: "POST",
      url: "/api/v1/auth/sign-out",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken },
    });
    assert.equal(res.statusCode, 204, res.body);
  };

  it("signing out ends the session's streams on this instance at once", { timeout: 20_000 }, async () => {
    const session = await signedIn();
    const events = await openStream(quiet.baseUrl, { cookie: session.cookie });
    await signOut(quiet.http, session);
    await events.ended();
  });

  it(
    "a session signed out on another instance ends the stream at its next heartbeat",
    { timeout: 20_000 },
    async () => {
      const session = await signedIn();
      const events = await openStream(checking.baseUrl, { cookie: session.cookie });
      await signOut(quiet.http, session);
      await events.ended();
    },
  );

  it("a session that expires ends the stream", { timeout: 20_000 }, async () => {
    const session = await signedIn();
    const events = await openStream(checking.baseUrl, { cookie: session.cookie });
    await events.until(/: heartbeat\n\n/);
    clock.advance(fb.running.deps.auth.sessionTtlMs);
    await events.ended();
  });

  it("a disabled user's stream ends", { timeout: 20_000 }, async () => {
    const session = await signedIn();
    const events = await openStream(checking.baseUrl, { cookie: session.cookie });
    await updateUser(fb.running.deps, system, session.user.id, { disabled: true });
    await events.ended();
  });

  it("a revoked API key's stream ends", { timeout: 20_000 }, async () => {
    const { token, apiKey } = await createApiKey(fb.running.deps, system, {
      name: "wallboard",
      role: "viewer",
    });
    const events = await openStream(checking.baseUrl, { authorization: `Bearer ${token}` });
    await events.until(/: heartbeat\n\n/);
    await revokeApiKey(fb.running.deps, system, apiKey.id);
    await events.ended();
  });

  it(
    "revoking an API key ends its streams on this instance at once, and leaves other keys' streams open",
    { timeout: 20_000 },
    async () => {
      const wallboard = await createApiKey(fb.running.deps, system, {
        name: "old wallboard",
        role: "viewer",
      });
      const other = await createApiKey(fb.running.deps, system, { name: "new wallboard", role: "viewer" });
      const revoked = await openStream(quiet.baseUrl, { authorization: `Bearer ${wallboard.token}` });
      const kept = await openStream(quiet.baseUrl, { authorization: `Bearer ${other.token}` });
      const res = await quiet.http.inject({
        method: "DELETE",
        url: `/api/v1/api-keys/${wallboard.apiKey.id}`,
        headers: { authorization: `Bearer ${await fb.apiKey("admin")}` },
      });
      assert.equal(res.statusCode, 200, res.body);
      // This instance's heartbeat is 10 minutes away: only the revocation itself can end the stream now.
      await revoked.ended();
      // The other key's stream is still live: it hears of the next incident.
      const service = await createService(fb.running.deps, system, { name: "wallboards" });
      await pageByHand(fb.running.deps, system, { service: service.id, summary: "Wallboard check" });
      await kept.until(/event: incident\n/);
    },
  );

  it("while the session holds, the stream goes on beating", { timeout: 20_000 }, async () => {
    const session = await signedIn();
    const events = await openStream(checking.baseUrl, { cookie: session.cookie });
    for (let beats = 0; beats < 3; beats++) await events.until(/: heartbeat\n\n/);
    // Another session of the same person signing out leaves this one alone.
    const other = await fb.signIn(session.user.email, session.user.password);
    await signOut(quiet.http, other);
    for (let beats = 0; beats < 3; beats++) await events.until(/: heartbeat\n\n/);
  });
});
