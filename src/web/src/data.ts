// Loading data for a page, and showing times the way people read them.
import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "./api";
import { noteServerAnswered, noteServerFailure } from "./live";

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  /** When the last load succeeded (ms since the epoch). */
  loadedAt: number | undefined;
  reload(): Promise<void>;
  /** Replaces the data in place after a change the server confirmed. */
  set(update: (data: T | undefined) => T | undefined): void;
}

/**
 * Runs `load` on mount; answers that arrive after unmount are dropped, and so are the answers to a
 * load that a later `reload` superseded.
 */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loadedAt, setLoadedAt] = useState<number>();
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });
  const alive = useRef(true);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    // Only the newest request may answer: after a quick change of filter, the earlier request's
    // answer can arrive last, and it would show the list of a filter no longer chosen.
    const request = ++latest.current;
    const current = () => alive.current && request === latest.current;
    setLoading(true);
    try {
      const value = await loader.current();
      // Every load tells the live indicator whether the server answers, even one no longer wanted.
      noteServerAnswered();
      if (!current()) return;
      setData(value);
      setError(undefined);
      setLoadedAt(Date.now());
    } catch (err) {
      noteServerFailure(err);
      if (current()) setError(messageOf(err));
    } finally {
      if (current()) setLoading(false);
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    void reload();
    return () => {
      alive.current = false;
    };
  }, [reload]);

  return { data, error, loading, loadedAt, reload, set: setData };
}

// The zone is named: a time read out on a call or pasted into a chat must not be taken for another zone's.
const dateTime = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
});

/** "12 Jun 2026, 14:03 CEST" in the reader's locale and time zone; the ISO instant is kept for <time>. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** The current time, ticking every `everyMs`, for relative times and durations that stay true. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "3 minutes ago", "yesterday": how long ago `iso` was, seen from `now`. */
export function formatRelative(iso: string, now: number): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86_400), "day");
}

/** "2 h 5 min", "45 min", "under a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return "under a minute";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days && `${days} d`, hours && `${hours} h`, mins && `${mins} min`].filter(Boolean);
  return parts.slice(0, 2).join(" ");
}

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** "14:03:27": for timelines, where the day is usually the same and the zone is named once above. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : clock.format(date);
}

const dayMonth = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/** "7 Dec": the day alone, for a list of clock times that crosses midnight. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dayMonth.format(date);
}

/** The reader's calendar day of an instant, to compare two instants by day. */
export function localDay(iso: string | number): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}
