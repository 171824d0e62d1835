import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  acceptShiftTrade,
  cancelShiftTrade,
  declineShiftTrade,
} from "../../app/schedules/decide-shift-trade.js";
import { listShiftTrades, requestShiftTrade } from "../../app/schedules/request-shift-trade.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { ScheduleParams, SpanInputSchema, TradeSchema, TradeStateSchema } from "../schedule-schemas.js";
import { authErrors, IdParams, ProblemSchema } from "../schemas.js";

const span = (s: { start: string; end: string }) => ({ start: new Date(s.start), end: new Date(s.end) });

/** Swap and cover requests: responders for their own shifts, admins for anyone. */
export function registerTradeRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["shift trades"];

  app.post(
    "/api/v1/schedules/:id/trades",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Ask for a swap (offeredTo: the other person) or a cover (offeredTo empty: anyone on the schedule)",
        params: ScheduleParams,
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal("swap"), Type.Literal("cover")]),
            shift: SpanInputSchema,
            offeredTo: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            swapWith: Type.Optional(SpanInputSchema),
            requesterId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 100,
                description: "Admins only: ask on someone's behalf",
              }),
            ),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: TradeSchema, 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const trade = await requestShiftTrade(deps, callerOf(request), request.params.id, {
        kind: body.kind,
        shift: span(body.shift),
        ...(body.offeredTo !== undefined && { offeredTo: body.offeredTo }),
        ...(body.swapWith !== undefined && { swapWith: span(body.swapWith) }),
        ...(body.requesterId !== undefined && { requesterId: body.requesterId }),
        ...(body.note !== undefined && { note: body.note }),
      });
      return reply.code(201).send(withIsoDates(trade));
    },
  );

  app.get(
    "/api/v1/trades",
    {
      schema: {
        tags,
        summary:
          "Trades, newest first; mine=true: requested by me, offered to me, or open covers I could take",
        querystring: Type.Object({
          state: Type.Optional(TradeStateSchema),
          mine: Type.Optional(Type.Boolean()),
          scheduleId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
        response: { 200: Type.Array(TradeSchema), 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => withIsoDates(await listShiftTrades(deps, callerOf(request), request.query)),
  );

  app.post(
    "/api/v1/trades/:id/accept",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Accept a trade: the overrides are made at once; of two accepts of an open cover the first wins",
        params: IdParams,
        body: Type.Object(
          {
            userId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 100,
                description: "Admins only: accept for this person",
              }),
            ),
          },
          { additionalProperties: false, description: "Optional: without a body, accept as myself" },
        ),
        response: { 200: TradeSchema, 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
      // A POST without a body (as the console sends) is "accept as myself".
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) =>
      withIsoDates(
        await acceptShiftTrade(deps, callerOf(request), request.params.id, {
          ...(request.body.userId !== undefined && { userId: request.body.userId }),
        }),
      ),
  );

  app.post(
    "/api/v1/trades/:id/decline",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Decline a trade offered to me",
        params: IdParams,
        response: { 200: TradeSchema, 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request) => withIsoDates(await declineShiftTrade(deps, callerOf(request), request.params.id)),
  );

  app.post(
    "/api/v1/trades/:id/cancel",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Withdraw my trade request",
        params: IdParams,
        response: { 200: TradeSchema, 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request) => withIsoDates(await cancelShiftTrade(deps, callerOf(request), request.params.id)),
  );
}
