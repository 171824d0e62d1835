import type { AlertingDeps } from "../../app/alerting-deps.js";
import type { Api } from "../api-instance.js";
import { registerIncidentFixRoutes } from "./incident-fixes.js";
import { registerIncidentResponseRoutes } from "./incident-response.js";
import { registerIncidentTaskRoutes } from "./incident-tasks.js";
import { registerPublicUpdateRoutes } from "./public-updates.js";
import { registerResponseDirectoryRoutes } from "./response-directory.js";

/** Every route of incident response (the war room), registered together. */
export function registerResponseRoutes(app: Api, deps: AlertingDeps): void {
  registerIncidentResponseRoutes(app, deps);
  registerIncidentTaskRoutes(app, deps);
  registerIncidentFixRoutes(app, deps);
  registerPublicUpdateRoutes(app, deps);
  registerResponseDirectoryRoutes(app, deps);
}
