import type { Api } from "../api-instance.js";
import { registerStatusAdminRoutes } from "./status-admin.js";
import { registerStatusItemRoutes } from "./status-admin-items.js";
import { registerStatusIncidentLinkRoutes } from "./status-incident-links.js";
import { registerStatusPublicRoutes, type StatusPublicDeps } from "./status-public.js";

/** Every route of the status pages: the admin API under /api/v1/status-pages and the public pages. */
export function registerStatusRoutes(app: Api, deps: StatusPublicDeps): void {
  registerStatusAdminRoutes(app, deps.status);
  registerStatusItemRoutes(app, deps.status);
  registerStatusIncidentLinkRoutes(app, deps.status);
  registerStatusPublicRoutes(app, deps);
}
