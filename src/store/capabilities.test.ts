import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { POSTGRES_CAPABILITIES, pgConnectionLost, pgTimedOut } from "./capabilities.js";

const pgError = (message: string, fields: object = {}) => Object.assign(new Error(message), fields);

describe("PostgreSQL errors that mean: try again later", () => {
  const cases: Array<[name: string, err: Error, lost: boolean, reason: string | undefined]> = [
    [
      "the driver stopped waiting for an answer (query_timeout)",
      pgError("Query read timeout"),
      true,
      "the database did not answer in time",
    ],
    [
      "the server cancelled a statement at statement_timeout",
      pgError("canceling statement due to statement timeout", { code: "57014", severity: "ERROR" }),
      false,
      "the database did not answer in time",
    ],
    [
      "no pooled connection became free in time",
      pgError("timeout exceeded when trying to connect"),
      false,
      "the database did not answer in time",
    ],
    [
      "a connection could not be opened in time",
      pgError("Connection terminated due to connection timeout"),
      true,
      "the database cannot be reached",
    ],
    [
      "the server ended the session idle in a transaction",
      pgError("terminating connection due to idle-in-transaction timeout", {
        code: "25P03",
        severity: "FATAL",
      }),
      true,
      "the database cannot be reached",
    ],
    ["a unique violation", pgError("duplicate key", { code: "23505" }), false, undefined],
  ];
  for (const [name, err, lost, reason] of cases) {
    it(`${name}: ${lost ? "the connection is lost" : "the connection stays"}; ${reason ?? "not a 503"}`, () => {
      assert.equal(pgConnectionLost(err), lost);
      assert.equal(POSTGRES_CAPABILITIES.unavailableReason(err), reason);
      assert.equal(pgTimedOut(err), reason === "the database did not answer in time");
    });
  }
});
