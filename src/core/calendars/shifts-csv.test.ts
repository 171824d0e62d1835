import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../errors.js";
import type { ShiftCsvRow } from "./shifts-csv.js";
import { guardFormula, quoteCell, shiftsCsv } from "./shifts-csv.js";

const HEADER = "schedule,person,email,start_utc,end_utc,start_local,end_local,hours";
const at = (text: string) => Date.parse(text);

const row = (overrides: Partial<ShiftCsvRow> = {}): ShiftCsvRow => ({
  scheduleName: "Payments primary",
  userName: "Ana Lima",
  userEmail: "ana@example.com",
  startMs: at("2025-03-03T08:00:00Z"),
  endMs: at("2025-03-03T16:30:00Z"),
  timeZone: "Europe/Berlin",
  ...overrides,
});

describe("shiftsCsv", () => {
  it("writes only the header, CRLF-terminated, for no shifts", () => {
    assert.equal(shiftsCsv([]), `${HEADER}\r\n`);
  });

  const cases: Array<[what: string, input: ShiftCsvRow, line: string]> = [
    [
      "a plain shift in Berlin",
      row(),
      "Payments primary,Ana Lima,ana@example.com,2025-03-03T08:00:00Z,2025-03-03T16:30:00Z,2025-03-03 09:00,2025-03-03 17:30,8.50",
    ],
    [
      "a week across New York's change to daylight saving: 167 hours",
      row({
        startMs: at("2025-03-03T14:00:00Z"),
        endMs: at("2025-03-10T13:00:00Z"),
        timeZone: "America/New_York",
      }),
      "Payments primary,Ana Lima,ana@example.com,2025-03-03T14:00:00Z,2025-03-10T13:00:00Z,2025-03-03 09:00,2025-03-10 09:00,167.00",
    ],
    [
      "a night in Sydney, local dates the day after UTC",
      row({
        startMs: at("2025-07-01T08:00:00Z"),
        endMs: at("2025-07-01T20:20:00Z"),
        timeZone: "Australia/Sydney",
      }),
      "Payments primary,Ana Lima,ana@example.com,2025-07-01T08:00:00Z,2025-07-01T20:20:00Z,2025-07-01 18:00,2025-07-02 06:20,12.33",
    ],
    [
      "hours rounded to 2 decimals",
      row({ endMs: at("2025-03-03T08:00:00Z") + 20 * 60_000 + 30_000, timeZone: "UTC" }),
      "Payments primary,Ana Lima,ana@example.com,2025-03-03T08:00:00Z,2025-03-03T08:20:30Z,2025-03-03 08:00,2025-03-03 08:20,0.34",
    ],
    [
      "a comma, quotes and a line break, quoted with quotes doubled",
      row({
        scheduleName: "Payments, EU",
        userName: 'Ana "the pager" Lima',
        userEmail: "ana@example.com\nx",
      }),
      '"Payments, EU","Ana ""the pager"" Lima","ana@example.com\nx",2025-03-03T08:00:00Z,2025-03-03T16:30:00Z,2025-03-03 09:00,2025-03-03 17:30,8.50',
    ],
    [
      "formulas made text",
      row({ scheduleName: '=HYPERLINK("http://evil","x")', userName: "+1 555", userEmail: "@SUM(A1)" }),
      '"\'=HYPERLINK(""http://evil"",""x"")",\'+1 555,\'@SUM(A1),2025-03-03T08:00:00Z,2025-03-03T16:30:00Z,2025-03-03 09:00,2025-03-03 17:30,8.50',
    ],
    [
      "non-ASCII kept as is",
      row({ userName: "Zoë 日本語 ✓" }),
      "Payments primary,Zoë 日本語 ✓,ana@example.com,2025-03-03T08:00:00Z,2025-03-03T16:30:00Z,2025-03-03 09:00,2025-03-03 17:30,8.50",
    ],
  ];
  for (const [what, input, line] of cases) {
    it(what, () => assert.equal(shiftsCsv([input]), `${HEADER}\r\n${line}\r\n`));
  }

  it("keeps the rows in the order given, one CRLF-terminated line each", () => {
    const text = shiftsCsv([row({ userName: "B" }), row({ userName: "A" }), row({ userName: "C" })]);
    const lines = text.split("\r\n");
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(",")[1]),
      ["B", "A", "C", undefined],
    );
    assert.equal(lines.at(-1), "");
  });

  it("refuses an unknown time zone, naming the row", () => {
    assert.throws(
      () => shiftsCsv([row(), row({ timeZone: "Mars/Base" })]),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === "VALIDATION" &&
        error.fields[0]?.path === "/rows/1/timeZone",
    );
  });
});

describe("guardFormula", () => {
  const cases: Array<[input: string, output: string]> = [
    ["=1+2", "'=1+2"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["a=b", "a=b"],
    ["Ana", "Ana"],
    ["", ""],
    ["'quoted", "'quoted"],
  ];
  for (const [input, output] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () =>
      assert.equal(guardFormula(input), output));
  }
});

describe("quoteCell", () => {
  const cases: Array<[input: string, output: string]> = [
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rhere", '"cr\rhere"'],
    ["", ""],
    ["semi;colon", "semi;colon"],
  ];
  for (const [input, output] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => assert.equal(quoteCell(input), output));
  }
});
