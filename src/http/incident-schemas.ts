import { Type } from "typebox";
import {
  AnyMap,
  EscalationStepSchema,
  Instant,
  LevelSchema,
  Links,
  NullableInstant,
  NullableString,
  StringMap,
} from "./schemas.js";

/** Schemas of incidents and what hangs off them (alerts, timeline, deliveries, changes). */
export const IncidentSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer({ description: "Shown as INC-42 for 42" }),
  serviceId: Type.String(),
  title: Type.String(),
  state: Type.Union([Type.Literal("triggered"), Type.Literal("acknowledged"), Type.Literal("resolved")]),
  level: LevelSchema,
  openedAt: Instant,
  acknowledgedAt: NullableInstant,
  acknowledgedBy: Type.Union([Type.String(), Type.Null()], {
    description:
      "Who acknowledged: a user's or API key's id, or the integration's whose sender did (PagerDuty)",
  }),
  resolvedAt: NullableInstant,
  resolvedBy: Type.Union([Type.String(), Type.Null()], {
    description: "Who resolved: a user's or API key's id, or system (all its alerts resolved)",
  }),
  escalation: Type.Union(
    [
      Type.Object({
        policyId: Type.String(),
        policyName: Type.String(),
        policyUpdatedAt: Type.String(),
        steps: Type.Array(EscalationStepSchema),
        repeatCount: Type.Integer(),
      }),
      Type.Null(),
    ],
    {
      description:
        "The service's escalation policy as it was when the incident opened (or reopened); null: it pages nobody",
    },
  ),
  escalationStep: Type.Integer({
    description:
      "The step of the current escalation, from 0 (step 1). An escalation starts at 0 when the incident opens, " +
      "reopens or is re-triggered; at notify level no step runs until it rises to page or is escalated by hand",
  }),
  escalationLoop: Type.Integer({
    description: "The round through the policy's steps of the current escalation, from 0 (the first)",
  }),
  assigneeIds: Type.Array(Type.String(), {
    description: "People it was reassigned to by hand, paged in place of the current step",
  }),
  updatedAt: Instant,
});

/** A row of GET /api/v1/incidents: the incident, and when its escalation pages next. */
export const IncidentListItemSchema = Type.Object({
  ...IncidentSchema.properties,
  nextEscalationAt: Type.Union([Instant, Type.Null()], {
    description:
      "When the escalation moves on if nobody acknowledges, as GET /api/v1/incidents/{ref} says: the next step " +
      "is paged (after a reassignment the policy resumes; after the last step it runs out). In the past while " +
      "the engine is late. Null unless triggered with a timer waiting: acknowledged, resolved, no policy, run out",
  }),
});

export const AlertSchema = Type.Object({
  id: Type.String(),
  integrationId: Type.String(),
  dedupKey: Type.String({
    description: "The alert's identity at its source: events with it update this alert",
  }),
  status: Type.Union([Type.Literal("firing"), Type.Literal("resolved")]),
  level: LevelSchema,
  suppressed: Type.Boolean({ description: "Held back by a maintenance window: it has paged nobody" }),
  summary: Type.String(),
  severity: NullableString,
  labels: StringMap,
  details: AnyMap,
  source: NullableString,
  links: Links,
  startedAt: Instant,
  lastEventAt: Instant,
  expiresAt: Type.Union([Instant, Type.Null()], {
    description: "Resolves by itself then unless sent again (Alertmanager API v2's endsAt)",
  }),
  resolvedAt: NullableInstant,
  eventCount: Type.Integer({ description: "Events received for it, repeats included" }),
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
  event: Type.String({
    description: "What it told: triggered, escalated, acknowledged, resolved, reopened…",
  }),
  recipientKind: Type.Union([Type.Literal("user"), Type.Literal("channel")]),
  recipientId: Type.String(),
  contactMethodId: NullableString,
  channelId: NullableString,
  status: Type.Union(
    [Type.Literal("pending"), Type.Literal("sent"), Type.Literal("failed"), Type.Literal("skipped")],
    { description: "skipped: no longer needed when due (acknowledged or resolved by then)" },
  ),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()], {
    description:
      "Why the last try failed, or why it was skipped (an ack or resolve before the page went out), without secrets",
  }),
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
