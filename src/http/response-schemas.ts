import { Type, type TProperties } from "typebox";
import { AlertSchema, ChangeEventSchema, IncidentSchema } from "./incident-schemas.js";
import { authErrors, nullableInput, ProblemSchema } from "./schemas.js";

/** Schemas of the incident response API (docs/…/response-api contract). Input and OpenAPI alike. */

const Instant = Type.String({ format: "date-time" });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 100 });

/** The OpenAPI tag and error answers the incident response routes share. */
export const RESPONSE_TAGS = ["incident response"];
export const responseErrors = { 404: ProblemSchema, 409: ProblemSchema, 412: ProblemSchema, ...authErrors };

export const RefParams = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 100, description: "Incident id, number, or INC-<number>" }),
});
/** Params of a route below one incident: its ref and those of the thing under it. */
export const refParamsWith = <P extends TProperties>(more: P) =>
  Type.Object({ ...RefParams.properties, ...more });

export const SeveritySchema = Type.Union(
  [Type.Literal("SEV1"), Type.Literal("SEV2"), Type.Literal("SEV3"), Type.Literal("SEV4")],
  { description: "SEV1 critical … SEV4 low; GET …/response lists their meanings" },
);
export const ImpactLevelSchema = Type.Union(
  [Type.Literal("degradation"), Type.Literal("data-corruption"), Type.Literal("outage")],
  {
    description:
      "degradation: slow or delayed; data-corruption: processing data wrongly; outage: unavailable",
  },
);
export const PhaseSchema = Type.Union([
  Type.Literal("investigating"),
  Type.Literal("identified"),
  Type.Literal("monitoring"),
  Type.Literal("resolved"),
]);
export const FixKindSchema = Type.Union([
  Type.Literal("rollback"),
  Type.Literal("hotfix"),
  Type.Literal("proper-fix"),
]);
export const TaskStateSchema = Type.Union([
  Type.Literal("open"),
  Type.Literal("in-progress"),
  Type.Literal("done"),
  Type.Literal("dropped"),
]);

export const CallInTargetSchema = Type.Union([
  Type.Object({ kind: Type.Literal("user"), userId: Id }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal("team"), teamId: Id }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal("contact"), contactId: Id },
    { additionalProperties: false, description: "A vendor of the directory: put on the timeline to call" },
  ),
]);

export const ResponseSchema = Type.Object({
  incidentId: Type.String(),
  phase: PhaseSchema,
  severity: Type.Union([SeveritySchema, Type.Null()]),
  level: Type.Union([ImpactLevelSchema, Type.Null()]),
  onCallCanHandle: Type.Union([Type.Boolean(), Type.Null()]),
  callIn: Type.Array(CallInTargetSchema),
  triageNote: Type.String(),
  triagedAt: NullableInstant,
  triagedBy: NullableString,
  handlerId: NullableString,
  handlerName: NullableString,
  commsLeadId: NullableString,
  responderIds: Type.Array(Type.String()),
  pendingHandover: Type.Union([
    Type.Object({ fromId: Type.String(), toId: Type.String(), proposedAt: Instant }),
    Type.Null(),
  ]),
  watch: Type.Union([
    Type.Object({
      fixNumber: Type.Integer(),
      startedAt: Instant,
      endsAt: Instant,
      watchMinutes: Type.Integer(),
    }),
    Type.Null(),
  ]),
  publicUpdateRequired: Type.Boolean({ description: "A public update is required and none is posted yet" }),
  nextPublicUpdateReminderAt: NullableInstant,
  videoCallUrl: NullableString,
  channel: Type.Object({
    kind: Type.Union([Type.Literal("slack-channel"), Type.Literal("thread"), Type.Literal("none")]),
    name: NullableString,
    url: NullableString,
  }),
});

export const TaskSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  ownerId: NullableString,
  ownerName: NullableString,
  state: TaskStateSchema,
  pendingHandover: Type.Union([
    Type.Object({
      fromId: Type.String(),
      toId: Type.String(),
      requestedBy: Type.String(),
      requestedAt: Instant,
    }),
    Type.Null(),
  ]),
  createdBy: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
});

export const MyTaskSchema = Type.Object({
  ...TaskSchema.properties,
  incidentId: Type.String(),
  incidentNumber: Type.Integer(),
  incidentTitle: Type.String(),
});

export const FixSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  kind: FixKindSchema,
  description: Type.String(),
  authorId: Type.String(),
  authorName: Type.String(),
  state: Type.Union([
    Type.Literal("in-progress"),
    Type.Literal("deployed"),
    Type.Literal("verified"),
    Type.Literal("failed"),
  ]),
  startedAt: Instant,
  deployedAt: NullableInstant,
  verifiedAt: NullableInstant,
  failedAt: NullableInstant,
  overriddenBy: NullableString,
  overrideReason: NullableString,
});

export const FollowUpSchema = Type.Object({
  incidentId: Type.String(),
  incidentNumber: Type.Integer(),
  fixNumber: Type.Integer(),
  ownerId: Type.String(),
  ownerName: Type.String(),
  state: Type.Union([Type.Literal("open"), Type.Literal("done"), Type.Literal("cancelled")]),
  createdAt: Instant,
  dueAt: Instant,
  closedAt: NullableInstant,
  overdue: Type.Boolean(),
});

export const StartedFixSchema = Type.Object({
  ...FixSchema.properties,
  followUp: Type.Union([FollowUpSchema, Type.Null()], {
    description: "The proper-fix follow-up of a hotfix",
  }),
});

export const PublicUpdateSchema = Type.Object({
  id: Type.String(),
  status: PhaseSchema,
  message: Type.String(),
  postedBy: Type.String(),
  postedByName: Type.String(),
  postedAt: Instant,
  componentIds: Type.Array(Type.String()),
});

const TitledLinkSchema = Type.Object({ title: Type.String(), url: Type.String() });
const TitledLinkInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const WarRoomSchema = Type.Object({
  incident: IncidentSchema,
  response: ResponseSchema,
  tasks: Type.Array(TaskSchema),
  fixes: Type.Array(FixSchema),
  followUps: Type.Array(FollowUpSchema),
  publicUpdates: Type.Array(PublicUpdateSchema),
  diagnosis: Type.Object({
    runbookUrl: NullableString,
    dashboards: Type.Array(TitledLinkSchema),
    links: Type.Array(TitledLinkSchema),
    recentChanges: Type.Array(ChangeEventSchema, {
      description: "The service's change events, newest first, ≤ 20",
    }),
    alerts: Type.Array(AlertSchema, {
      description:
        "The first 100 alerts in start order; GET /api/v1/incidents/{ref}/alerts pages through all",
    }),
    alertCounts: Type.Object({ total: Type.Integer(), firing: Type.Integer() }),
  }),
  playbook: Type.Union([
    Type.Object({ level: ImpactLevelSchema, steps: Type.Array(Type.String()) }),
    Type.Null(),
  ]),
  severities: Type.Array(Type.Object({ id: SeveritySchema, title: Type.String(), meaning: Type.String() })),
  levels: Type.Array(Type.Object({ id: ImpactLevelSchema, title: Type.String(), definition: Type.String() })),
  oneFixBlock: Type.Union([Type.Object({ reason: Type.String(), fixNumber: Type.Integer() }), Type.Null()]),
  publicUpdateDraft: Type.Union([Type.Object({ status: PhaseSchema, message: Type.String() }), Type.Null()]),
});

export const VendorSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  phone: NullableString,
  url: NullableString,
  notes: Type.String(),
});

export const VendorInputFields = {
  phone: Type.Optional(nullableInput.string({ maxLength: 50 })),
  url: Type.Optional(nullableInput.string({ maxLength: 2000 })),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
};

export const DirectorySchema = Type.Object({
  teams: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      escalationPolicies: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
      members: Type.Array(
        Type.Object({
          userId: Type.String(),
          name: Type.String(),
          email: Type.String(),
          role: Type.String(),
        }),
      ),
    }),
  ),
  people: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      email: Type.String(),
      phones: Type.Array(Type.Object({ label: Type.String(), number: Type.String() })),
    }),
  ),
  vendors: Type.Array(VendorSchema),
});

const FollowUpHoursSchema = Type.Object(
  { outage: Type.Integer(), "data-corruption": Type.Integer(), degradation: Type.Integer() },
  { additionalProperties: false, description: "Hours from a hotfix to its proper fix's deadline, per level" },
);

export const ResponseSettingsSchema = Type.Object({
  serviceId: Type.String(),
  runbookUrl: NullableString,
  dashboards: Type.Array(TitledLinkSchema),
  links: Type.Array(TitledLinkSchema),
  watchMinutes: Type.Integer(),
  followUpHours: FollowUpHoursSchema,
  publicUpdateEveryMinutes: Type.Integer(),
  stakeholderEmails: Type.Array(Type.String()),
  dependentServiceIds: Type.Array(Type.String()),
});

export const ResponseSettingsInput = Type.Object(
  {
    runbookUrl: Type.Optional(nullableInput.string({ maxLength: 2000 })),
    dashboards: Type.Optional(Type.Array(TitledLinkInput, { maxItems: 20 })),
    links: Type.Optional(Type.Array(TitledLinkInput, { maxItems: 20 })),
    watchMinutes: Type.Optional(
      Type.Integer({ description: "The watch after a deployed fix (default 30 minutes)" }),
    ),
    followUpHours: Type.Optional(FollowUpHoursSchema),
    publicUpdateEveryMinutes: Type.Optional(
      Type.Integer({ description: "How often the public-update reminder repeats (default 15)" }),
    ),
    stakeholderEmails: Type.Optional(Type.Array(Type.String({ maxLength: 254 }), { maxItems: 50 })),
    dependentServiceIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
