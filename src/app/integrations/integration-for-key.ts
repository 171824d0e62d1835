import type { Integration, IntegrationKind } from "../../core/alerts/records.js";
import { AppError } from "../../core/errors.js";
import type { AppDeps } from "../deps.js";

const ISSUED_KEY = /^[A-Za-z0-9_-]{1,200}$/;

/** The integration a sender's key names, if it is of an expected kind and enabled. */
export async function integrationForKey(
  deps: AppDeps,
  key: string,
  kinds: readonly IntegrationKind[],
  /** How to read it (the ingest routes read the keys of concurrent requests together). */
  findByKey: (key: string) => Promise<Integration | undefined> = (k) =>
    deps.uow.run((tx) => tx.integrations.findByKey(k)),
): Promise<Integration> {
  // Keys are issued from a URL-safe alphabet; anything else cannot match and is not worth a query.
  const integration = ISSUED_KEY.test(key) ? await findByKey(key) : undefined;
  // One message for unknown keys and wrong kinds: a sender learns nothing about other integrations.
  if (!integration || !kinds.includes(integration.kind)) {
    throw new AppError(
      "NOT_FOUND",
      `no ${kinds.join(" or ")} integration has this key; copy the URL from the service's integration page`,
    );
  }
  if (integration.disabledAt) throw new AppError("FORBIDDEN", `integration ${integration.name} is disabled`);
  return integration;
}
