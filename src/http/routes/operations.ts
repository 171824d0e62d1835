import { Type } from "typebox";
import type { Api } from "../api-instance.js";

export interface OperationsDeps {
  readonly readiness: () => Promise<{ ok: boolean; detail: string }>;
  readonly isShuttingDown: () => boolean;
  readonly metrics: { readonly contentType: string; render(): Promise<string> };
}

/**
 * Liveness, readiness and metrics: unauthenticated and cheap, as orchestrators expect. Every role
 * serves them, the engine role nothing else.
 */
export function registerOperationsRoutes(app: Api, deps: OperationsDeps): void {
  const tags = ["operations"];
  app.get(
    "/healthz",
    {
      config: { access: "public" },
      logLevel: "warn",
      schema: {
        tags,
        summary: "Liveness: the process is up",
        response: { 200: Type.Object({ status: Type.Literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  const Readiness = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) });
  app.get(
    "/readyz",
    {
      config: { access: "public" },
      logLevel: "warn",
      schema: {
        tags,
        summary: "Readiness: the database is reachable and migrated, and the process is not shutting down",
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      if (deps.isShuttingDown())
        return reply.code(503).send({ status: "error", checks: { process: "shutting down" } });
      const db = await deps.readiness();
      return reply
        .code(db.ok ? 200 : 503)
        .send({ status: db.ok ? "ok" : "error", checks: { database: db.detail } });
    },
  );

  app.get(
    "/metrics",
    {
      config: { access: "public" },
      logLevel: "warn",
      schema: {
        tags,
        summary: "Prometheus metrics (text format 0.0.4)",
        description:
          "Always answers, quickly: when the database does not give the job queue's figures within 2 s, " +
          "`firebreak_database_up` is 0 and the `firebreak_jobs*` gauges are left out of that scrape.",
      },
    },
    async (_request, reply) => reply.type(deps.metrics.contentType).send(await deps.metrics.render()),
  );
}

/** The build's name and version, beside the API. */
export function registerBuildInfoRoute(app: Api, version: string): void {
  app.get(
    "/api/v1/status",
    {
      config: { access: "public" },
      schema: {
        tags: ["operations"],
        summary: "Build information",
        response: { 200: Type.Object({ name: Type.String(), version: Type.String() }) },
      },
    },
    async () => ({ name: "firebreak", version }),
  );
}
