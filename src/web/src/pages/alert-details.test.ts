import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { descriptionOf, detailRows } from "./alert-details";

describe("an alert's description", () => {
  const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
    [
      "from an Alertmanager annotation",
      { annotations: { description: "7.2% over 5 min" } },
      "7.2% over 5 min",
    ],
    ["from a webhook detail", { description: "db-1 at 97%" }, "db-1 at 97%"],
    ["none given", {}, undefined],
    ["the summary again says nothing new", { annotations: { description: "Disk full" } }, undefined],
    ["blank", { annotations: { description: "  " } }, undefined],
  ];
  for (const [name, details, expected] of cases) {
    it(name, () => assert.equal(descriptionOf({ summary: "Disk full", details }), expected));
  }
});

describe("the details a sender gave, as rows", () => {
  it("flattens one level and leaves out what the card shows already", () => {
    const rows = detailRows({
      annotations: { summary: "Disk full", description: "db-1", runbook_url: "https://wiki/disk" },
      startsAt: "2026-12-06T16:00:00Z",
      generatorURL: "http://prometheus/graph",
      custom_details: { used_percent: 97.5, mounts: ["/", "/var"] },
    });
    assert.deepEqual(rows, [
      { name: "annotations.runbook_url", value: "https://wiki/disk" },
      { name: "generatorURL", value: "http://prometheus/graph" },
      { name: "custom_details.used_percent", value: "97.5" },
      { name: "custom_details.mounts", value: '["/","/var"]' },
    ]);
  });
  it("has nothing to show for empty or odd details", () => {
    assert.deepEqual(detailRows({}), []);
    assert.deepEqual(detailRows(null), []);
    assert.deepEqual(detailRows("text"), []);
  });
  it("stops at 40 rows", () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
    assert.equal(detailRows(many).length, 40);
  });
});
