import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CredentialStreams } from "./credential-streams.js";

describe("CredentialStreams", () => {
  const setUp = () => {
    const streams = new CredentialStreams();
    const checked: string[] = [];
    const forget = {
      aliceSession: streams.add({ kind: "session", id: "s1", userId: "alice" }, () =>
        checked.push("alice session"),
      ),
      aliceKey: streams.add({ kind: "api_key", id: "k1", userId: "alice" }, () => checked.push("alice key")),
      bobSession: streams.add({ kind: "session", id: "s2", userId: "bob" }, () =>
        checked.push("bob session"),
      ),
      systemKey: streams.add({ kind: "api_key", id: "k2", userId: null }, () => checked.push("system key")),
    };
    return { streams, checked, forget };
  };

  it("a session or key change checks only the streams opened under it", () => {
    const { streams, checked } = setUp();
    streams.changed({ kind: "session", id: "s1" });
    streams.changed({ kind: "api_key", id: "k2" });
    assert.deepEqual(checked, ["alice session", "system key"]);
  });

  it("a user change checks the streams under their sessions and the keys they created", () => {
    const { streams, checked } = setUp();
    streams.changed({ kind: "user", id: "alice" });
    assert.deepEqual(checked.sort(), ["alice key", "alice session"]);
  });

  it("changes that may have been missed check every stream", () => {
    const { streams, checked } = setUp();
    streams.changed(undefined);
    assert.deepEqual(checked.sort(), ["alice key", "alice session", "bob session", "system key"]);
  });

  it("a forgotten stream is not checked again", () => {
    const { streams, checked, forget } = setUp();
    forget.aliceKey();
    forget.bobSession();
    streams.changed({ kind: "user", id: "alice" });
    streams.changed({ kind: "session", id: "s2" });
    streams.changed(undefined);
    assert.deepEqual(checked.sort(), ["alice session", "alice session", "system key"]);
  });
});
