import { requireRole } from "../../core/auth/actor.js";
import { validationError } from "../../core/errors.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { Caller } from "../deps.js";
import { isHttpUrl } from "./manage-response-settings.js";
import { responseViewOf } from "./read-war-room.js";
import {
  loadWarRoom,
  personOf,
  requireOpen,
  saveResponse,
  timelineActorOf,
  writeTimeline,
} from "./war-room.js";

function checkVideoCallUrl(url: string | null): void {
  if (url !== null && !isHttpUrl(url))
    throw validationError([
      { path: "/url", message: "must be an http(s) URL of at most 2000 characters, or null" },
    ]);
}

/** The war room's video call: anyone on the response sets or clears the link. */
export async function setVideoCall(deps: AlertingDeps, caller: Caller, ref: string, url: string | null) {
  requireRole(caller.actor, "responder");
  checkVideoCallUrl(url);
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const room = await loadWarRoom(tx, ref, atMs);
    requireOpen(room);
    if (room.record.videoCallUrl === url) return responseViewOf(tx, room, atMs);
    const record = await saveResponse(tx, room, { ...room.record, videoCallUrl: url }, atMs);
    await writeTimeline(
      tx,
      room.incident,
      [
        {
          kind: "video-call.set",
          message: url === null ? `${person.name} removed the video call link` : `Video call: ${url}`,
          data: { url },
        },
      ],
      timelineActorOf(person),
      now,
    );
    return responseViewOf(tx, { ...room, record, exists: true }, atMs);
  });
}
