import type { Role } from "./roles.js";

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** Null until the user sets a password (a first admin who has not claimed the sign-in link yet). */
  readonly passwordHash: string | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** IANA zone for local-time display and night-hour maths; absent or null: not set. */
  readonly timeZone?: string | null;
  /** The number responders call from an incident's Directory, trimmed; absent or null: not set. */
  readonly phone?: string | null;
}

/** The user as it may be shown anywhere: API responses, the audit log. Never the password hash. */
export interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly hasPassword: boolean;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  readonly timeZone: string | null;
  readonly phone: string | null;
}

export const toPublicUser = (user: User): PublicUser => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  hasPassword: user.passwordHash !== null,
  disabledAt: user.disabledAt,
  createdAt: user.createdAt,
  timeZone: user.timeZone ?? null,
  phone: user.phone ?? null,
});

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  /** The first characters of the key, shown so people can tell keys apart. */
  readonly prefix: string;
  readonly tokenHash: string;
  readonly role: Role;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export type PublicApiKey = Omit<ApiKey, "tokenHash">;

export const toPublicApiKey = ({ tokenHash: _hidden, ...rest }: ApiKey): PublicApiKey => rest;

export interface Session {
  readonly id: string;
  readonly tokenHash: string;
  readonly csrfToken: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface SignInLink {
  readonly id: string;
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

export type MembershipRole = "member" | "manager";

export interface Membership {
  readonly teamId: string;
  readonly userId: string;
  readonly role: MembershipRole;
  readonly createdAt: Date;
}
