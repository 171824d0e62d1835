import type { AlertLevel } from "../alerts/alert-event.js";

/**
 * What every channel renders: one incident at one moment. Channels (Slack, email, Teams, …) turn
 * this into their own format; none of them reads the database.
 */
export interface IncidentMessage {
  readonly incidentId: string;
  /** Human number, e.g. 42 for INC-42. */
  readonly incidentNumber: number;
  /** "test" and "notice" (on-call notices: handoffs, trades, summaries) are about no incident. */
  readonly event: "triggered" | "escalated" | "acknowledged" | "resolved" | "reopened" | "test" | "notice";
  readonly title: string;
  readonly state: "triggered" | "acknowledged" | "resolved";
  readonly level: AlertLevel;
  readonly serviceName: string;
  readonly openedAt: Date;
  /** Who it is for, when it pages a person: their display name. Null for shared channels. */
  readonly recipientName: string | null;
  /** Open the incident in the console. */
  readonly incidentUrl: string;
  /** Signed, single-purpose, expiring links; absent where the recipient is not a person. */
  readonly acknowledgeUrl: string | null;
  readonly resolveUrl: string | null;
  /** Key facts of the incident's alerts, at most a handful, for the body. */
  readonly details: readonly { readonly label: string; readonly value: string }[];
  readonly links: readonly { readonly href: string; readonly text: string | null }[];
}
