import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Logger } from "../app/ports/logger.js";
import { ClaimFailureLog } from "./claim-failure-log.js";

function recordingLogger(lines: Array<{ level: string; message: string; err: boolean }>): Logger {
  const at =
    (level: string) =>
    (fields: object, message?: string): void => {
      lines.push({ level, message: message ?? "", err: "err" in fields });
    };
  return { error: at("error"), info: at("info"), warn: at("warn"), debug: at("debug") } as unknown as Logger;
}

describe("ClaimFailureLog", () => {
  it("logs an outage's first failure with its stack, a summary at most every 30 s, and the recovery once", () => {
    const lines: Array<{ level: string; message: string; err: boolean }> = [];
    let nowMs = 0;
    const log = new ClaimFailureLog(
      recordingLogger(lines),
      30_000,
      () => nowMs,
      () => new Date("2026-12-07T03:00:00Z"),
    );
    for (let second = 0; second < 65; second++) {
      nowMs = second * 1_000;
      log.failed(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    }
    log.worked();
    log.worked();
    assert.deepEqual(lines, [
      { level: "error", message: "claiming jobs failed", err: true },
      {
        level: "error",
        message: "claiming jobs still failing: 31 times since 2026-12-07T03:00:00.000Z",
        err: false,
      },
      {
        level: "error",
        message: "claiming jobs still failing: 61 times since 2026-12-07T03:00:00.000Z",
        err: false,
      },
      {
        level: "info",
        message: "claiming jobs works again (it failed 65 times since 2026-12-07T03:00:00.000Z)",
        err: false,
      },
    ]);
  });

  it("says nothing while claims work, and starts afresh after a recovery", () => {
    const lines: Array<{ level: string; message: string; err: boolean }> = [];
    const log = new ClaimFailureLog(
      recordingLogger(lines),
      30_000,
      () => 0,
      () => new Date("2026-12-07T03:00:00Z"),
    );
    log.worked();
    log.failed(new Error("first outage"));
    log.worked();
    log.failed(new Error("second outage"));
    assert.deepEqual(
      lines.map((l) => l.message),
      [
        "claiming jobs failed",
        "claiming jobs works again (it failed once since 2026-12-07T03:00:00.000Z)",
        "claiming jobs failed",
      ],
    );
  });
});
