/**
 * How an Alertmanager-shaped alert (webhook `alerts[]`, API v2 `postableAlert`) fills the parts of an
 * AlertEvent that both formats share: summary, severity, source and links.
 */
import { httpLink, uniqueLinks, type EventLink } from "./event-links.js";
import { summaryLine } from "./event-text.js";
import { nonBlankString, own } from "./json-input.js";

type StringMap = Readonly<Record<string, string>>;

/** `annotations.summary`, else `annotations.description`, else `labels.alertname`, else "Alert". */
export function alertmanagerSummary(labels: StringMap, annotations: StringMap): string {
  const text =
    nonBlankString(own(annotations, "summary")) ??
    nonBlankString(own(annotations, "description")) ??
    nonBlankString(own(labels, "alertname")) ??
    "Alert";
  return summaryLine(text);
}

/** The `severity` label, if it says anything. */
export function alertmanagerSeverity(labels: StringMap): string | null {
  return nonBlankString(own(labels, "severity"));
}

/** The `instance` label (host:port), else the `job` label. */
export function alertmanagerSource(labels: StringMap): string | null {
  return nonBlankString(own(labels, "instance")) ?? nonBlankString(own(labels, "job"));
}

/** Extra backlinks a sender adds (Grafana's dashboard, panel and silence pages). */
export type ExtraLink = readonly [href: unknown, text: string];

/** The generator (Prometheus graph or Grafana rule), the runbook annotation, then any extras. */
export function alertmanagerLinks(
  generatorURL: unknown,
  annotations: StringMap,
  extras: readonly ExtraLink[] = [],
): EventLink[] {
  return uniqueLinks([
    httpLink(generatorURL, "Source"),
    httpLink(own(annotations, "runbook_url"), "Runbook"),
    ...extras.map(([href, text]) => httpLink(href, text)),
  ]);
}
