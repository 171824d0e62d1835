import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  createChannel,
  deleteChannel,
  listChannels,
  updateChannel,
} from "../../app/channels/manage-channels.js";
import { sendChannelTest } from "../../app/notifications/send-test-message.js";
import type { NotificationSender } from "../../app/ports/notifications.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { DeletedResponse } from "../deleted-response.js";
import { withIsoDates } from "../json-dates.js";
import {
  authErrors,
  ChannelSchema,
  describedAs,
  IdParams,
  problemResponse,
  ProblemSchema,
  TestOutcomeSchema,
} from "../schemas.js";

// Name and kind are checked by the use case, not here: a schema error would hide the others.
const ChannelName = Type.String({ description: "1 to 200 characters, e.g. #storage" });
const ChannelKind = Type.String({ description: "webhook, slack, email, teams, discord or ntfy" });
const ChannelConfig = Type.Record(Type.String(), Type.Unknown(), {
  description: "The kind's settings, e.g. {url} for a webhook; errors name /config/<field>",
});
const ChannelNotFound = problemResponse("No channel has this id");
const NameTaken = problemResponse(
  "Another channel has this name, ignoring case; the detail names it and `errors` points at /name",
);

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
        description:
          "Its name must differ from every other channel's, ignoring case and outer spaces: a clash is a 409 " +
          "naming the channel that has it.",
        body: Type.Object(
          { name: ChannelName, kind: ChannelKind, config: ChannelConfig },
          { additionalProperties: false },
        ),
        response: {
          201: ChannelSchema,
          ...authErrors,
          400: problemResponse("A field is not valid; `errors` names each"),
          409: NameTaken,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withIsoDates(await createChannel(deps, callerOf(request), request.body))),
  );

  app.patch(
    "/api/v1/channels/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Rename a shared channel or replace its settings (admin)",
        description:
          "Changes the fields given and keeps the others. The settings are never returned, so `config` " +
          "replaces them whole and is checked as at create; a new `kind` needs its `config` too. A new name " +
          "another channel has (ignoring case) is a 409; channels that shared a name before keep theirs. " +
          "Messages not yet sent go out with the settings of the moment they are sent.",
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(ChannelName),
            kind: Type.Optional(ChannelKind),
            config: Type.Optional(ChannelConfig),
          },
          { additionalProperties: false },
        ),
        response: {
          200: describedAs(ChannelSchema, "The channel as changed, its settings described"),
          404: ChannelNotFound,
          ...authErrors,
          400: problemResponse("A field is not valid; `errors` names each"),
          409: NameTaken,
        },
      },
    },
    async (request) =>
      withIsoDates(await updateChannel(deps, callerOf(request), request.params.id, request.body)),
  );

  app.delete(
    "/api/v1/channels/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a shared channel (admin); refused while a service or an open war room uses it",
        description:
          "Refused with 409, naming the services, while it is a service's shared channel: choose another " +
          "(or none) on each first; and naming the incidents, while an unresolved incident's war room " +
          "posts its updates there as a thread. Messages to it not yet sent are not sent; past deliveries " +
          "stay in the incidents' logs.",
        params: IdParams,
        response: {
          204: DeletedResponse,
          404: ChannelNotFound,
          ...authErrors,
          409: problemResponse(
            "A service shares the channel, or an open incident's war room threads in it; the detail names each",
          ),
        },
      },
    },
    async (request, reply) => {
      await deleteChannel(deps, callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
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
