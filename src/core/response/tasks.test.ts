import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError, type ErrorCode } from "../errors.js";
import type { IncidentAction } from "./response-action.js";
import {
  acceptTaskHandover,
  assignTask,
  cancelTaskHandover,
  createTask,
  declineTaskHandover,
  handoverAwaits,
  moveTask,
  myTasksAcrossIncidents,
  openTasksOf,
  releaseTask,
  requestTaskHandover,
  tasksAwaiting,
  TASK_STATES,
  type AttackPlanTask,
  type TaskState,
} from "./tasks.js";

const T0 = Date.UTC(2026, 10, 21, 3, 0);
// ada is the Incident Handler throughout.
const act = (actorId: string, atMs = T0 + 60_000): IncidentAction => ({ actorId, handlerId: "ada", atMs });
const refused = (code: ErrorCode, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof AppError, String(err));
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return true;
};
const task = (over: Partial<AttackPlanTask> = {}): AttackPlanTask => ({
  id: "t1",
  title: "Roll back deploy 42",
  ownerId: "bob",
  state: "open",
  createdBy: "ada",
  createdAtMs: T0,
  updatedAtMs: T0,
  pendingHandover: null,
  ...over,
});

describe("createTask", () => {
  const cases: Array<[string, string, string | null, ErrorCode | null]> = [
    ["anyone adds an unowned task", "cy", null, null],
    ["anyone adds a task for themselves", "cy", "cy", null],
    ["the handler adds a task for someone", "ada", "bob", null],
    ["a responder cannot give a task to someone else", "cy", "bob", "FORBIDDEN"],
  ];
  for (const [name, actor, ownerId, code] of cases) {
    it(name, () => {
      const make = () => createTask({ id: "t1", title: " Check the queue ", ownerId }, act(actor));
      if (code) return void assert.throws(make, refused(code));
      const { next, timeline } = make();
      assert.deepEqual(next, {
        ...task({ ownerId, createdBy: actor, createdAtMs: T0 + 60_000, updatedAtMs: T0 + 60_000 }),
        title: "Check the queue",
      });
      assert.equal(timeline[0]?.kind, "task.created");
    });
  }
  it("names every bad field", () =>
    assert.throws(
      () => createTask({ id: "", title: "", ownerId: "" }, act("ada")),
      (err: unknown) =>
        err instanceof AppError && err.fields.map((f) => f.path).join() === "/id,/title,/ownerId",
    ));
});

describe("assignTask", () => {
  it("only the handler assigns", () =>
    assert.throws(
      () => assignTask(task({ ownerId: null }), "cy", act("bob")),
      refused("FORBIDDEN", /only the Incident Handler/),
    ));
  it("an unowned task is assigned at once", () => {
    const { next, timeline } = assignTask(task({ ownerId: null }), "cy", act("ada"));
    assert.equal(next.ownerId, "cy");
    assert.equal(next.pendingHandover, null);
    assert.equal(timeline[0]?.kind, "task.assigned");
  });
  it("the handler's own task is reassigned at once", () =>
    assert.equal(assignTask(task({ ownerId: "ada" }), "cy", act("ada")).next.ownerId, "cy"));
  it("a task someone else owns becomes a handover that its owner must accept", () => {
    const { next, timeline } = assignTask(task({ ownerId: "bob", state: "in-progress" }), "cy", act("ada"));
    assert.equal(next.ownerId, "bob");
    assert.deepEqual(next.pendingHandover, {
      fromId: "bob",
      toId: "cy",
      requestedBy: "ada",
      requestedAtMs: T0 + 60_000,
    });
    assert.equal(handoverAwaits(next.pendingHandover!), "bob");
    assert.equal(timeline[0]?.kind, "task.handover-requested");
  });
  it("unassigning puts it back to open with no owner", () => {
    const { next } = assignTask(task({ state: "in-progress" }), null, act("ada"));
    assert.deepEqual([next.ownerId, next.state], [null, "open"]);
  });
  it("assigning to the current owner changes nothing", () =>
    assert.deepEqual(assignTask(task(), "bob", act("ada")).timeline, []));
  it("a finished task cannot be assigned", () =>
    assert.throws(
      () => assignTask(task({ state: "done" }), "cy", act("ada")),
      refused("PRECONDITION_FAILED", /is done/),
    ));
});

describe("task handover", () => {
  const cases: Array<[string, string, string, string | ErrorCode]> = [
    // [who asks, to whom, → who must accept | refusal]
    ["someone asks to take bob's task", "cy", "cy", "bob"],
    ["bob offers his task to cy", "bob", "cy", "cy"],
    ["the handler reassigns it", "ada", "cy", "bob"],
    ["a bystander asks for someone else", "dee", "cy", "FORBIDDEN"],
  ];
  for (const [name, actor, to, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      const ask = () => requestTaskHandover(task(), to, act(actor));
      if (expected === "FORBIDDEN") return void assert.throws(ask, refused("FORBIDDEN"));
      const pending = ask().next.pendingHandover!;
      assert.equal(handoverAwaits(pending), expected);
      assert.deepEqual(
        tasksAwaiting([ask().next, task({ id: "t2" })], expected).map((t) => t.id),
        ["t1"],
      );
    });
  }
  it("taking an unowned task is not a handover: the handler assigns it", () =>
    assert.throws(
      () => requestTaskHandover(task({ ownerId: null }), "cy", act("cy")),
      refused("PRECONDITION_FAILED", /no owner/),
    ));
  it("a second handover while one is pending is refused", () => {
    const pending = requestTaskHandover(task(), "cy", act("cy")).next;
    assert.throws(() => requestTaskHandover(pending, "dee", act("dee")), refused("CONFLICT"));
  });
  it("handing over to the owner is refused", () =>
    assert.throws(() => requestTaskHandover(task(), "bob", act("ada")), refused("VALIDATION")));

  it("only the awaited person accepts; the task changes owner and keeps its state", () => {
    const pending = requestTaskHandover(task({ state: "in-progress" }), "cy", act("cy")).next;
    assert.throws(() => acceptTaskHandover(pending, act("cy")), refused("FORBIDDEN", /only bob can accept/));
    assert.throws(() => acceptTaskHandover(pending, act("ada")), refused("FORBIDDEN"));
    const { next, timeline } = acceptTaskHandover(pending, act("bob"));
    assert.deepEqual([next.ownerId, next.state, next.pendingHandover], ["cy", "in-progress", null]);
    assert.equal(timeline[0]?.kind, "task.handover-accepted");
  });
  it("declined: the owner keeps it", () => {
    const pending = requestTaskHandover(task(), "cy", act("bob")).next;
    assert.throws(() => declineTaskHandover(pending, act("bob")), refused("FORBIDDEN"));
    const { next } = declineTaskHandover(pending, act("cy"));
    assert.deepEqual([next.ownerId, next.pendingHandover], ["bob", null]);
  });
  it("the asker or the handler cancels; the awaited person cannot", () => {
    const pending = requestTaskHandover(task(), "cy", act("cy")).next;
    assert.equal(cancelTaskHandover(pending, act("cy")).next.pendingHandover, null);
    assert.equal(cancelTaskHandover(pending, act("ada")).next.pendingHandover, null);
    assert.throws(() => cancelTaskHandover(pending, act("bob")), refused("FORBIDDEN"));
  });
  it("answering when nothing is pending is refused", () =>
    assert.throws(() => acceptTaskHandover(task(), act("bob")), refused("PRECONDITION_FAILED")));
});

describe("releaseTask", () => {
  it("the owner releases: open, no owner", () =>
    assert.deepEqual(
      (({ ownerId, state }) => [ownerId, state])(
        releaseTask(task({ state: "in-progress" }), act("bob")).next,
      ),
      [null, "open"],
    ));
  it("nobody else releases it", () =>
    assert.throws(() => releaseTask(task(), act("ada")), refused("FORBIDDEN")));
  it("not with a handover pending", () => {
    const pending = requestTaskHandover(task(), "cy", act("cy")).next;
    assert.throws(() => releaseTask(pending, act("bob")), refused("CONFLICT"));
  });
});

describe("moveTask", () => {
  // bob owns the task; ada handles the incident; cy is another responder.
  const cases: Array<[TaskState, TaskState, string, ErrorCode | null]> = [
    ["open", "in-progress", "bob", null],
    ["open", "in-progress", "ada", "FORBIDDEN"],
    ["in-progress", "open", "bob", null],
    ["in-progress", "done", "bob", null],
    ["in-progress", "done", "ada", null],
    ["in-progress", "done", "cy", "FORBIDDEN"],
    ["open", "done", "bob", null],
    ["open", "dropped", "ada", null],
    ["in-progress", "dropped", "bob", "FORBIDDEN"],
    ["done", "open", "ada", null],
    ["dropped", "open", "ada", null],
    ["done", "open", "bob", "FORBIDDEN"],
    ["done", "in-progress", "ada", "PRECONDITION_FAILED"],
    ["dropped", "done", "ada", "PRECONDITION_FAILED"],
  ];
  for (const [from, to, actor, code] of cases) {
    it(`${from} → ${to} by ${actor}: ${code ?? "allowed"}`, () => {
      const move = () => moveTask(task({ state: from }), to, act(actor));
      if (code) return void assert.throws(move, refused(code));
      const { next, timeline } = move();
      assert.equal(next.state, to);
      assert.equal(next.updatedAtMs, T0 + 60_000);
      assert.deepEqual(timeline[0]?.data, { taskId: "t1", from, to });
    });
  }
  it("an unowned task cannot be started until the handler assigns it", () =>
    assert.throws(
      () => moveTask(task({ ownerId: null }), "in-progress", act("ada")),
      refused("PRECONDITION_FAILED", /no owner/),
    ));
  it("moving to the same state changes nothing", () =>
    assert.deepEqual(moveTask(task(), "open", act("cy")).timeline, []));
  it("finishing a task ends its pending handover", () => {
    const pending = requestTaskHandover(task(), "cy", act("cy")).next;
    assert.equal(moveTask(pending, "done", act("bob")).next.pendingHandover, null);
  });
  it("refuses an unknown state", () =>
    assert.throws(() => moveTask(task(), "blocked" as TaskState, act("bob")), refused("VALIDATION")));
  it("every state appears in the table", () =>
    assert.deepEqual(TASK_STATES, ["open", "in-progress", "done", "dropped"]));
});

describe("openTasksOf", () => {
  it("lists a person's open and in-progress tasks only", () => {
    const tasks = [
      task({ id: "a" }),
      task({ id: "b", state: "in-progress" }),
      task({ id: "c", state: "done" }),
      task({ id: "d", state: "dropped" }),
      task({ id: "e", ownerId: "cy" }),
    ];
    assert.deepEqual(
      openTasksOf(tasks, "bob").map((t) => t.id),
      ["a", "b"],
    );
  });
});

describe("myTasksAcrossIncidents", () => {
  // Tasks in the order the store gives them (by creation); INC-2 is resolved.
  const mine = [
    { id: "roll-back", incident: "INC-2", incidentResolved: true },
    { id: "watch-queue", incident: "INC-3", incidentResolved: false },
    { id: "tell-support", incident: "INC-2", incidentResolved: true },
    { id: "check-disk", incident: "INC-4", incidentResolved: false },
  ];
  const cases: Array<[string, typeof mine, boolean, string[]]> = [
    ["by default, those of resolved incidents are left out", mine, false, ["watch-queue", "check-disk"]],
    [
      "asked for, they come after those of open incidents, in their order",
      mine,
      true,
      ["watch-queue", "check-disk", "roll-back", "tell-support"],
    ],
    ["only resolved incidents' tasks, by default: none", mine.slice(0, 1), false, []],
    ["only resolved incidents' tasks, asked for", mine.slice(0, 1), true, ["roll-back"]],
    ["no tasks", [], true, []],
  ];
  for (const [name, tasks, includeResolved, ids] of cases)
    it(name, () =>
      assert.deepEqual(
        myTasksAcrossIncidents(tasks, includeResolved).map((t) => t.id),
        ids,
      ),
    );
});
