import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../core/errors.js";
import { NOTIFIER_KINDS, notifierFor, notifierRegistry } from "./registry.js";

describe("notifier registry", () => {
  it("holds one notifier per kind, each under its own kind", () => {
    assert.deepEqual([...notifierRegistry.keys()], [...NOTIFIER_KINDS]);
    for (const [kind, notifier] of notifierRegistry) assert.equal(notifier.kind, kind);
  });

  it("rejects an unknown kind with a VALIDATION error naming /kind", () => {
    assert.throws(
      () => notifierFor("pager"),
      (err: unknown) =>
        err instanceof AppError && err.code === "VALIDATION" && err.fields[0]?.path === "/kind",
    );
    assert.throws(() => notifierFor("constructor"), AppError);
  });

  it("every notifier refuses a config that is not an object, naming /config", () => {
    for (const notifier of notifierRegistry.values()) {
      assert.throws(
        () => notifier.parseConfig(null),
        (err: unknown) =>
          err instanceof AppError &&
          err.code === "VALIDATION" &&
          err.fields.map((f) => f.path).join() === "/config",
        notifier.kind,
      );
    }
  });
});
