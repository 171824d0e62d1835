import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { actFromSlack } from "../../app/notifications/slack-actions.js";
import { AppError, isAppError } from "../../core/errors.js";
import type { Api } from "../api-instance.js";
import { acceptFormBodies } from "../form-body.js";
import { ProblemSchema } from "../schemas.js";
import { type SlackVerifier, verifiedSlackForm } from "./slack-signed-form.js";

const ACTIONS: Readonly<Record<string, "acknowledge" | "resolve">> = {
  incident_ack: "acknowledge",
  incident_resolve: "resolve",
};
export const NOT_LINKED_TEXT =
  "Your Slack account is not linked to a Firebreak user: add a Slack contact method in Firebreak whose label contains your Slack member ID (Profile → ⋮ → Copy member ID).";

const SlackReply = Type.Object({
  response_type: Type.Optional(Type.Literal("ephemeral")),
  replace_original: Type.Optional(Type.Boolean()),
  text: Type.Optional(Type.String()),
});

const ephemeral = (text: string) => ({ response_type: "ephemeral" as const, replace_original: false, text });

interface BlockActionsPayload {
  type?: unknown;
  user?: { id?: unknown };
  actions?: Array<{ action_id?: unknown; value?: unknown }>;
}

function readPayload(form: URLSearchParams): BlockActionsPayload | undefined {
  try {
    const parsed: unknown = JSON.parse(form.get("payload") ?? "");
    return typeof parsed === "object" && parsed !== null ? (parsed as BlockActionsPayload) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Slack app's Interactivity Request URL: the Acknowledge and Resolve buttons of app-mode messages.
 * The signature is checked over the raw form body; the clicking Slack member acts as the Firebreak user
 * their Slack contact method links them to. The channel's message is updated by the delivery that
 * follows the change, not here.
 */
export function registerSlackInteractionRoutes(
  app: Api,
  deps: AlertingDeps,
  verifySlack: SlackVerifier | undefined,
): void {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    acceptFormBodies(scope);
    scope.post(
      "/slack/interactions",
      {
        config: { access: "public" },
        schema: {
          tags: ["slack"],
          summary:
            "Slack interactivity endpoint (form-encoded `payload`, signed with the app's signing secret)",
          response: { 200: SlackReply, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema },
        },
      },
      async (request) => {
        const form = verifiedSlackForm(request, verifySlack, "Slack interactions");
        // Slack's certificate check: nothing to do but answer.
        if (!form) return {};

        const payload = readPayload(form);
        if (!payload) throw new AppError("VALIDATION", "the form has no JSON `payload`");
        const action = payload.actions?.[0];
        const verb = typeof action?.action_id === "string" ? ACTIONS[action.action_id] : undefined;
        // Other clicks (the Open button, which is a link) need only the 200.
        if (
          payload.type !== "block_actions" ||
          !verb ||
          typeof action?.value !== "string" ||
          typeof payload.user?.id !== "string"
        )
          return {};

        try {
          const outcome = await actFromSlack(deps, {
            slackUserId: payload.user.id,
            action: verb,
            incidentId: action.value,
            requestId: request.id,
          });
          if (outcome.kind === "unlinked") return ephemeral(NOT_LINKED_TEXT);
          if (outcome.kind === "ambiguous")
            return ephemeral(
              "Your Slack member ID is on more than one Firebreak user's Slack contact method; ask an admin to remove the extra ones.",
            );
          return ephemeral(
            `INC-${outcome.incident.number} is ${outcome.incident.state} (as ${outcome.user.email}).`,
          );
        } catch (err) {
          // A resolved incident, a viewer's click, a deleted incident: say so to the person who clicked.
          if (isAppError(err) && err.code !== "INTERNAL" && err.code !== "UNAVAILABLE")
            return ephemeral(`Firebreak: ${err.message}`);
          throw err;
        }
      },
    );
  });
}
