// Loading data for a page, and showing times the way people read them.
import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "./api";

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): Promise<void>;
  /** Replaces the data in place after a change the server confirmed. */
  set(update: (data: T | undefined) => T | undefined): void;
}

/** Runs `load` on mount; answers that arrive after unmount are dropped. */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });
  const alive = useRef(true);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const value = await loader.current();
      if (!alive.current) return;
      setData(value);
      setError(undefined);
    } catch (err) {
      if (alive.current) setError(messageOf(err));
    } finally {
      if (alive.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    void reload();
    return () => {
      alive.current = false;
    };
  }, [reload]);

  return { data, error, loading, reload, set: setData };
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "12 Jun 2026, 14:03" in the reader's locale and time zone; the ISO instant is kept for <time>. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}
