import { Type } from "typebox";

/** Schemas shared by several routes. They validate input and are the source of the OpenAPI document. */
export const RoleSchema = Type.Union(
  [Type.Literal("viewer"), Type.Literal("responder"), Type.Literal("admin")],
  {
    description: "viewer < responder < admin",
  },
);

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
  timeZone: Type.Union([Type.String(), Type.Null()], {
    description: "IANA time zone for local times and night hours; null: not set",
  }),
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

// ——— The alert pipeline ———

const NullableString = Type.Union([Type.String(), Type.Null()]);

/**
 * `T | null` for request bodies, as one `type: [T, "null"]`. The app's ajv coerces types, and in a
 * union it coerces null into the first branch (`null` → `0` or `""`), which a type list does not.
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
const Links = Type.Array(Type.Object({ href: Type.String(), text: NullableString }));
const StringMap = Type.Record(Type.String(), Type.String());
const AnyMap = Type.Record(Type.String(), Type.Unknown());

export const GroupingSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal("group-key"), Type.Literal("labels"), Type.Literal("none")], {
      description:
        "group-key: the source's group (Alertmanager groupKey); labels: these labels' values; none: one incident per alert",
    }),
    labels: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 }),
    windowMinutes: nullableInput.integer({
      description: "Join only incidents opened this recently; null: any open incident",
    }),
  },
  { additionalProperties: false },
);

export const ServiceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  teamId: NullableString,
  escalationPolicyId: NullableString,
  channelId: NullableString,
  grouping: GroupingSchema,
  autoResolve: Type.Boolean(),
  reopenWindowMinutes: Type.Integer(),
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
  rateLimitPerMinute: Type.Integer(),
  heartbeatIntervalSeconds: Type.Union([Type.Integer(), Type.Null()]),
  heartbeatGraceSeconds: Type.Union([Type.Integer(), Type.Null()]),
  lastCheckInAt: NullableInstant,
  disabledAt: NullableInstant,
  createdAt: Instant,
  rotatedAt: NullableInstant,
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
    { kind: Type.Literal("user"), userId: Type.String({ minLength: 1, maxLength: 100 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal("team"), teamId: Type.String({ minLength: 1, maxLength: 100 }) },
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
      description: "Minutes to wait for an acknowledgement before the next step",
    }),
    targets: Type.Array(EscalationTargetSchema, { maxItems: 100 }),
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
  userId: Type.String(),
  kind: Type.String(),
  label: Type.String(),
  description: Type.String({ description: "The settings described without secrets" }),
  createdAt: Instant,
});

export const NotificationRuleSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  contactMethodId: Type.String(),
  delayMinutes: Type.Integer(),
});

export const TestOutcomeSchema = Type.Object({
  delivered: Type.Boolean(),
  error: Type.Optional(Type.String({ description: "Why it was not delivered, without secrets" })),
  retryable: Type.Optional(Type.Boolean({ description: "Whether trying again later may help" })),
});

export const IncidentSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer({ description: "Shown as INC-<number>" }),
  serviceId: Type.String(),
  title: Type.String(),
  state: Type.Union([Type.Literal("triggered"), Type.Literal("acknowledged"), Type.Literal("resolved")]),
  level: LevelSchema,
  openedAt: Instant,
  acknowledgedAt: NullableInstant,
  acknowledgedBy: NullableString,
  resolvedAt: NullableInstant,
  resolvedBy: NullableString,
  escalation: Type.Union([
    Type.Object({
      policyId: Type.String(),
      policyName: Type.String(),
      policyUpdatedAt: Type.String(),
      steps: Type.Array(EscalationStepSchema),
      repeatCount: Type.Integer(),
    }),
    Type.Null(),
  ]),
  escalationStep: Type.Integer(),
  escalationLoop: Type.Integer(),
  assigneeIds: Type.Array(Type.String()),
  updatedAt: Instant,
});

export const AlertSchema = Type.Object({
  id: Type.String(),
  integrationId: Type.String(),
  dedupKey: Type.String(),
  status: Type.Union([Type.Literal("firing"), Type.Literal("resolved")]),
  level: LevelSchema,
  suppressed: Type.Boolean(),
  summary: Type.String(),
  severity: NullableString,
  labels: StringMap,
  details: AnyMap,
  source: NullableString,
  links: Links,
  startedAt: Instant,
  lastEventAt: Instant,
  expiresAt: NullableInstant,
  resolvedAt: NullableInstant,
  eventCount: Type.Integer(),
});

export const TimelineEntrySchema = Type.Object({
  id: Type.String(),
  at: Instant,
  kind: Type.String(),
  actor: Type.Union([
    Type.Object({ kind: Type.String(), id: Type.String(), label: Type.String() }),
    Type.Null(),
  ]),
  message: Type.String(),
  data: AnyMap,
});

export const DeliverySchema = Type.Object({
  id: Type.String(),
  event: Type.String(),
  recipientKind: Type.Union([Type.Literal("user"), Type.Literal("channel")]),
  recipientId: Type.String(),
  contactMethodId: NullableString,
  channelId: NullableString,
  status: Type.Union([
    Type.Literal("pending"),
    Type.Literal("sent"),
    Type.Literal("failed"),
    Type.Literal("skipped"),
  ]),
  attempts: Type.Integer(),
  lastError: NullableString,
  createdAt: Instant,
  sentAt: NullableInstant,
});

export const ChangeEventSchema = Type.Object({
  id: Type.String(),
  summary: Type.String(),
  source: NullableString,
  occurredAt: Instant,
  details: AnyMap,
  links: Links,
});

export const IncidentAlertsPageSchema = Type.Object({
  items: Type.Array(AlertSchema),
  total: Type.Integer({ description: "Alerts in this incident" }),
  firing: Type.Integer({ description: "Of which still firing" }),
});

export const IncidentDetailSchema = Type.Object({
  incident: IncidentSchema,
  serviceName: Type.String(),
  alerts: Type.Array(AlertSchema, {
    description: "The first 100 alerts in start order; GET /api/v1/incidents/{ref}/alerts pages through all",
  }),
  alertCounts: Type.Object({
    total: Type.Integer({ description: "Alerts in this incident" }),
    firing: Type.Integer({ description: "Of which still firing" }),
  }),
  timeline: Type.Array(TimelineEntrySchema, {
    description:
      "Every entry, except that only the first 100 'alert.added' and 'alert.resolved' entries are listed",
  }),
  omittedTimelineEntries: Type.Integer({
    description: "'alert.added' and 'alert.resolved' entries left out of the timeline (an alert storm)",
  }),
  deliveries: Type.Array(DeliverySchema, {
    description: "Messages sent for this incident; where they went is named, never their settings",
  }),
  recentChanges: Type.Array(ChangeEventSchema, {
    description: "Deploys and changes of the service from six hours before the incident",
  }),
});
