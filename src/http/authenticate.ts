import { timingSafeEqual } from "node:crypto";
import type {} from "@fastify/cookie";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { authenticateApiKey, authenticateSession } from "../app/auth/authenticate.js";
import type { AppDeps, Caller } from "../app/deps.js";
import { requireRole } from "../core/auth/actor.js";
import type { Session } from "../core/auth/records.js";
import type { Role } from "../core/auth/roles.js";
import { requireTeamManagerRole } from "../core/auth/team-management.js";
import { AppError } from "../core/errors.js";

export const SESSION_COOKIE = "firebreak_session";
export const CSRF_HEADER = "x-csrf-token";

/**
 * Who may call a route: anyone, an authenticated caller holding at least this role, or
 * "team-manager": a responder gets through, and the use case checks they manage the record's team
 * (admins always may).
 */
export type Access = "public" | Role | "team-manager";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    caller: Caller | null;
    session: Session | null;
  }
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Refuses a caller who can never call a route of this access, before its handler runs. */
function requireAccess(caller: Caller, access: Exclude<Access, "public">): void {
  if (access === "team-manager") requireTeamManagerRole(caller.actor);
  else requireRole(caller.actor, access);
}

/** The caller of a request that must be authenticated (the route's access guarantees it). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new AppError("UNAUTHENTICATED", "sign in or send an API key");
  return request.caller;
}

/** Who may call a route: its configured access, else viewers under /api/v1/ and anyone elsewhere. */
export const routeAccess = (configured: Access | undefined, routePath: string): Access =>
  configured ?? (routePath.startsWith("/api/v1/") ? "viewer" : "public");

/** Who may call the request's route; judged by the matched route, not the raw URL (`/%61pi/v1/...`). */
const accessOf = (request: FastifyRequest): Access =>
  routeAccess(request.routeOptions.config?.access, request.routeOptions.url ?? request.url);

/** The caller the request's API key or session cookie names, as the database has them now. */
async function callerOfCredentials(
  deps: AppDeps,
  request: FastifyRequest,
): Promise<{ caller: Caller; session: Session | null }> {
  const authorization = request.headers.authorization;
  const cookie = request.cookies[SESSION_COOKIE];
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new AppError("UNAUTHENTICATED", "Authorization header must be `Bearer <API key>`");
    const actor = await authenticateApiKey(deps, match[1] as string);
    return { caller: { actor, requestId: request.id }, session: null };
  }
  if (cookie) {
    const { actor, session } = await authenticateSession(deps, cookie);
    return { caller: { actor, requestId: request.id }, session };
  }
  throw new AppError("UNAUTHENTICATED", "sign in or send an API key as `Authorization: Bearer <key>`");
}

/**
 * Authenticates every request whose route is not public: `Authorization: Bearer <API key>`, or the
 * session cookie, which must bring the CSRF token on unsafe methods. Then checks the route's role.
 */
export function registerAuthentication(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest("caller", null);
  app.decorateRequest("session", null);

  app.addHook("onRequest", async (request) => {
    // An unknown route is answered 404 whoever asks; there is nothing there to protect.
    if (request.is404) return;
    const access = accessOf(request);
    // Public routes never look at credentials: a stale cookie or a leftover header cannot break them.
    if (access === "public") return;
    const { caller, session } = await callerOfCredentials(deps, request);
    if (session && UNSAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== "string" || !sameSecret(sent, session.csrfToken)) {
        throw new AppError(
          "FORBIDDEN",
          `the ${CSRF_HEADER} header is missing or does not match this session`,
        );
      }
    }
    request.caller = caller;
    request.session = session;
    requireAccess(caller, access);
  });
}

/**
 * Checks an authenticated request's credentials and role again, for a response that outlives its
 * request (the incident stream): UNAUTHENTICATED once its session is signed out or expired, its API
 * key revoked or its user disabled.
 */
export async function reauthenticate(deps: AppDeps, request: FastifyRequest): Promise<Caller> {
  const { caller } = await callerOfCredentials(deps, request);
  const access = accessOf(request);
  if (access !== "public") requireAccess(caller, access);
  return caller;
}
