import { AppError } from "../../core/errors.js";

/** Checks Slack's request signature over the raw body (wired in src/server from the signing secret). */
export type SlackVerifier = (
  rawBody: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
) => boolean;

/**
 * The form of a request from Slack, once its signature is checked; null for Slack's certificate
 * check (`ssl_check=1`), which needs nothing but a 200. `what` names the feature in the error when no
 * signing secret is set ("Slack commands are not set up …").
 */
export function verifiedSlackForm(
  request: { body: unknown; headers: Readonly<Record<string, string | string[] | undefined>> },
  verifySlack: SlackVerifier | undefined,
  what: string,
): URLSearchParams | null {
  if (typeof request.body !== "string")
    throw new AppError("VALIDATION", "Slack sends application/x-www-form-urlencoded");
  const form = new URLSearchParams(request.body);
  if (form.get("ssl_check") === "1") return null;
  if (!verifySlack)
    throw new AppError("NOT_FOUND", `${what} are not set up: set FIREBREAK_SLACK_SIGNING_SECRET`);
  if (!verifySlack(request.body, request.headers))
    throw new AppError(
      "UNAUTHENTICATED",
      "the request is not signed with this Slack app's signing secret, or is too old",
    );
  return form;
}
