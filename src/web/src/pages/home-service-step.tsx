// Home's "Create a service and connect your monitoring" step: done only once a service both takes
// alerts (an enabled integration) and pages someone (an escalation policy); otherwise it names
// what is missing on which service. The service list carries each service's integration counts,
// so one request answers it however many services there are.
import type { ReactNode } from "react";
import { alerting, type Service } from "../alerting-api";
import { Link } from "../router";

/** At most this many gaps are named; the services page has the rest. */
const NAMED = 3;

export interface ServiceCheck {
  service: Service;
  /** Integrations that take alerts (not disabled). */
  enabled: number;
  /** Integrations there are, disabled ones included. */
  total: number;
}

export interface ServiceReadiness {
  /** Every service, by name. */
  count: number;
  /** Every service with its integration counts: those with a policy first, as they can be ready. */
  checked: ServiceCheck[];
}

export async function loadServiceReadiness(): Promise<ServiceReadiness> {
  const services = await alerting.listServices();
  const byName = [...services].sort((a, b) => a.name.localeCompare(b.name));
  const checked = [
    ...byName.filter((s) => s.escalationPolicyId),
    ...byName.filter((s) => !s.escalationPolicyId),
  ].map((service) => ({
    service,
    enabled: service.enabledIntegrationCount ?? 0,
    total: service.integrationCount ?? 0,
  }));
  return { count: services.length, checked };
}

const ready = (c: ServiceCheck) => c.service.escalationPolicyId !== null && c.enabled > 0;

/** What keeps one service from paging anyone when its monitoring alerts, one line per gap. */
function gaps(c: ServiceCheck): ReactNode[] {
  const to = `/services/${encodeURIComponent(c.service.id)}`;
  const name = <Link to={to}>{c.service.name}</Link>;
  const lines: ReactNode[] = [];
  if (!c.service.escalationPolicyId) lines.push(<>{name} pages nobody: choose an escalation policy.</>);
  if (c.enabled === 0)
    lines.push(
      c.total > 0 ? (
        <>{name} takes no alerts: its integrations are disabled, enable one.</>
      ) : (
        <>{name} has no integration yet: connect your monitoring.</>
      ),
    );
  return lines;
}

export interface ServiceStep {
  key: string;
  done: boolean;
  title: ReactNode;
  detail: ReactNode;
  /** What is missing, a line each. */
  gaps?: ReactNode[];
}

export function serviceStep(readiness: ServiceReadiness | undefined, error: string | undefined): ServiceStep {
  const title = <Link to="/services">Create a service and connect your monitoring</Link>;
  const step = (done: boolean, detail: ReactNode, gaps?: ReactNode[]) => ({
    key: "service",
    done,
    title,
    detail,
    gaps,
  });
  if (error) return step(false, `Could not check your services: ${error}`);
  if (!readiness) return step(false, "Checking your services…");
  const { count, checked } = readiness;
  if (count === 0)
    return step(false, "Alertmanager, Prometheus, Grafana, PagerDuty-style tools, webhooks and heartbeats.");
  const services = count === 1 ? "1 service" : `${count} services`;
  const done = checked.find(ready);
  if (done)
    return step(
      true,
      `${services}. ${done.service.name} takes alerts and pages its escalation policy. Each integration shows the configuration to paste.`,
    );
  const lines = checked.flatMap(gaps);
  const shown = lines.slice(0, NAMED);
  if (lines.length > shown.length) shown.push(<Link to="/services">More on the services page</Link>);
  return step(false, `${services}, none that pages anyone yet:`, shown);
}
