import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  createVendor,
  deleteVendor,
  readDirectory,
  updateVendor,
} from "../../app/response/contact-directory.js";
import { getResponseSettings, putResponseSettings } from "../../app/response/manage-response-settings.js";
import type { ServiceResponseSettings } from "../../app/ports/response-store.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import {
  DirectorySchema,
  ResponseSettingsInput,
  ResponseSettingsSchema,
  VendorInputFields,
  VendorSchema,
} from "../response-schemas.js";
import { authErrors, IdParams, ProblemSchema } from "../schemas.js";

/** The contact directory (teams, people, vendors), vendors (admin), and each service's response settings. */

const tags = ["incident response"];
const errors = { 404: ProblemSchema, 409: ProblemSchema, ...authErrors };

const settingsView = (s: ServiceResponseSettings) => ({
  serviceId: s.serviceId,
  runbookUrl: s.runbookUrl,
  dashboards: s.dashboards.map((d) => ({ ...d })),
  links: s.links.map((l) => ({ ...l })),
  watchMinutes: s.watchMinutes,
  followUpHours: { ...s.followUpHours },
  publicUpdateEveryMinutes: s.publicUpdateEveryMinutes,
  stakeholderEmails: [...s.stakeholderEmails],
  dependentServiceIds: [...s.dependentServiceIds],
});

export function registerResponseDirectoryRoutes(app: Api, deps: AlertingDeps): void {
  app.get(
    "/api/v1/directory",
    {
      schema: {
        tags,
        summary: "Who to call: teams with their escalation policies and members, people with phones, vendors",
        response: { 200: DirectorySchema, ...authErrors },
      },
    },
    async (request) => readDirectory(deps, callerOf(request)),
  );

  app.post(
    "/api/v1/vendors",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Add an outside vendor's support line to the directory (admin)",
        body: Type.Object(
          { name: Type.String({ maxLength: 200 }), ...VendorInputFields },
          { additionalProperties: false },
        ),
        response: { 201: VendorSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createVendor(deps, callerOf(request), request.body)),
  );
  app.patch(
    "/api/v1/vendors/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Change a vendor (admin)",
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Type.String({ maxLength: 200 })), ...VendorInputFields },
          { additionalProperties: false },
        ),
        response: { 200: VendorSchema, ...errors },
      },
    },
    async (request) => updateVendor(deps, callerOf(request), request.params.id, request.body),
  );
  app.delete(
    "/api/v1/vendors/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Remove a vendor (admin)",
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteVendor(deps, callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/services/:id/response-settings",
    {
      schema: {
        tags,
        summary:
          "A service's response settings: diagnosis links, watch minutes, follow-up hours, reminders, who hears",
        params: IdParams,
        response: { 200: ResponseSettingsSchema, ...errors },
      },
    },
    async (request) => settingsView(await getResponseSettings(deps, callerOf(request), request.params.id)),
  );
  app.put(
    "/api/v1/services/:id/response-settings",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary:
          "Set a service's response settings (admin, or a manager of the service's team); fields left out keep their value",
        params: IdParams,
        body: ResponseSettingsInput,
        response: { 200: ResponseSettingsSchema, ...errors },
      },
    },
    async (request) =>
      settingsView(await putResponseSettings(deps, callerOf(request), request.params.id, request.body)),
  );
}
