import { Type } from "typebox";

/** Schemas shared by several routes. They validate input and are the source of the OpenAPI document. */
export const RoleSchema = Type.Union([Type.Literal("viewer"), Type.Literal("responder"), Type.Literal("admin")], {
  description: "viewer < responder < admin",
});


export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    requestId: Type.String(),
    instance: Type.Optional(Type.String()),
  },
  { description: "RFC 9457 problem details" },
);

const Instant = Type.String({ format: "date-time" });
const NullableInstant = Type.Union([Instant, Type.Null()]);

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  hasPassword: Type.Boolean(),
  disabledAt: NullableInstant,
  createdAt: Instant,
});

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: "The first characters of the key, to tell keys apart" }),
  role: RoleSchema,
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
  lastUsedAt: NullableInstant,
  revokedAt: NullableInstant,
});

export const TeamSchema = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Instant });

export const MembershipSchema = Type.Object({
  teamId: Type.String(),
  userId: Type.String(),
  role: Type.Union([Type.Literal("member"), Type.Literal("manager")]),
  createdAt: Instant,
  email: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
});

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Instant,
  actor: Type.Object({ kind: Type.String(), id: Type.String(), label: Type.String() }),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
});

/** Standard error responses, so the OpenAPI document lists them on every authenticated route. */
export const authErrors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
};
