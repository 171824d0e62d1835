import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { linksSlackMember } from "./slack-actions.js";

const method = (label: string, kind = "slack", config: Record<string, unknown> = {}) => ({
  kind,
  label,
  config,
});

describe("which contact method links a Slack member", () => {
  it("a Slack contact method naming the member ID as a word in its label", () => {
    assert.equal(linksSlackMember(method("Slack U024BE7LH"), "U024BE7LH"), true);
    assert.equal(linksSlackMember(method("U024BE7LH"), "U024BE7LH"), true);
    assert.equal(linksSlackMember(method("Slack (U024BE7LH, work)"), "U024BE7LH"), true);
    assert.equal(linksSlackMember(method("x", "slack", { slackUserId: "W012A3CDE" }), "W012A3CDE"), true);
  });
  it("not a part of a word, another kind, or something that is no member ID", () => {
    assert.equal(linksSlackMember(method("Slack U024BE7LHX"), "U024BE7LH"), false);
    assert.equal(linksSlackMember(method("Slack XU024BE7LH"), "U024BE7LH"), false);
    assert.equal(linksSlackMember(method("Slack U024BE7LH", "email"), "U024BE7LH"), false);
    assert.equal(linksSlackMember(method("Slack"), "Slack"), false);
    assert.equal(linksSlackMember(method("Slack u024be7lh"), "u024be7lh"), false);
    assert.equal(linksSlackMember(method(""), ""), false);
  });
});
