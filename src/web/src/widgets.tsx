// Small pieces the console's pages share: times, state badges, copyable blocks, outcome notices and
// tel: links.
import { useRef, useState, type ReactNode } from "react";
import { STATE_LABEL, type IncidentState, type TestOutcome } from "./alerting-api";
import { formatClock, formatDuration, formatRelative, formatTime, useNow } from "./data";
import { LIVE_DOWN_WARNING_MS, LIVE_LABEL, type LiveStatus } from "./live";

/** "5 minutes ago", with the exact time on hover and for assistive technology. */
export function When({ iso, now }: { iso: string; now: number }) {
  const exact = formatTime(iso);
  return (
    <time dateTime={iso} title={exact} aria-label={exact}>
      {formatRelative(iso, now)}
    </time>
  );
}

/** A phone number as a tel: link: only its digits and + survive, as dialers want them. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, "")}`;

const STATE_MARK: Record<IncidentState, string> = { triggered: "!", acknowledged: "◔", resolved: "✓" };

/** The state in words, with a mark and colour that only repeat what the words say. */
export function StateBadge({ state, large }: { state: IncidentState; large?: boolean }) {
  return (
    <span className={`state state-${state}${large ? " state-large" : ""}`}>
      <span className="state-mark" aria-hidden="true">
        {STATE_MARK[state]}
      </span>
      {STATE_LABEL[state]}
    </span>
  );
}

type CopyState = "idle" | "copied" | "failed";

/** Copies `text`; where the clipboard is not allowed (plain http), selects `select` for Ctrl+C instead. */
async function copyText(text: string, select: HTMLElement | null): Promise<CopyState> {
  try {
    await navigator.clipboard.writeText(text);
    return "copied";
  } catch {
    if (select) {
      const range = document.createRange();
      range.selectNodeContents(select);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
    }
    return "failed";
  }
}

interface CopyBlockProps {
  /** What the block is, as its heading and in the Copy button's accessible name. */
  title: string;
  /** What is copied. */
  text: string;
  /** What is shown, when it differs (a masked key). */
  shown?: string;
  /** Shown on one line, such as a URL. */
  inline?: boolean;
  children?: ReactNode;
}

export function CopyBlock({ title, text, shown, inline, children }: CopyBlockProps) {
  const pre = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<CopyState>("idle");
  const masked = shown !== undefined && shown !== text;
  const copy = async () => setState(await copyText(text, masked ? null : pre.current));

  return (
    <div className={inline ? "copy-block copy-inline" : "copy-block"}>
      <div className="copy-head">
        <span className="copy-title">{title}</span>
        {children}
        <button type="button" className="button button-small" onClick={() => void copy()}>
          {state === "copied" ? "Copied" : "Copy"}
          <span className="visually-hidden"> {title}</span>
        </button>
      </div>
      <pre ref={pre} tabIndex={0} aria-label={title}>
        <code>{shown ?? text}</code>
      </pre>
      <p role="status" className="copy-status">
        {state === "copied" && "Copied to the clipboard."}
        {state === "failed" &&
          (masked
            ? "Copying is not allowed here. Show the key, then select it and press Ctrl+C (⌘C on a Mac)."
            : "Copying is not allowed here. The text is selected: press Ctrl+C (⌘C on a Mac).")}
      </p>
    </div>
  );
}

/** The answer to "send a test message": delivered, or the reason it was not. */
export function TestResult({ outcome, what }: { outcome: TestOutcome | string | undefined; what: string }) {
  if (outcome === undefined) return null;
  if (typeof outcome === "string") {
    return (
      <div className="notice notice-error" role="alert">
        <p>{outcome}</p>
      </div>
    );
  }
  return outcome.delivered ? (
    <div className="notice notice-success" role="status">
      <p>Delivered: the test message went to {what}. Check that it arrived.</p>
    </div>
  ) : (
    <div className="notice notice-error" role="alert">
      <p>
        Not delivered: {(outcome.error ?? "no reason given").replace(/\.$/, "")}.
        {outcome.retryable ? " This may be temporary; try again in a minute." : " Check the settings."}
      </p>
    </div>
  );
}

/** What an action on the page came to, such as "Added …" or the reason it failed. */
export interface Outcome {
  kind: "success" | "warning" | "error";
  text: string;
}

/**
 * The outcome of the last action, or nothing. The live region stays in the page while it is empty,
 * so the next outcome is read out: politely, or at once when it is an error.
 */
export function OutcomeNotice({ outcome }: { outcome: Outcome | undefined }) {
  return (
    <div role={outcome?.kind === "error" ? "alert" : "status"}>
      {outcome && (
        <div className={`notice notice-${outcome.kind}`}>
          <p>{outcome.text}</p>
        </div>
      )}
    </div>
  );
}

/** A loading line, or the error that stopped it. */
export function LoadState({ what, loading, error }: { what: string; loading: boolean; error?: string }) {
  if (error) {
    return (
      <div className="notice notice-error" role="alert">
        <p>
          Could not load {what}: {error}
        </p>
      </div>
    );
  }
  return loading ? <p role="status">Loading {what}…</p> : null;
}

/**
 * Once the live connection has been down a while: the page still shows what it last knew, and a
 * quiet screen must not read as "all quiet". What is shown was current until the connection dropped,
 * or until the last load after that; `missed`: what does not arrive meanwhile.
 */
export function LiveDownWarning(props: {
  what: string;
  missed: string;
  downSince: number;
  loadedAt: number | undefined;
}) {
  const now = useNow(1000);
  if (now - props.downSince < LIVE_DOWN_WARNING_MS) return null;
  const updatedAt = Math.max(props.downSince, props.loadedAt ?? 0);
  const iso = new Date(updatedAt).toISOString();
  return (
    <div className="notice notice-warning" role="alert">
      <p>
        <strong>No live connection to Firebreak: {props.what} may be out of date.</strong> Last updated{" "}
        <time dateTime={iso}>{formatTime(iso)}</time> ({formatDuration(now - updatedAt)} ago). {props.missed}{" "}
        will not show until the connection is back; Firebreak keeps trying.
      </p>
    </div>
  );
}

/**
 * Whether the page is live: green only while the stream is open and the server answers; amber, with
 * since when updates are paused, while either is not so. A change of state is read out politely.
 */
export function LiveIndicator({ status, downSince }: { status: LiveStatus; downSince: number | null }) {
  const since = status === "reconnecting" && downSince !== null ? new Date(downSince).toISOString() : null;
  return (
    <p className={`live live-${status}`} role="status">
      <span className="live-dot" aria-hidden="true" />
      <span>
        {LIVE_LABEL[status]}
        {since && (
          <>
            {" "}
            Paused since <time dateTime={since}>{formatClock(since)}</time>.
          </>
        )}
      </span>
    </p>
  );
}
