// `firebreak incidents` cuts a long title in its table to 80 characters ending in "…": a 1,024-character
// title made a row over a thousand columns wide. --json keeps the title whole.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";

describe("firebreak incidents: the TITLE cell", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  // 78 letters, then a character outside the BMP (two UTF-16 units) at the cut, then more.
  const longTitle = `${"a".repeat(78)}🔥${"b".repeat(1024 - 80)}`;
  const shortTitle = "disk full on db-1";
  const numbers: Record<string, number> = {};

  before(async () => {
    fb = await startTestFirebreak({ listen: true, startEngine: false });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    const post = async (url: string, body: unknown) => {
      const res = await fetch(`${fb.baseUrl}${url}`, {
        method: "POST",
        headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      assert.ok(res.ok, `POST ${url}: ${res.status} ${await res.clone().text()}`);
      return (await res.json()) as { number: number; title: string };
    };
    await post("/api/v1/services", { name: "storage" });
    const long = await post("/api/v1/incidents", { service: "storage", summary: longTitle });
    assert.equal(long.title, longTitle, "the server keeps the whole title");
    numbers.long = long.number;
    numbers.short = (await post("/api/v1/incidents", { service: "storage", summary: shortTitle })).number;
  });
  after(() => fb.close());

  it("shows at most 80 characters of a title, ending in …, and a short one whole", async () => {
    const out = await cli("incidents");
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trimEnd().split("\n");
    const row = (n: number | undefined) => lines.find((l) => l.startsWith(`INC-${n} `)) ?? "";
    const longRow = row(numbers.long);
    assert.ok(longRow.endsWith(`  ${"a".repeat(78)}🔥…`), longRow);
    assert.ok(row(numbers.short).endsWith(`  ${shortTitle}`), row(numbers.short));
    for (const line of lines) assert.ok(line.length < 250, `a row of ${line.length} characters`);
  });

  it("--json keeps the whole title", async () => {
    const out = await cli("incidents", "--json");
    assert.equal(out.code, 0, out.stderr);
    const listed = JSON.parse(out.stdout) as Array<{ number: number; title: string }>;
    assert.equal(listed.find((i) => i.number === numbers.long)?.title, longTitle);
  });
});
