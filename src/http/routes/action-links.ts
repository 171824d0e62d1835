import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { actOnLink, previewActionLink, type LinkPreview } from "../../app/notifications/act-on-link.js";
import type { Api } from "../api-instance.js";
import { ACTION_PAGE_HEADERS, actionPage } from "../action-page.js";
import { acceptFormBodies } from "../form-body.js";
import { logMappedError, mapError } from "../problem.js";

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024 }) });
const html = (description: string) => ({ description, content: { "text/html": { schema: Type.String() } } });
/** A link that cannot be used is answered with a page that says why, under the error's status. */
const LinkErrors = {
  400: html("The link is malformed, altered or expired"),
  403: html("The account the link was sent to is disabled (or, to act, no longer a responder)"),
  404: html("The link's incident no longer exists"),
  412: html(
    "The incident was paged again after the link was sent (use the newer message), or it is resolved and the link acknowledges",
  ),
  503: html("The database cannot work now; try the link again"),
};

const VERB = { acknowledge: "Acknowledge", resolve: "Resolve" } as const;
const DONE = { acknowledge: "acknowledged", resolve: "resolved" } as const;
const sentence = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;

/**
 * Signed acknowledge/resolve links from messages. GET shows the incident and one button and changes
 * nothing (mail scanners and chat unfurlers open links); the button POSTs back to the same URL, which
 * acts in the name of the person the link was sent to.
 */
export function registerActionLinkRoutes(app: Api, deps: AlertingDeps): void {
  const ref = (p: LinkPreview) => `INC-${p.incident.number}`;
  const openLink = (p: LinkPreview) => ({
    href: `${deps.publicUrl}/incidents/${p.incident.number}`,
    text: `Open ${ref(p)} in Firebreak`,
  });
  const send = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).headers(ACTION_PAGE_HEADERS).send(html);

  const failed = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    const mapped = mapError(err, request.id);
    logMappedError(request.log, mapped, err, "on an action link");
    const why = mapped.unexpected
      ? "something went wrong on our side; open the incident in Firebreak instead"
      : mapped.problem.detail;
    return send(
      reply.headers(mapped.headers),
      mapped.problem.status,
      actionPage({ title: "This link cannot be used", lines: [sentence(why)] }),
    );
  };

  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // An HTML form posts application/x-www-form-urlencoded; the body carries nothing we need.
    acceptFormBodies(scope);

    scope.get(
      "/actions/:token",
      {
        config: { access: "public" },
        schema: {
          tags: ["action links"],
          summary: "The page behind a signed link: shows the incident, changes nothing",
          description:
            "Messages carry signed acknowledge and resolve links, valid for the person they were sent to. Opening " +
            "one shows the incident and one button (mail scanners and chat unfurlers open links too); the button " +
            "POSTs to the same URL.",
          params: TokenParams,
          response: {
            200: html("The incident and the button, or why there is nothing left to do"),
            ...LinkErrors,
          },
        },
      },
      async (request, reply) => {
        try {
          const preview = await previewActionLink(deps, request.params.token);
          const { incident, action } = preview;
          const settled =
            incident.state === "resolved"
              ? `${ref(preview)} is already resolved.`
              : action === "acknowledge" && incident.state === "acknowledged"
                ? `${ref(preview)} is already acknowledged.`
                : null;
          return send(
            reply,
            200,
            actionPage({
              title: `${ref(preview)}: ${incident.title}`,
              lines: [`State: ${incident.state}`, settled ?? `${VERB[action]} as ${preview.user.email}?`],
              ...(settled === null && { button: VERB[action] }),
              link: openLink(preview),
            }),
          );
        } catch (err) {
          return failed(request, reply, err);
        }
      },
    );

    scope.post(
      "/actions/:token",
      {
        config: { access: "public" },
        schema: {
          tags: ["action links"],
          summary: "Confirm a signed link: acknowledge or resolve as the person it was sent to",
          description:
            "Acknowledges or resolves the incident in the name of the link's person, as the console would; if " +
            "someone did it first the page says so and nothing changes.",
          params: TokenParams,
          response: { 200: html("What was done"), ...LinkErrors },
        },
      },
      async (request, reply) => {
        try {
          const done = await actOnLink(deps, request.params.token, request.id);
          // Someone else acted first (the link was replayed, or a colleague was quicker): say so,
          // rather than credit the link's person with what the incident records as another's.
          const by = done.action === "acknowledge" ? done.incident.acknowledgedBy : done.incident.resolvedBy;
          const theirs = by === done.user.id;
          return send(
            reply,
            200,
            actionPage({
              title: `${ref(done)} ${theirs ? "" : "was already "}${DONE[done.action]}`,
              lines: [
                done.incident.title,
                `State: ${done.incident.state}`,
                theirs
                  ? `As ${done.user.email}`
                  : "Someone else did it before this link was used; nothing changed.",
              ],
              link: openLink(done),
            }),
          );
        } catch (err) {
          return failed(request, reply, err);
        }
      },
    );
  });
}
