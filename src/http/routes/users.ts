import { Type } from "typebox";
import type { AppDeps } from "../../app/deps.js";
import { createUser } from "../../app/users/create-user.js";
import { listUsers } from "../../app/users/list-users.js";
import { updateOwnProfile } from "../../app/users/update-own-profile.js";
import { updateUser } from "../../app/users/update-user.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { authErrors, IdParams, nullableInput, ProblemSchema, RoleSchema, UserSchema } from "../schemas.js";

const TimeZoneInput = nullableInput.string({
  maxLength: 100,
  description: "An IANA time zone, such as Europe/Berlin; null clears it",
});

const PhoneInput = nullableInput.string({
  maxLength: 200,
  description:
    'Shown to responders in an incident\'s Directory, such as +49 30 1234567; "" or null clears it',
});

export function registerUserRoutes(app: Api, deps: AppDeps): void {
  const tags = ["users"];
  app.get(
    "/api/v1/users",
    { schema: { tags, summary: "List users", response: { 200: Type.Array(UserSchema), ...authErrors } } },
    async (request) => withIsoDates(await listUsers(deps, callerOf(request))),
  );

  app.post(
    "/api/v1/users",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create a user (admin)",
        body: Type.Object(
          {
            email: Type.String({ maxLength: 320 }),
            name: Type.String({ maxLength: 200 }),
            role: RoleSchema,
            password: Type.String({ maxLength: 1024 }),
            phone: Type.Optional(PhoneInput),
          },
          { additionalProperties: false },
        ),
        response: { 201: UserSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withIsoDates(await createUser(deps, callerOf(request), request.body))),
  );

  app.patch(
    "/api/v1/users/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Change a user's name, role, password, disabled state, time zone or phone (admin)",
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            role: Type.Optional(RoleSchema),
            disabled: Type.Optional(Type.Boolean()),
            password: Type.Optional(Type.String({ maxLength: 1024 })),
            timeZone: Type.Optional(TimeZoneInput),
            phone: Type.Optional(PhoneInput),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserSchema, 404: ProblemSchema, 412: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(await updateUser(deps, callerOf(request), request.params.id, request.body)),
  );

  app.patch(
    "/api/v1/me",
    {
      schema: {
        tags,
        summary: "Change my display name, time zone or phone",
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            timeZone: Type.Optional(TimeZoneInput),
            phone: Type.Optional(PhoneInput),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserSchema, ...authErrors },
      },
    },
    async (request) => withIsoDates(await updateOwnProfile(deps, callerOf(request), request.body)),
  );
}
