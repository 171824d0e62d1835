import type {} from "@fastify/cookie";
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import type { LoginAttempts } from "../../app/auth/login-attempts.js";
import { signIn } from "../../app/auth/sign-in.js";
import { signOut } from "../../app/auth/sign-out.js";
import type { StartedSession } from "../../app/auth/start-session.js";
import type { AppDeps } from "../../app/deps.js";
import { checkSignInLink } from "../../app/setup/check-sign-in-link.js";
import { claimSignInLink } from "../../app/setup/claim-sign-in-link.js";
import { firstAdminSetupPending } from "../../app/setup/ensure-first-admin.js";
import { actingPerson } from "../../app/auth/acting-person.js";
import { changeOwnPassword } from "../../app/users/change-own-password.js";
import { toPublicUser } from "../../core/auth/records.js";
import type { Api } from "../api-instance.js";
import { callerOf, SESSION_COOKIE } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { authErrors, describedAs, problemResponse, ProblemSchema, UserSchema } from "../schemas.js";

export interface AuthRouteDeps {
  readonly app: AppDeps;
  readonly loginAttempts: LoginAttempts;
  readonly secureCookies: boolean;
}

const SessionResponse = Type.Object({
  user: UserSchema,
  csrfToken: Type.String({ description: "Send as the x-csrf-token header on POST, PUT, PATCH and DELETE" }),
});

const LinkToken = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "The token after #token= in the link",
});

const LinkUnusable = problemResponse(
  'The link cannot be used. The detail says why: "a sign-in link was already used for this account" ' +
    "(this link or another one a start printed: using one voids the account's others), " +
    '"this sign-in link has expired", or, for a token no link has (never issued, or expired and purged), ' +
    '"this sign-in link has expired or was already used"',
);

/** The sign-in throttle (core/auth/login-throttle.ts, app/auth/login-attempts.ts), as people read it. */
const SIGN_IN_THROTTLE =
  "After 10 failed sign-ins within 15 minutes for one client address and email, further attempts get " +
  "429 with Retry-After until 15 minutes after the first of them. The count is per Firebreak instance (each " +
  "instance counts its own, in memory): behind a load balancer, N instances allow up to N × 10, and a " +
  "restart forgets the count.";

const SignInThrottled = problemResponse(
  "Too many failed sign-ins for this client address and email on this Firebreak instance (each " +
    "instance counts its own); Retry-After says when to try again",
);

const LinkCheckResponse = Type.Object({
  email: Type.Union([Type.String(), Type.Null()], {
    description: "The account's email, or null while the first admin has not chosen one",
  }),
  name: Type.Union([Type.String(), Type.Null()], {
    description: "The account's name, or null while the first admin has not chosen one",
  }),
  expiresAt: describedAs(Type.String({ format: "date-time" }), "The link cannot be claimed from then on"),
});

export function registerAuthRoutes(app: Api, deps: AuthRouteDeps): void {
  const tags = ["auth"];
  const setSessionCookie = (reply: FastifyReply, started: StartedSession) =>
    reply.setCookie(SESSION_COOKIE, started.token, {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: deps.secureCookies,
      expires: started.session.expiresAt,
    });

  app.post(
    "/api/v1/auth/sign-in",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Sign in with email and password; sets the session cookie",
        description: SIGN_IN_THROTTLE,
        body: Type.Object(
          { email: Type.String({ maxLength: 320 }), password: Type.String({ maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: {
          200: SessionResponse,
          400: ProblemSchema,
          401: ProblemSchema,
          429: SignInThrottled,
        },
      },
    },
    async (request, reply) => {
      const result = await signIn(deps.app, deps.loginAttempts, {
        ...request.body,
        clientAddress: request.ip,
      });
      setSessionCookie(reply, result);
      return withIsoDates({ user: result.user, csrfToken: result.session.csrfToken });
    },
  );

  app.post(
    "/api/v1/auth/claim-link",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Redeem the first-admin sign-in link: set email, name and password, and sign in",
        body: Type.Object(
          {
            token: LinkToken,
            email: Type.String({ maxLength: 320 }),
            name: Type.String({ maxLength: 200 }),
            password: Type.String({ maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SessionResponse, 400: ProblemSchema, 401: LinkUnusable, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const result = await claimSignInLink(deps.app, { ...request.body, requestId: request.id });
      setSessionCookie(reply, result);
      return withIsoDates({ user: result.user, csrfToken: result.session.csrfToken });
    },
  );

  // A POST, so the token (a secret) stays out of the URL and the request log, like the claim's.
  app.post(
    "/api/v1/auth/check-link",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Check a sign-in link without using it: whether it can still be claimed, and for whom",
        body: Type.Object({ token: LinkToken }, { additionalProperties: false }),
        response: { 200: LinkCheckResponse, 400: ProblemSchema, 401: LinkUnusable },
      },
    },
    async (request) => withIsoDates(await checkSignInLink(deps.app, request.body.token)),
  );

  // Once an admin has claimed the first start's link, setup stays done: no read needed after that.
  let setupDone = false;
  app.get(
    "/api/v1/auth/setup",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Whether the first admin has still to finish setup with the link the server printed",
        description:
          "For the sign-in page of a fresh install, which says where the setup link is. Never the link itself.",
        response: {
          200: Type.Object({
            setupPending: Type.Boolean({
              description:
                "True until the first admin sets a password: each start prints a one-time setup link to the server's terminal",
            }),
          }),
        },
      },
    },
    async () => {
      setupDone ||= await deps.app.uow.read(async (tx) => !firstAdminSetupPending(await tx.users.list()));
      return { setupPending: !setupDone };
    },
  );

  app.get(
    "/api/v1/auth/session",
    {
      schema: {
        tags,
        summary: "Who am I: the signed-in user and the CSRF token, or the API key's identity",
        response: {
          200: Type.Object({
            actor: Type.Object({
              kind: Type.String(),
              id: Type.String(),
              role: Type.String(),
              label: Type.String(),
            }),
            user: Type.Optional(UserSchema),
            actsFor: Type.Optional(
              Type.Union(
                [Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() }), Type.Null()],
                {
                  description:
                    "For an API key: the person it acts for (triage, tasks and fixes are theirs), or null when it acts for no person",
                },
              ),
            ),
            csrfToken: Type.Optional(Type.String()),
          }),
          ...authErrors,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      if (!request.session) {
        const person = await deps.app.uow.read((tx) => actingPerson(tx, caller.actor));
        return {
          actor: caller.actor,
          actsFor: person ? { id: person.id, name: person.name, email: person.email } : null,
        };
      }
      const user = await deps.app.uow.run((tx) => tx.users.findById(caller.actor.id));
      return withIsoDates({
        actor: caller.actor,
        ...(user && { user: toPublicUser(user) }),
        csrfToken: request.session.csrfToken,
      });
    },
  );

  app.post(
    "/api/v1/auth/sign-out",
    { schema: { tags, summary: "End this session", response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      // Its incident streams end with it, on every instance (see CredentialStreams).
      if (request.session) await signOut(deps.app, request.session.id);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/me/password",
    {
      schema: {
        tags,
        summary: "Change my password",
        body: Type.Object(
          {
            currentPassword: Type.String({ maxLength: 1024 }),
            newPassword: Type.String({ maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...authErrors },
      },
    },
    async (request, reply) => {
      await changeOwnPassword(deps.app, callerOf(request), {
        ...request.body,
        currentSessionId: request.session?.id,
      });
      return reply.code(204).send(null);
    },
  );
}
