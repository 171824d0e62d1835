import { Type, type Static, type TSchema } from "typebox";

/** Schemas shared by several routes. They validate input and are the source of the OpenAPI document. */
export const RoleSchema = Type.Union(
  [Type.Literal("viewer"), Type.Literal("responder"), Type.Literal("admin")],
  {
    description: "viewer < responder < admin",
  },
);

/** The same schema, validating the same, with a description of what the field means where it is used. */
export const describedAs = <T extends TSchema>(schema: T, description: string) =>
  Type.Unsafe<Static<T>>({ ...schema, description });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const ProblemFields = {
  type: Type.String({
    description:
      "urn:firebreak:problem: and the code in kebab case, such as urn:firebreak:problem:not-found; a refusal " +
      "clients act on has its own: urn:firebreak:problem:acts-for-no-person (403, code FORBIDDEN: an API key " +
      "that acts for no person, where the action belongs to a person)",
  }),
  title: Type.String({ description: "The status in words" }),
  status: Type.Integer({ description: "The HTTP status" }),
  code: Type.String({
    description:
      "VALIDATION, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, REQUEST_TIMEOUT, CONFLICT, " +
      "PRECONDITION_FAILED, PAYLOAD_TOO_LARGE, URI_TOO_LONG, UNSUPPORTED_MEDIA_TYPE, RATE_LIMITED, " +
      "REQUEST_HEADER_FIELDS_TOO_LARGE, UNAVAILABLE or INTERNAL",
  }),
  detail: Type.String({ description: "What went wrong, for people; never a secret" }),
  errors: Type.Optional(
    Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), {
      description: "For VALIDATION: each field at fault, as /name or querystring /limit",
    }),
  ),
  requestId: Type.String({ description: "Also in the X-Request-Id header and the server's log" }),
  instance: Type.Optional(Type.String({ description: "The path that was requested" })),
};

/** The problem schemas of error responses, so the OpenAPI document can show them as problem+json. */
const problemSchemas = new WeakSet<object>();

/** An error response in RFC 9457 problem details, described by when it happens. */
export const problemResponse = (when: string) => {
  const schema = Type.Object(ProblemFields, { description: when });
  problemSchemas.add(schema);
  return schema;
};

/** The 404 of every route that names a service, as services do: by id or exact name. */
export const ServiceNotFound = problemResponse("No service has this id or exact name");

/** ProblemSchema's description: an error response that does not say when it happens. */
export const GENERIC_PROBLEM = "RFC 9457 problem details";
export const ProblemSchema = problemResponse(GENERIC_PROBLEM);

/** Whether a route's response schema is a problem (the error handler sends it as problem+json). */
export const isProblemResponse = (schema: unknown): boolean =>
  typeof schema === "object" && schema !== null && problemSchemas.has(schema);

export const Instant = Type.String({ format: "date-time" });
export const NullableInstant = Type.Union([Instant, Type.Null()]);

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  hasPassword: Type.Boolean(),
  disabledAt: NullableInstant,
  createdAt: Instant,
  timeZone: Type.Union([Type.String(), Type.Null()], {
    description: "IANA time zone for local times and night hours; null: not set",
  }),
  phone: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description:
        "The number an incident's Directory shows; null: not set. GET /users leaves it out for other people unless the caller is an admin; the Directory shows everyone's",
    }),
  ),
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

/** An API key as anyone signed in may see it: how timelines name it, never its secret, prefix or role. */
export const ApiKeyNameSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()], {
    description: "The person the key acts for (GET /api/v1/users names them); null: nobody",
  }),
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
  503: ProblemSchema,
};

// ——— The alert pipeline ———

export const NullableString = Type.Union([Type.String(), Type.Null()]);

/**
 * `T | null` for request bodies, as one `type: [T, "null"]`. Bodies are checked without type coercion
 * (validators-by-part.ts), but query strings and path parameters are coerced, and there ajv coerces a
 * union's null into its first branch (`null` → `0` or `""`), which a type list does not.
 */
export const nullableInput = {
  integer: (options: Record<string, unknown> = {}) =>
    Type.Unsafe<number | null>({ ...options, type: ["integer", "null"] }),
  string: (options: Record<string, unknown> = {}) =>
    Type.Unsafe<string | null>({ ...options, type: ["string", "null"] }),
};
export const LevelSchema = Type.Union(
  [Type.Literal("page"), Type.Literal("notify"), Type.Literal("ticket")],
  {
    description: "page wakes the on-call person, notify posts to the service's channel, ticket only records",
  },
);
export const Links = Type.Array(Type.Object({ href: Type.String(), text: NullableString }));
export const StringMap = Type.Record(Type.String(), Type.String());
export const AnyMap = Type.Record(Type.String(), Type.Unknown());

export const GroupingSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal("group-key"), Type.Literal("labels"), Type.Literal("none")], {
      description:
        "group-key: the source's group (Alertmanager groupKey); labels: these labels' values; none: one incident per alert",
    }),
    labels: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      maxItems: 50,
      description: "For mode labels: the label names whose values make the group (at most 20)",
    }),
    windowMinutes: nullableInput.integer({
      description: "Join only incidents opened this recently, 1 to 10080; null: any open incident",
    }),
  },
  {
    additionalProperties: false,
    description:
      "Which open incident a new alert joins. Default: {mode: group-key, labels: [], windowMinutes: null}",
  },
);

export const ServiceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  teamId: Type.Union([Type.String(), Type.Null()], { description: "The owning team; null: none" }),
  escalationPolicyId: Type.Union([Type.String(), Type.Null()], {
    description: "Who is paged for page-level incidents; null: nobody",
  }),
  channelId: Type.Union([Type.String(), Type.Null()], {
    description: "The shared channel told about page- and notify-level incidents; null: none",
  }),
  grouping: GroupingSchema,
  autoResolve: Type.Boolean({ description: "The incident resolves when all its alerts have resolved" }),
  reopenWindowMinutes: Type.Integer({
    description: "A new alert this soon after its incident resolved reopens it (0: never)",
  }),
  createdAt: Instant,
  updatedAt: Instant,
});

export const IntegrationKindSchema = Type.Union(
  [
    Type.Literal("alertmanager"),
    Type.Literal("prometheus"),
    Type.Literal("pagerduty"),
    Type.Literal("webhook"),
    Type.Literal("heartbeat"),
  ],
  { description: "What sends to it, which decides the URL and the format" },
);

export const IntegrationSchema = Type.Object({
  id: Type.String(),
  serviceId: Type.String(),
  kind: IntegrationKindSchema,
  name: Type.String(),
  key: Type.String({
    description: "The secret that authenticates senders; in the URL, or the PagerDuty routing_key",
  }),
  url: Type.String({ description: "The URL to paste into the sender" }),
  snippets: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      format: Type.Union([Type.Literal("yaml"), Type.Literal("shell"), Type.Literal("text")]),
      text: Type.String(),
    }),
    { description: "Copy-paste configuration for the usual senders of this kind" },
  ),
  defaultLevel: LevelSchema,
  rateLimitPerMinute: Type.Integer({ description: "Events a minute before 429" }),
  heartbeatIntervalSeconds: Type.Union([Type.Integer(), Type.Null()], {
    description: "Heartbeat: the expected check-in interval; null for other kinds",
  }),
  heartbeatGraceSeconds: Type.Union([Type.Integer(), Type.Null()], {
    description: "Heartbeat: lateness allowed before an alert opens; null for other kinds",
  }),
  lastCheckInAt: Type.Union([Instant, Type.Null()], {
    description: "Heartbeat: the last check-in; null: none yet, so it waits for its first and does not alert",
  }),
  nextCheckDueAt: Type.Union([Instant, Type.Null()], {
    description:
      "Heartbeat: a check-in by then is on time, else the pending check just after it alerts; from the check " +
      "itself, so after a disable and an enable it runs from the enable. Null: no check would alert (another " +
      "kind, no first check-in yet, disabled, or the check ran and alerted; the next check-in resolves it)",
  }),
  disabledAt: Type.Union([Instant, Type.Null()], {
    description: "Since when its senders are refused with 403; null: enabled",
  }),
  createdAt: Instant,
  rotatedAt: Type.Union([Instant, Type.Null()], { description: "When the key was last replaced" }),
});

export const MaintenanceWindowSchema = Type.Object({
  id: Type.String(),
  serviceId: Type.String(),
  window: Type.Union([
    Type.Object({ kind: Type.Literal("one-off"), startsAt: Instant, endsAt: Instant }),
    Type.Object({
      kind: Type.Literal("weekly"),
      weekdays: Type.Array(Type.Integer(), { description: "0 = Sunday … 6 = Saturday, in timeZone" }),
      startTime: Type.String({ description: '"HH:MM", 24-hour, in timeZone' }),
      durationMinutes: Type.Integer(),
      timeZone: Type.String(),
    }),
  ]),
  reason: Type.String(),
  createdBy: NullableString,
  createdAt: Instant,
  activeNow: Type.Boolean({ description: "Whether the window holds pages back right now" }),
});

export const EscalationTargetSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal("user"),
      userId: Type.String({ minLength: 1, maxLength: 100, description: "Pages this person" }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal("team"),
      teamId: Type.String({
        minLength: 1,
        maxLength: 100,
        description: "Pages every member of the team when the step runs",
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal("schedule"),
      scheduleId: Type.String({
        minLength: 1,
        maxLength: 100,
        description: "Pages whoever is on call in the schedule when the step runs",
      }),
    },
    { additionalProperties: false },
  ),
]);

export const EscalationStepSchema = Type.Object(
  {
    delayMinutes: Type.Integer({
      description: "Minutes to wait for an acknowledgement before the next step, 1 to 1440",
    }),
    targets: Type.Array(EscalationTargetSchema, {
      maxItems: 100,
      description:
        "Who this step pages, 1 to 20 targets; people are paged through their own notification rules",
    }),
  },
  { additionalProperties: false },
);

export const EscalationPolicySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  steps: Type.Array(EscalationStepSchema),
  repeatCount: Type.Integer({
    description: "Rounds through all the steps after the first (0: once through)",
  }),
  updatedAt: Instant,
});

export const ChannelSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  description: Type.String({
    description: "The settings described without secrets; the settings themselves are never returned",
  }),
  createdAt: Instant,
  updatedAt: Instant,
});

export const ContactMethodSchema = Type.Object({
  id: Type.String(),
  userId: Type.String({ description: "The person it reaches" }),
  kind: Type.String({ description: "The channel it goes through: email, slack, webhook, ntfy…" }),
  label: Type.String({ description: "The person's own name for it, such as “work phone”" }),
  description: Type.String({ description: "The settings described without secrets" }),
  createdAt: Instant,
});

export const NotificationRuleSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  contactMethodId: Type.String({ description: "The contact method this rule sends to" }),
  delayMinutes: Type.Integer({
    description: "Minutes after the person is paged (0: at once); not sent once the incident is acknowledged",
  }),
});

export const TestOutcomeSchema = Type.Object({
  delivered: Type.Boolean(),
  error: Type.Optional(Type.String({ description: "Why it was not delivered, without secrets" })),
  retryable: Type.Optional(Type.Boolean({ description: "Whether trying again later may help" })),
});
