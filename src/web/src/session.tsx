// Who is signed in. Loaded once from /api/v1/auth/session, replaced on sign-in, cleared on sign-out
// or when any request finds the session gone.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { alerting } from "./alerting-api";
import {
  api,
  ApiError,
  messageOf,
  roleAllows,
  setCsrfToken,
  setUnauthenticatedHandler,
  type Role,
  type SignedIn,
  type User,
} from "./api";

/** Why nobody is signed in: never was (this visit), the session ended on its own, or the user signed out. */
export type SignedOutReason = "none" | "expired" | "signed-out";

export type SessionState =
  | { status: "loading" }
  | { status: "signed-out"; reason: SignedOutReason }
  | {
      status: "signed-in";
      user: User;
      managedTeamIds: ReadonlySet<string>;
      /** False just after signing in, until GET /api/v1/me/teams answers. */
      teamsKnown: boolean;
    }
  | { status: "unavailable"; message: string };

interface SessionApi {
  state: SessionState;
  /** Adopts the answer of sign-in or claim-link. */
  adopt(signedIn: SignedIn): void;
  signOut(): Promise<void>;
  /** Reloads the session, e.g. after the signed-in user's own role changed. */
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

const NO_TEAMS: ReadonlySet<string> = new Set();

/**
 * The teams the signed-in person manages. Without them a manager only sees their team's records
 * read-only, and the server decides anyway, so a failed load shows no team's controls.
 */
async function loadManagedTeamIds(): Promise<ReadonlySet<string>> {
  try {
    const teams = await alerting.myTeams();
    return new Set(teams.filter((t) => t.role === "manager").map((t) => t.teamId));
  } catch {
    return NO_TEAMS;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const refresh = useCallback(async () => {
    try {
      const info = await api.session();
      setCsrfToken(info.csrfToken);
      // An API key is not a console session; the console needs a user.
      const user = info.user;
      setState(
        user
          ? { status: "signed-in", user, managedTeamIds: await loadManagedTeamIds(), teamsKnown: true }
          : { status: "signed-out", reason: "none" },
      );
    } catch (err) {
      setCsrfToken(undefined);
      if (err instanceof ApiError && err.status === 401) setState({ status: "signed-out", reason: "none" });
      else setState({ status: "unavailable", message: messageOf(err) });
    }
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthenticatedHandler(() => {
      setCsrfToken(undefined);
      setState({ status: "signed-out", reason: "expired" });
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [refresh]);

  const adopt = useCallback((signedIn: SignedIn) => {
    setCsrfToken(signedIn.csrfToken);
    const { user } = signedIn;
    setState({ status: "signed-in", user, managedTeamIds: NO_TEAMS, teamsKnown: false });
    // The sign-in answer has no teams: fill them in once known, unless someone else signed in meanwhile.
    void loadManagedTeamIds().then((managedTeamIds) =>
      setState((now) =>
        now.status === "signed-in" && now.user.id === user.id
          ? { ...now, managedTeamIds, teamsKnown: true }
          : now,
      ),
    );
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      setCsrfToken(undefined);
      setState({ status: "signed-out", reason: "signed-out" });
    }
  }, []);

  const value = useMemo(() => ({ state, adopt, signOut, refresh }), [state, adopt, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}

/** The signed-in user; only for components rendered inside the signed-in frame. */
export function useUser(): User {
  const { state } = useSession();
  if (state.status !== "signed-in") throw new Error("useUser needs a signed-in session");
  return state.user;
}

/**
 * Whether the signed-in user may change what a team owns: an admin anything, a responder what a team
 * they manage owns (the server's rule, src/core/auth/team-management.ts; it checks again).
 */
export function useMayManageTeam(): (teamId: string | null | undefined) => boolean {
  const { state } = useSession();
  if (state.status !== "signed-in") return () => false;
  const { user, managedTeamIds } = state;
  return (teamId) =>
    roleAllows(user.role, "admin") ||
    (roleAllows(user.role, "responder") && !!teamId && managedTeamIds.has(teamId));
}

/** The teams the signed-in user manages and so may act for; none for a viewer, who never writes. */
export function useManagedTeamIds(): ReadonlySet<string> {
  const { state } = useSession();
  return state.status === "signed-in" && roleAllows(state.user.role, "responder")
    ? state.managedTeamIds
    : NO_TEAMS;
}

/**
 * Whether the signed-in user may open a page that changes teams' records: an admin, or a responder
 * who manages a team. Undefined just after signing in, until their teams are known.
 */
export function useManagesSomeTeam(): boolean | undefined {
  const { state } = useSession();
  const managed = useManagedTeamIds();
  if (state.status !== "signed-in") return false;
  if (roleAllows(state.user.role, "admin")) return true;
  if (!state.teamsKnown) return undefined;
  return managed.size > 0;
}

export const ROLE_LABEL: Record<Role, string> = { viewer: "Viewer", responder: "Responder", admin: "Admin" };

export const ROLE_HELP: Record<Role, string> = {
  viewer: "can see what happens but not change it",
  responder: "can act on alerts and incidents, but not manage users or keys",
  admin: "can manage users, API keys and every setting",
};
