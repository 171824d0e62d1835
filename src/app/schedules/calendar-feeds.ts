import { createHmac } from "node:crypto";
import { requireRole } from "../../core/auth/actor.js";
import { renderShiftCalendar, type CalendarShift } from "../../core/calendars/ical-feed.js";
import { AppError, notFound } from "../../core/errors.js";
import { finalShifts } from "../../core/schedules/final-schedule.js";
import type { CalendarFeed } from "../../core/schedules/records.js";
import type { TimeRange } from "../../core/schedules/schedule.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { recordChange } from "../audit/record-change.js";
import { hashToken, newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { findSchedule, loadSchedule } from "./load-schedule.js";
import { peopleBook } from "./schedule-views.js";

/**
 * Secret calendar URLs, one per schedule and one per person. The token is an HMAC of the feed's id
 * under the server's link secret: the URL can be shown again, while the database holds only the
 * token's hash (a copy of the database alone opens no feed). Rotating makes a new feed id.
 */

const DAY_MS = 24 * 60 * 60_000;
/** What a feed shows: two weeks back (recent history) and ninety days ahead. */
export const FEED_PAST_DAYS = 14;
export const FEED_FUTURE_DAYS = 90;

const feedToken = (linkSecret: string, feedId: string): string =>
  `fbc_${createHmac("sha256", linkSecret).update(`firebreak-calendar-feed:${feedId}`).digest("base64url")}`;

const feedUrl = (deps: AlertingDeps, feedId: string): string =>
  `${deps.publicUrl}/api/v1/calendars/${feedToken(deps.linkSecret, feedId)}.ics`;

type Owner = CalendarFeed["owner"];

async function ownerOf(tx: Tx, caller: Caller, target: { scheduleIdOrName: string } | "me"): Promise<Owner> {
  if (target === "me") {
    if (caller.actor.kind !== "user")
      throw new AppError("FORBIDDEN", "an API key has no calendar of its own");
    return { kind: "user", id: caller.actor.id };
  }
  return { kind: "schedule", id: (await findSchedule(tx, target.scheduleIdOrName)).id };
}

async function newFeed(
  deps: AlertingDeps,
  tx: Tx,
  caller: Caller,
  owner: Owner,
  action: string,
): Promise<CalendarFeed> {
  const now = deps.clock.now();
  const id = newId();
  const feed: CalendarFeed = {
    id,
    owner,
    tokenHash: hashToken(feedToken(deps.linkSecret, id)),
    createdAtMs: now.getTime(),
  };
  await tx.calendarFeeds.replace(feed);
  // The audit entry names the feed, never its token or hash.
  await recordChange(tx, caller, now, {
    action,
    entityType: owner.kind,
    entityId: owner.id,
    before: null,
    after: { feedId: id },
  });
  return feed;
}

/** The feed's URL; the first ask makes the feed. A schedule's: anyone who can read it; one's own: the person. */
export async function calendarFeedUrl(
  deps: AlertingDeps,
  caller: Caller,
  target: { scheduleIdOrName: string } | "me",
): Promise<{ url: string }> {
  requireRole(caller.actor, "viewer");
  return deps.uow.run(async (tx) => {
    const owner = await ownerOf(tx, caller, target);
    const feed =
      (await tx.calendarFeeds.findForOwner(owner)) ??
      (await newFeed(deps, tx, caller, owner, "calendar_feed.create"));
    return { url: feedUrl(deps, feed.id) };
  });
}

/** A new URL; the old one answers 404 from now on. A schedule's needs an admin; one's own, the person. */
export async function rotateCalendarFeed(
  deps: AlertingDeps,
  caller: Caller,
  target: { scheduleIdOrName: string } | "me",
): Promise<{ url: string }> {
  requireRole(caller.actor, target === "me" ? "viewer" : "admin");
  return deps.uow.run(async (tx) => {
    const owner = await ownerOf(tx, caller, target);
    return { url: feedUrl(deps, (await newFeed(deps, tx, caller, owner, "calendar_feed.rotate")).id) };
  });
}

async function ownerShifts(
  tx: Tx,
  owner: Owner,
  range: TimeRange,
): Promise<{ name: string; shifts: CalendarShift[] }> {
  const people = await peopleBook(tx);
  const schedules =
    owner.kind === "schedule"
      ? [await tx.schedules.findById(owner.id)].filter((s) => s !== undefined)
      : await tx.schedules.list();
  const shifts: CalendarShift[] = [];
  for (const record of schedules) {
    const loaded = await loadSchedule(tx, record, range);
    for (const shift of finalShifts(loaded.schedule, range)) {
      if (owner.kind === "user" && shift.userId !== owner.id) continue;
      shifts.push({ ...shift, userName: people.name(shift.userId), scheduleName: record.name });
    }
  }
  const name =
    owner.kind === "schedule"
      ? `On call: ${schedules[0]?.name ?? owner.id}`
      : `On call: ${people.name(owner.id)}`;
  return { name, shifts };
}

/** The public feed behind a token (no sign-in: the token is the secret). Unknown tokens are NOT_FOUND. */
export async function calendarForToken(deps: AlertingDeps, token: string): Promise<string> {
  const nowMs = deps.clock.now().getTime();
  const range = { startMs: nowMs - FEED_PAST_DAYS * DAY_MS, endMs: nowMs + FEED_FUTURE_DAYS * DAY_MS };
  const found = await deps.uow.run(async (tx) => {
    const feed = await tx.calendarFeeds.findByTokenHash(hashToken(token));
    if (!feed) return undefined;
    // A disabled person's feed goes dark with their account.
    if (feed.owner.kind === "user" && (await tx.users.findById(feed.owner.id))?.disabledAt) return undefined;
    return { feed, ...(await ownerShifts(tx, feed.owner, range)) };
  });
  if (!found) throw notFound("calendar", "for this URL");
  return renderShiftCalendar({
    calendarName: found.name,
    calendarId: `${found.feed.owner.kind}:${found.feed.owner.id}`,
    shifts: found.shifts,
    generatedAtMs: nowMs,
  });
}
