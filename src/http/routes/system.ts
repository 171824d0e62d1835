import { Type } from "typebox";
import { listAuditLog } from "../../app/audit/list-audit-log.js";
import type { AppDeps } from "../../app/deps.js";
import type { JobCounts } from "../../app/ports/jobs.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { AuditEntrySchema, authErrors } from "../schemas.js";

export interface SystemRouteDeps {
  readonly app: AppDeps;
  readonly jobCounts: () => Promise<JobCounts & { overdue: number }>;
}

export function registerSystemRoutes(app: Api, deps: SystemRouteDeps): void {
  app.get(
    "/api/v1/audit-log",
    {
      config: { access: "admin" },
      schema: {
        tags: ["audit"],
        summary: "The audit log, newest first (admin)",
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            before: Type.Optional(
              Type.String({ pattern: "^[0-9]{1,18}$", description: "Return entries older than this id" }),
            ),
            entityType: Type.Optional(Type.String({ maxLength: 100 })),
            entityId: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(AuditEntrySchema), ...authErrors },
      },
    },
    async (request) => {
      const { before, ...rest } = request.query;
      return withIsoDates(
        await listAuditLog(deps.app, callerOf(request), {
          ...rest,
          ...(before !== undefined && { beforeId: before }),
        }),
      );
    },
  );

  app.get(
    "/api/v1/system/jobs",
    {
      config: { access: "admin" },
      schema: {
        tags: ["operations"],
        summary:
          "Job queue health: queued, running, permanently failed and overdue jobs, and urgent ones (pages) waiting for a slot (admin)",
        response: {
          200: Type.Object({
            queued: Type.Integer(),
            running: Type.Integer(),
            failed: Type.Integer(),
            overdue: Type.Integer(),
            urgentWaiting: Type.Integer({
              description: "Pages, escalation timers and call-ins due and not yet taken by any engine",
            }),
          }),
          ...authErrors,
        },
      },
    },
    async () => deps.jobCounts(),
  );
}
