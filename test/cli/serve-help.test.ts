import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { EXIT } from "../../src/cli/run-cli.js";
import { SETTINGS } from "../../src/server/config.js";
import { runCliCaptured } from "./cli-harness.js";

/** `npm start -- --help` is `firebreak serve --help`: it must say where the server's settings come from. */
describe("CLI: serve, migrate and apikey --help name the settings they read", () => {
  const help = async (command: string) => {
    const out = await runCliCaptured([command, "--help"], {});
    assert.equal(out.code, EXIT.ok, out.stderr);
    return out.stdout;
  };

  it("serve --help names the main FIREBREAK_* settings with their real defaults, --print-config and the README", async () => {
    const text = await help("serve");
    assert.match(text, /Settings are environment variables/);
    const named = [...text.matchAll(/^ {2}(FIREBREAK_[A-Z_]+) +(.*)$/gm)];
    assert.deepEqual(
      named.map((m) => m[1]),
      [
        "FIREBREAK_PORT",
        "FIREBREAK_ENGINE_PORT",
        "FIREBREAK_HOST",
        "FIREBREAK_PUBLIC_URL",
        "FIREBREAK_DATA_DIR",
        "FIREBREAK_DATABASE_URL",
      ],
    );
    // Each default said is the configuration's own (src/server/config.ts), so the help cannot drift.
    const defaults = new Map(SETTINGS.map(([name, fallback]) => [name as string, fallback as string]));
    for (const name of [
      "FIREBREAK_PORT",
      "FIREBREAK_ENGINE_PORT",
      "FIREBREAK_HOST",
      "FIREBREAK_PUBLIC_URL",
      "FIREBREAK_DATA_DIR",
    ]) {
      const shown = new RegExp(`^ {2}${name} +[\\s\\S]*?\\(default ([^,;)\\s]+)`, "m").exec(text)?.[1];
      assert.equal(shown, defaults.get(name), name);
    }
    assert.equal(defaults.get("FIREBREAK_DATABASE_URL"), "(unset: SQLite)");
    assert.match(text, /default unset: SQLite/);
    assert.ok(defaults.has("FIREBREAK_CONFIG_FILE"));
    assert.match(text, /FIREBREAK_CONFIG_FILE/);
    assert.match(text, /--print-config shows the settings in force, secrets hidden/);
    assert.match(text, /README's\n"Configuration" section lists them all/);
    assert.match(readFileSync(new URL("../../README.md", import.meta.url), "utf8"), /^## Configuration$/m);
  });

  it("migrate and apikey --help name the database settings and point to serve --help", async () => {
    for (const command of ["migrate", "apikey"]) {
      const text = await help(command);
      for (const needed of [
        "FIREBREAK_DATA_DIR",
        "default ./data",
        "FIREBREAK_DATABASE_URL",
        "firebreak serve --help",
      ])
        assert.ok(text.includes(needed), `${command} --help: ${needed}`);
    }
    assert.match(await help("apikey"), /--user names a person by email: one nobody has is refused/);
  });
});
