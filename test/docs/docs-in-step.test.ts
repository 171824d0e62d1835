import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SETTINGS } from "../../src/server/config.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const architecture = readFileSync(new URL("../../docs/architecture.md", import.meta.url), "utf8");

describe("docs stay in step with the code", () => {
  it("the README's configuration table lists every setting the server reads", () => {
    const missing = SETTINGS.map(([name]) => name).filter((name) => !readme.includes(`| \`${name}\` |`));
    assert.deepEqual(missing, []);
  });

  it("the README keeps the two commands of a fresh clone", () => {
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /npm test/);
  });

  it("docs/architecture.md describes every folder of src/", () => {
    const folders = readdirSync(new URL("../../src/", import.meta.url), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const missing = folders.filter((f) => !architecture.includes(`  ${f}/`));
    assert.deepEqual(missing, []);
  });
});
