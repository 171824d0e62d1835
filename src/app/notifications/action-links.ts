import { createHmac, timingSafeEqual } from "node:crypto";

export type LinkAction = "acknowledge" | "resolve";

export interface ActionLinkClaims {
  readonly incidentId: string;
  readonly action: LinkAction;
  /** The person the link was sent to; the action is taken in their name. */
  readonly userId: string;
  readonly expiresAt: Date;
  /** When the page was planned; a link from before the incident was reopened is stale. Absent in older links. */
  readonly issuedAt?: Date;
}

const mac = (secret: string, payload: string) =>
  createHmac("sha256", secret).update(`firebreak-action-link:${payload}`).digest();

/** A signed, single-purpose, expiring token for a link in a message: payload.signature, base64url. */
export function signActionLink(secret: string, claims: ActionLinkClaims): string {
  const payload = Buffer.from(
    JSON.stringify({
      i: claims.incidentId,
      a: claims.action,
      u: claims.userId,
      e: claims.expiresAt.getTime(),
      ...(claims.issuedAt && { t: claims.issuedAt.getTime() }),
    }),
  ).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

export type VerifiedLink =
  { readonly ok: true; readonly claims: ActionLinkClaims } | { readonly ok: false; readonly reason: string };

/** Checks the signature first, then the shape and the expiry; never throws. */
export function verifyActionLink(secret: string, token: string, now: Date): VerifiedLink {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: "this link is not valid" };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "this link is not valid" };
  let parsed: { i?: unknown; a?: unknown; u?: unknown; e?: unknown; t?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "this link is not valid" };
  }
  const { i, a, u, e, t } = parsed;
  if (
    typeof i !== "string" ||
    typeof u !== "string" ||
    typeof e !== "number" ||
    (t !== undefined && typeof t !== "number") ||
    (a !== "acknowledge" && a !== "resolve")
  ) {
    return { ok: false, reason: "this link is not valid" };
  }
  if (e <= now.getTime())
    return { ok: false, reason: "this link has expired; open the incident in Firebreak instead" };
  return {
    ok: true,
    claims: {
      incidentId: i,
      action: a,
      userId: u,
      expiresAt: new Date(e),
      ...(t !== undefined && { issuedAt: new Date(t) }),
    },
  };
}
