import { Type } from "typebox";
import type { AppDeps } from "../../app/deps.js";
import { createTeam } from "../../app/teams/create-team.js";
import { deleteTeam } from "../../app/teams/delete-team.js";
import { listTeamMembers, listTeams } from "../../app/teams/list-teams.js";
import { putTeamMember, removeTeamMember } from "../../app/teams/set-team-membership.js";
import { listMyTeams } from "../../app/teams/team-manager.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { DeletedResponse } from "../deleted-response.js";
import {
  authErrors,
  IdParams,
  MembershipSchema,
  problemResponse,
  ProblemSchema,
  TeamSchema,
} from "../schemas.js";

export function registerTeamRoutes(app: Api, deps: AppDeps): void {
  const tags = ["teams"];
  const MemberParams = Type.Object({
    id: Type.String({ maxLength: 100 }),
    userId: Type.String({ maxLength: 100 }),
  });

  app.get(
    "/api/v1/teams",
    { schema: { tags, summary: "List teams", response: { 200: Type.Array(TeamSchema), ...authErrors } } },
    async (request) => withIsoDates(await listTeams(deps, callerOf(request))),
  );

  app.post(
    "/api/v1/teams",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create a team (admin)",
        body: Type.Object({ name: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
        response: {
          201: TeamSchema,
          409: problemResponse("Another team has this name; `errors` names the field"),
          ...authErrors,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withIsoDates(await createTeam(deps, callerOf(request), request.body))),
  );

  app.delete(
    "/api/v1/teams/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a team and its memberships (admin); refused while it owns services or is paged",
        description:
          "Refused with 409, naming them, while a service belongs to the team or an escalation policy pages " +
          "it. Schedules it owned stay, without an owning team.",
        params: IdParams,
        response: {
          204: DeletedResponse,
          404: problemResponse("No team has this id"),
          ...authErrors,
          409: problemResponse("The team owns services or a policy pages it; the detail names each"),
        },
      },
    },
    async (request, reply) => {
      await deleteTeam(deps, callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/me/teams",
    {
      schema: {
        tags,
        summary: "The teams I belong to, and my role in each",
        description:
          "For a session, the signed-in person's teams; for an API key, those of the person it acts for " +
          "(none for a key that acts for no person). A manager of a team may change what it owns.",
        response: {
          200: Type.Array(
            Type.Object({
              teamId: Type.String(),
              teamName: Type.String(),
              role: Type.Union([Type.Literal("member"), Type.Literal("manager")]),
            }),
          ),
          ...authErrors,
        },
      },
    },
    async (request) => listMyTeams(deps, callerOf(request)),
  );

  app.get(
    "/api/v1/teams/:id/members",
    {
      schema: {
        tags,
        summary: "List a team's members",
        params: IdParams,
        response: { 200: Type.Array(MembershipSchema), 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => withIsoDates(await listTeamMembers(deps, callerOf(request), request.params.id)),
  );

  app.put(
    "/api/v1/teams/:id/members/:userId",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary: "Add a member to a team or change their team role (admin, or a manager of the team)",
        description:
          "A manager of the team, with at least the responder role, may add and remove its members and make " +
          "them managers or members. Nobody's own role (viewer, responder, admin) changes here.",
        params: MemberParams,
        body: Type.Object(
          { role: Type.Union([Type.Literal("member"), Type.Literal("manager")]) },
          { additionalProperties: false },
        ),
        response: { 200: MembershipSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(
        await putTeamMember(deps, callerOf(request), {
          teamId: request.params.id,
          userId: request.params.userId,
          role: request.body.role,
        }),
      ),
  );

  app.delete(
    "/api/v1/teams/:id/members/:userId",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary: "Remove a member from a team (admin, or a manager of the team)",
        params: MemberParams,
        response: { 204: Type.Null(), 404: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await removeTeamMember(deps, callerOf(request), {
        teamId: request.params.id,
        userId: request.params.userId,
      });
      return reply.code(204).send(null);
    },
  );
}
