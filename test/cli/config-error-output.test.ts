/**
 * A server that cannot start for its settings says every bad one at once, one per line: they were
 * squashed onto one line with the list's line breaks turned to spaces. Each line is still cleaned, so
 * an escape sequence or line break typed into a setting is shown, never obeyed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reportError } from "../../src/cli/error-output.js";
import { ConfigError } from "../../src/server/config.js";
import { firebreak } from "./firebreak-process.js";

describe("an invalid configuration, as the CLI prints it", () => {
  it("serve lists each bad setting on a line of its own", async () => {
    const result = await firebreak(["serve"], {
      FIREBREAK_PORT: "abc",
      FIREBREAK_PUBLIC_URL: "notaurl",
    });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      result.stderr,
      "firebreak serve: invalid configuration:\n" +
        '  - FIREBREAK_PORT must be a whole number from 0 to 65535, got "abc"\n' +
        '  - FIREBREAK_PUBLIC_URL must be an http(s) URL, got "notaurl"\n',
    );
  });

  it("keeps escape sequences and line breaks inside a problem from reaching the terminal", () => {
    let printed = "";
    const io = { stdout: () => undefined, stderr: (text: string) => void (printed += text), env: {} };
    const error = new ConfigError([
      'FIREBREAK_PORT must be a whole number from 0 to 65535, got "\u001b[2J1\n  - forged"',
      "FIREBREAK_ROLE must be one of all, api, engine",
    ]);
    assert.equal(reportError(io, error, "serve", false), 1);
    const lines = printed.split("\n");
    assert.equal(lines.length, 4, printed);
    assert.equal(lines[0], "firebreak serve: invalid configuration:");
    assert.ok(lines[1]?.startsWith("  - FIREBREAK_PORT must be"), lines[1]);
    assert.ok(!lines[1]?.includes("\u001b"), "no escape byte printed");
    assert.match(lines[1] ?? "", /forged"$/, "the typed line break is no line of its own");
    assert.equal(lines[2], "  - FIREBREAK_ROLE must be one of all, api, engine");
    assert.equal(lines[3], "");
  });

  it("prints any other error with line breaks on one line, as before", () => {
    let printed = "";
    const io = { stdout: () => undefined, stderr: (text: string) => void (printed += text), env: {} };
    reportError(io, new Error("first\nsecond"), "incidents", false);
    assert.equal(printed.split("\n").length, 2, printed);
  });
});
