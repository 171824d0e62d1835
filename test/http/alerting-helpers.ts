import type { LightMyRequestResponse } from "fastify";
import type { TestFirebreak } from "../support/firebreak-harness.js";

export const PUBLIC_URL = "https://firebreak.example.net";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Credentials for in-process requests: an API key, or a signed-in session (cookie + CSRF token). */
export type Credentials = { key: string } | { cookie: string; csrfToken: string };

const headersFor = (who: Credentials): Record<string, string> =>
  "key" in who
    ? { authorization: `Bearer ${who.key}` }
    : { cookie: who.cookie, "x-csrf-token": who.csrfToken };

/** A small client over `fb.http.inject` for one caller. */
export function client(fb: TestFirebreak, who: Credentials) {
  const call = (method: Method, url: string, payload?: object): Promise<LightMyRequestResponse> =>
    fb.http.inject({ method, url, headers: headersFor(who), ...(payload !== undefined && { payload }) });
  return {
    get: (url: string) => call("GET", url),
    post: (url: string, payload?: object) => call("POST", url, payload),
    put: (url: string, payload: object) => call("PUT", url, payload),
    patch: (url: string, payload: object) => call("PATCH", url, payload),
    delete: (url: string) => call("DELETE", url),
  };
}
export type Client = ReturnType<typeof client>;

/** The path of a URL under the public URL, for `inject`. */
export const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

/** An Alertmanager webhook body (version 4) with one alert. */
export const alertmanagerBody = (
  status: "firing" | "resolved",
  alertname = "DiskAlmostFull",
  summary = `${alertname} on db-7`,
) => ({
  version: "4",
  groupKey: `{}/{team="storage"}:{alertname="${alertname}"}`,
  truncatedAlerts: 0,
  status,
  receiver: "firebreak",
  groupLabels: { alertname },
  commonLabels: { alertname, severity: "critical" },
  commonAnnotations: { summary },
  externalURL: "http://alertmanager.example.net",
  alerts: [
    {
      status,
      labels: { alertname, instance: "db-7:9100", severity: "critical" },
      annotations: { summary },
      startsAt: "2021-01-01T00:00:00Z",
      endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : "2021-01-01T00:30:00Z",
      generatorURL: "http://prometheus.example.net/graph",
      fingerprint: `fp-${alertname}`,
    },
  ],
});

/** Field paths of a problem+json validation answer. */
export const errorPaths = (res: LightMyRequestResponse): string[] =>
  ((res.json() as { errors?: Array<{ path: string }> }).errors ?? []).map((e) => e.path);
