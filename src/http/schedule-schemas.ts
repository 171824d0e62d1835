import { Type } from "typebox";

/** Schemas of the on-call schedule routes (the contract in docs: instants as ISO strings). */

const Instant = Type.String({ format: "date-time" });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 100 });

export const ScheduleParams = Type.Object({ id: Id });
export const LayerParams = Type.Object({ id: Id, layerId: Id });

export const ShiftUnitSchema = Type.Union([
  Type.Literal("hours"),
  Type.Literal("days"),
  Type.Literal("weeks"),
]);

export const TimeWindowSchema = Type.Object(
  {
    weekday: Type.Integer({ description: "0 = Sunday … 6 = Saturday, in the schedule's zone" }),
    startTime: Type.String({ maxLength: 5, description: '"HH:MM", 24-hour' }),
    endTime: Type.String({
      maxLength: 5,
      description: '"HH:MM" or "24:00"; at or before the start runs past midnight',
    }),
  },
  { additionalProperties: false },
);

export const RotationInputSchema = Type.Object(
  {
    memberIds: Type.Array(Id, { maxItems: 100, description: "User ids in turn order" }),
    shiftLength: Type.Integer({ description: "How many shift units one turn lasts" }),
    shiftUnit: ShiftUnitSchema,
    startLocal: Type.String({
      maxLength: 16,
      description: "\"YYYY-MM-DDTHH:MM\" in the schedule's zone: when the first member's first shift begins",
    }),
    restrictions: Type.Optional(
      Type.Array(TimeWindowSchema, {
        maxItems: 50,
        description: "Only inside these windows; empty: all the time",
      }),
    ),
  },
  { additionalProperties: false },
);

export const LayerInputSchema = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    priority: Type.Optional(
      Type.Integer({ description: "Higher wins where layers overlap; default: above the rest" }),
    ),
    rotation: RotationInputSchema,
  },
  { additionalProperties: false },
);

const RotationSchema = Type.Object({
  memberIds: Type.Array(Type.String()),
  shiftLength: Type.Integer(),
  shiftUnit: ShiftUnitSchema,
  startLocal: Type.String(),
  restrictions: Type.Array(TimeWindowSchema),
});

export const LayerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  priority: Type.Integer(),
  source: Type.Union([Type.Literal("rotation"), Type.Literal("fixed")]),
  rotation: Type.Union([RotationSchema, Type.Null()], {
    description: "The version in force now; null for an imported (fixed) layer",
  }),
  endedAt: NullableInstant,
});

export const ScheduleSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  timeZone: Type.String(),
  teamId: NullableString,
  layers: Type.Array(LayerSchema),
  createdAt: Instant,
  updatedAt: Instant,
});

export const ShiftSchema = Type.Object({
  userId: Type.String(),
  userName: Type.String(),
  start: Instant,
  end: Instant,
  layerId: NullableString,
  overrideId: NullableString,
});

export const PersonShiftSchema = Type.Object({
  ...ShiftSchema.properties,
  scheduleId: Type.String(),
  scheduleName: Type.String(),
});

export const OverrideSourceSchema = Type.Union([
  Type.Literal("manual"),
  Type.Literal("swap"),
  Type.Literal("cover"),
  Type.Literal("take-over"),
]);

export const OverrideSchema = Type.Object({
  id: Type.String(),
  scheduleId: Type.String(),
  userId: Type.String(),
  userName: Type.String(),
  start: Instant,
  end: Instant,
  replacesUserId: NullableString,
  source: OverrideSourceSchema,
  createdBy: Type.String(),
  createdAt: Instant,
});

export const SpanSchema = Type.Object({ start: Instant, end: Instant });

export const GapReasonSchema = Type.Union([Type.Literal("unscheduled"), Type.Literal("disabled")], {
  description:
    "unscheduled: no layer or override puts anyone on call; disabled: the person whose shift it is " +
    "is disabled (the shift stays in its layer and comes back if they are enabled again)",
});

/** A gap: its span, and why nobody is on call. */
export const GapSchema = Type.Object({
  start: Instant,
  end: Instant,
  reason: GapReasonSchema,
  userId: Type.Union([Type.String(), Type.Null()], {
    description: "Whose shift it is when the reason is disabled; else null",
  }),
  userName: NullableString,
});
export const SpanInputSchema = Type.Object(
  { start: Type.String({ format: "date-time" }), end: Type.String({ format: "date-time" }) },
  { additionalProperties: false },
);

export const TimelineSchema = Type.Object({
  scheduleId: NullableString,
  timeZone: Type.String(),
  start: Instant,
  end: Instant,
  layers: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      priority: Type.Integer(),
      shifts: Type.Array(ShiftSchema),
    }),
  ),
  overrides: Type.Array(OverrideSchema),
  final: Type.Array(ShiftSchema, {
    description: "Who is on call: the highest layer covering, overrides on top",
  }),
  gaps: Type.Array(GapSchema, {
    description:
      "Stretches where nobody is on call, split where the reason changes: a disabled person's shift is a gap naming them",
  }),
  people: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      timeZone: NullableString,
      disabled: Type.Boolean({ description: "Disabled: their shifts show in the layers but are gaps" }),
    }),
  ),
});

export const TradeStateSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("accepted"),
  Type.Literal("declined"),
  Type.Literal("cancelled"),
  Type.Literal("expired"),
]);

export const TradeSchema = Type.Object({
  id: Type.String(),
  scheduleId: Type.String(),
  kind: Type.Union([Type.Literal("swap"), Type.Literal("cover")]),
  state: TradeStateSchema,
  requesterId: Type.String(),
  requesterName: Type.String(),
  shift: SpanSchema,
  swapWith: Type.Union([
    Type.Object({ userId: Type.String(), userName: Type.String(), start: Instant, end: Instant }),
    Type.Null(),
  ]),
  offeredTo: NullableString,
  acceptedBy: NullableString,
  note: Type.String(),
  createdAt: Instant,
  decidedAt: NullableInstant,
});

/** Why a page now reaches a person by nothing, in the words the incident's timeline and `page` use. */
const UnreachableReason = Type.Union([Type.String(), Type.Null()], {
  description:
    'Why a page now would reach them by no contact method, after their name: "has no contact methods" ' +
    '("Carol has no contact methods", as the timeline says when a page reaches nobody); null: a page reaches them',
});

export const OnCallSchema = Type.Object({
  at: Instant,
  entries: Type.Array(
    Type.Object({
      scheduleId: NullableString,
      scheduleName: NullableString,
      userId: Type.String(),
      userName: Type.String(),
      start: NullableInstant,
      end: NullableInstant,
      via: Type.Union([Type.Literal("schedule"), Type.Literal("user"), Type.Literal("team")]),
      layerId: Type.Union([Type.String(), Type.Null()], {
        description:
          "Via a schedule: the layer (rotation or imported calendar) that puts them on call; null for an override",
      }),
      layerName: NullableString,
      overrideId: Type.Union([Type.String(), Type.Null()], {
        description: "Via a schedule: the override that puts them on call, over every layer",
      }),
      overrideSource: Type.Union([OverrideSourceSchema, Type.Null()]),
      escalationPolicyId: Type.Optional(
        Type.String({ description: "Asked by escalationPolicyId: the policy whose first step pages them" }),
      ),
      unreachable: UnreachableReason,
    }),
    {
      description:
        "Who is on call; a schedule in a gap adds no entry (see gaps), people paged directly have no schedule or shift",
    },
  ),
  gaps: Type.Array(
    Type.Object({
      scheduleId: Type.String(),
      scheduleName: Type.String(),
      reason: GapReasonSchema,
      userId: NullableString,
      userName: Type.Union([Type.String(), Type.Null()], {
        description: 'Whose shift it is when the reason is disabled: "nobody (Carol is disabled)"',
      }),
      start: Type.Union([Instant, Type.Null()], { description: "null: no start in sight" }),
      end: Type.Union([Instant, Type.Null()], { description: "null: no end in sight" }),
      escalationPolicyId: Type.Optional(
        Type.String({
          description: "Asked by escalationPolicyId: the policy whose first step names the schedule",
        }),
      ),
    }),
    { description: "The schedules asked about that have nobody on call at `at`, and why" },
  ),
});

export const ReachabilitySchema = Type.Object({
  at: Instant,
  people: Type.Array(
    Type.Object({
      userId: Type.String(),
      userName: Type.String(),
      disabled: Type.Boolean(),
      unreachable: Type.Union([Type.String(), Type.Null()], {
        description:
          'Why a page now would reach them by nothing, after their name: "is disabled" or ' +
          '"has no contact methods"; null: a page reaches them',
      }),
    }),
    { description: "The people asked about, in that order; unknown ids are left out" },
  ),
});

/** `?start=&end=`: a [start, end) range as ISO instants. */
export const RangeQuery = Type.Object({
  start: Type.String({ format: "date-time", description: "From this instant (inclusive)" }),
  end: Type.String({ format: "date-time", description: "Until this instant (exclusive)" }),
});

export const CalendarUrlSchema = Type.Object({
  url: Type.String({
    description: "The secret feed URL (text/calendar); anyone with it can read the shifts",
  }),
});
