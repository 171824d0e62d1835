import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  acceptIncidentTaskHandover,
  assignIncidentTask,
  cancelIncidentTaskHandover,
  createIncidentTask,
  declineIncidentTaskHandover,
  moveIncidentTask,
  myOpenTasks,
  requestIncidentTaskHandover,
} from "../../app/response/attack-plan-tasks.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { MyTaskSchema, RefParams, TaskSchema, TaskStateSchema } from "../response-schemas.js";
import { IncidentSchema } from "../incident-schemas.js";
import { authErrors, nullableInput, ProblemSchema } from "../schemas.js";

/** The attack plan: tasks with one owner each, and "my open tasks". */

const tags = ["incident response"];
const errors = { 404: ProblemSchema, 409: ProblemSchema, 412: ProblemSchema, ...authErrors };
const TaskParams = Type.Object({
  ...RefParams.properties,
  taskId: Type.String({ minLength: 1, maxLength: 100 }),
});

const MyTasksQuery = Type.Object(
  {
    includeResolved: Type.Optional(
      Type.Boolean({ description: "Also list open tasks of resolved incidents, after the others" }),
    ),
  },
  { additionalProperties: false },
);
const MyTaskAcrossIncidentsSchema = Type.Object({
  ...MyTaskSchema.properties,
  incidentState: IncidentSchema.properties.state,
  incidentResolved: Type.Boolean({ description: "The incident is resolved: the task's work may be moot" }),
  incidentResolvedAt: IncidentSchema.properties.resolvedAt,
});

export function registerIncidentTaskRoutes(app: Api, deps: AlertingDeps): void {
  app.post(
    "/api/v1/incidents/:ref/tasks",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Add a task; only the handler gives it to someone else",
        params: RefParams,
        body: Type.Object(
          {
            title: Type.String({ maxLength: 200 }),
            ownerId: Type.Optional(nullableInput.string({ minLength: 1, maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: TaskSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          withIsoDates(await createIncidentTask(deps, callerOf(request), request.params.ref, request.body)),
        ),
  );

  app.patch(
    "/api/v1/incidents/:ref/tasks/:taskId",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Move a task (open, in-progress, done, dropped); who may is the attack plan's rule",
        params: TaskParams,
        body: Type.Object({ state: TaskStateSchema }, { additionalProperties: false }),
        response: { 200: TaskSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(
        await moveIncidentTask(
          deps,
          callerOf(request),
          request.params.ref,
          request.params.taskId,
          request.body.state,
        ),
      ),
  );

  app.post(
    "/api/v1/incidents/:ref/tasks/:taskId/assign",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Assign (the handler); a task someone else owns becomes a handover they must accept",
        params: TaskParams,
        body: Type.Object(
          { ownerId: nullableInput.string({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: TaskSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(
        await assignIncidentTask(
          deps,
          callerOf(request),
          request.params.ref,
          request.params.taskId,
          request.body.ownerId,
        ),
      ),
  );

  app.post(
    "/api/v1/incidents/:ref/tasks/:taskId/handover",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Ask for an owned task to change hands: the owner offers it, or someone asks to take it",
        params: TaskParams,
        body: Type.Object(
          { toUserId: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: TaskSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(
        await requestIncidentTaskHandover(
          deps,
          callerOf(request),
          request.params.ref,
          request.params.taskId,
          request.body.toUserId,
        ),
      ),
  );
  const answers = [
    { verb: "accept", summary: "Accept a task handover waiting for you", act: acceptIncidentTaskHandover },
    { verb: "decline", summary: "Decline a task handover waiting for you", act: declineIncidentTaskHandover },
    { verb: "cancel", summary: "Withdraw a task handover you asked for", act: cancelIncidentTaskHandover },
  ] as const;
  for (const { verb, summary, act } of answers) {
    app.post(
      `/api/v1/incidents/:ref/tasks/:taskId/handover/${verb}`,
      {
        config: { access: "responder" },
        schema: { tags, summary, params: TaskParams, response: { 200: TaskSchema, ...errors } },
      },
      async (request) =>
        withIsoDates(await act(deps, callerOf(request), request.params.ref, request.params.taskId)),
    );
  }

  app.get(
    "/api/v1/me/tasks",
    {
      schema: {
        tags,
        summary:
          "My open tasks across incidents (open or in progress), with each incident's number, title and state",
        description:
          "Tasks of resolved incidents are left out unless includeResolved=true; then they come after " +
          "those of open incidents, with incidentResolved true (the war room no longer changes them).",
        querystring: MyTasksQuery,
        response: { 200: Type.Array(MyTaskAcrossIncidentsSchema), ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(
        await myOpenTasks(deps, callerOf(request), {
          includeResolved: request.query.includeResolved === true,
        }),
      ),
  );
}
