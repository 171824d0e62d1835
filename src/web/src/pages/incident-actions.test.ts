import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reopenNote, statusPageNote } from "./incident-actions";

describe("what a resolved incident says a new alert does", () => {
  const resolvedAt = "2026-03-02T10:00:00.000Z";
  const at = (iso: string) => Date.parse(iso);

  it("with no reopen window: a new incident", () => {
    assert.equal(
      reopenNote({ reopenWindowMinutes: 0 }, resolvedAt, at("2026-03-02T10:01:00.000Z")),
      "This incident is resolved. A new alert for it opens a new incident: its service does not reopen resolved incidents.",
    );
  });

  it("within the window: reopens it until the window ends", () => {
    const note = reopenNote({ reopenWindowMinutes: 30 }, resolvedAt, at("2026-03-02T10:10:00.000Z"));
    assert.match(note, /^This incident is resolved\. A new alert for it until .+ reopens it/);
    assert.match(note, /\(the service's reopen window is 30 min\); after that, one opens a new incident\.$/);
  });

  it("after the window: a new incident, and why", () => {
    assert.equal(
      reopenNote({ reopenWindowMinutes: 30 }, resolvedAt, at("2026-03-02T10:30:00.000Z")),
      "This incident is resolved. A new alert for it opens a new incident: the service's 30-minute reopen window has passed.",
    );
  });

  it("without the service (not readable): no guess", () => {
    assert.equal(reopenNote(null, resolvedAt, at(resolvedAt)), "This incident is resolved.");
  });
});

describe("what resolving says about the status pages", () => {
  it("nothing when no status-page incident is open", () => assert.equal(statusPageNote([]), undefined));
  it("names the page, or the pages", () => {
    assert.equal(statusPageNote(["Acme"]), "The status page's incident is marked resolved too (Acme).");
    assert.equal(
      statusPageNote(["Acme", "Partners"]),
      "The status pages' incidents are marked resolved too (Acme, Partners).",
    );
  });
});
