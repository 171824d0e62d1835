/**
 * The Alertmanager snippets an integration page shows are pasted as they are: each must pass
 * Alertmanager's own check as a whole alertmanager.yml (it refused one without a route).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, it } from "node:test";
import { integrationEndpoint } from "../../src/app/integrations/integration-snippets.js";
import { describeWithBinaries } from "../support/child-processes.js";

const BASE = "https://firebreak.example.net";
const KEY = "fbk_snippet-check-0123456789";

describeWithBinaries("Alertmanager snippets", { amtool: "amtool" }, (bin) => {
  const dir = mkdtempSync(path.join(tmpdir(), "firebreak-am-snippets-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases = [
    ["alertmanager", "alertmanager-webhook"],
    ["pagerduty", "alertmanager-pagerduty"],
  ] as const;
  for (const [kind, id] of cases) {
    it(`${id} passes amtool check-config as a whole alertmanager.yml`, () => {
      const snippet = integrationEndpoint(BASE, kind, KEY).snippets.find((s) => s.id === id);
      assert.ok(snippet, id);
      const file = path.join(dir, `${id}.yml`);
      writeFileSync(file, snippet.text);
      const checked = spawnSync(bin.amtool!, ["check-config", file], { encoding: "utf8" });
      assert.equal(checked.status, 0, `${checked.stdout}${checked.stderr}`);
    });
  }
});
