import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError, type ErrorCode } from "../errors.js";
import type { Action } from "./response-action.js";
import {
  acceptHandover,
  addResponder,
  cancelHandover,
  declineHandover,
  isInvolved,
  nameCommsLead,
  proposeHandover,
  removeResponder,
  rolesAtTriage,
  type IncidentRoles,
} from "./roles.js";

const T0 = Date.UTC(2026, 10, 21, 3, 0);
const act = (actorId: string, atMs = T0): Action => ({ actorId, atMs, nameOf: (id) => id.toUpperCase() });
const refused = (code: ErrorCode, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof AppError, String(err));
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return true;
};
const roles = (over: Partial<IncidentRoles> = {}): IncidentRoles => ({ ...rolesAtTriage("ada"), ...over });
const offered = (): IncidentRoles =>
  proposeHandover(roles({ responderIds: ["bob", "cy"] }), "bob", act("ada")).next;

describe("rolesAtTriage", () => {
  it("names one handler and nothing else", () => {
    assert.deepEqual(rolesAtTriage("ada"), {
      handlerId: "ada",
      commsLeadId: null,
      responderIds: [],
      pendingHandover: null,
    });
  });
  it("refuses a missing handler", () =>
    assert.throws(() => rolesAtTriage(""), refused("VALIDATION", /handlerId/)));
});

describe("proposeHandover", () => {
  it("records the offer; the handler does not change until it is accepted", () => {
    const { next, timeline } = proposeHandover(roles(), "bob", act("ada", T0 + 5));
    assert.equal(next.handlerId, "ada");
    assert.deepEqual(next.pendingHandover, { fromId: "ada", toId: "bob", proposedAtMs: T0 + 5 });
    assert.deepEqual(timeline, [
      {
        kind: "handover.proposed",
        message: "ADA offered the Incident Handler role to BOB",
        data: { fromId: "ada", toId: "bob" },
      },
    ]);
  });
  const cases: Array<[string, IncidentRoles, string, string, ErrorCode, RegExp]> = [
    [
      "someone other than the handler",
      roles(),
      "bob",
      "cy",
      "FORBIDDEN",
      /only the Incident Handler \(ADA\)/,
    ],
    ["to the handler themselves", roles(), "ada", "ada", "VALIDATION", /ADA is the Incident Handler already/],
    ["to nobody", roles(), "ada", "", "VALIDATION", /toId/],
    [
      "while another offer is pending",
      offered(),
      "ada",
      "cy",
      "CONFLICT",
      /handover to BOB is pending already/,
    ],
  ];
  for (const [name, before, actor, to, code, message] of cases) {
    it(`refused: ${name} (${code})`, () =>
      assert.throws(() => proposeHandover(before, to, act(actor)), refused(code, message)));
  }
});

describe("answering a handover", () => {
  it("the proposed person accepts: they handle it, the old handler stays on as a responder", () => {
    const { next, timeline } = acceptHandover(offered(), act("bob"));
    assert.deepEqual(next, {
      handlerId: "bob",
      commsLeadId: null,
      responderIds: ["cy", "ada"],
      pendingHandover: null,
    });
    assert.equal(timeline[0]?.kind, "handover.accepted");
    assert.equal(timeline[0]?.message, "BOB is the Incident Handler now, taking over from ADA");
  });
  it("the proposed person declines: the handler keeps the role", () => {
    const { next, timeline } = declineHandover(offered(), act("bob"));
    assert.equal(next.handlerId, "ada");
    assert.equal(next.pendingHandover, null);
    assert.equal(timeline[0]?.kind, "handover.declined");
  });
  const answers = [
    ["accept", acceptHandover],
    ["decline", declineHandover],
  ] as const;
  for (const [verb, answer] of answers) {
    for (const actor of ["ada", "cy", "dee"]) {
      it(`only the proposed person may ${verb}: ${actor} is refused`, () =>
        assert.throws(
          () => answer(offered(), act(actor)),
          refused("FORBIDDEN", new RegExp(`only BOB.*can ${verb}`)),
        ));
    }
    it(`${verb} with nothing pending is refused`, () =>
      assert.throws(() => answer(roles(), act("bob")), refused("PRECONDITION_FAILED", /no handover/)));
  }
  it("the handler cancels an unanswered offer; nobody else can", () => {
    assert.equal(cancelHandover(offered(), act("ada")).next.pendingHandover, null);
    assert.throws(() => cancelHandover(offered(), act("bob")), refused("FORBIDDEN"));
    assert.throws(() => cancelHandover(roles(), act("ada")), refused("PRECONDITION_FAILED"));
  });
  it("after a cancel the former recipient cannot accept any more", () => {
    const cancelled = cancelHandover(offered(), act("ada")).next;
    assert.throws(() => acceptHandover(cancelled, act("bob")), refused("PRECONDITION_FAILED"));
  });
});

describe("communications lead and responders", () => {
  it("the handler names and clears the communications lead", () => {
    const named = nameCommsLead(roles(), "cy", act("ada"));
    assert.equal(named.next.commsLeadId, "cy");
    assert.equal(named.timeline[0]?.message, "CY is the communications lead");
    const cleared = nameCommsLead(named.next, null, act("ada"));
    assert.equal(cleared.next.commsLeadId, null);
    assert.deepEqual(nameCommsLead(cleared.next, null, act("ada")).timeline, []);
  });
  it("nobody else names the communications lead", () =>
    assert.throws(() => nameCommsLead(roles(), "cy", act("cy")), refused("FORBIDDEN")));

  const adds: Array<[string, string, string, readonly string[] | ErrorCode]> = [
    ["the handler adds someone", "ada", "bob", ["bob"]],
    ["someone joins by themselves", "bob", "bob", ["bob"]],
    ["a responder adds someone else", "bob", "cy", "FORBIDDEN"],
    ["adding the handler changes nothing", "ada", "ada", []],
  ];
  for (const [name, actor, userId, expected] of adds) {
    it(`addResponder: ${name}`, () => {
      if (typeof expected === "string")
        assert.throws(() => addResponder(roles(), userId, act(actor)), refused(expected));
      else assert.deepEqual(addResponder(roles(), userId, act(actor)).next.responderIds, expected);
    });
  }
  const removals: Array<[string, string, string, readonly string[] | ErrorCode]> = [
    ["the handler removes someone", "ada", "bob", ["cy"]],
    ["someone leaves", "cy", "cy", ["bob"]],
    ["a responder removes someone else", "bob", "cy", "FORBIDDEN"],
    ["the handler cannot leave", "ada", "ada", "PRECONDITION_FAILED"],
  ];
  for (const [name, actor, userId, expected] of removals) {
    it(`removeResponder: ${name}`, () => {
      const before = roles({ responderIds: ["bob", "cy"] });
      if (typeof expected === "string")
        assert.throws(() => removeResponder(before, userId, act(actor)), refused(expected));
      else assert.deepEqual(removeResponder(before, userId, act(actor)).next.responderIds, expected);
    });
  }
  it("isInvolved covers every role and nobody else", () => {
    const r = roles({ commsLeadId: "cy", responderIds: ["bob"] });
    assert.deepEqual(
      ["ada", "bob", "cy", "dee"].map((id) => isInvolved(r, id)),
      [true, true, true, false],
    );
  });
});
