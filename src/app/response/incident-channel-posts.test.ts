import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { slackMemberIdOf } from "./incident-channel-jobs.js";
import { incidentChannelName } from "./incident-channel-posts.js";

describe("incidentChannelName", () => {
  const cases: Array<[number, string, string]> = [
    [123, "Checkout is DOWN!", "inc-123-checkout-is-down"],
    [7, "  Crème brûlée  service: 5xx ", "inc-7-creme-brulee-service-5xx"],
    [8, "snake_case stays", "inc-8-snake_case-stays"],
    [9, "!!!", "inc-9"],
    [10, "日本語のタイトル", "inc-10"],
  ];
  for (const [number, title, expected] of cases)
    it(`${JSON.stringify(title)} → ${expected}`, () =>
      assert.equal(incidentChannelName(number, title), expected));

  it("fits Slack's 80 characters and never ends on a dash", () => {
    const name = incidentChannelName(123456, `${"word ".repeat(40)}`);
    assert.ok(name.length <= 80, `${name.length}`);
    assert.match(name, /^inc-123456-word(-word)*$/);
  });
});

describe("slackMemberIdOf", () => {
  const method = (label: string, kind = "slack") => ({ kind, label, config: {} });
  const cases: Array<[ReturnType<typeof method>, string | null]> = [
    [method("Slack U024BE7LH"), "U024BE7LH"],
    [method("Slack (W012A3CDE, work)"), "W012A3CDE"],
    [method("work"), null],
    [method("Slack u024be7lh"), null],
    [method("Slack U024BE7LH", "email"), null],
  ];
  for (const [m, expected] of cases)
    it(`${m.kind} "${m.label}" → ${expected}`, () => assert.equal(slackMemberIdOf(m), expected));
});
