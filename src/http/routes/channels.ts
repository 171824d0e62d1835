import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { createChannel, listChannels } from "../../app/channels/manage-channels.js";
import { sendChannelTest } from "../../app/notifications/send-test-message.js";
import type { NotificationSender } from "../../app/ports/notifications.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { authErrors, ChannelSchema, IdParams, ProblemSchema, TestOutcomeSchema } from "../schemas.js";

/** Shared channels (a team's Slack channel, a Teams chat): their settings go in, and never come out. */
export function registerChannelRoutes(app: Api, deps: AlertingDeps, sender: NotificationSender): void {
  const tags = ["channels"];
  app.get(
    "/api/v1/channels",
    {
      schema: {
        tags,
        summary: "List shared channels (their settings described, never shown)",
        response: { 200: Type.Array(ChannelSchema), ...authErrors },
      },
    },
    async (request) => withIsoDates(await listChannels(deps, callerOf(request))),
  );

  app.post(
    "/api/v1/channels",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create a shared channel (admin)",
        body: Type.Object(
          {
            // Name and kind are checked by the use case, not here: a schema error would hide the others.
            name: Type.String({ description: "1 to 200 characters, e.g. #storage" }),
            kind: Type.String({ description: "webhook, slack, email, teams, discord or ntfy" }),
            config: Type.Record(Type.String(), Type.Unknown(), {
              description: "The kind's settings, e.g. {url} for a webhook; errors name /config/<field>",
            }),
          },
          { additionalProperties: false },
        ),
        response: { 201: ChannelSchema, ...authErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withIsoDates(await createChannel(deps, callerOf(request), request.body))),
  );

  app.post(
    "/api/v1/channels/:id/test",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary:
          "Send a test message to the channel now (admin); a failure is reported in the answer, not as an error",
        params: IdParams,
        response: { 200: TestOutcomeSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => sendChannelTest(deps, sender, callerOf(request), request.params.id),
  );
}
