import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import ICAL from "ical.js";
import { createLogger } from "../../src/server/logger.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, errorPaths, pathOf, PUBLIC_URL, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";
import {
  at,
  dailyRotation,
  finalRow,
  iso,
  person,
  type Person,
  type TimelineJson,
} from "./schedules-helpers.js";

/** The events of an iCalendar text, read by a strict parser: "summary start→end". */
function events(ics: string): string[] {
  const root = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  return root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return `${event.summary} ${event.startDate.toJSDate().toISOString()}→${event.endDate.toJSDate().toISOString()}`;
  });
}
const uids = (ics: string): string[] =>
  new ICAL.Component(ICAL.parse(ics) as unknown[])
    .getAllSubcomponents("vevent")
    .map((v) => String(v.getFirstPropertyValue("uid")));

describeEachDialect("schedules over HTTP: calendar feeds, CSV export, ICS import", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let ada: Person;
  let bob: Person;
  let scheduleId: string;

  const fetchFeed = (url: string) => fb.http.inject({ method: "GET", url: pathOf(url) });

  before(async () => {
    clock = new FakeClock(at(0));
    fb = await startTestFirebreak({ dialect, clock, env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL } });
    admin = client(fb, { key: await fb.apiKey("admin") });
    ada = await person(fb, "Ada", "responder");
    bob = await person(fb, "Bob", "responder");
    const res = await admin.post("/api/v1/schedules", {
      name: `Primary, "payroll"`,
      timeZone: "Europe/Berlin",
      layers: [{ name: "Daily", rotation: dailyRotation([ada.id, bob.id]) }],
    });
    assert.equal(res.statusCode, 201, res.body);
    scheduleId = res.json().id;
  });
  after(() => fb?.close());

  it("serves a schedule's feed behind a secret URL, stable across fetches; rotating retires the old URL", async () => {
    const { url } = (await admin.get(`/api/v1/schedules/${scheduleId}/calendar-feed`)).json() as {
      url: string;
    };
    assert.match(url, new RegExp(`^${PUBLIC_URL}/api/v1/calendars/fbc_[A-Za-z0-9_-]+\\.ics$`));
    assert.equal(
      (await ada.http.get(`/api/v1/schedules/${scheduleId}/calendar-feed`)).json().url,
      url,
      "the same URL again",
    );

    const first = await fetchFeed(url);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.headers["content-type"], "text/calendar; charset=utf-8");
    assert.ok(first.body.includes("\r\n"), "CRLF line endings");
    const listed = events(first.body);
    assert.ok(
      listed.includes(`On call: Primary, "payroll" — Ada ${iso(at(0))}→${iso(at(1))}`),
      listed.join("\n"),
    );
    assert.ok(listed.includes(`On call: Primary, "payroll" — Bob ${iso(at(1))}→${iso(at(2))}`));
    assert.deepEqual(uids((await fetchFeed(url)).body), uids(first.body), "UIDs are stable");

    const rotated = (await admin.post(`/api/v1/schedules/${scheduleId}/calendar-feed/rotate`)).json() as {
      url: string;
    };
    assert.notEqual(rotated.url, url);
    assertProblem(await fetchFeed(url), 404, "NOT_FOUND");
    assert.equal((await fetchFeed(rotated.url)).statusCode, 200);
    assertProblem(
      await fb.http.inject({
        method: "GET",
        url: "/api/v1/calendars/fbc_not-a-real-token-at-all-000000.ics",
      }),
      404,
      "NOT_FOUND",
    );
    assertProblem(
      await fb.http.inject({ method: "GET", url: "/api/v1/calendars/anything" }),
      404,
      "NOT_FOUND",
    );
  });

  it("serves a person's own feed of their shifts across schedules", async () => {
    const { url } = (await bob.http.get("/api/v1/me/calendar-feed")).json() as { url: string };
    const listed = events((await fetchFeed(url)).body);
    assert.ok(listed.length > 0);
    assert.ok(
      listed.every((e) => e.includes("— Bob ")),
      listed.join("\n"),
    );
    const rotated = (await bob.http.post("/api/v1/me/calendar-feed/rotate")).json() as { url: string };
    assertProblem(await fetchFeed(url), 404, "NOT_FOUND");
    assert.equal((await fetchFeed(rotated.url)).statusCode, 200);
    assertProblem(await admin.get("/api/v1/me/calendar-feed"), 403, "FORBIDDEN");
  });

  it("exports shifts as CSV for payroll", async () => {
    const res = await admin.get(
      `/api/v1/schedules/${scheduleId}/shifts.csv?start=${iso(at(0))}&end=${iso(at(2))}`,
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers["content-type"], "text/csv; charset=utf-8");
    assert.match(
      String(res.headers["content-disposition"]),
      /attachment; filename="Primary-payroll-shifts.csv"/,
    );
    const lines = res.body.trimEnd().split("\r\n");
    assert.equal(lines[0], "schedule,person,email,start_utc,end_utc,start_local,end_local,hours");
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, new RegExp(`^"Primary, ""payroll""",Ada,${ada.email},`));
    assert.match(lines[1]!, /,24\.00$/);
    const tooLong = await admin.get(
      `/api/v1/schedules/${scheduleId}/shifts.csv?start=${iso(at(0))}&end=${iso(at(400))}`,
    );
    assertProblem(tooLong, 400, "VALIDATION");
    assert.deepEqual(errorPaths(tooLong), ["/end"]);
  });

  it("imports an ICS calendar as a layer, matching people by attendee email or by name", async () => {
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Test//Import//EN",
      "BEGIN:VEVENT",
      "UID:by-email@test",
      "DTSTAMP:20261101T000000Z",
      "DTSTART:20261117T120000Z",
      "DTEND:20261117T150000Z",
      "SUMMARY:Pager",
      `ATTENDEE;CN=Ada:mailto:${ada.email}`,
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:by-name@test",
      "DTSTAMP:20261101T000000Z",
      "DTSTART:20261118T120000Z",
      "DTEND:20261118T150000Z",
      "SUMMARY:On call: Bob",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:nobody@test",
      "DTSTAMP:20261101T000000Z",
      "DTSTART:20261119T120000Z",
      "DTEND:20261119T150000Z",
      "SUMMARY:Team lunch",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const res = await admin.post(`/api/v1/schedules/${scheduleId}/layers/import`, { name: "Imported", ics });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json() as {
      layer: { source: string; rotation: unknown };
      imported: number;
      skipped: Array<{ uid: string }>;
    };
    assert.equal(body.layer.source, "fixed");
    assert.equal(body.layer.rotation, null);
    assert.equal(body.imported, 2);
    assert.deepEqual(
      body.skipped.map((s) => s.uid),
      ["nobody@test"],
    );
    const timeline = (
      await admin.get(`/api/v1/schedules/${scheduleId}/timeline?start=${iso(at(1))}&end=${iso(at(2))}`)
    ).json() as TimelineJson;
    assert.deepEqual(finalRow(timeline), [
      `Bob ${iso(at(1))}→2026-11-17T12:00:00.000Z`,
      `Ada 2026-11-17T12:00:00.000Z→2026-11-17T15:00:00.000Z`,
      `Bob 2026-11-17T15:00:00.000Z→${iso(at(2))}`,
    ]);
    const broken = await admin.post(`/api/v1/schedules/${scheduleId}/layers/import`, {
      name: "Broken",
      ics: "hello",
    });
    assertProblem(broken, 400, "VALIDATION");
    assert.deepEqual(errorPaths(broken), ["/ics"]);
  });
});

describe("calendar feed tokens stay out of the logs", () => {
  it("cuts the token from logged request URLs", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const logger = createLogger({ logLevel: "info" }, destination);
    logger.info(
      { req: { method: "GET", url: "/api/v1/calendars/fbc_SECRETTOKEN123456789012345.ics" } },
      "request",
    );
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]!.includes("SECRETTOKEN"), lines[0]);
    assert.match(lines[0]!, /\/api\/v1\/calendars\/<secret>/);
  });
});
