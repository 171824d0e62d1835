import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import type { Caller } from "../../app/deps.js";
import { listIncidents } from "../../app/incidents/read-incidents.js";
import type { Session } from "../../core/auth/records.js";
import { AppError } from "../../core/errors.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { Api } from "../api-instance.js";
import { callerOf, reauthenticate } from "../authenticate.js";
import { authErrors } from "../schemas.js";
import type { CredentialStreams, StreamCredential } from "../credential-streams.js";

export interface IncidentStreamOptions {
  /** How often the stream looks for changed incidents. */
  readonly pollMs?: number;
  /**
   * A comment line this often keeps proxies from closing an idle stream. Each beat first checks the
   * caller's session or API key again, and ends the stream once it is gone.
   */
  readonly heartbeatMs?: number;
  /** The stream ends after this long; EventSource reconnects, and so the caller is authenticated again. */
  readonly maxMs?: number;
}

const OPEN_STATES = ["triggered", "acknowledged"] as const;

/** What an `incident` event carries. */
const eventOf = (i: Incident) => ({
  id: i.id,
  number: i.number,
  state: i.state,
  title: i.title,
  serviceId: i.serviceId,
  updatedAt: i.updatedAt.toISOString(),
});
const versionOf = (i: Incident) => `${i.state}|${i.level}|${i.updatedAt.getTime()}|${i.title}`;

/**
 * The open incidents and the newest ones, by id. An incident that leaves both sets (resolved long
 * after it opened) is read once more by id so its resolution is still sent.
 */
async function snapshot(
  deps: AlertingDeps,
  caller: Caller,
  previous: ReadonlyMap<string, Incident>,
): Promise<Map<string, Incident>> {
  const open = await listIncidents(deps, caller, { states: OPEN_STATES, limit: 500 });
  const newest = await listIncidents(deps, caller, { limit: 50 });
  const current = new Map([...newest, ...open].map((i) => [i.id, i]));
  const gone = [...previous.keys()].filter(
    (id) => !current.has(id) && previous.get(id)?.state !== "resolved",
  );
  if (gone.length > 0) {
    const reread = await deps.uow.run(async (tx) => Promise.all(gone.map((id) => tx.incidents.findById(id))));
    for (const incident of reread) if (incident) current.set(incident.id, incident);
  }
  return current;
}

const responseVersions = (deps: AlertingDeps, incidents: ReadonlyMap<string, Incident>) =>
  deps.uow.run((tx) => tx.incidentResponses.listVersions([...incidents.keys()]));

/**
 * The session or API key the stream is opened under, and whose it is: signing it out, revoking it or
 * disabling its user ends the stream.
 */
async function streamCredentialOf(
  deps: AlertingDeps,
  session: Session | null,
  caller: Caller,
): Promise<StreamCredential | undefined> {
  if (session) return { kind: "session", id: session.id, userId: session.userId };
  if (caller.actor.kind !== "api_key") return undefined;
  const keyId = caller.actor.id;
  const key = await deps.uow.read((tx) => tx.apiKeys.findById(keyId));
  return { kind: "api_key", id: keyId, userId: key?.createdBy ?? null };
}

/**
 * Why a poll failed, in a few words for the person looking at a live view: an outage's own reason
 * (the store says "the database cannot be reached; try again"), nothing internal otherwise.
 */
const unavailableReason = (err: unknown): string =>
  err instanceof AppError && err.code === "UNAVAILABLE"
    ? err.message
    : "reading the incidents failed; trying again";

/** A check that finds the caller gone ends the stream; any other failure (a database outage) does not. */
const callerIsGone = (err: unknown) =>
  err instanceof AppError && (err.code === "UNAUTHENTICATED" || err.code === "FORBIDDEN");

/**
 * Live updates for the console: `GET /api/v1/incidents/stream` is a Server-Sent Events stream with an
 * `incident` event whenever an incident opens or changes. It polls the database (every instance sees
 * every change, whichever instance made it) and sends a comment heartbeat. A sign-out, a revoked API
 * key or a disabled user, announced by the store from any instance, has the streams opened under it
 * check their credentials at once; each heartbeat checks them too, in case an announcement was lost.
 */
export function registerIncidentStreamRoutes(
  app: Api,
  deps: AlertingDeps,
  credentialStreams: CredentialStreams,
  options: IncidentStreamOptions = {},
): void {
  const pollMs = options.pollMs ?? 2_000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxMs = options.maxMs ?? 15 * 60_000;
  const streams = new Set<() => void>();
  // An open stream would hold the server's close until the client leaves: end them all first.
  app.addHook("preClose", async () => {
    for (const end of [...streams]) end();
  });

  app.get(
    "/api/v1/incidents/stream",
    {
      exposeHeadRoute: false,
      schema: {
        tags: ["incidents"],
        summary:
          "Server-Sent Events: an `incident` event {id, number, state, title, serviceId, updatedAt} whenever an incident opens or changes, its war room (response, tasks, fixes, updates) included",
        description:
          "For live views (EventSource). Signing the session out, revoking the API key or disabling its " +
          "user ends the stream at once. A `: heartbeat` comment comes every 15 s; each first checks the " +
          "caller's session or API key again too. The stream ends after 15 minutes and EventSource reconnects. " +
          "While the server cannot read the incidents (the database is down or unreachable) the stream stays " +
          "open and says so once: an `unavailable` event {reason}, e.g. " +
          '`{"reason": "the database cannot be reached; try again"}`; no `incident` event comes meanwhile, ' +
          "so a live view should show itself paused. Once a read works again an `available` event {} comes, " +
          "then an `incident` event for each incident that opened or changed during the outage.",
        response: {
          200: {
            description: "text/event-stream",
            content: { "text/event-stream": { schema: Type.String() } },
          },
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      let caller = callerOf(request);
      const credential = await streamCredentialOf(deps, request.session, caller);
      let known = await snapshot(deps, caller, new Map());
      // The war room changes without the incident changing: its response version counts as a change too.
      let knownResponses = await responseVersions(deps, known);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        // The stream holds its connection to the end; none is left idle to hold up a server's close.
        connection: "close",
        "x-accel-buffering": "no",
        "x-content-type-options": "nosniff",
        "x-request-id": request.id,
      });
      raw.write(`retry: 5000\n: connected\n\n`);

      let ended = false;
      let polling = false;
      /** A poll failed and none has succeeded since: the stream said `unavailable`, and will say `available`. */
      let unavailable = false;
      const poll = async () => {
        if (polling || ended) return;
        polling = true;
        try {
          const current = await snapshot(deps, caller, known);
          const responses = await responseVersions(deps, current);
          const changed = [...current.values()].filter(
            (i) =>
              known.get(i.id) === undefined ||
              versionOf(known.get(i.id) as Incident) !== versionOf(i) ||
              knownResponses.get(i.id) !== responses.get(i.id),
          );
          known = current;
          knownResponses = responses;
          if (unavailable && !ended) raw.write(`event: available\ndata: {}\n\n`);
          unavailable = false;
          // What changed during the outage comes now, compared with the last look that worked.
          for (const incident of changed.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())) {
            if (!ended) raw.write(`event: incident\ndata: ${JSON.stringify(eventOf(incident))}\n\n`);
          }
        } catch (err) {
          request.log.warn({ err }, "incident stream: polling failed; trying again");
          // Said once per outage: the stream stays open, and its heartbeats alone would look live. A
          // caller who is gone is not an outage: the next check of the caller ends the stream.
          if (!unavailable && !ended && !callerIsGone(err)) {
            unavailable = true;
            raw.write(`event: unavailable\ndata: ${JSON.stringify({ reason: unavailableReason(err) })}\n\n`);
          }
        } finally {
          polling = false;
        }
      };
      let checking = false;
      let checkAgain = false;
      /** Checks the session or API key again, and ends the stream once it is gone. */
      const checkCaller = async (): Promise<void> => {
        if (ended) return;
        // A change heard during a check may have committed after that check read: look once more.
        if (checking) {
          checkAgain = true;
          return;
        }
        checking = true;
        try {
          do {
            checkAgain = false;
            try {
              caller = await reauthenticate(deps, request);
            } catch (err) {
              if (callerIsGone(err)) return end();
              request.log.warn({ err }, "incident stream: checking the caller failed; trying again");
            }
          } while (checkAgain && !ended);
        } finally {
          checking = false;
        }
      };
      const beat = async () => {
        if (checking || ended) return;
        await checkCaller();
        if (!ended) raw.write(": heartbeat\n\n");
      };
      const pollTimer = setInterval(() => void poll(), pollMs);
      const heartbeat = setInterval(() => void beat(), heartbeatMs);
      const deadline = setTimeout(() => end(), maxMs);
      const forgetCredential = credential
        ? credentialStreams.add(credential, () => void checkCaller())
        : () => undefined;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(pollTimer);
        clearInterval(heartbeat);
        clearTimeout(deadline);
        streams.delete(end);
        forgetCredential();
        raw.end();
      };
      streams.add(end);
      // The response closes when the client goes away (or when we end it).
      raw.on("close", end);
      // A sign-out or revocation announced while the stream was opening found nothing to end: look once now.
      if (credential) void checkCaller();
    },
  );
}
