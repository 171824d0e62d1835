// The console's one way to talk to the server: JSON in and out, the CSRF header on every change,
// and RFC 9457 problem+json turned into an ApiError that names the offending fields. The server
// already words schema errors plainly (src/http/validation-wording.ts), so its text is shown as sent.

export type Role = "viewer" | "responder" | "admin";
export const ROLES: readonly Role[] = ["viewer", "responder", "admin"];
const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };
export const roleAllows = (held: Role, required: Role): boolean => RANK[held] >= RANK[required];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  hasPassword: boolean;
  disabledAt: string | null;
  createdAt: string;
  /** Shown in an incident's Directory. Listed only for oneself, or to an admin. */
  phone?: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Actor {
  kind: string;
  id: string;
  role: Role;
  label: string;
}

export interface SessionInfo {
  actor: Actor;
  user?: User;
  csrfToken?: string;
}

export interface SignedIn {
  user: User;
  csrfToken: string;
}

/** A sign-in link that can still be claimed; email and name are null while nobody chose them. */
export interface SignInLinkCheck {
  email: string | null;
  name: string | null;
  expiresAt: string;
}

export interface FieldError {
  path: string;
  message: string;
}

/** A failed request, with the server's own words. `status` is 0 when the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fields: readonly FieldError[];
  readonly requestId: string | undefined;

  constructor(
    status: number,
    code: string,
    detail: string,
    fields: readonly FieldError[] = [],
    requestId?: string,
  ) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.fields = fields;
    this.requestId = requestId;
  }

  /** Field errors keyed by field name: `/email` becomes `email`. */
  fieldMap(): Record<string, string> {
    const map: Record<string, string> = {};
    for (const f of this.fields) {
      const key = f.path.replace(/^\//, "").split("/")[0] ?? "";
      if (key && !(key in map)) map[key] = f.message;
    }
    return map;
  }

  /** Field errors keyed by their whole path: `/steps/0/delayMinutes` becomes `steps/0/delayMinutes`. */
  pathMap(): Record<string, string> {
    const map: Record<string, string> = {};
    for (const f of this.fields) {
      const key = f.path.replace(/^\//, "");
      if (key && !(key in map)) map[key] = f.message;
    }
    return map;
  }
}

let csrfToken: string | undefined;
let onUnauthenticated: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when a request made while signed in comes back 401: the session has ended. */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

interface RequestOptions {
  /** Auth endpoints expect 401 as an answer, not as a sign that the session ended. */
  expectUnauthenticated?: boolean;
}

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(
      0,
      "NETWORK",
      "Cannot reach the Firebreak server. Check your connection and try again.",
    );
  }

  if (res.ok) {
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const error = await toApiError(res);
  if (res.status === 401 && !options.expectUnauthenticated) onUnauthenticated?.();
  throw error;
}

async function toApiError(res: Response): Promise<ApiError> {
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const p = (await res.json()) as Partial<{
        code: string;
        detail: string;
        title: string;
        errors: FieldError[];
        requestId: string;
      }>;
      const detail = p.detail || p.title || `The server answered ${res.status}.`;
      return new ApiError(res.status, p.code ?? "HTTP", detail, p.errors ?? [], p.requestId);
    } catch {
      // fall through to the generic message
    }
  }
  return new ApiError(
    res.status,
    "HTTP",
    `The server answered ${res.status} ${res.statusText}.`.replace(/ \.$/, "."),
  );
}

// --- Endpoints -----------------------------------------------------------------------------

const quiet = { expectUnauthenticated: true };

export const api = {
  status: () => request<{ name: string; version: string }>("GET", "/api/v1/status"),

  session: () => request<SessionInfo>("GET", "/api/v1/auth/session", undefined, quiet),
  signIn: (body: { email: string; password: string }) =>
    request<SignedIn>("POST", "/api/v1/auth/sign-in", body, quiet),
  checkLink: (token: string) => request<SignInLinkCheck>("POST", "/api/v1/auth/check-link", { token }, quiet),
  claimLink: (body: { token: string; email: string; name: string; password: string }) =>
    request<SignedIn>("POST", "/api/v1/auth/claim-link", body, quiet),
  signOut: () => request<void>("POST", "/api/v1/auth/sign-out", undefined, quiet),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    request<void>("POST", "/api/v1/me/password", body),
  updateMe: (body: { phone?: string | null }) => request<User>("PATCH", "/api/v1/me", body),

  listUsers: () => request<User[]>("GET", "/api/v1/users"),
  createUser: (body: { email: string; name: string; role: Role; password: string; phone?: string }) =>
    request<User>("POST", "/api/v1/users", body),
  updateUser: (
    id: string,
    body: { name?: string; role?: Role; disabled?: boolean; password?: string; phone?: string | null },
  ) => request<User>("PATCH", `/api/v1/users/${encodeURIComponent(id)}`, body),

  listApiKeys: () => request<ApiKey[]>("GET", "/api/v1/api-keys"),
  createApiKey: (body: { name: string; role: Role }) =>
    request<{ key: string; apiKey: ApiKey }>("POST", "/api/v1/api-keys", body),
  revokeApiKey: (id: string) => request<ApiKey>("DELETE", `/api/v1/api-keys/${encodeURIComponent(id)}`),
};

/** "email is not correct" → "Email is not correct." The server writes lower-case fragments. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** A message for any thrown value, for places that show one line of error. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return sentence(err.detail);
  if (err instanceof Error) return sentence(err.message);
  return "Something went wrong.";
}
