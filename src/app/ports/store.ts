import type { AuditEntry, AuditEntryInput } from "../../core/audit/audit-entry.js";
import type {
  ApiKey,
  Membership,
  MembershipRole,
  Session,
  SignInLink,
  Team,
  User,
} from "../../core/auth/records.js";
import type { Role } from "../../core/auth/roles.js";
import type { AlertingTx } from "./alerting-store.js";
import type { JobQueue } from "./jobs.js";
import type { ResponseTx } from "./response-store.js";
import type { ScheduleTx } from "./schedule-store.js";
import type { StatusTx } from "./status-store.js";

export interface UserRepository {
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  /** Only the disabled people and since when: what every schedule load needs, without every user row. */
  listDisabled(): Promise<{ id: string; disabledAt: Date }[]>;
  count(): Promise<number>;
  insert(user: User): Promise<void>;
  update(
    id: string,
    changes: Partial<
      Pick<
        User,
        "email" | "name" | "role" | "passwordHash" | "disabledAt" | "updatedAt" | "timeZone" | "phone"
      >
    >,
  ): Promise<void>;
  /**
   * Enabled admins who can sign in (the unclaimed first-admin placeholder does not count), locking
   * them until the transaction ends where the database can, so the last-admin check cannot race.
   */
  countAdmins(): Promise<number>;
}

export interface ApiKeyRepository {
  insert(key: ApiKey): Promise<void>;
  findById(id: string): Promise<ApiKey | undefined>;
  findByTokenHash(tokenHash: string): Promise<ApiKey | undefined>;
  list(): Promise<ApiKey[]>;
  revoke(id: string, at: Date): Promise<void>;
  touchLastUsed(id: string, at: Date): Promise<void>;
}

export interface SessionRepository {
  insert(session: Session): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  /** Signs a user out everywhere, except the session `keepSessionId` when given. */
  deleteForUser(userId: string, keepSessionId?: string): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}

export interface SignInLinkRepository {
  insert(link: SignInLink): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<SignInLink | undefined>;
  markUsed(id: string, at: Date): Promise<boolean>;
  /** Makes every unused link of the user unusable (a newer one was issued). */
  expireForUser(userId: string, at: Date): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}

export interface TeamRepository {
  insert(team: Team): Promise<void>;
  findById(id: string): Promise<Team | undefined>;
  findByName(name: string): Promise<Team | undefined>;
  list(): Promise<Team[]>;
  /** Removes the team and its memberships; schedules it owned keep going without an owner. */
  delete(id: string): Promise<boolean>;
  upsertMember(membership: Membership): Promise<void>;
  removeMember(teamId: string, userId: string): Promise<boolean>;
  listMembers(teamId: string): Promise<Array<Membership & { email: string; name: string }>>;
  /** Every team the user belongs to, with their role and the team's name, in team-name order. */
  listMembershipsOf(userId: string): Promise<Array<Membership & { teamName: string }>>;
}

export interface AuditLogRepository {
  record(entry: AuditEntryInput): Promise<void>;
  /** Newest first; `beforeId` pages backwards. */
  list(args: {
    limit: number;
    beforeId?: string;
    entityType?: string;
    entityId?: string;
  }): Promise<AuditEntry[]>;
}

/** Whose credentials a change ended or narrowed: one session, one API key, or a user's sessions and keys. */
export interface CredentialSubject {
  readonly kind: "session" | "api_key" | "user";
  readonly id: string;
}

/**
 * Announces that a transaction signed out, revoked or disabled credentials. Once it commits, this
 * instance and (on PostgreSQL) every other one hear it, so live responses opened under them (incident
 * streams) check them again at once instead of at their next heartbeat.
 */
export interface CredentialChanges {
  announce(subject: CredentialSubject): Promise<void>;
}

/** Everything a use case may touch inside one transaction. */
export interface Tx extends AlertingTx, ScheduleTx, ResponseTx, StatusTx {
  readonly users: UserRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly sessions: SessionRepository;
  readonly signInLinks: SignInLinkRepository;
  readonly teams: TeamRepository;
  readonly audit: AuditLogRepository;
  readonly jobs: JobQueue;
  readonly credentialChanges: CredentialChanges;
}

export interface UnitOfWork {
  /**
   * Runs `work` in one transaction: all of it commits, or none of it. Resolves once the commit is
   * on disk, unless `waitForDisk` is false: then the caller awaits `durable()` before it answers.
   */
  run<T>(work: (tx: Tx) => Promise<T>, options?: { waitForDisk?: boolean }): Promise<T>;
  /** Resolves once every transaction committed so far is on disk. */
  durable(): Promise<void>;
  /**
   * Runs reads without a transaction (each statement sees what was committed when it ran): for a
   * look-up that needs no snapshot shared by several statements. Writes belong in `run`.
   */
  read<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Hears the credential changes committed transactions announced: this process's, and other
   * instances' once the store listens for them. `undefined`: some may have been missed (the listener
   * was away), so every credential is worth checking. Returns how to stop hearing.
   */
  onCredentialChange(listener: (subject: CredentialSubject | undefined) => void): () => void;
}

export type { MembershipRole, Role };
