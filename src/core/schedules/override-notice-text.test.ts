import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  overrideNoticeText,
  rangeText,
  wallClock,
  type OverrideNoticeFacts,
  type RecipientChange,
} from "./override-notice-text.js";

/** Monday 7 Dec 2026, 12:00 in Berlin. */
const NOW = Date.parse("2026-12-07T11:00:00.000Z");
/** Wednesday 9 Dec 2026 09:00 – Monday 14 Dec 2026 09:00 in Berlin. */
const WEEK = {
  startMs: Date.parse("2026-12-09T08:00:00.000Z"),
  endMs: Date.parse("2026-12-14T08:00:00.000Z"),
};
const ZONE = "Europe/Berlin";

const facts = (over: Partial<OverrideNoticeFacts> = {}): OverrideNoticeFacts => ({
  change: "removed",
  source: "cover",
  scheduleName: "Primary",
  timeZone: ZONE,
  nowMs: NOW,
  actorName: "Alice",
  ownerName: "Alice",
  actorIsOwner: true,
  window: WEEK,
  trade: null,
  ...over,
});
const recipient = (over: Partial<RecipientChange> = {}): RecipientChange => ({
  isOwner: false,
  gained: [],
  lost: [],
  replacedNames: [],
  ...over,
});

describe("wallClock and rangeText", () => {
  it("says times on the schedule's wall clock, the year only when it is not this one", () => {
    assert.equal(wallClock(WEEK.startMs, ZONE, NOW), "Wed 9 Dec 09:00");
    assert.equal(wallClock(Date.parse("2027-01-04T08:00:00.000Z"), ZONE, NOW), "Mon 4 Jan 2027 09:00");
    assert.equal(wallClock(WEEK.startMs, "America/New_York", NOW), "Wed 9 Dec 03:00");
  });
  it("says 'from now' for a range under way", () => {
    assert.equal(rangeText(WEEK, ZONE, NOW), "Wed 9 Dec 09:00 – Mon 14 Dec 09:00 (Europe/Berlin)");
    assert.equal(
      rangeText({ startMs: NOW, endMs: WEEK.endMs }, ZONE, NOW),
      "from now until Mon 14 Dec 09:00 (Europe/Berlin)",
    );
  });
});

describe("overrideNoticeText titles", () => {
  const takeOver = { startMs: NOW, endMs: WEEK.startMs };
  const cases: Array<[string, Partial<OverrideNoticeFacts>, Partial<RecipientChange>, string]> = [
    [
      "a cover withdrawn by the one who covered",
      {},
      { gained: [WEEK] },
      "Alice removed the cover of your shift on Primary, Wed 9 Dec 09:00 – Mon 14 Dec 09:00 (Europe/Berlin): you are on call again",
    ],
    [
      "an admin removes someone's cover: the person put back on call",
      { actorName: "Dee", actorIsOwner: false },
      { gained: [WEEK] },
      "Dee removed Alice's cover of your shift on Primary, Wed 9 Dec 09:00 – Mon 14 Dec 09:00 (Europe/Berlin): you are on call again",
    ],
    [
      "an admin removes someone's cover: its owner",
      { actorName: "Dee", actorIsOwner: false },
      { isOwner: true, lost: [WEEK] },
      "Dee removed your cover on Primary, Wed 9 Dec 09:00 – Mon 14 Dec 09:00 (Europe/Berlin): you are off call then",
    ],
    [
      "a take-over: the person replaced",
      { change: "created", source: "take-over", window: takeOver },
      { lost: [takeOver] },
      "Alice took over your shift on Primary, from now until Wed 9 Dec 09:00 (Europe/Berlin): you are off call now",
    ],
    [
      "an admin's override: the person put on call",
      { change: "created", source: "manual", actorName: "Dee", actorIsOwner: false },
      { isOwner: true, gained: [WEEK], replacedNames: ["Bob"] },
      "Dee put you on call on Primary, Wed 9 Dec 09:00 – Mon 14 Dec 09:00 (Europe/Berlin), in place of Bob",
    ],
    [
      "an admin's override: the person off call, over several shifts",
      { change: "created", source: "manual", actorName: "Dee", actorIsOwner: false },
      {
        lost: [
          { startMs: WEEK.startMs, endMs: WEEK.startMs + 86_400_000 },
          { startMs: WEEK.startMs + 2 * 86_400_000, endMs: WEEK.startMs + 3 * 86_400_000 },
        ],
      },
      "Dee put Alice on call over your shifts on Primary, 2 shifts from Wed 9 Dec 09:00 to Sat 12 Dec 09:00 (Europe/Berlin): you are off call then",
    ],
  ];
  for (const [name, f, r, title] of cases) {
    it(name, () => assert.equal(overrideNoticeText(facts(f), recipient(r)).title, title));
  }

  it("details name the trade the override came from", () => {
    const text = overrideNoticeText(
      facts({
        actorName: "Dee",
        actorIsOwner: false,
        trade: { kind: "cover", requesterName: "Bob", acceptorName: "Alice" },
      }),
      recipient({ gained: [WEEK] }),
    );
    assert.deepEqual(text.details, [
      { label: "Schedule", value: "Primary" },
      { label: "Removed by", value: "Dee" },
      { label: "On call again", value: "Wed 9 Dec 09:00 – Mon 14 Dec 09:00 (Europe/Berlin)" },
      { label: "Cover", value: "Alice, Wed 9 Dec 09:00 – Mon 14 Dec 09:00 (Europe/Berlin)" },
      { label: "Trade", value: "Bob's cover request, accepted by Alice" },
    ]);
  });
});
