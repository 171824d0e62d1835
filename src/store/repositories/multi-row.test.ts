import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rowsPerStatement } from "./multi-row.js";

/** The statements an insert of `rows` rows runs, by row count. */
function statementsFor(rows: number): number[] {
  const counts: number[] = [];
  for (let left = rows; left > 0; left -= counts[counts.length - 1] as number)
    counts.push(rowsPerStatement(left));
  return counts;
}

describe("rows per multi-row INSERT", () => {
  const cases: Array<[rows: number, statements: number[]]> = [
    [1, [1]],
    [7, [7]], // a usual ingest group: one statement, not 4 + 1 + 1 + 1
    [16, [16]],
    [17, [16, 1]],
    [40, [16, 16, 8]],
    [64, [64]],
    [100, [64, 16, 16, 4]],
    [300, [256, 16, 16, 12]],
    [1_000, [256, 256, 256, 64, 64, 64, 16, 16, 8]],
  ];
  for (const [rows, statements] of cases) {
    it(`${rows} rows go in ${statements.length} statement(s): ${statements.join(" + ")}`, () => {
      assert.deepEqual(statementsFor(rows), statements);
    });
  }

  it("compiles at most 18 texts per table, whatever the counts", () => {
    const sizes = new Set<number>();
    for (let rows = 1; rows <= 2_000; rows++) for (const n of statementsFor(rows)) sizes.add(n);
    assert.equal(sizes.size, 18);
  });
});
