import { Type } from "typebox";
import {
  createComponent,
  createGroup,
  deleteComponent,
  deleteGroup,
  listComponents,
  listGroups,
  updateComponent,
  updateGroup,
} from "../../app/status/manage-status-components.js";
import {
  createStatusPage,
  deleteStatusPage,
  getStatusPage,
  listStatusPages,
  rotateStatusPageSecretLink,
  updateStatusPage,
} from "../../app/status/manage-status-pages.js";
import type { StatusDeps } from "../../app/status/status-deps.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { authErrors, ProblemSchema } from "../schemas.js";
import {
  ComponentBody,
  ComponentParams,
  ComponentPatch,
  ComponentSchema,
  CreatePageBody,
  GroupBody,
  GroupParams,
  GroupPatch,
  GroupSchema,
  PageParams,
  StatusPageSchema,
  UpdatePageBody,
} from "../status-schemas.js";

/** Status pages, their component groups and components (admin to change, viewer to read). */
export function registerStatusAdminRoutes(app: Api, deps: StatusDeps): void {
  const tags = ["status pages"];
  const errors = { 404: ProblemSchema, 409: ProblemSchema, ...authErrors };

  app.get(
    "/api/v1/status-pages",
    {
      schema: {
        tags,
        summary: "List status pages",
        response: { 200: Type.Array(StatusPageSchema), ...authErrors },
      },
    },
    async (request) => withIsoDates(await listStatusPages(deps, callerOf(request))),
  );
  app.post(
    "/api/v1/status-pages",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create a status page",
        body: CreatePageBody,
        response: { 201: StatusPageSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withIsoDates(await createStatusPage(deps, callerOf(request), request.body))),
  );
  app.get(
    "/api/v1/status-pages/:id",
    {
      schema: {
        tags,
        summary: "One status page",
        params: PageParams,
        response: { 200: StatusPageSchema, ...errors },
      },
    },
    async (request) => withIsoDates(await getStatusPage(deps, callerOf(request), request.params.id)),
  );
  app.patch(
    "/api/v1/status-pages/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Change a status page",
        params: PageParams,
        body: UpdatePageBody,
        response: { 200: StatusPageSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(await updateStatusPage(deps, callerOf(request), request.params.id, request.body)),
  );
  app.delete(
    "/api/v1/status-pages/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a status page, with its incidents and subscribers",
        params: PageParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteStatusPage(deps, callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    "/api/v1/status-pages/:id/secret-link/rotate",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "A new secret link for a private page (the old one stops working)",
        params: PageParams,
        response: { 200: Type.Object({ url: Type.String(), secretLinkToken: Type.String() }), ...errors },
      },
    },
    async (request) => rotateStatusPageSecretLink(deps, callerOf(request), request.params.id),
  );

  app.get(
    "/api/v1/status-pages/:id/groups",
    {
      schema: {
        tags,
        summary: "The page's component groups",
        params: PageParams,
        response: { 200: Type.Array(GroupSchema), ...errors },
      },
    },
    async (request) => listGroups(deps, callerOf(request), request.params.id),
  );
  app.post(
    "/api/v1/status-pages/:id/groups",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Add a component group",
        params: PageParams,
        body: GroupBody,
        response: { 201: GroupSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createGroup(deps, callerOf(request), request.params.id, request.body)),
  );
  app.patch(
    "/api/v1/status-pages/:id/groups/:groupId",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Rename or move a component group",
        params: GroupParams,
        body: GroupPatch,
        response: { 200: GroupSchema, ...errors },
      },
    },
    async (request) =>
      updateGroup(deps, callerOf(request), request.params.id, request.params.groupId, request.body),
  );
  app.delete(
    "/api/v1/status-pages/:id/groups/:groupId",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a component group (its components stay, ungrouped)",
        params: GroupParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteGroup(deps, callerOf(request), request.params.id, request.params.groupId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/status-pages/:id/components",
    {
      schema: {
        tags,
        summary: "The page's components with the status customers see",
        params: PageParams,
        response: { 200: Type.Array(ComponentSchema), ...errors },
      },
    },
    async (request) => listComponents(deps, callerOf(request), request.params.id),
  );
  app.post(
    "/api/v1/status-pages/:id/components",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Add a component",
        params: PageParams,
        body: ComponentBody,
        response: { 201: ComponentSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createComponent(deps, callerOf(request), request.params.id, request.body)),
  );
  app.patch(
    "/api/v1/status-pages/:id/components/:componentId",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Change a component (manualStatus: null goes back to derived)",
        params: ComponentParams,
        body: ComponentPatch,
        response: { 200: ComponentSchema, ...errors },
      },
    },
    async (request) =>
      updateComponent(deps, callerOf(request), request.params.id, request.params.componentId, request.body),
  );
  app.delete(
    "/api/v1/status-pages/:id/components/:componentId",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a component",
        params: ComponentParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteComponent(deps, callerOf(request), request.params.id, request.params.componentId);
      return reply.code(204).send(null);
    },
  );
}
