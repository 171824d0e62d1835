// What every panel of the war room needs: the response data, who I am and what I may do, names for
// ids, and one way to run a change that reloads the room when the server confirms it.
import { createContext, useCallback, useContext, useRef, useState } from "react";
import type { User } from "../api";
import { messageOf } from "../api";
import type { Directory, WarRoom } from "../response-api";

export interface Person {
  id: string;
  name: string;
}

export interface WarRoomValue {
  room: WarRoom;
  incidentId: string;
  me: User;
  /** Responders and admins act; viewers read. */
  canAct: boolean;
  isHandler: boolean;
  directory: Directory | undefined;
  /** Everyone who can be given a role or a task, by name. */
  people: readonly Person[];
  nameOf(userId: string | null | undefined): string;
  /** Loads the war room (and the incident's timeline) again. */
  refresh(): Promise<void>;
}

const WarRoomContext = createContext<WarRoomValue | null>(null);
export const WarRoomProvider = WarRoomContext.Provider;

export function useWarRoom(): WarRoomValue {
  const value = useContext(WarRoomContext);
  if (!value) throw new Error("useWarRoom outside the war room");
  return value;
}

export interface Action {
  busy: boolean;
  error: string | undefined;
  done: string | undefined;
  /** Runs `change`; on success shows `done` and reloads the room. Returns whether it worked. */
  run(change: () => Promise<unknown>, done?: string): Promise<boolean>;
  clear(): void;
}

/** One change at a time from a panel, with its outcome in words next to the control. */
export function useAction(): Action {
  const { refresh } = useWarRoom();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const running = useRef(false);
  const run = useCallback(
    async (change: () => Promise<unknown>, doneText?: string) => {
      if (running.current) return false;
      running.current = true;
      setBusy(true);
      setError(undefined);
      setDone(undefined);
      try {
        await change();
        setDone(doneText);
        void refresh();
        return true;
      } catch (err) {
        setError(messageOf(err));
        return false;
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [refresh],
  );
  const clear = useCallback(() => {
    setError(undefined);
    setDone(undefined);
  }, []);
  return { busy, error, done, run, clear };
}

/** The outcome of a panel's last change: an alert for a refusal, a status line for success. */
export function ActionOutcome({ action }: { action: Pick<Action, "error" | "done"> }) {
  return (
    <div role={action.error ? "alert" : "status"} className="outcome">
      {action.error && (
        <div className="notice notice-error">
          <p>{action.error}</p>
        </div>
      )}
      {!action.error && action.done && (
        <div className="notice notice-success">
          <p>{action.done}</p>
        </div>
      )}
    </div>
  );
}
