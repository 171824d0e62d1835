import type { UnitOfWork } from "../../app/ports/store.js";
import { purgeExpiredSessions } from "../../app/maintenance/purge-expired-sessions.js";
import type { JobHandler } from "../handler-registry.js";

/** `sessions.purge`: idempotent by nature (deleting what is expired twice deletes nothing more). */
export const sessionsPurgeHandler =
  (uow: UnitOfWork): JobHandler<Record<string, never>> =>
  async (_payload, { now, logger }) => {
    const purged = await uow.run((tx) => purgeExpiredSessions(tx, now));
    if (purged.sessions + purged.links > 0) logger.info(purged, "purged expired sessions and sign-in links");
  };
