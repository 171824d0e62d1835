/** Roles, from least to most powerful. A user has one; an API key is scoped to one. */
export const ROLES = ["viewer", "responder", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

export const isRole = (value: unknown): value is Role =>
  typeof value === "string" && (ROLES as readonly string[]).includes(value);

/** True when `held` is at least as powerful as `required`. */
export const roleAllows = (held: Role, required: Role): boolean => RANK[held] >= RANK[required];

/** The weaker of two roles: an API key never grants more than its creator holds. */
export const weakerRole = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);
