import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstHandoffDate } from "./schedule-time";

describe("a new rotation's first handoff date", () => {
  // Instants in UTC; the date is read on the schedule's wall clock.
  const cases: ReadonlyArray<{ what: string; now: string; zone: string; time: string; date: string }> = [
    {
      what: "before today's handoff: yesterday",
      now: "2026-12-04T23:10:00Z",
      zone: "Europe/Berlin",
      time: "09:00",
      date: "2026-12-04",
    },
    {
      what: "at today's handoff: today",
      now: "2026-12-05T08:00:00Z",
      zone: "Europe/Berlin",
      time: "09:00",
      date: "2026-12-05",
    },
    {
      what: "after today's handoff: today",
      now: "2026-12-05T15:00:00Z",
      zone: "Europe/Berlin",
      time: "09:00",
      date: "2026-12-05",
    },
    {
      what: "midnight handoff is never ahead",
      now: "2026-12-05T00:30:00Z",
      zone: "Asia/Tokyo",
      time: "00:00",
      date: "2026-12-05",
    },
    {
      what: "the zone's date, not UTC's",
      now: "2026-12-05T02:00:00Z",
      zone: "America/Los_Angeles",
      time: "09:00",
      date: "2026-12-04",
    },
    // 2026-03-29: Berlin skips 02:00–03:00; a 02:30 handoff lands just after the change.
    {
      what: "spring-forward day, skipped handoff time, before it",
      now: "2026-03-29T00:30:00Z",
      zone: "Europe/Berlin",
      time: "02:30",
      date: "2026-03-28",
    },
    {
      what: "spring-forward day, skipped handoff time, after it",
      now: "2026-03-29T01:30:00Z",
      zone: "Europe/Berlin",
      time: "02:30",
      date: "2026-03-29",
    },
    // 2026-10-25: Berlin repeats 02:00–03:00; the first 02:30 counts.
    {
      what: "fall-back day, between the two 02:30s",
      now: "2026-10-25T01:15:00Z",
      zone: "Europe/Berlin",
      time: "02:30",
      date: "2026-10-25",
    },
  ];
  for (const c of cases)
    it(c.what, () => assert.equal(firstHandoffDate(Date.parse(c.now), c.zone, c.time), c.date));
});
