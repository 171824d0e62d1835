import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { makeDirectory } from "./make-directory.js";

describe("makeDirectory", () => {
  const root = mkdtempSync(path.join(tmpdir(), "fb-mkdir-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("makes every missing level, and an existing directory is fine", () => {
    const deep = path.join(root, "a", "b", "c");
    makeDirectory(deep);
    assert.ok(statSync(deep).isDirectory());
    makeDirectory(deep);
  });

  it("fails, naming the directory, where a parent is a file", () => {
    const file = path.join(root, "plain-file");
    writeFileSync(file, "x");
    assert.throws(
      () => makeDirectory(path.join(file, "sub")),
      /cannot create the directory .*plain-file\/sub: ENOTDIR/,
    );
  });

  // Node's own recursive mkdir spins forever here (a parent that answers ENOENT for any child).
  it("fails at once under /proc instead of looping", { skip: process.platform !== "linux" }, () => {
    assert.throws(
      () => makeDirectory("/proc/firebreak-nope/data"),
      /cannot create the directory \/proc\/firebreak-nope: ENOENT/,
    );
  });
});
