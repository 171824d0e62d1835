import type { IntegrationKind } from "../../core/alerts/records.js";
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from "./manage-integrations.js";

/** One piece of configuration to paste into the sending tool, for the integration page. */
export interface IntegrationSnippet {
  /** Stable identifier, e.g. `alertmanager-webhook`. */
  readonly id: string;
  /** What it is for, as a person reads it. */
  readonly title: string;
  readonly format: "yaml" | "shell" | "text";
  readonly text: string;
}

export interface IntegrationEndpoint {
  /** The URL to paste into the sender (for PagerDuty: the Events API URL; the key goes in routing_key). */
  readonly url: string;
  readonly snippets: readonly IntegrationSnippet[];
}

/** A YAML double-quoted scalar: JSON strings are valid YAML. */
const yaml = (value: string): string => JSON.stringify(value);
/** A POSIX shell single-quoted word. */
/**
 * The route of a whole alertmanager.yml: Alertmanager refuses a file without one ("no routes
 * provided"), and a receiver name of each kind lets both snippets go into one file.
 */
const WHOLE_FILE_ROUTE = (receiver: string): string[] => [
  "route:",
  `  receiver: ${receiver}`,
  "  group_by: ['alertname']",
];

const sh = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * Where a sender of this kind posts, and copy-paste configuration for the usual tools. Pure: the
 * key and the public URL (no trailing slash, as the config holds it) are all it needs.
 */
export function integrationEndpoint(
  publicUrl: string,
  kind: IntegrationKind,
  key: string,
  heartbeatIntervalSeconds: number | null = null,
): IntegrationEndpoint {
  const base = publicUrl.replace(/\/+$/, "");
  switch (kind) {
    case "alertmanager": {
      const url = `${base}/integrations/alertmanager/${key}`;
      const body = {
        version: "4",
        status: "firing",
        receiver: "firebreak",
        groupKey: "curl-test",
        alerts: [
          {
            status: "firing",
            labels: { alertname: "FirebreakTest", severity: "critical" },
            // No startsAt: the alert starts when it arrives, not at a date fixed in the snippet.
            annotations: { summary: "Test alert sent with curl" },
          },
        ],
      };
      return {
        url,
        snippets: [
          {
            id: "alertmanager-webhook",
            title: "Alertmanager: alertmanager.yml (a whole file; or copy the receiver and route to it)",
            format: "yaml",
            text: [
              ...WHOLE_FILE_ROUTE("firebreak-webhook"),
              "receivers:",
              "  - name: firebreak-webhook",
              "    webhook_configs:",
              `      - url: ${yaml(url)}`,
              "        send_resolved: true",
              "",
            ].join("\n"),
          },
          {
            id: "grafana-webhook",
            title: "Grafana: contact point of type Webhook (method POST)",
            format: "text",
            text: `URL: ${url}\nHTTP Method: POST\n`,
          },
          {
            id: "curl",
            title: "Send a test alert with curl",
            format: "shell",
            text: `curl -fsS -X POST -H 'Content-Type: application/json' \\\n  --data ${sh(JSON.stringify(body))} \\\n  ${sh(url)}\n`,
          },
        ],
      };
    }
    case "prometheus": {
      const parsed = new URL(base);
      const scheme = parsed.protocol.replace(":", "");
      const port = parsed.port || (scheme === "https" ? "443" : "80");
      const pathPrefix = `${parsed.pathname.replace(/\/+$/, "")}/int/${key}`;
      const url = `${base}/int/${key}`;
      const body = [
        {
          labels: { alertname: "FirebreakTest", severity: "critical" },
          annotations: { summary: "Test alert sent with curl" },
        },
      ];
      return {
        url,
        snippets: [
          {
            id: "prometheus-alertmanagers",
            title: "Prometheus: alerting in prometheus.yml (Firebreak speaks the Alertmanager API v2)",
            format: "yaml",
            text: [
              "alerting:",
              "  alertmanagers:",
              `    - scheme: ${scheme}`,
              `      path_prefix: ${yaml(pathPrefix)}`,
              "      api_version: v2",
              "      static_configs:",
              `        - targets: [${yaml(`${parsed.hostname}:${port}`)}]`,
              "",
            ].join("\n"),
          },
          {
            id: "vmalert",
            title: "vmalert: notifier flag",
            format: "shell",
            text: `-notifier.url=${sh(url)}\n`,
          },
          {
            id: "curl",
            title: "Send a test alert with curl",
            format: "shell",
            text: `curl -fsS -X POST -H 'Content-Type: application/json' \\\n  --data ${sh(JSON.stringify(body))} \\\n  ${sh(`${url}/api/v2/alerts`)}\n`,
          },
        ],
      };
    }
    case "pagerduty": {
      const url = `${base}/v2/enqueue`;
      const body = {
        routing_key: key,
        event_action: "trigger",
        payload: { summary: "Test alert sent with curl", source: "curl", severity: "critical" },
      };
      return {
        url,
        snippets: [
          {
            id: "alertmanager-pagerduty",
            title:
              "Alertmanager: alertmanager.yml with the PagerDuty Events API v2 (a whole file; or copy the receiver and route to it)",
            format: "yaml",
            text: [
              ...WHOLE_FILE_ROUTE("firebreak-pagerduty"),
              "receivers:",
              "  - name: firebreak-pagerduty",
              "    pagerduty_configs:",
              `      - routing_key: ${yaml(key)}`,
              `        url: ${yaml(url)}`,
              "        send_resolved: true",
              "",
            ].join("\n"),
          },
          {
            id: "grafana-pagerduty",
            title: "Grafana: contact point of type PagerDuty",
            format: "text",
            text: `Integration Key: ${key}\nAPI URL (optional settings): ${url}\n`,
          },
          {
            id: "curl",
            title: "Send a test event with curl",
            format: "shell",
            text: `curl -fsS -X POST -H 'Content-Type: application/json' \\\n  --data ${sh(JSON.stringify(body))} \\\n  ${sh(url)}\n`,
          },
        ],
      };
    }
    case "webhook": {
      const url = `${base}/integrations/webhook/${key}`;
      const body = {
        summary: "Test alert sent with curl",
        dedup_key: "curl-test",
        status: "firing",
        severity: "critical",
      };
      return {
        url,
        snippets: [
          {
            id: "curl",
            title: 'Send a test alert with curl (status "resolved" with the same dedup_key closes it)',
            format: "shell",
            text: `curl -fsS -X POST -H 'Content-Type: application/json' \\\n  --data ${sh(JSON.stringify(body))} \\\n  ${sh(url)}\n`,
          },
        ],
      };
    }
    case "heartbeat": {
      const url = `${base}/heartbeat/${key}`;
      return {
        url,
        snippets: [
          {
            id: "curl",
            title: "Check in at the end of each run",
            format: "shell",
            text: `curl -fsS ${sh(url)}\n`,
          },
          heartbeatScheduleSnippet(url, heartbeatIntervalSeconds),
        ],
      };
    }
    case "manual":
      // Paging by hand goes through the API, not a URL: there is nothing to paste anywhere.
      return { url: `${base}/api/v1/incidents`, snippets: [] };
  }
}

/** Periods, in minutes, that a crontab line can run at exactly: divisors of the hour and of the day. */
const CRON_PERIODS_MINUTES = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440];

/**
 * A crontab schedule for a heartbeat interval: the longest period cron can run at that is not longer
 * than the interval, so the job checks in at least as often as the heartbeat expects. Undefined under
 * a minute: cron runs at most once a minute, and every gap would be a missed check-in.
 */
export function cronSchedule(intervalSeconds: number | null): string | undefined {
  const minutes = (intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS) / 60;
  const period = CRON_PERIODS_MINUTES.filter((p) => p <= minutes).at(-1);
  if (period === undefined) return undefined;
  if (period === 1) return "* * * * *";
  if (period < 60) return `*/${period} * * * *`;
  if (period === 60) return "0 * * * *";
  if (period < 1440) return `0 */${period / 60} * * *`;
  return "0 0 * * *";
}

/**
 * What checks in once per heartbeat interval: a crontab line, or under a minute a shell loop. The loop
 * sleeps alongside curl (capped at the interval), so a slow check-in does not stretch the period.
 */
export function heartbeatScheduleSnippet(url: string, intervalSeconds: number | null): IntegrationSnippet {
  const seconds = intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  const schedule = cronSchedule(seconds);
  if (schedule !== undefined)
    return {
      id: "cron",
      title:
        "crontab: check in only when the job succeeds (put your job's command in place of /path/to/your-job)",
      format: "text",
      text: `${schedule} /path/to/your-job && curl -fsS --retry 3 ${sh(url)} > /dev/null\n`,
    };
  return {
    id: "loop",
    title: `Every ${seconds} seconds: cron runs at most once a minute, too seldom, so run this loop under your service manager (systemd, supervisord)`,
    format: "shell",
    text: [
      "while true; do",
      `  sleep ${seconds} &`,
      `  curl -fsS --max-time ${seconds} ${sh(url)} > /dev/null`,
      "  wait",
      "done",
      "",
    ].join("\n"),
  };
}
