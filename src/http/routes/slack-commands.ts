import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { runSlackCommand } from "../../app/notifications/slack-commands.js";
import { multilineText } from "../../core/clean-text.js";
import { AppError, isAppError } from "../../core/errors.js";
import { escapeMrkdwn } from "../../core/notifications/slack-mrkdwn.js";
import type { Api } from "../api-instance.js";
import { acceptFormBodies } from "../form-body.js";
import { ProblemSchema } from "../schemas.js";
import { NOT_LINKED_TEXT } from "./slack-interactions.js";
import { type SlackVerifier, verifiedSlackForm } from "./slack-signed-form.js";

const SlackCommandReply = Type.Object({
  response_type: Type.Optional(Type.Literal("ephemeral")),
  text: Type.Optional(Type.String()),
});

/**
 * A reply only the person who typed sees. Names in it (schedules, people, an error's incident title)
 * are people's words: the shared cleaner drops bidi controls and invisible formatting, as the
 * notifiers do, so a name cannot reorder or hide the words around it.
 */
const ephemeral = (text: string) => ({ response_type: "ephemeral" as const, text: multilineText(text) });

/**
 * The Slack app's slash command `/firebreak` (triage, ack, resolve, oncall, help). Signed like the
 * interactions; the Slack member acts as the Firebreak user their Slack contact method links them to.
 * Every answer, errors included, is an ephemeral reply: Slack shows a 4xx only as "failed with error".
 */
export function registerSlackCommandRoutes(
  app: Api,
  deps: AlertingDeps,
  verifySlack: SlackVerifier | undefined,
): void {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    acceptFormBodies(scope);
    scope.post(
      "/slack/commands",
      {
        config: { access: "public" },
        schema: {
          tags: ["slack"],
          summary: "Slack slash command `/firebreak` (form-encoded, signed with the app's signing secret)",
          response: { 200: SlackCommandReply, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema },
        },
      },
      async (request) => {
        const form = verifiedSlackForm(request, verifySlack, "Slack commands");
        // Slack's certificate check: nothing to do but answer.
        if (!form) return {};
        const slackUserId = form.get("user_id");
        if (!slackUserId) throw new AppError("VALIDATION", "the form has no `user_id`");

        try {
          const outcome = await runSlackCommand(deps, {
            slackUserId,
            text: form.get("text") ?? "",
            requestId: request.id,
          });
          if (outcome.kind === "unlinked")
            return ephemeral(`${NOT_LINKED_TEXT} Your Slack member ID is ${slackUserId}.`);
          if (outcome.kind === "ambiguous")
            return ephemeral(
              "Your Slack member ID is on more than one Firebreak user's Slack contact method; ask an admin to remove the extra ones.",
            );
          return ephemeral(outcome.text);
        } catch (err) {
          // An unknown incident, a viewer's triage, a resolved incident: say so to the person who typed it.
          if (isAppError(err) && err.code !== "INTERNAL" && err.code !== "UNAVAILABLE")
            return ephemeral(`Firebreak: ${escapeMrkdwn(err.message)}`);
          throw err;
        }
      },
    );
  });
}
