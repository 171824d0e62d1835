import assert from "node:assert/strict";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { Role } from "../../src/core/auth/roles.js";
import type { TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";

/** People, instants and shapes the schedule HTTP tests share. */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Monday 2026-11-16 08:00 UTC = 09:00 in Berlin (CET, UTC+1): the first handoff of the tests' rotations. */
export const MONDAY_0900_BERLIN = Date.parse("2026-11-16T08:00:00.000Z");
export const iso = (ms: number) => new Date(ms).toISOString();
/** The instant `days` days and `hours` hours after Monday 09:00 Berlin. */
export const at = (days: number, hours = 0) => MONDAY_0900_BERLIN + days * DAY + hours * HOUR;

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** Signed in over HTTP (cookie + CSRF token). */
  readonly http: Client;
}

let counter = 0;

/** A user with a real name (names appear in shifts), signed in. */
export async function person(fb: TestFirebreak, name: string, role: Role): Promise<Person> {
  const email = `${name.toLowerCase()}-${++counter}@example.com`;
  const password = "correct horse battery staple";
  const user = await createUser(
    fb.running.deps,
    { actor: systemActor("test"), requestId: null },
    { email, name, role, password },
  );
  return { id: user.id, name, email, http: client(fb, await fb.signIn(email, password)) };
}

export interface ShiftJson {
  userId: string;
  userName: string;
  start: string;
  end: string;
  layerId: string | null;
  overrideId: string | null;
}

export interface TimelineJson {
  scheduleId: string | null;
  final: ShiftJson[];
  gaps: Array<{
    start: string;
    end: string;
    reason: "unscheduled" | "disabled";
    userId: string | null;
    userName: string | null;
  }>;
  layers: Array<{ id: string; shifts: ShiftJson[] }>;
  overrides: Array<{ id: string; userId: string }>;
  people: Array<{ id: string; name: string; timeZone: string | null; disabled: boolean }>;
}

/** "Name start→end" per final shift, for readable assertions. */
export const finalRow = (timeline: TimelineJson): string[] =>
  timeline.final.map((s) => `${s.userName} ${s.start}→${s.end}`);

/** A daily rotation with handoff at 09:00 Berlin, starting Monday 2026-11-16. */
export const dailyRotation = (memberIds: string[]) => ({
  memberIds,
  shiftLength: 1,
  shiftUnit: "days",
  startLocal: "2026-11-16T09:00",
  restrictions: [],
});

/** A schedule in Berlin with one daily rotation of `memberIds` (it takes effect at the clock's now). */
export async function berlinDailySchedule(
  admin: Client,
  name: string,
  memberIds: string[],
  extra: object = {},
) {
  const res = await admin.post("/api/v1/schedules", {
    name,
    timeZone: "Europe/Berlin",
    layers: [{ name: "Daily", rotation: dailyRotation(memberIds) }],
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; name: string; layers: Array<{ id: string }> };
}
