import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EXIT } from "../../src/cli/run-cli.js";
import { runCliCaptured } from "./cli-harness.js";
import { startFakeApi, type FakeApi } from "./fake-api.js";

/**
 * Dates that do not exist (30 February, 24:00, an offset of +15:00) are usage errors naming the option,
 * the value and what is wrong; Date.parse moved them to another day, and an override was made for it.
 */
describe("CLI: impossible dates and times", () => {
  let api: FakeApi;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  const override = (start: string, end: string) =>
    cli("override", "--schedule", "Primary", "--user", "ada@example.com", "--start", start, "--end", end);

  before(async () => {
    api = await startFakeApi(({ method, url }) => {
      if (method === "GET" && url.startsWith("/api/v1/oncall?"))
        return { at: new URL(url, "http://x").searchParams.get("at"), entries: [], gaps: [] };
      if (method === "GET" && url === "/api/v1/schedules/Primary")
        return { id: "s1", name: "Primary", timeZone: "Europe/Berlin", layers: [] };
      if (method === "GET" && url === "/api/v1/users")
        return [{ id: "u1", email: "ada@example.com", name: "Ada", disabledAt: null }];
      if (method === "POST" && url === "/api/v1/schedules/Primary/overrides")
        return { id: "o1", userName: "Ada", start: "x", end: "y", source: "manual" };
      return undefined;
    });
    env = { FIREBREAK_URL: api.url, FIREBREAK_API_KEY: "fbk_test" };
  });
  after(() => api.close());

  const refused = async (argv: string[], message: string) => {
    const sent = api.requests.length;
    const out = await cli(...argv);
    assert.equal(out.code, EXIT.usage, `${argv.join(" ")}: ${out.stderr}`);
    assert.equal(out.stdout, "");
    assert.equal(
      out.stderr,
      `firebreak ${argv[0]}: ${message}\nRun "firebreak ${argv[0]} --help" for usage.\n`,
    );
    assert.equal(api.requests.length, sent, `${argv.join(" ")}: nothing was asked of the server`);
  };

  it("refuses 30 and 31 February with an offset, for override and oncall --at, naming the month's days", async () => {
    await refused(
      [
        "override",
        "--schedule",
        "Primary",
        "--user",
        "ada@example.com",
        "--start",
        "2027-02-30T09:00:00Z",
        "--end",
        "2027-02-31T09:00:00Z",
      ],
      "--start 2027-02-30T09:00:00Z: February 2027 has 28 days",
    );
    await refused(
      [
        "override",
        "--schedule",
        "Primary",
        "--user",
        "ada@example.com",
        "--start",
        "2027-02-27T09:00:00Z",
        "--end",
        "2027-02-31T09:00:00+01:00",
      ],
      "--end 2027-02-31T09:00:00+01:00: February 2027 has 28 days",
    );
    await refused(
      ["oncall", "--at", "2027-02-30T00:00:00Z"],
      "--at 2027-02-30T00:00:00Z: February 2027 has 28 days",
    );
    // The same words without an offset (read on the schedule's clock, or this machine's for --at).
    await refused(
      [
        "override",
        "--schedule",
        "Primary",
        "--user",
        "ada@example.com",
        "--start",
        "2027-02-30T09:00",
        "--end",
        "2027-03-01T09:00",
      ],
      "--start 2027-02-30T09:00: February 2027 has 28 days",
    );
    await refused(["oncall", "--at", "2027-02-30T00:00"], "--at 2027-02-30T00:00: February 2027 has 28 days");
  });

  const impossible: Array<[string, string]> = [
    ["2027-02-29T09:00Z", "February 2027 has 28 days"],
    ["2100-02-29T09:00Z", "February 2100 has 28 days"],
    ["2027-04-31T09:00+02:00", "April 2027 has 30 days"],
    ["2027-04-00T09:00Z", "there is no day 00 (days start at 01)"],
    ["2027-13-01T09:00Z", "there is no month 13 (months are 01 to 12)"],
    ["2027-00-10T09:00Z", "there is no month 00 (months are 01 to 12)"],
    ["2027-03-01T24:00Z", "the hour must be 00 to 23 (the end of a day is 00:00 of the next)"],
    ["2027-03-01T24:00", "the hour must be 00 to 23 (the end of a day is 00:00 of the next)"],
    ["2027-03-01T09:60Z", "the minute must be 00 to 59"],
    ["2027-03-01T09:00:60Z", "the second must be 00 to 59"],
    ["2027-03-01T09:00+14:01", "the offset +14:01 is beyond ±14:00, which no time zone uses"],
    ["2027-03-01T09:00-1500", "the offset -15:00 is beyond ±14:00, which no time zone uses"],
    ["2027-03-01T09:00+05:75", "the offset +05:75 has more than 59 minutes"],
  ];
  for (const [at, problem] of impossible)
    it(`refuses oncall --at ${at}: ${problem}`, () =>
      refused(["oncall", "--at", at], `--at ${at}: ${problem}`));

  it("says it in --json too, as a usage error", async () => {
    const out = await cli("oncall", "--at", "2027-02-30T00:00:00Z", "--json");
    assert.equal(out.code, EXIT.usage);
    assert.deepEqual(JSON.parse(out.stderr), {
      error: {
        code: "USAGE",
        title: "Usage error",
        detail: "--at 2027-02-30T00:00:00Z: February 2027 has 28 days",
        hint: 'run "firebreak oncall --help" for usage',
      },
    });
  });

  it("takes the dates that exist: 29 February of leap years, the widest offsets, 23:59:59", async () => {
    const asked: Array<[string, string]> = [
      ["2028-02-29T09:00Z", "2028-02-29T09:00:00.000Z"],
      ["2000-02-29T09:00:00.250Z", "2000-02-29T09:00:00.250Z"],
      ["2027-03-01T09:00+14:00", "2027-02-28T19:00:00.000Z"],
      ["2027-03-01T09:00-12:00", "2027-03-01T21:00:00.000Z"],
      ["2027-12-31T23:59:59+0530", "2027-12-31T18:29:59.000Z"],
    ];
    for (const [at, instant] of asked) {
      const out = await cli("oncall", "--at", at, "--json");
      assert.equal(out.code, EXIT.ok, `${at}: ${out.stderr}`);
      assert.equal((JSON.parse(out.stdout) as { at: string }).at, instant, at);
    }
    // Without an offset an override is read on the schedule's clock (Berlin, +01:00 in February).
    const out = await override("2028-02-29T09:00", "2028-02-29T17:00:00Z");
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.deepEqual(api.requests.at(-1)?.body, {
      userId: "u1",
      start: "2028-02-29T08:00:00.000Z",
      end: "2028-02-29T17:00:00.000Z",
    });
  });
});
