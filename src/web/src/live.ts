// Live incident updates: the server's Server-Sent Events stream, opened while a page needs it.
import { useEffect, useRef, useState } from "react";
import type { IncidentEvent } from "./alerting-api";

export type LiveStatus = "connecting" | "live" | "offline";

const STREAM = "/api/v1/incidents/stream";
/** After the browser gives up (a 401, the server down), try again this much later. */
const RETRY_MS = 15_000;

/**
 * Calls `onEvent` for every incident that opens or changes, and `onConnect` each time the stream
 * opens: the stream only reports changes after it opened, so pages reload their data then.
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
    let retry: number | undefined;

    const open = () => {
      setStatus("connecting");
      source = new EventSource(STREAM, { withCredentials: true });
      source.addEventListener("open", () => {
        setStatus("live");
        // Whatever changed between the page's own load (or the last connection) and now sent no event.
        handlers.current.onConnect?.();
      });
      source.addEventListener("incident", (message) => {
        try {
          handlers.current.onEvent(JSON.parse((message as MessageEvent<string>).data) as IncidentEvent);
        } catch {
          // A malformed event is dropped; the next reload corrects the page.
        }
      });
      source.addEventListener("error", () => {
        // The browser reconnects by itself unless the stream was refused; then we retry later.
        if (source?.readyState === EventSource.CLOSED) {
          setStatus("offline");
          source.close();
          retry = window.setTimeout(open, RETRY_MS);
        } else {
          setStatus("connecting");
        }
      });
    };
    open();
    return () => {
      source?.close();
      window.clearTimeout(retry);
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
    setSince((current) => (status === "live" ? null : (current ?? Date.now())));
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
  offline: "Live updates are paused; retrying. Reload the page to see the latest.",
};
