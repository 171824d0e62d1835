import { requireRole } from "../../core/auth/actor.js";
import { validationError } from "../../core/errors.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { Caller } from "../deps.js";
import { responseSettingsOf } from "./manage-response-settings.js";
import {
  emailChannelFor,
  NO_STAKEHOLDER_MAIL,
  planChannelNotice,
  planEmailNotice,
} from "./response-notices.js";
import {
  loadWarRoom,
  personOf,
  requireOpen,
  saveResponse,
  timelineActorOf,
  writeTimeline,
} from "./war-room.js";

export const MAX_INTERNAL_UPDATE_LENGTH = 5000;

/**
 * An internal update: to the incident's channel (as a key event), by email to the service's
 * stakeholders (through an email channel's SMTP settings, else the server's own mail), and a "back off"
 * notice to the shared channels of the services that depend on this one.
 */
export async function postInternalUpdate(deps: AlertingDeps, caller: Caller, ref: string, message: string) {
  requireRole(caller.actor, "responder");
  const text = typeof message === "string" ? message.trim() : "";
  if (text.length === 0 || message.length > MAX_INTERNAL_UPDATE_LENGTH)
    throw validationError([
      { path: "/message", message: `must be 1 to ${MAX_INTERNAL_UPDATE_LENGTH} characters` },
    ]);
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const room = await loadWarRoom(tx, ref, atMs);
    requireOpen(room);
    const { incident, service } = room;
    const settings = await responseSettingsOf(tx, service.id);
    await saveResponse(tx, room, room.record, atMs);
    const base = `internal-update:${incident.id}:${atMs}`;
    const details = [
      { label: "Service", value: service.name },
      { label: "Severity", value: room.record.triage?.severity ?? "not triaged" },
      {
        label: "Incident Handler",
        value: room.record.handlerId ? room.nameOf(room.record.handlerId) : "not named yet",
      },
      { label: "Update", value: text },
    ];
    const emailChannel =
      settings.stakeholderEmails.length > 0 ? await emailChannelFor(tx, service, deps.notifiers) : undefined;
    if (emailChannel)
      await planEmailNotice(
        tx,
        incident,
        emailChannel,
        settings.stakeholderEmails,
        { title: `INC-${incident.number} update: ${incident.title}`, details },
        base,
        now,
      );
    const backOff: string[] = [];
    for (const dependentId of settings.dependentServiceIds) {
      const dependent = await tx.services.findById(dependentId);
      // A dependent deleted after the settings were saved stays listed there; it has nobody left to warn.
      if (!dependent?.channelId || dependent.archivedAt) continue;
      backOff.push(dependent.name);
      await planChannelNotice(
        tx,
        incident,
        dependent.channelId,
        {
          title: `INC-${incident.number} on ${service.name}: please back off`,
          details: [
            {
              label: "What to do",
              value: `${service.name} is under incident: hold deploys, retries and load against it until it is resolved`,
            },
            ...details,
          ],
        },
        base,
        now,
      );
    }
    const emailed = emailChannel ? [...settings.stakeholderEmails] : [];
    const notEmailed =
      settings.stakeholderEmails.length > 0 && !emailChannel ? `: ${NO_STAKEHOLDER_MAIL}` : "";
    await writeTimeline(
      tx,
      incident,
      [
        {
          kind: "internal-update.posted",
          message: `${person.name}: ${text}`,
          data: { emailed: emailed.length, backOff },
        },
      ],
      timelineActorOf(person),
      now,
    );
    if (notEmailed)
      await tx.timeline.append({
        incidentId: incident.id,
        at: now,
        kind: "internal-update.not-emailed",
        actor: null,
        message: `The stakeholders of ${service.name} were not emailed${notEmailed}`,
        data: {},
      });
    return { postedAt: now, message: text, emailed, backOff };
  });
}
