// "Firebreak is not answering": the console could not load the session (the server is down, or its
// database is). It tries again by itself, waiting longer each time, and says when it last tried;
// once the server answers, the page the person asked for appears.
import { useCallback, useEffect, useRef, useState } from "react";
import { formatClock, useNow } from "../data";
import { CardLayout, Page } from "../layout";

/** Waits before each automatic try: a restart is over in seconds, an outage may last a while. */
export const RETRY_STEPS_MS = [5_000, 10_000, 20_000, 30_000] as const;

export function NotAnsweringPage({ message, retry }: { message: string; retry: () => Promise<void> }) {
  const now = useNow(1_000);
  const [triedAt, setTriedAt] = useState(() => Date.now());
  const [failures, setFailures] = useState(0);
  const [trying, setTrying] = useState(false);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const wait = RETRY_STEPS_MS[Math.min(failures, RETRY_STEPS_MS.length - 1)] ?? 30_000;
  const nextAt = triedAt + wait;

  // A success replaces this page; a failure leaves it, and the next try waits longer.
  const tryAgain = useCallback(
    async (byHand: boolean) => {
      setTrying(true);
      await retry();
      if (!alive.current) return;
      setTrying(false);
      setTriedAt(Date.now());
      // Asked by hand: the next automatic try comes soon again.
      setFailures((n) => (byHand ? 0 : n + 1));
    },
    [retry],
  );

  useEffect(() => {
    if (trying) return;
    const timer = window.setTimeout(() => void tryAgain(false), Math.max(0, nextAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [nextAt, trying, tryAgain]);

  // The network came back (a laptop woke up, Wi-Fi rejoined): no need to wait for the timer.
  useEffect(() => {
    const online = () => {
      if (!trying) void tryAgain(true);
    };
    window.addEventListener("online", online);
    return () => window.removeEventListener("online", online);
  }, [trying, tryAgain]);

  const seconds = Math.max(1, Math.ceil((nextAt - now) / 1000));
  const tried = new Date(triedAt).toISOString();
  return (
    <CardLayout>
      <Page heading="Firebreak is not answering">
        <div className="notice notice-error" role="alert">
          <p>{message}</p>
        </div>
        <p>The server, or its database, is not answering. If you run Firebreak, check that both are up.</p>
        <p className="retry-line">
          {trying ? (
            "Trying again now…"
          ) : (
            <>
              Last tried <time dateTime={tried}>{formatClock(tried)}</time>; trying again in {seconds} s.
            </>
          )}
        </p>
        <button
          type="button"
          className="button button-primary"
          disabled={trying}
          onClick={() => void tryAgain(true)}
        >
          Try again
        </button>
      </Page>
    </CardLayout>
  );
}
