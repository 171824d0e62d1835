import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError, type ErrorCode } from "../errors.js";
import {
  draftPublicUpdate,
  publicIncidentTitle,
  fillPublicUpdateTemplate,
  joinNames,
  PUBLIC_UPDATE_TEMPLATES,
  UNFILLED_PLACEHOLDER,
} from "./public-update-templates.js";
import {
  checkPublicUpdate,
  postPublicUpdate,
  publicUpdateReminderAt,
  publicUpdateReminderDue,
  requiresPublicUpdate,
  type PublicUpdateInput,
  type PublicUpdateReminderDue,
  type PublicUpdateReminderInput,
} from "./public-updates.js";
import { RESPONSE_PHASES } from "./response-phase.js";
import { IMPACT_LEVELS, type ImpactLevel } from "./triage.js";

const T0 = Date.UTC(2026, 10, 21, 3, 0);
const MIN = 60_000;
const refused = (code: ErrorCode, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof AppError, String(err));
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return true;
};

describe("requiresPublicUpdate", () => {
  const cases: Array<[ImpactLevel | null, boolean]> = [
    ["outage", true],
    ["data-corruption", true],
    ["degradation", false],
    [null, false],
  ];
  for (const [level, required] of cases)
    it(`${level}: ${required}`, () => assert.equal(requiresPublicUpdate(level), required));
});

describe("publicUpdateReminderAt", () => {
  const base = (over: Partial<PublicUpdateReminderInput> = {}): PublicUpdateReminderInput => ({
    level: "outage",
    requiredSinceMs: T0,
    lastPublicUpdateAtMs: null,
    nowMs: T0,
    resolved: false,
    ...over,
  });
  const cases: Array<[string, Partial<PublicUpdateReminderInput>, number | null]> = [
    ["outage, just triaged", {}, T0 + 15 * MIN],
    ["outage, 14 min in", { nowMs: T0 + 14 * MIN }, T0 + 15 * MIN],
    ["outage, at the first reminder (the job asks again)", { nowMs: T0 + 15 * MIN }, T0 + 30 * MIN],
    ["outage, still nothing after an hour", { nowMs: T0 + 61 * MIN }, T0 + 75 * MIN],
    ["data corruption, the same", { level: "data-corruption", nowMs: T0 + 20 * MIN }, T0 + 30 * MIN],
    ["every 5 minutes", { everyMinutes: 5, nowMs: T0 + 7 * MIN }, T0 + 10 * MIN],
    [
      "outage, an update just posted: counts from it",
      { lastPublicUpdateAtMs: T0 + 20 * MIN, nowMs: T0 + 20 * MIN },
      T0 + 35 * MIN,
    ],
    [
      "outage, an update posted long ago: the next step after now",
      { lastPublicUpdateAtMs: T0 + MIN, nowMs: T0 + 300 * MIN },
      T0 + 301 * MIN,
    ],
    [
      "outage, an update posted before the level was raised",
      { lastPublicUpdateAtMs: T0 - 10 * MIN, nowMs: T0 },
      T0 + 5 * MIN,
    ],
    [
      "outage, the last update told customers it is resolved",
      { lastPublicUpdateAtMs: T0 + 20 * MIN, lastPublicUpdateResolved: true, nowMs: T0 + 20 * MIN },
      null,
    ],
    ["outage, resolved before anyone posted", { resolved: true, nowMs: T0 + 20 * MIN }, null],
    [
      "outage, resolved after an update",
      { resolved: true, lastPublicUpdateAtMs: T0 + 5 * MIN, nowMs: T0 + 20 * MIN },
      null,
    ],
    ["degradation, never", { level: "degradation" }, null],
    ["degradation, hours later, never", { level: "degradation", nowMs: T0 + 600 * MIN }, null],
    ["untriaged, never", { level: null }, null],
  ];
  for (const [name, over, expected] of cases) {
    it(`${name}: ${expected === null ? "no reminder" : `+${(expected - T0) / MIN} min`}`, () =>
      assert.equal(publicUpdateReminderAt(base(over)), expected));
  }
  it("the reminders for an outage count again from each update, until it is resolved", () => {
    const due: Array<number | null> = [];
    let posted: number | null = null;
    let resolved = false;
    for (let now = T0; now <= T0 + 75 * MIN; now += 5 * MIN) {
      if (now === T0 + 40 * MIN) posted = now;
      if (now === T0 + 75 * MIN) resolved = true;
      due.push(publicUpdateReminderAt(base({ nowMs: now, lastPublicUpdateAtMs: posted, resolved })));
    }
    const expected = [
      ...[15, 15, 15, 30, 30, 30, 45, 45].map((m) => T0 + m * MIN), // none yet: from the triage
      ...[55, 55, 55, 70, 70, 70, 85].map((m) => T0 + m * MIN), // from the update at 40 min
      null, // resolved at 75 min
    ];
    assert.deepEqual(due, expected);
  });
  it("refuses a bad interval", () =>
    assert.throws(
      () => publicUpdateReminderAt(base({ everyMinutes: 0 })),
      refused("VALIDATION", /everyMinutes/),
    ));
});

describe("publicUpdateReminderDue: what a reminder job at `nowMs` says", () => {
  const base = (over: Partial<PublicUpdateReminderInput> = {}): PublicUpdateReminderInput => ({
    level: "outage",
    requiredSinceMs: T0,
    lastPublicUpdateAtMs: null,
    nowMs: T0 + 15 * MIN,
    resolved: false,
    ...over,
  });
  const cases: Array<[string, Partial<PublicUpdateReminderInput>, PublicUpdateReminderDue | null]> = [
    ["none yet, 15 min in", {}, { kind: "none-yet", minutesSinceRequired: 15 }],
    ["none yet, 14 min in: early", { nowMs: T0 + 14 * MIN }, null],
    ["none yet, 30 min in", { nowMs: T0 + 30 * MIN }, { kind: "none-yet", minutesSinceRequired: 30 }],
    [
      "the last update 15 min old",
      { lastPublicUpdateAtMs: T0 + 20 * MIN, nowMs: T0 + 35 * MIN },
      { kind: "stale", minutesSinceLast: 15 },
    ],
    [
      "an update posted after the job was set: not due",
      { lastPublicUpdateAtMs: T0 + 10 * MIN, nowMs: T0 + 15 * MIN },
      null,
    ],
    [
      "every 30 minutes: a 20-minute-old update is fine",
      { everyMinutes: 30, lastPublicUpdateAtMs: T0, nowMs: T0 + 20 * MIN },
      null,
    ],
    ["resolved", { resolved: true, nowMs: T0 + 60 * MIN }, null],
    [
      "the last update said resolved",
      { lastPublicUpdateAtMs: T0, lastPublicUpdateResolved: true, nowMs: T0 + 60 * MIN },
      null,
    ],
    ["degradation", { level: "degradation", nowMs: T0 + 60 * MIN }, null],
  ];
  for (const [name, over, expected] of cases)
    it(`${name}: ${expected?.kind ?? "nothing"}`, () =>
      assert.deepEqual(publicUpdateReminderDue(base(over)), expected));
  it("refuses a bad instant", () =>
    assert.throws(() => publicUpdateReminderDue(base({ nowMs: -1 })), refused("VALIDATION", /nowMs/)));
});

describe("checkPublicUpdate", () => {
  const ok: PublicUpdateInput = {
    status: "investigating",
    message: "We are investigating.",
    componentIds: ["api"],
  };
  const cases: Array<[string, Partial<PublicUpdateInput>, string[]]> = [
    ["a complete update", {}, []],
    ["the whole service (no components)", { componentIds: [] }, []],
    ["an unknown status", { status: "fixed" as PublicUpdateInput["status"] }, ["/status"]],
    ["an empty message", { message: "  " }, ["/message"]],
    ["a message too long", { message: "x".repeat(5001) }, ["/message"]],
    [
      "a placeholder left in",
      { message: "We are investigating an outage affecting {components}." },
      ["/message"],
    ],
    ["an empty component id", { componentIds: [""] }, ["/componentIds/0"]],
    ["a component twice", { componentIds: ["api", "api"] }, ["/componentIds/1"]],
  ];
  for (const [name, over, paths] of cases) {
    it(`${name}: ${paths.join(", ") || "accepted"}`, () =>
      assert.deepEqual(
        checkPublicUpdate({ ...ok, ...over }).map((e) => e.path),
        paths,
      ));
  }
});

describe("postPublicUpdate", () => {
  const update: PublicUpdateInput = {
    status: "identified",
    message: " We found the cause. ",
    componentIds: [],
  };
  const cases: Array<[string, string | null, string, ErrorCode | null]> = [
    ["the handler, with no communications lead", null, "ada", null],
    ["the communications lead", "cy", "cy", null],
    ["the handler, even with a communications lead", "cy", "ada", null],
    ["a responder", "cy", "bob", "FORBIDDEN"],
  ];
  for (const [name, commsLeadId, actor, code] of cases) {
    it(`${name}: ${code ?? "posts"}`, () => {
      const post = () =>
        postPublicUpdate(update, { handlerId: "ada", commsLeadId }, { actorId: actor, atMs: T0 });
      if (code) return void assert.throws(post, refused(code, /only cy \(communications lead\) or ada/));
      const { update: posted, timeline } = post();
      assert.deepEqual(posted, {
        status: "identified",
        message: "We found the cause.",
        postedBy: actor,
        postedAtMs: T0,
        componentIds: [],
      });
      assert.equal(timeline[0]?.kind, "public-update.posted");
    });
  }
});

describe("templates", () => {
  it("every level and status has one, naming the components and nothing left to fill", () => {
    for (const level of IMPACT_LEVELS)
      for (const status of RESPONSE_PHASES) {
        const text = draftPublicUpdate(level, status, {
          serviceName: "Payments",
          componentNames: ["Checkout", "Refunds"],
        });
        assert.match(PUBLIC_UPDATE_TEMPLATES[level][status], /\{components\}/, `${level}/${status}`);
        assert.match(text, /Checkout and Refunds/, `${level}/${status}`);
        assert.doesNotMatch(text, UNFILLED_PLACEHOLDER);
      }
  });
  it("the service stands in when no component is named", () =>
    assert.equal(
      draftPublicUpdate("outage", "investigating", { serviceName: "Payments", componentNames: [] }),
      "We are investigating an outage affecting Payments. We will post updates here as we learn more.",
    ));
  it("titles a status incident by its components' public names and the level", () => {
    assert.equal(
      publicIncidentTitle("degradation", ["Checkout", "Refunds"]),
      "Checkout and Refunds: Degradation",
    );
    assert.equal(publicIncidentTitle("outage", ["API"]), "API: Outage");
  });
  it("fills {service} too", () =>
    assert.equal(
      fillPublicUpdateTemplate("{service}: {components}", { serviceName: "Pay", componentNames: ["A"] }),
      "Pay: A",
    ));
  const names: Array<[string[], string]> = [
    [[], ""],
    [["A"], "A"],
    [["A", "B"], "A and B"],
    [["A", "B", "C"], "A, B and C"],
  ];
  for (const [list, joined] of names)
    it(`joinNames ${JSON.stringify(list)}`, () => assert.equal(joinNames(list), joined));
});
