/**
 * Sets up services, integrations and the people they page through the use cases (as `systemActor`),
 * on a store opened the way the real server opens it. For tests that run Firebreak as a child process:
 * create everything on the data directory first, close the store, then start the server on it.
 */
import type { AlertingDeps } from "../../src/app/alerting-deps.js";
import { createChannel } from "../../src/app/channels/manage-channels.js";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import type { AppDeps } from "../../src/app/deps.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { IntegrationKind, Service } from "../../src/core/alerts/records.js";
import type { EscalationPolicy } from "../../src/core/escalation/policy.js";
import { loadConfig, type Config } from "../../src/server/config.js";
import { openStore } from "../../src/server/firebreak.js";
import { createLogger } from "../../src/server/logger.js";
import { notifierCatalog } from "../../src/server/notification-wiring.js";
import { systemClock } from "../../src/server/system-clock.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import type { TestFirebreak } from "./firebreak-harness.js";

export const setupCaller = { actor: systemActor("test setup"), requestId: null } as const;

/** AppDeps plus what the alert pipeline's use cases need (channels, contact methods). */
export function alertingDepsOf(deps: AppDeps, publicUrl = "http://127.0.0.1:1"): AlertingDeps {
  return {
    ...deps,
    publicUrl,
    linkSecret: "test-link-secret-test-link-secret-0123456789",
    notifiers: notifierCatalog,
    actionLinkTtlMs: 24 * 60 * 60_000,
  };
}

/** The server's configuration for this environment, exactly as `firebreak serve` would read it. */
export const configFor = (env: Record<string, string>): Config => loadConfig(env);

export interface LocalStore {
  readonly store: KyselyStore;
  readonly deps: AlertingDeps;
  close(): Promise<void>;
}

/** Opens (and migrates) the database the configuration names, as the server does at start. */
export async function openLocalStore(config: Config): Promise<LocalStore> {
  const { store, deps } = await openStore(config, systemClock, createLogger({ logLevel: "silent" }));
  return { store, deps: alertingDepsOf(deps, config.publicUrl), close: () => store.close() };
}

export async function withLocalStore<T>(config: Config, work: (local: LocalStore) => Promise<T>): Promise<T> {
  const local = await openLocalStore(config);
  try {
    return await work(local);
  } finally {
    await local.close();
  }
}

export interface IngestService {
  readonly service: Service;
  /** The integration key of each kind asked for. */
  readonly keys: Readonly<Partial<Record<IntegrationKind, string>>>;
}

/** A service with one integration of each kind, optionally paging through a policy and telling a channel. */
export async function createIngestService(
  deps: AppDeps,
  options: {
    name: string;
    kinds: readonly IntegrationKind[];
    rateLimitPerMinute?: number;
    escalationPolicyId?: string;
    channelId?: string;
  },
): Promise<IngestService> {
  const service = await createService(deps, setupCaller, {
    name: options.name,
    ...(options.escalationPolicyId !== undefined && { escalationPolicyId: options.escalationPolicyId }),
    ...(options.channelId !== undefined && { channelId: options.channelId }),
  });
  const keys: Partial<Record<IntegrationKind, string>> = {};
  for (const kind of options.kinds) {
    const integration = await createIntegration(deps, setupCaller, {
      serviceId: service.id,
      kind,
      ...(options.rateLimitPerMinute !== undefined && { rateLimitPerMinute: options.rateLimitPerMinute }),
    });
    keys[kind] = integration.key;
  }
  return { service, keys };
}

export interface PagedService extends IngestService {
  readonly userId: string;
  readonly contactMethodId: string;
  readonly channelId: string;
}

/**
 * A service whose one-step policy pages one person through a `webhook` contact method, and whose shared
 * channel is a `webhook` channel: both pointed at `receiverUrl`. The step waits an hour before it would
 * escalate again, so a test sees exactly one page and one channel message per incident.
 */
export async function createPagedService(
  deps: AlertingDeps,
  options: {
    name: string;
    receiverUrl: string;
    kinds: readonly IntegrationKind[];
    rateLimitPerMinute?: number;
  },
): Promise<PagedService> {
  const user = await createUser(deps, setupCaller, {
    email: `oncall-${options.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}@example.com`,
    name: `On call for ${options.name}`,
    role: "responder",
    password: "correct horse battery staple",
  });
  const method = await addContactMethod(deps, setupCaller, {
    userId: user.id,
    kind: "webhook",
    label: "pager webhook",
    config: { url: `${options.receiverUrl}/person` },
  });
  const policy = await createEscalationPolicy(deps, setupCaller, {
    name: `${options.name} policy`,
    steps: [{ delayMinutes: 60, targets: [{ kind: "user", userId: user.id }] }],
    repeatCount: 0,
  });
  const channel = await createChannel(deps, setupCaller, {
    name: `${options.name} channel`,
    kind: "webhook",
    config: { url: `${options.receiverUrl}/channel` },
  });
  const ingest = await createIngestService(deps, {
    name: options.name,
    kinds: options.kinds,
    escalationPolicyId: policy.id,
    channelId: channel.id,
    ...(options.rateLimitPerMinute !== undefined && { rateLimitPerMinute: options.rateLimitPerMinute }),
  });
  return { ...ingest, userId: user.id, contactMethodId: method.id, channelId: channel.id };
}

/**
 * A one-step policy that pages one responder the harness makes ("Test responder", by `email`) through
 * a webhook contact method: for scenarios that count pages with a RecordingSender, which never calls
 * the URL. The step waits `delayMinutes` (default an hour) before the next round, of `repeatCount`
 * (default none).
 */
export async function createPolicyPagingOneResponder(
  fb: TestFirebreak,
  options: { policyName: string; email: string; delayMinutes?: number; repeatCount?: number },
): Promise<EscalationPolicy> {
  const deps = fb.running.deps;
  const responder = await fb.user("responder", options.email);
  await addContactMethod(deps, setupCaller, {
    userId: responder.id,
    kind: "webhook",
    label: "pager",
    config: { url: "http://127.0.0.1:9/never-called" },
  });
  return createEscalationPolicy(deps, setupCaller, {
    name: options.policyName,
    steps: [{ delayMinutes: options.delayMinutes ?? 60, targets: [{ kind: "user", userId: responder.id }] }],
    repeatCount: options.repeatCount ?? 0,
  });
}

/**
 * A service whose one-step policy (an hour before it would escalate again) pages one responder the
 * harness makes ("Test responder", by `email`) through a webhook contact method: for scenarios that
 * count pages with a RecordingSender, which never calls the URL.
 */
export async function createServicePagingOneResponder(
  fb: TestFirebreak,
  options: { serviceName: string; policyName: string; email: string },
): Promise<Service> {
  const policy = await createPolicyPagingOneResponder(fb, options);
  return createService(fb.running.deps, setupCaller, {
    name: options.serviceName,
    escalationPolicyId: policy.id,
  });
}
