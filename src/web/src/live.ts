// Live incident updates: the server's Server-Sent Events stream, opened while a page needs it, and
// whether the server answers at all. The stream outlives a database outage (the server keeps it open
// and its heartbeats are comments EventSource never shows), so an open stream alone is not "live":
// the server says `unavailable` on it the moment its reads fail and `available` once they work again,
// and the console's own check of the server (a session read every 5 s) catches the rest.
import { useEffect, useRef, useState } from "react";
import type { IncidentEvent } from "./alerting-api";
import { api, ApiError } from "./api";

/** `reconnecting`: the stream dropped or the server stopped answering; catching up once back. */
export type LiveStatus = "connecting" | "live" | "reconnecting" | "offline";

const STREAM = "/api/v1/incidents/stream";
/** While live, ask the server this often whether it still answers (its database too). */
const CHECK_MS = 5_000;
/** A check that has no answer after this long counts as no answer: a hung server is down too. */
const CHECK_TIMEOUT_MS = 8_000;
/** Retries of a refused stream and checks while down: 1 s, 2 s, 4 s, 8 s, then every 10 s. */
const backoffMs = (attempt: number) => Math.min(10_000, 1_000 * 2 ** attempt);

// --- Whether the server answers, as every load and check has found it -------------------------

let troubleSince: number | null = null;
const healthListeners = new Set<() => void>();
const setTrouble = (since: number | null) => {
  if ((since === null) === (troubleSince === null)) return;
  troubleSince = since;
  for (const listener of [...healthListeners]) listener();
};

/** No answer, or a 502/503/504 (the database cannot be reached, a proxy found no server). */
export const isOutage = (err: unknown): boolean =>
  err instanceof ApiError && [0, 502, 503, 504].includes(err.status);

/** A request failed: an outage pauses live updates until the server answers again. */
export function noteServerFailure(err: unknown): void {
  if (isOutage(err)) setTrouble(Date.now());
}

/** The server answered: whatever paused live updates is over (streams reconnect and catch up). */
export function noteServerAnswered(): void {
  setTrouble(null);
}

let checking: Promise<void> | undefined;
/** One check at a time whoever asks: the session read goes through the database, as pages' loads do. */
function checkServer(): Promise<void> {
  checking ??= (async () => {
    let timer: number | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = window.setTimeout(() => reject(new ApiError(0, "TIMEOUT", "no answer")), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([api.session(), timeout]);
      noteServerAnswered();
    } catch (err) {
      // A 401 is an answer: the next load signs the person out.
      if (isOutage(err)) noteServerFailure(err);
      else noteServerAnswered();
    } finally {
      window.clearTimeout(timer);
      checking = undefined;
    }
  })();
  return checking;
}

// --- The stream ------------------------------------------------------------------------------

/**
 * Calls `onEvent` for every incident that opens or changes, and `onConnect` each time the stream
 * opens: the stream only reports changes after it opened, so pages reload their data then. After an
 * outage the stream is opened afresh, so pages catch up on whatever was committed meanwhile.
 */
export function useIncidentStream(
  onEvent: (event: IncidentEvent) => void,
  onConnect?: () => void,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const handlers = useRef({ onEvent, onConnect });
  useEffect(() => {
    handlers.current = { onEvent, onConnect };
  });

  useEffect(() => {
    if (typeof EventSource === "undefined") {
      setStatus("offline");
      return;
    }
    let source: EventSource | undefined;
    let streamOpen = false;
    let hadTrouble = false;
    let attempt = 0;
    let retry: number | undefined;
    let check: number | undefined;
    let checkRunning = false;
    let gone = false;

    const update = () => {
      if (troubleSince !== null) hadTrouble = true;
      setStatus(streamOpen && troubleSince === null ? "live" : hadTrouble ? "reconnecting" : "connecting");
    };

    const scheduleCheck = (ms: number) => {
      window.clearTimeout(check);
      check = window.setTimeout(() => void runCheck(), ms);
    };
    const runCheck = async () => {
      // While the stream is down, its own reconnecting finds out when the server is back.
      if (gone || !streamOpen) return;
      // A hidden tab checks again once shown; nobody sees its status meanwhile.
      if (document.visibilityState === "hidden" && troubleSince === null) return scheduleCheck(CHECK_MS);
      checkRunning = true;
      await checkServer();
      checkRunning = false;
      if (gone || !streamOpen) return;
      scheduleCheck(troubleSince === null ? CHECK_MS : backoffMs(attempt++));
    };

    const close = () => {
      streamOpen = false;
      source?.close();
      source = undefined;
      window.clearTimeout(retry);
      retry = undefined;
      window.clearTimeout(check);
    };

    const open = () => {
      close();
      const current = new EventSource(STREAM, { withCredentials: true });
      source = current;
      current.addEventListener("open", () => {
        if (source !== current) return;
        // The server read the database to open the stream: it answers. Noted before `streamOpen`,
        // so that this stream is not opened again as if it had outlived an outage.
        noteServerAnswered();
        streamOpen = true;
        attempt = 0;
        update();
        scheduleCheck(CHECK_MS);
        // Whatever changed between the page's own load (or the last connection) and now sent no event.
        handlers.current.onConnect?.();
      });
      current.addEventListener("incident", (message) => {
        try {
          handlers.current.onEvent(JSON.parse((message as MessageEvent<string>).data) as IncidentEvent);
        } catch {
          // A malformed event is dropped; the next reload corrects the page.
        }
      });
      // The server cannot read the incidents (its database is down): paused at once, not at the next
      // check; the checks then run with backoff and find the server back.
      current.addEventListener("unavailable", () => {
        if (source === current) setTrouble(Date.now());
      });
      // Its reads work again: every stream is opened afresh, and pages reload what changed meanwhile.
      current.addEventListener("available", () => {
        if (source === current) noteServerAnswered();
      });
      current.addEventListener("error", () => {
        if (source !== current) return;
        streamOpen = false;
        hadTrouble = true;
        window.clearTimeout(check);
        // The browser reconnects by itself (after the server's 5 s `retry`) unless the stream was
        // refused (a 503 while the database is down, a 401): then we retry, sooner than it would.
        if (current.readyState === EventSource.CLOSED) {
          current.close();
          retry = window.setTimeout(open, backoffMs(attempt++));
        }
        update();
      });
    };

    const onHealth = () => {
      if (troubleSince === null) {
        attempt = 0;
        // Back after an outage: a stream that stayed open may have missed changes (or be dead
        // without knowing it), and a refused one need not wait for its retry.
        if (streamOpen || retry !== undefined) open();
      } else if (streamOpen && !checkRunning) {
        scheduleCheck(backoffMs(attempt++));
      }
      update();
    };
    const onVisible = () => {
      if (document.visibilityState === "visible" && streamOpen && !checkRunning) scheduleCheck(0);
    };

    healthListeners.add(onHealth);
    document.addEventListener("visibilitychange", onVisible);
    open();
    return () => {
      gone = true;
      healthListeners.delete(onHealth);
      document.removeEventListener("visibilitychange", onVisible);
      close();
    };
  }, []);

  return status;
}

/**
 * Since when the stream has not been live: when it dropped, or when the page opened if it never
 * connected; null while it is live. What the page shows was current until about then.
 */
export function useLiveDownSince(status: LiveStatus): number | null {
  const [since, setSince] = useState<number | null>(() => (status === "live" ? null : Date.now()));
  useEffect(() => {
    setSince((current) => (status === "live" ? null : (current ?? troubleSince ?? Date.now())));
  }, [status]);
  return since;
}

/**
 * How long the stream may be down before a page warns that it may be out of date: longer than the
 * 5 s the server asks the browser to wait before reconnecting, so a restart does not flash a warning.
 */
export const LIVE_DOWN_WARNING_MS = 10_000;

export const LIVE_LABEL: Record<LiveStatus, string> = {
  connecting: "Connecting for live updates…",
  live: "Live: new incidents and changes appear here by themselves.",
  reconnecting: "Reconnecting for live updates…",
  offline: "This browser cannot receive live updates. Reload the page to see the latest.",
};
