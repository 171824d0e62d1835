/**
 * The README's "Stopping and monitoring" section gives Prometheus rules to paste: they must load in
 * Prometheus (promtool check rules), and every firebreak_* series the section names must be one
 * /metrics exports, so a renamed metric cannot leave an alert that never fires.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { silentLogger } from "../../src/app/ports/logger.js";
import { createMetrics } from "../../src/server/metrics.js";
import { describeWithBinaries } from "../support/child-processes.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The section's text, up to the next heading of its level. */
function monitoringSection(): string {
  const start = readme.indexOf("\n## Stopping and monitoring\n");
  assert.ok(start >= 0, "the README has its Stopping and monitoring section");
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function alertRules(): string {
  const rules = /```yaml\n([\s\S]*?)```/.exec(monitoringSection())?.[1];
  assert.ok(rules, "the section has its rules");
  return rules;
}

describe("the README's monitoring section", () => {
  it("names only firebreak_* series that /metrics exports", async () => {
    const metrics = createMetrics();
    metrics.watchDatabase(async () => ({ queued: 0, running: 0, failed: 0, urgentWaiting: 0, overdue: 0 }), {
      timeoutMs: 1_000,
      logger: silentLogger,
    });
    const exported = new Set(
      [...(await metrics.render()).matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]),
    );
    const named = new Set(monitoringSection().match(/\bfirebreak_[a-z_]+[a-z]\b/g));
    // `firebreak_jobs*` names the family.
    named.delete("firebreak_jobs");
    assert.ok(named.has("firebreak_notifications_total"), [...named].join(", "));
    assert.deepEqual(
      [...named].filter((name) => !exported.has(name)),
      [],
    );
  });
});

describeWithBinaries("the README's alert rules", { promtool: "promtool" }, (bin) => {
  it("pass promtool check rules", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "firebreak-readme-rules-"));
    try {
      const file = path.join(dir, "rules.yml");
      writeFileSync(file, alertRules());
      const checked = spawnSync(bin.promtool!, ["check", "rules", file], { encoding: "utf8" });
      assert.equal(checked.status, 0, `${checked.stdout}${checked.stderr}`);
      assert.match(checked.stdout, /SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
