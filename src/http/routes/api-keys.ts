import { Type } from "typebox";
import { createApiKey } from "../../app/api-keys/create-api-key.js";
import { listApiKeyNames } from "../../app/api-keys/list-api-key-names.js";
import { listApiKeys } from "../../app/api-keys/list-api-keys.js";
import { revokeApiKey } from "../../app/api-keys/revoke-api-key.js";
import type { AppDeps } from "../../app/deps.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  ApiKeyNameSchema,
  ApiKeySchema,
  authErrors,
  IdParams,
  ProblemSchema,
  RoleSchema,
} from "../schemas.js";

export function registerApiKeyRoutes(app: Api, deps: AppDeps): void {
  const tags = ["api keys"];
  app.get(
    "/api/v1/api-keys",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "List API keys (admin)",
        response: { 200: Type.Array(ApiKeySchema), ...authErrors },
      },
    },
    async (request) => withIsoDates(await listApiKeys(deps, callerOf(request))),
  );

  app.get(
    "/api/v1/api-keys/names",
    {
      schema: {
        tags,
        summary: "API keys' names (any signed-in role)",
        description:
          "Each key's id, name, the person it acts for and when it was revoked: what a timeline shows as " +
          '"Dee (API key laptop)", so a client can name who acknowledged an incident (acknowledgedBy holds ' +
          "a key's id). Never the key, its prefix or its role: GET /api/v1/api-keys (admin) has those.",
        response: { 200: Type.Array(ApiKeyNameSchema), ...authErrors },
      },
    },
    async (request) => withIsoDates(await listApiKeyNames(deps, callerOf(request))),
  );

  app.post(
    "/api/v1/api-keys",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create an API key (admin). The key is in this response only.",
        body: Type.Object(
          { name: Type.String({ maxLength: 200 }), role: RoleSchema },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ key: Type.String(), apiKey: ApiKeySchema }), ...authErrors },
      },
    },
    async (request, reply) => {
      const { token, apiKey } = await createApiKey(deps, callerOf(request), request.body);
      reply.header("cache-control", "no-store");
      return reply.code(201).send({ key: token, apiKey: withIsoDates(apiKey) });
    },
  );

  app.delete(
    "/api/v1/api-keys/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Revoke an API key (admin)",
        description:
          "The key stops working at once: requests with it get 401, and its incident streams end at once " +
          "(on other instances too, when they share a PostgreSQL database). Revoking twice keeps the first revocation time.",
        params: IdParams,
        response: { 200: ApiKeySchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => {
      // Its incident streams end with it, on every instance (see CredentialStreams).
      return withIsoDates(await revokeApiKey(deps, callerOf(request), request.params.id));
    },
  );
}
