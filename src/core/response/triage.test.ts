import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkTriage,
  IMPACT_LEVEL_DEFINITIONS,
  IMPACT_LEVEL_PLAYBOOKS,
  IMPACT_LEVELS,
  SEVERITIES,
  SEVERITY_MEANINGS,
  triageTimeline,
  type Triage,
} from "./triage.js";

const triage = (over: Partial<Triage> = {}): Triage => ({
  severity: "SEV1",
  level: "outage",
  onCallCanHandle: true,
  callIn: [],
  note: "",
  ...over,
});

describe("severity and level texts", () => {
  it("every severity has a title and a meaning; SEV1 is the all-hands one", () => {
    for (const s of SEVERITIES) assert.ok(SEVERITY_MEANINGS[s].title && SEVERITY_MEANINGS[s].meaning);
    assert.match(SEVERITY_MEANINGS.SEV1.meaning, /outage or data loss/i);
    assert.match(SEVERITY_MEANINGS.SEV1.meaning, /all hands/i);
  });
  it("every level has its definition and a playbook of short steps", () => {
    assert.equal(
      IMPACT_LEVEL_DEFINITIONS.degradation.definition,
      "Available and correct, but slow or delayed.",
    );
    assert.equal(
      IMPACT_LEVEL_DEFINITIONS["data-corruption"].definition,
      "Available, but processing data wrongly.",
    );
    assert.equal(IMPACT_LEVEL_DEFINITIONS.outage.definition, "Unavailable.");
    for (const level of IMPACT_LEVELS) {
      assert.ok(IMPACT_LEVEL_PLAYBOOKS[level].length >= 3);
      for (const step of IMPACT_LEVEL_PLAYBOOKS[level]) assert.ok(step.length <= 120, step);
    }
  });
  it("the data-corruption playbook stops the writes, protects backups and tells customers, in that order", () => {
    const steps = IMPACT_LEVEL_PLAYBOOKS["data-corruption"];
    const at = (re: RegExp) => steps.findIndex((s) => re.test(s));
    assert.equal(at(/stop the writes/i), 0);
    assert.ok(at(/protect backups/i) > 0);
    assert.ok(at(/tell customers/i) > at(/protect backups/i));
  });
});

describe("checkTriage", () => {
  const cases: Array<[string, Partial<Triage>, string[]]> = [
    ["a complete answer", {}, []],
    [
      "help needed, with someone to call",
      { onCallCanHandle: false, callIn: [{ kind: "team", teamId: "db" }] },
      [],
    ],
    [
      "every kind of call-in target",
      {
        callIn: [
          { kind: "user", userId: "bob" },
          { kind: "team", teamId: "db" },
          { kind: "contact", contactId: "vendor-support" },
        ],
      },
      [],
    ],
    ["an unknown severity", { severity: "SEV0" as Triage["severity"] }, ["/severity"]],
    ["an unknown level", { level: "slow" as Triage["level"] }, ["/level"]],
    ["onCallCanHandle not a boolean", { onCallCanHandle: "yes" as unknown as boolean }, ["/onCallCanHandle"]],
    ["help needed but nobody named", { onCallCanHandle: false, callIn: [] }, ["/callIn"]],
    ["a target without an id", { callIn: [{ kind: "user", userId: " " }] }, ["/callIn/0"]],
    [
      "an unknown target kind",
      { callIn: [{ kind: "schedule" } as unknown as Triage["callIn"][number]] },
      ["/callIn/0/kind"],
    ],
    [
      "the same target twice",
      {
        callIn: [
          { kind: "user", userId: "bob" },
          { kind: "user", userId: "bob" },
        ],
      },
      ["/callIn/1"],
    ],
    [
      "same id, different kinds",
      {
        callIn: [
          { kind: "user", userId: "x" },
          { kind: "team", teamId: "x" },
        ],
      },
      [],
    ],
    [
      "too many targets",
      { callIn: Array.from({ length: 21 }, (_, i) => ({ kind: "user" as const, userId: `u${i}` })) },
      ["/callIn"],
    ],
    ["a note too long", { note: "x".repeat(2001) }, ["/note"]],
    [
      "several problems at once",
      { severity: "x" as Triage["severity"], level: "y" as Triage["level"], note: "z".repeat(3000) },
      ["/severity", "/level", "/note"],
    ],
  ];
  for (const [name, over, paths] of cases) {
    it(`${name}: ${paths.length === 0 ? "accepted" : paths.join(", ")}`, () => {
      assert.deepEqual(
        checkTriage(triage(over)).map((e) => e.path),
        paths,
      );
    });
  }
});

describe("triageTimeline", () => {
  it("says severity, level, help and who is called in, with names for people", () => {
    const entry = triageTimeline(
      triage({
        severity: "SEV2",
        level: "data-corruption",
        onCallCanHandle: false,
        callIn: [
          { kind: "user", userId: "u1" },
          { kind: "team", teamId: "db" },
        ],
      }),
      (id) => (id === "u1" ? "Bob" : id),
    );
    assert.equal(entry.kind, "triage.recorded");
    assert.equal(
      entry.message,
      "Triaged SEV2 data corruption: the on-call team needs help; calling in Bob, team db",
    );
    assert.equal(entry.data.level, "data-corruption");
  });
  it("without call-ins it says the on-call team can handle it", () => {
    assert.equal(triageTimeline(triage()).message, "Triaged SEV1 outage: the on-call team can handle it");
  });
});
