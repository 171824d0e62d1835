import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  addContactMethod,
  listContactMethods,
  myUserId,
  removeContactMethod,
  setNotificationRules,
  testContactMethod,
} from "../../app/contact/manage-contact-methods.js";
import type { Caller } from "../../app/deps.js";
import { serverSendsEmail } from "../../app/notifications/notifier-settings.js";
import type { NotificationSender } from "../../app/ports/notifications.js";
import { notFound } from "../../core/errors.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  authErrors,
  ContactMethodSchema,
  NotificationRuleSchema,
  ProblemSchema,
  TestOutcomeSchema,
} from "../schemas.js";

const MethodBody = Type.Object(
  {
    // Kind and label are checked by the use case, not here: a schema error would hide the others.
    kind: Type.String({ description: "webhook, slack, email, teams, discord or ntfy" }),
    label: Type.String({
      description:
        '1 to 200 characters, e.g. "Work phone"; for Slack buttons, name your Slack member ID here ("Slack U024BE7LH")',
    }),
    config: Type.Record(Type.String(), Type.Unknown(), {
      description: "The kind's settings; errors name /config/<field>",
    }),
  },
  { additionalProperties: false },
);
const RulesBody = Type.Object(
  {
    rules: Type.Array(
      Type.Object(
        {
          contactMethodId: Type.String({ maxLength: 100 }),
          delayMinutes: Type.Integer({ description: "Minutes after the page, 0 to 1440" }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100, description: "e.g. push now, SMS after 5 minutes" },
    ),
  },
  { additionalProperties: false },
);

/**
 * Contact methods and notification rules: each person's own under /api/v1/me, anyone's for admins
 * under /api/v1/users/:userId. The use cases check self-or-admin; the settings are never returned.
 */
export function registerContactMethodRoutes(app: Api, deps: AlertingDeps, sender: NotificationSender): void {
  // Forms for contact methods and channels ask first, so nobody fills in an address the server
  // would refuse; a yes or no only: the SMTP URL holds a password.
  app.get(
    "/api/v1/notification-settings",
    {
      schema: {
        tags: ["me"],
        summary: "What this server's notifications need from a contact method or channel",
        response: {
          200: Type.Object({
            serverEmail: Type.Boolean({
              description:
                "Whether email needs only an address: FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM are set. Otherwise an email config must name its own smtpUrl and from",
            }),
          }),
          ...authErrors,
        },
      },
    },
    async () => ({ serverEmail: serverSendsEmail(deps.notifiers) }),
  );

  const scopes = [
    {
      prefix: "/api/v1/me",
      tags: ["me"],
      whose: "my",
      params: undefined,
      // The signed-in person, or the person an API key acts for (as /api/v1/me/tasks reads it).
      userOf: (_request: FastifyRequest, caller: Caller) => myUserId(deps, caller),
    },
    {
      prefix: "/api/v1/users/:userId",
      tags: ["users"],
      whose: "a user's (admin, or the user)",
      params: Type.Object({ userId: Type.String({ minLength: 1, maxLength: 100 }) }),
      // As sent: every use case answers 404 "user … not found" for an id that names nobody.
      userOf: (request: FastifyRequest, _caller: Caller) =>
        Promise.resolve((request.params as { userId: string }).userId),
    },
  ];

  for (const { prefix, tags, whose, params, userOf } of scopes) {
    const MethodParams = Type.Object({
      ...(params?.properties ?? {}),
      id: Type.String({ minLength: 1, maxLength: 100 }),
    });
    /** The method, when it belongs to the user the path names (a 404 otherwise, whoever asks). */
    const ownedMethod = async (request: FastifyRequest, caller: Caller) => {
      const { methods } = await listContactMethods(deps, caller, await userOf(request, caller));
      const id = (request.params as { id: string }).id;
      const method = methods.find((m) => m.id === id);
      if (!method) throw notFound("contact method", id);
      return method;
    };

    app.get(
      `${prefix}/contact-methods`,
      {
        schema: {
          tags,
          summary: `List ${whose} contact methods`,
          ...(params && { params }),
          response: { 200: Type.Array(ContactMethodSchema), 404: ProblemSchema, ...authErrors },
        },
      },
      async (request) => {
        const caller = callerOf(request);
        return withIsoDates((await listContactMethods(deps, caller, await userOf(request, caller))).methods);
      },
    );

    app.post(
      `${prefix}/contact-methods`,
      {
        schema: {
          tags,
          summary: `Add one of ${whose} contact methods`,
          ...(params && { params }),
          body: MethodBody,
          response: { 201: ContactMethodSchema, 404: ProblemSchema, ...authErrors },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const added = await addContactMethod(deps, caller, {
          ...request.body,
          userId: await userOf(request, caller),
        });
        return reply.code(201).send(withIsoDates(added));
      },
    );

    app.delete(
      `${prefix}/contact-methods/:id`,
      {
        schema: {
          tags,
          summary: `Remove one of ${whose} contact methods, and its rules`,
          params: MethodParams,
          response: { 204: Type.Null(), 404: ProblemSchema, ...authErrors },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        await removeContactMethod(deps, caller, (await ownedMethod(request, caller)).id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      `${prefix}/contact-methods/:id/test`,
      {
        schema: {
          tags,
          summary: `Send a test notification by one of ${whose} contact methods; a failure is reported in the answer`,
          params: MethodParams,
          response: { 200: TestOutcomeSchema, 404: ProblemSchema, ...authErrors },
        },
      },
      async (request) => {
        const caller = callerOf(request);
        return testContactMethod(deps, sender, caller, (await ownedMethod(request, caller)).id);
      },
    );

    app.get(
      `${prefix}/notification-rules`,
      {
        schema: {
          tags,
          summary: `List ${whose} notification rules`,
          ...(params && { params }),
          response: { 200: Type.Array(NotificationRuleSchema), 404: ProblemSchema, ...authErrors },
        },
      },
      async (request) => {
        const caller = callerOf(request);
        return (await listContactMethods(deps, caller, await userOf(request, caller))).rules;
      },
    );

    app.put(
      `${prefix}/notification-rules`,
      {
        schema: {
          tags,
          summary: `Replace ${whose} notification rules`,
          ...(params && { params }),
          body: RulesBody,
          response: { 200: Type.Array(NotificationRuleSchema), 404: ProblemSchema, ...authErrors },
        },
      },
      async (request) => {
        const caller = callerOf(request);
        return setNotificationRules(deps, caller, await userOf(request, caller), request.body.rules);
      },
    );
  }
}
