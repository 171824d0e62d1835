import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { revokeApiKey } from "../../src/app/api-keys/revoke-api-key.js";
import { pageByHand } from "../../src/app/incidents/page-by-hand.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { Api } from "../../src/http/api-instance.js";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { waitFor } from "../support/wait-for.js";
import { eventReader, getEventStream } from "./event-stream.js";

// Disabling a user, revoking a key or signing out ends the streams opened under them at once: in this
// process through the store's announcement after commit, and on another instance over the same
// PostgreSQL database through its LISTEN. The heartbeat (every 15 s, its own credential check) is
// only the fallback, so each test waits far less than that.

const system = { actor: systemActor("test"), requestId: null };
/** Well under the 15 s heartbeat: only the announcement can end a stream this soon. */
const AT_ONCE = { timeoutMs: 5_000, intervalMs: 20 };

describeEachDialect("incident streams end at once when their credentials do", (dialect) => {
  let a: TestFirebreak;
  /** A second instance on A's database; undefined on SQLite, which one process owns. */
  let b: TestFirebreak | undefined;
  let adminKey: string;
  const aborts: AbortController[] = [];

  before(async () => {
    let sharedUrl = "";
    a = await startTestFirebreak({
      dialect,
      listen: true,
      startEngine: false,
      databaseUrl: (url) => (sharedUrl = url),
    });
    // An API-only instance (no engine): its streams must hear other instances all the same.
    if (dialect === "postgres")
      b = await startTestFirebreak({
        listen: true,
        startEngine: false,
        env: { FIREBREAK_DATABASE_URL: sharedUrl, FIREBREAK_ROLE: "api" },
      });
    adminKey = await a.apiKey("admin");
  });
  after(async () => {
    for (const abort of aborts) abort.abort();
    await b?.close();
    await a?.close();
  });

  const openStream = async (baseUrl: string | undefined, headers: Record<string, string>) => {
    const abort = new AbortController();
    aborts.push(abort);
    const res = await getEventStream(`${baseUrl}/api/v1/incidents/stream`, { headers, signal: abort.signal });
    assert.equal(res.statusCode, 200);
    const events = eventReader(res);
    await events.until(/: connected\n\n/);
    return events;
  };
  type Stream = Awaited<ReturnType<typeof openStream>>;
  /** Reads the stream to its end from now on; the flag turns true once the server ends it. */
  const watchEnd = (stream: Stream) => {
    const watched = { ended: false };
    const done = () => (watched.ended = true);
    void stream.ended().then(done, done);
    return watched;
  };
  let serviceCounter = 0;
  /** Streams that are live still hear of the next incident. */
  const stillLive = async (...streams: Stream[]) => {
    const service = await createService(a.running.deps, system, { name: `still live ${++serviceCounter}` });
    await pageByHand(a.running.deps, system, { service: service.id, summary: "Still live?" });
    for (const stream of streams) await stream.until(/event: incident\n/);
  };
  /** A signed-in admin (so they can own an API key) with a stream under their session and one under their key. */
  const personWithStreams = async (baseUrl: string | undefined) => {
    const person = await a.user("admin");
    const session = await a.signIn(person.email, person.password);
    const { token, apiKey } = await createApiKey(
      a.running.deps,
      { actor: { kind: "user", id: person.id, role: "admin", label: person.email }, requestId: null },
      { name: `${person.email} wallboard`, role: "viewer" },
    );
    return {
      person,
      session,
      keyId: apiKey.id,
      sessionStream: await openStream(baseUrl, { cookie: session.cookie }),
      keyStream: await openStream(baseUrl, { authorization: `Bearer ${token}` }),
    };
  };
  const asAdmin = (http: Api, method: "PATCH" | "DELETE", url: string, payload?: object) =>
    http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${adminKey}` },
      ...(payload && { payload }),
    });

  it("disabling a user through the API ends their session's and their keys' streams on this instance at once, and no one else's", async () => {
    const disabled = await personWithStreams(a.baseUrl);
    const bystander = await personWithStreams(a.baseUrl);
    const disabledEnds = [watchEnd(disabled.sessionStream), watchEnd(disabled.keyStream)];

    const res = await asAdmin(a.http, "PATCH", `/api/v1/users/${disabled.person.id}`, { disabled: true });
    assert.equal(res.statusCode, 200, res.body);
    await waitFor(() => disabledEnds.every((end) => end.ended), {
      ...AT_ONCE,
      what: "the disabled user's streams to end",
    });
    await stillLive(bystander.sessionStream, bystander.keyStream);
  });

  it("a key revoked while its stream is opening (after the key was checked, before the stream listens) ends that stream at once", async () => {
    const person = await a.user("admin");
    const { token, apiKey } = await createApiKey(
      a.running.deps,
      { actor: { kind: "user", id: person.id, role: "admin", label: person.email }, requestId: null },
      { name: `${person.email} racing wallboard`, role: "viewer" },
    );
    // The revocation commits during the stream's first read of incidents: its announcement comes
    // before the stream has registered to hear it.
    const uow = a.running.deps.uow;
    const run = uow.run.bind(uow);
    let revoked = false;
    uow.run = (async (work: Parameters<typeof run>[0]) => {
      if (!revoked && new Error().stack?.includes("listIncidents")) {
        revoked = true;
        await revokeApiKey(a.running.deps, system, apiKey.id);
      }
      return run(work);
    }) as typeof uow.run;
    let stream: Stream;
    try {
      stream = await openStream(a.baseUrl, { authorization: `Bearer ${token}` });
    } finally {
      uow.run = run;
    }
    assert.ok(revoked, "the key was revoked while the stream opened");
    const end = watchEnd(stream);
    await waitFor(() => end.ended, {
      ...AT_ONCE,
      what: "the stream under the key revoked as it opened to end",
    });
  });

  it(
    "a key revoked, a user disabled and a session signed out on instance A end their streams on instance B at once",
    { skip: dialect === "sqlite" && "SQLite is one process's database: there is no second instance to tell" },
    async () => {
      const other = b!;
      const revoked = await personWithStreams(other.baseUrl);
      const disabled = await personWithStreams(other.baseUrl);
      const signedOut = await personWithStreams(other.baseUrl);

      const revokedEnd = watchEnd(revoked.keyStream);
      const revoke = await asAdmin(a.http, "DELETE", `/api/v1/api-keys/${revoked.keyId}`);
      assert.equal(revoke.statusCode, 200, revoke.body);
      await waitFor(() => revokedEnd.ended, { ...AT_ONCE, what: "B's stream under the revoked key to end" });

      const disabledEnds = [watchEnd(disabled.sessionStream), watchEnd(disabled.keyStream)];
      const disable = await asAdmin(a.http, "PATCH", `/api/v1/users/${disabled.person.id}`, {
        disabled: true,
      });
      assert.equal(disable.statusCode, 200, disable.body);
      await waitFor(() => disabledEnds.every((end) => end.ended), {
        ...AT_ONCE,
        what: "B's streams of the disabled user to end",
      });

      const signedOutEnd = watchEnd(signedOut.sessionStream);
      const signOut = await a.http.inject({
        method: "POST",
        url: "/api/v1/auth/sign-out",
        headers: { cookie: signedOut.session.cookie, "x-csrf-token": signedOut.session.csrfToken },
      });
      assert.equal(signOut.statusCode, 204, signOut.body);
      await waitFor(() => signedOutEnd.ended, {
        ...AT_ONCE,
        what: "B's stream under the signed-out session to end",
      });
      // The revoked key's owner is still signed in, and the signed-out person's key still holds.
      await stillLive(revoked.sessionStream, signedOut.keyStream);
    },
  );
});
