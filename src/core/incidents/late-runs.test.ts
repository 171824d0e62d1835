import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deliveredNote, formatLateness, LATE_AFTER_MS, latenessOf, withLateRun } from "./late-runs.js";

const DUE = new Date("2021-01-01T03:23:59.000Z");
const after = (ms: number) => new Date(DUE.getTime() + ms);
const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;

describe("formatLateness", () => {
  const cases: Array<[number, string]> = [
    [0, "less than a second"],
    [999, "less than a second"],
    [-5 * S, "less than a second"],
    [1 * S, "1 s"],
    [45 * S + 900, "45 s"],
    [60 * S, "1 min"],
    [3 * MIN + 20 * S, "3 min 20 s"],
    [3 * MIN + 38 * S, "3 min 38 s"],
    [59 * MIN + 59 * S, "59 min 59 s"],
    [1 * H, "1 h"],
    [1 * H + 30 * S, "1 h"],
    [2 * H + 5 * MIN + 10 * S, "2 h 5 min"],
    [24 * H, "1 d"],
    [27 * H + 40 * MIN, "1 d 3 h"],
    [24 * H + 5 * MIN, "1 d"],
  ];
  for (const [ms, words] of cases) it(`${ms} ms → ${words}`, () => assert.equal(formatLateness(ms), words));
});

describe("latenessOf and withLateRun (a timer's step)", () => {
  const base = "Step 2: paged Bob Responder";
  const cases: Array<{ ranAfterMs: number; message: string; late: ReturnType<typeof latenessOf> }> = [
    { ranAfterMs: 0, message: base, late: null },
    { ranAfterMs: 800, message: base, late: null },
    { ranAfterMs: -2 * S, message: base, late: null },
    { ranAfterMs: LATE_AFTER_MS, message: base, late: null },
    {
      ranAfterMs: LATE_AFTER_MS + 1,
      message: `${base} (ran 1 min after it was due: Firebreak was not running or was behind)`,
      late: { dueAt: "2021-01-01T03:23:59.000Z", lateMs: LATE_AFTER_MS + 1 },
    },
    {
      ranAfterMs: 3 * MIN + 20 * S,
      message: `${base} (ran 3 min 20 s after it was due: Firebreak was not running or was behind)`,
      late: { dueAt: "2021-01-01T03:23:59.000Z", lateMs: 200_000 },
    },
    {
      ranAfterMs: 26 * H,
      message: `${base} (ran 1 d 2 h after it was due: Firebreak was not running or was behind)`,
      late: { dueAt: "2021-01-01T03:23:59.000Z", lateMs: 26 * H },
    },
  ];
  for (const c of cases)
    it(`ran ${c.ranAfterMs} ms after due`, () => {
      const late = latenessOf(DUE, after(c.ranAfterMs));
      assert.deepEqual(late, c.late);
      assert.equal(withLateRun(base, late), c.message);
    });
});

describe("deliveredNote (a message that went out)", () => {
  const cases: Array<{
    name: string;
    attempts: number;
    sentAfterMs: number;
    lastError: string | null;
    suffix: string;
    data: Record<string, unknown>;
  }> = [
    { name: "first try, on time", attempts: 1, sentAfterMs: 0, lastError: null, suffix: "", data: {} },
    {
      name: "first try, within a minute",
      attempts: 1,
      sentAfterMs: 59 * S,
      lastError: null,
      suffix: "",
      data: {},
    },
    {
      name: "after failed tries",
      attempts: 9,
      sentAfterMs: 3 * MIN + 38 * S,
      lastError: "receiver answered 500",
      suffix: " after 9 tries, 3 min 38 s after it was due",
      data: { dueAt: DUE.toISOString(), lateMs: 218_000, lastError: "receiver answered 500" },
    },
    {
      name: "second try a few seconds later",
      attempts: 2,
      sentAfterMs: 1_500,
      lastError: "timed out",
      suffix: " after 2 tries, 1 s after it was due",
      data: { dueAt: DUE.toISOString(), lateMs: 1_500, lastError: "timed out" },
    },
    {
      name: "first try, late: nothing ran it",
      attempts: 1,
      sentAfterMs: 5 * MIN,
      lastError: null,
      suffix: ", 5 min after it was due (Firebreak was not running or was behind)",
      data: { dueAt: DUE.toISOString(), lateMs: 5 * MIN },
    },
    {
      name: "first real try after being held back",
      attempts: 1,
      sentAfterMs: 2 * H + 3 * MIN,
      lastError: "not tried: Webhook (127.0.0.1:9) is not answering",
      suffix: ", 2 h 3 min after it was due (held back while the receiver was not answering)",
      data: {
        dueAt: DUE.toISOString(),
        lateMs: 2 * H + 3 * MIN,
        lastError: "not tried: Webhook (127.0.0.1:9) is not answering",
      },
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const note = deliveredNote({
        attempts: c.attempts,
        dueAt: DUE,
        sentAt: after(c.sentAfterMs),
        lastError: c.lastError,
      });
      assert.equal(note.suffix, c.suffix);
      assert.deepEqual(note.data, c.data);
    });
});
