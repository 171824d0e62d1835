import type { ChangeEvent } from "../../core/alerts/alert-event.js";
import { storableChangeEvent } from "../../core/alerts/storable-event.js";
import { AppError, notFound } from "../../core/errors.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps } from "../deps.js";

/** Stores a change event (a deploy): it shows on the service's incidents as a recent change, never pages. */
export async function recordChangeEvent(
  deps: AppDeps,
  integrationId: string,
  event: ChangeEvent,
): Promise<void> {
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const integration = await tx.integrations.findById(integrationId);
    if (!integration) throw notFound("integration", integrationId);
    if (integration.disabledAt)
      throw new AppError("FORBIDDEN", `integration ${integration.name} is disabled`);
    await tx.changeEvents.insert({
      id: newId(),
      serviceId: integration.serviceId,
      integrationId,
      ...storableChangeEvent(event),
      createdAt: now,
    });
  });
}
