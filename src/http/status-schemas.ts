import { Type } from "typebox";

/** Schemas of the status-page admin API (notes/status-api.md). Input validation and OpenAPI alike. */

const Instant = Type.String({ format: "date-time" });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 200 });
const NullableString = Type.Union([Type.String(), Type.Null()]);

const L = <T extends string>(v: T) => Type.Literal(v);

export const ComponentStatusSchema = Type.Union(
  [
    L("operational"),
    L("degraded_performance"),
    L("partial_outage"),
    L("major_outage"),
    L("under_maintenance"),
  ],
  { description: "Statuspage's component statuses" },
);
export const IncidentStatusSchema = Type.Union([
  L("investigating"),
  L("identified"),
  L("monitoring"),
  L("resolved"),
]);
export const ImpactSchema = Type.Union([L("none"), L("minor"), L("major"), L("critical")]);
export const MaintenanceStatusSchema = Type.Union([
  L("scheduled"),
  L("in_progress"),
  L("verifying"),
  L("completed"),
]);

export const PageParams = Type.Object({ id: Id });
export const GroupParams = Type.Object({ id: Id, groupId: Id });
export const ComponentParams = Type.Object({ id: Id, componentId: Id });
export const IncidentParams = Type.Object({ id: Id, incidentId: Id });
export const MaintenanceParams = Type.Object({ id: Id, maintenanceId: Id });
export const SubscriberParams = Type.Object({ id: Id, subscriberId: Id });

export const StatusPageSchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  logoUrl: NullableString,
  brandColor: Type.String({ description: '"#RRGGBB"' }),
  customDomain: NullableString,
  private: Type.Boolean(),
  secretLinkToken: Type.Optional(
    Type.String({ description: "Only in the answer to create (private pages)" }),
  ),
  timeZone: Type.String(),
  publicUrl: Type.String({ description: "Where customers see the page" }),
  createdAt: Instant,
  updatedAt: Instant,
});

const pageFields = {
  slug: Type.String({ maxLength: 63, description: "Lower-case letters, digits and dashes: /status/<slug>" }),
  title: Type.String({ maxLength: 200 }),
  logoUrl: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
  brandColor: Type.String({ maxLength: 7, description: '"#RRGGBB"' }),
  customDomain: Type.Union([Type.String({ maxLength: 253 }), Type.Null()], {
    description: "A host name whose requests show this page at /",
  }),
  private: Type.Boolean({ description: "Only signed-in people and holders of the secret link see it" }),
  timeZone: Type.String({ maxLength: 100, description: "IANA zone of the page's dates and days" }),
};

export const CreatePageBody = Type.Object(
  {
    slug: pageFields.slug,
    title: pageFields.title,
    logoUrl: Type.Optional(pageFields.logoUrl),
    brandColor: Type.Optional(pageFields.brandColor),
    customDomain: Type.Optional(pageFields.customDomain),
    private: Type.Optional(pageFields.private),
    timeZone: Type.Optional(pageFields.timeZone),
  },
  { additionalProperties: false },
);

export const UpdatePageBody = Type.Partial(Type.Object(pageFields), { additionalProperties: false });

export const GroupSchema = Type.Object({
  id: Type.String(),
  pageId: Type.String(),
  name: Type.String(),
  position: Type.Integer(),
});
export const GroupBody = Type.Object(
  { name: Type.String({ maxLength: 200 }), position: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
);
export const GroupPatch = Type.Partial(GroupBody, { additionalProperties: false });

export const ComponentSchema = Type.Object({
  id: Type.String(),
  pageId: Type.String(),
  groupId: NullableString,
  name: Type.String(),
  description: NullableString,
  position: Type.Integer(),
  serviceIds: Type.Array(Type.String()),
  manualStatus: Type.Union([ComponentStatusSchema, Type.Null()]),
  status: ComponentStatusSchema,
  onlyShowIfDegraded: Type.Boolean(),
  showcase: Type.Boolean(),
});

const componentFields = {
  groupId: Type.Union([Id, Type.Null()]),
  name: Type.String({ maxLength: 200 }),
  description: Type.Union([Type.String({ maxLength: 1000 }), Type.Null()]),
  position: Type.Integer(),
  serviceIds: Type.Array(Id, {
    maxItems: 20,
    description: "Services whose incidents this component reflects",
  }),
  manualStatus: Type.Union([ComponentStatusSchema, Type.Null()], {
    description: "Set by hand: wins over the derived status",
  }),
  onlyShowIfDegraded: Type.Boolean(),
  showcase: Type.Boolean(),
};
export const ComponentBody = Type.Object(
  {
    name: componentFields.name,
    groupId: Type.Optional(componentFields.groupId),
    description: Type.Optional(componentFields.description),
    position: Type.Optional(componentFields.position),
    serviceIds: Type.Optional(componentFields.serviceIds),
    manualStatus: Type.Optional(componentFields.manualStatus),
    onlyShowIfDegraded: Type.Optional(componentFields.onlyShowIfDegraded),
    showcase: Type.Optional(componentFields.showcase),
  },
  { additionalProperties: false },
);
export const ComponentPatch = Type.Partial(Type.Object(componentFields), { additionalProperties: false });

const UpdateSchema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  body: Type.String(),
  createdAt: Instant,
});

export const StatusIncidentSchema = Type.Object({
  id: Type.String(),
  pageId: Type.String(),
  name: Type.String(),
  status: IncidentStatusSchema,
  impact: ImpactSchema,
  componentIds: Type.Array(Type.String()),
  componentStatus: ComponentStatusSchema,
  sourceIncidentId: NullableString,
  updates: Type.Array(UpdateSchema),
  createdAt: Instant,
  resolvedAt: NullableInstant,
});

export const NewIncidentBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    status: Type.Optional(IncidentStatusSchema),
    impact: ImpactSchema,
    componentIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    componentStatus: Type.Optional(ComponentStatusSchema),
    body: Type.String({ maxLength: 10000, description: "The first update's text" }),
  },
  { additionalProperties: false },
);
export const IncidentUpdateBody = Type.Object(
  {
    status: IncidentStatusSchema,
    body: Type.String({ maxLength: 10000 }),
    componentStatus: Type.Optional(ComponentStatusSchema),
  },
  { additionalProperties: false },
);
export const IncidentPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    impact: Type.Optional(ImpactSchema),
    componentIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const MaintenanceSchema = Type.Object({
  id: Type.String(),
  pageId: Type.String(),
  name: Type.String(),
  body: Type.String(),
  componentIds: Type.Array(Type.String()),
  scheduledFor: Instant,
  scheduledUntil: Instant,
  status: MaintenanceStatusSchema,
  cancelled: Type.Boolean(),
  updates: Type.Array(UpdateSchema),
  createdAt: Instant,
});

export const NewMaintenanceBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    body: Type.String({ maxLength: 10000 }),
    componentIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    scheduledFor: Type.String({ format: "date-time" }),
    scheduledUntil: Type.String({
      format: "date-time",
      description: "After scheduledFor, at most 30 days later",
    }),
  },
  { additionalProperties: false },
);
export const MaintenancePatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    body: Type.Optional(Type.String({ maxLength: 10000 })),
    componentIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    scheduledFor: Type.Optional(Type.String({ format: "date-time" })),
    scheduledUntil: Type.Optional(Type.String({ format: "date-time" })),
    status: Type.Optional(
      Type.Union([L("in_progress"), L("verifying"), L("completed")], {
        description: "verifying, or completed to end it early",
      }),
    ),
  },
  { additionalProperties: false },
);

export const SubscriberSchema = Type.Object({
  id: Type.String(),
  pageId: Type.String(),
  kind: Type.Union([L("email"), L("webhook")]),
  email: Type.String(),
  webhookUrl: NullableString,
  confirmedAt: NullableInstant,
  createdAt: Instant,
});
