import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";

/**
 * `override --start/--end` without an offset are read on the schedule's clock, across daylight-saving
 * changes; with an offset as given. The server's clock is fixed before the 2027 spring changes.
 */
describe("CLI: override times in the schedule's time zone", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  const system = { actor: systemActor("test"), requestId: null };
  const clock = new FakeClock(Date.parse("2027-03-01T00:00:00Z"));

  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fb.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json() as Promise<unknown>;
  };
  /** Creates an override with the CLI and answers its stored [start, end) in UTC. */
  const override = async (schedule: string, start: string, end: string) => {
    const out = await cli(
      "override",
      "--schedule",
      schedule,
      "--user",
      "ada@example.com",
      "--start",
      start,
      "--end",
      end,
      "--json",
    );
    assert.equal(out.code, 0, out.stderr);
    const made = JSON.parse(out.stdout) as { start: string; end: string };
    return [made.start, made.end];
  };

  before(async () => {
    fb = await startTestFirebreak({ listen: true, clock });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    await createUser(fb.running.deps, system, {
      email: "ada@example.com",
      name: "Ada",
      role: "responder",
      password: "correct horse battery staple",
    });
    await api("POST", "/api/v1/schedules", { name: "Berlin on-call", timeZone: "Europe/Berlin" });
    await api("POST", "/api/v1/schedules", { name: "New York on-call", timeZone: "America/New_York" });
  });
  after(() => fb.close());

  it("says in --help that a time without an offset is the schedule's", async () => {
    const help = await cli("override", "--help");
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      /Without an offset \(2026-12-10T09:00\) it is read in the schedule's time\nzone/,
    );
  });

  it("reads a time without an offset in the schedule's zone, on both sides of spring forward", async () => {
    // 09:00 CET (+01:00) on Saturday to 09:00 CEST (+02:00) on Sunday: 23 hours.
    assert.deepEqual(await override("Berlin on-call", "2027-03-27T09:00", "2027-03-28T09:00"), [
      "2027-03-27T08:00:00.000Z",
      "2027-03-28T07:00:00.000Z",
    ]);
    // The minute before New York's jump (EST) and the half hour after it (EDT); seconds are kept.
    assert.deepEqual(await override("New York on-call", "2027-03-14T01:59:30", "2027-03-14T03:30"), [
      "2027-03-14T06:59:30.000Z",
      "2027-03-14T07:30:00.000Z",
    ]);
  });

  it("keeps an explicit Z or offset as given", async () => {
    assert.deepEqual(await override("Berlin on-call", "2027-04-01T09:00Z", "2027-04-01T17:00:00+05:30"), [
      "2027-04-01T09:00:00.000Z",
      "2027-04-01T11:30:00.000Z",
    ]);
  });

  it("takes the first of a repeated hour when the clocks go back", async () => {
    // 02:30 happens twice in Berlin on 31 October 2027: first at +02:00.
    assert.deepEqual(await override("Berlin on-call", "2027-10-31T02:30", "2027-10-31T04:00"), [
      "2027-10-31T00:30:00.000Z",
      "2027-10-31T03:00:00.000Z",
    ]);
  });

  it("refuses a time the clocks skip as a usage error, creating nothing", async () => {
    const before = (await api("GET", "/api/v1/schedules/Berlin%20on-call/overrides")) as unknown[];
    for (const [schedule, start, jump] of [
      [
        "Berlin on-call",
        "2027-03-28T02:30",
        "Europe/Berlin: the clocks jump from 02:00 to 03:00 on 2027-03-28",
      ],
      [
        "New York on-call",
        "2027-03-14T02:00",
        "America/New_York: the clocks jump from 02:00 to 03:00 on 2027-03-14",
      ],
    ] as const) {
      const out = await cli(
        "override",
        "--schedule",
        schedule,
        "--user",
        "ada@example.com",
        "--start",
        start,
        "--end",
        "2027-03-29T09:00",
      );
      assert.equal(out.code, 2, out.stderr);
      assert.ok(out.stderr.includes(`--start ${start} does not exist in ${jump}`), out.stderr);
    }
    const afterward = (await api("GET", "/api/v1/schedules/Berlin%20on-call/overrides")) as unknown[];
    assert.equal(afterward.length, before.length);
  });

  it("creates a schedule under its zone's canonical name, however it was typed", async () => {
    const out = await cli("schedules", "create", "Lower case", "--time-zone", "america/new_york");
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Created schedule Lower case \(.+\) in America\/New_York\n/);
  });

  it("refuses a malformed time before asking the server anything", async () => {
    for (const bad of ["2027-03-27 09:00", "2027-03-27T09:00:00.5", "tomorrow"]) {
      const out = await cli(
        "override",
        "--schedule",
        "No such schedule",
        "--user",
        "ada@example.com",
        "--start",
        bad,
        "--end",
        "2027-03-29T09:00Z",
      );
      // A lookup of the unknown schedule would fail with 1 (not found), not 2.
      assert.equal(out.code, 2, `${bad}: ${out.stderr}`);
      assert.match(out.stderr, /--start must be an ISO date and time/);
    }
  });
});
