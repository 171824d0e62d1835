/**
 * Interop with the real tools, not with our reading of their docs: Firebreak runs as `firebreak serve`
 * (a child process on a temporary SQLite data directory), and Debian's Alertmanager and Prometheus talk to
 * it over HTTP on 127.0.0.1.
 *
 *  - Alertmanager `webhook_configs` → /integrations/alertmanager/KEY: firing opens an incident; once the
 *    alert's endsAt passes, Alertmanager sends "resolved" and the incident resolves.
 *  - Alertmanager `pagerduty_configs` with `url: …/v2/enqueue`: the same through the PagerDuty Events v2
 *    format (Alertmanager's own dedup_key, no timestamp).
 *  - Prometheus `alerting.alertmanagers` pointed straight at Firebreak with `path_prefix: /int/KEY`: a
 *    `vector(1)` rule opens an incident; a rule on a local exporter's flag opens one, and flipping the flag
 *    makes Prometheus send the resolved alert (endsAt in the past), which resolves it.
 *
 * The peers are found on PATH (or FIREBREAK_TEST_PROMETHEUS_BIN / FIREBREAK_TEST_ALERTMANAGER_BIN).
 * Without them the suite is skipped (and fails under CI=true). Nothing sleeps a fixed time: every wait
 * polls a condition with a deadline.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Alert } from "../../src/core/alerts/records.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import {
  configFor,
  createIngestService,
  openLocalStore,
  withLocalStore,
  type LocalStore,
} from "../support/alerting-setup.js";
import {
  describeWithBinaries,
  freePort,
  startFirebreakProcess,
  startProcess,
  waitUntilServing,
  type FirebreakProcess,
  type RunningProcess,
} from "../support/child-processes.js";
import { waitFor } from "../support/wait-for.js";

const WAIT = { timeoutMs: 60_000, intervalMs: 100 };

describeWithBinaries(
  "interop: real Alertmanager and Prometheus against a real Firebreak process",
  { prometheus: "prometheus", alertmanager: "prometheus-alertmanager" },
  (bin) => {
    let workDir: string;
    let firebreak: FirebreakProcess | undefined;
    let alertmanager: RunningProcess | undefined;
    let prometheus: RunningProcess | undefined;
    let exporter: Server | undefined;
    let reader: LocalStore;
    let alertmanagerUrl: string;
    let prometheusUrl: string;
    let exporterFlag = 1;
    const services: Record<"amWebhook" | "amPagerDuty" | "prometheus", { id: string; key: string }> =
      {} as never;

    /** The alerts of a service, newest first. */
    const alertsOf = (serviceId: string) =>
      reader.store.run((tx) => tx.alerts.list({ serviceId, limit: 100 }));
    const incidentOf = (alert: Alert) =>
      reader.store.run(async (tx) =>
        alert.incidentId ? tx.incidents.findById(alert.incidentId) : undefined,
      );

    /** Waits for the service's alert matching `match` to have an incident in `state`, and returns both. */
    const waitForIncident = (
      serviceId: string,
      match: (a: Alert) => boolean,
      state: Incident["state"],
      what: string,
    ) =>
      waitFor(
        async () => {
          const alert = (await alertsOf(serviceId)).find(match);
          const incident = alert && (await incidentOf(alert));
          return incident?.state === state ? { alert: alert!, incident } : undefined;
        },
        { ...WAIT, what },
      ).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}\n${diagnostics()}`);
      });

    const diagnostics = () =>
      [firebreak, alertmanager, prometheus]
        .filter((p): p is RunningProcess => p !== undefined)
        .map((p) => `--- ${p.name} (last output) ---\n${p.output().slice(-3_000)}`)
        .join("\n");

    before(async () => {
      workDir = mkdtempSync(path.join(tmpdir(), "firebreak-interop-"));
      const env = { FIREBREAK_DATA_DIR: path.join(workDir, "data"), FIREBREAK_SQLITE_SYNCHRONOUS: "normal" };
      const config = configFor(env);
      // Everything is set up through the use cases before the server starts, on the database it will use.
      await withLocalStore(config, async ({ deps }) => {
        const make = async (name: string, kind: "alertmanager" | "pagerduty" | "prometheus") => {
          const { service, keys } = await createIngestService(deps, { name, kinds: [kind] });
          return { id: service.id, key: keys[kind]! };
        };
        services.amWebhook = await make("interop alertmanager webhook", "alertmanager");
        services.amPagerDuty = await make("interop alertmanager pagerduty", "pagerduty");
        services.prometheus = await make("interop prometheus", "prometheus");
      });
      firebreak = await startFirebreakProcess(env);
      reader = await openLocalStore(config);
    });

    after(async () => {
      await prometheus?.stop();
      await alertmanager?.stop();
      await new Promise<void>((resolve) => (exporter ? exporter.close(() => resolve()) : resolve()));
      await reader?.close();
      const stopped = await firebreak?.stop("SIGTERM");
      rmSync(workDir, { recursive: true, force: true });
      // A clean shutdown is part of the contract too (exit 0 on SIGTERM).
      if (stopped)
        assert.equal(
          stopped.code,
          0,
          `firebreak exited with ${JSON.stringify(stopped)}\n${firebreak?.output().slice(-3_000)}`,
        );
    });

    it("Alertmanager starts with webhook_configs and pagerduty_configs pointed at Firebreak", async () => {
      const port = await freePort();
      alertmanagerUrl = `http://127.0.0.1:${port}`;
      const configFile = path.join(workDir, "alertmanager.yml");
      writeFileSync(
        configFile,
        `
route:
  receiver: nowhere
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['via="webhook"']
      receiver: firebreak-webhook
    - matchers: ['via="pagerduty"']
      receiver: firebreak-pagerduty
receivers:
  - name: nowhere
  - name: firebreak-webhook
    webhook_configs:
      - url: ${firebreak!.baseUrl}/integrations/alertmanager/${services.amWebhook.key}
        send_resolved: true
  - name: firebreak-pagerduty
    pagerduty_configs:
      - url: ${firebreak!.baseUrl}/v2/enqueue
        routing_key: ${services.amPagerDuty.key}
        send_resolved: true
`,
      );
      alertmanager = startProcess("alertmanager", bin.alertmanager!, [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(workDir, "alertmanager")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
        "--log.level=info",
      ]);
      await waitUntilServing(alertmanager, `${alertmanagerUrl}/-/ready`);
    });

    /** Pushes one alert into Alertmanager through its API, ending `endsInMs` from now. */
    const pushToAlertmanager = async (labels: Record<string, string>, endsInMs: number) => {
      const now = Date.now();
      const res = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify([
          {
            labels,
            annotations: { summary: `${labels.alertname} (interop test)` },
            startsAt: new Date(now).toISOString(),
            endsAt: new Date(now + endsInMs).toISOString(),
            generatorURL: "http://prometheus.invalid/graph?g0.expr=up",
          },
        ]),
      });
      assert.equal(res.status, 200, await res.text());
    };

    // endsAt leaves time for the firing notification (group_wait 0s) to land long before the alert ends.
    const ENDS_IN_MS = 8_000;

    it("webhook_configs: firing opens an incident, the resolved notification resolves it", async () => {
      assert.ok(alertmanager, "Alertmanager is running");
      await pushToAlertmanager(
        { alertname: "InteropWebhook", via: "webhook", severity: "critical", instance: "db-7:9100" },
        ENDS_IN_MS,
      );
      const isOurs = (a: Alert) => a.labels.alertname === "InteropWebhook";
      const opened = await waitForIncident(
        services.amWebhook.id,
        isOurs,
        "triggered",
        "an incident from Alertmanager's webhook",
      );
      assert.equal(opened.incident.level, "page");
      assert.match(opened.incident.title, /InteropWebhook/);
      assert.match(opened.alert.dedupKey, /^[0-9a-f]{16}$/, "keyed by Alertmanager's fingerprint");
      assert.equal(opened.alert.labels.instance, "db-7:9100");

      const resolved = await waitForIncident(
        services.amWebhook.id,
        isOurs,
        "resolved",
        "the incident to resolve after endsAt passed",
      );
      assert.equal(resolved.incident.id, opened.incident.id);
      const [alert] = (await alertsOf(services.amWebhook.id)).filter(isOurs);
      assert.equal(alert!.status, "resolved");
      assert.equal(
        (await alertsOf(services.amWebhook.id)).filter(isOurs).length,
        1,
        "one alert: re-sent notifications did not duplicate it",
      );
    });

    it("pagerduty_configs (url: …/v2/enqueue): trigger opens an incident, resolve resolves it", async () => {
      assert.ok(alertmanager, "Alertmanager is running");
      await pushToAlertmanager(
        { alertname: "InteropPagerDuty", via: "pagerduty", severity: "critical" },
        ENDS_IN_MS,
      );
      const isOurs = (a: Alert) => a.summary.includes("InteropPagerDuty");
      const opened = await waitForIncident(
        services.amPagerDuty.id,
        isOurs,
        "triggered",
        "an incident from Alertmanager's PagerDuty notifier",
      );
      // Alertmanager's dedup_key is the SHA-256 of the group key, and it sets severity "error" by default.
      assert.match(opened.alert.dedupKey, /^[0-9a-f]{64}$/);
      assert.equal(opened.alert.severity, "error");
      assert.equal(opened.incident.level, "page");
      // Alertmanager's default summary is "[FIRING:1] InteropPagerDuty (…)"; the stale count is dropped.
      assert.match(opened.incident.title, /^InteropPagerDuty/);

      const resolved = await waitForIncident(
        services.amPagerDuty.id,
        isOurs,
        "resolved",
        "the incident to resolve on Alertmanager's resolve event",
      );
      assert.equal(resolved.incident.id, opened.incident.id);
      assert.equal((await alertsOf(services.amPagerDuty.id)).length, 1);
    });

    it("Prometheus → /int/KEY/api/v2/alerts: vector(1) opens an incident; a flag rule opens one and resolves when the flag drops", async () => {
      exporterFlag = 1;
      exporter = createServer((req, res) => {
        if (req.url !== "/metrics") return void res.writeHead(404).end();
        res
          .writeHead(200, { "content-type": "text/plain; version=0.0.4" })
          .end(
            `# HELP interop_flag Set by the interop test.\n# TYPE interop_flag gauge\ninterop_flag ${exporterFlag}\n`,
          );
      });
      const exporterPort = await freePort();
      await new Promise<void>((resolve) => exporter!.listen(exporterPort, "127.0.0.1", resolve));

      const port = await freePort();
      prometheusUrl = `http://127.0.0.1:${port}`;
      const rulesFile = path.join(workDir, "rules.yml");
      writeFileSync(
        rulesFile,
        `
groups:
  - name: firebreak-interop
    interval: 1s
    rules:
      - alert: InteropAlwaysFiring
        expr: vector(1)
        for: 0s
        labels: { severity: critical }
        annotations: { summary: "vector(1) is always firing" }
      - alert: InteropFlag
        expr: interop_flag == 1
        for: 0s
        labels: { severity: critical }
        annotations: { summary: "the exporter's flag is up" }
`,
      );
      const configFile = path.join(workDir, "prometheus.yml");
      writeFileSync(
        configFile,
        `
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ["${rulesFile}"]
alerting:
  alertmanagers:
    - path_prefix: /int/${services.prometheus.key}
      static_configs:
        - targets: ["127.0.0.1:${firebreak!.port}"]
scrape_configs:
  - job_name: interop-exporter
    static_configs:
      - targets: ["127.0.0.1:${exporterPort}"]
`,
      );
      prometheus = startProcess("prometheus", bin.prometheus!, [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(workDir, "prometheus")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // Prometheus evaluates its first rules before it has discovered the "Alertmanager" and drops those
        // notifications (prometheus_notifications_dropped_total); with the default 1m resend delay the alert
        // would only arrive a minute later. 1s also makes endsAt short (4 × 1s), as on a busy real setup.
        "--rules.alert.resend-delay=1s",
        "--log.level=info",
      ]);
      await waitUntilServing(prometheus, `${prometheusUrl}/-/ready`);

      const always = await waitForIncident(
        services.prometheus.id,
        (a) => a.labels.alertname === "InteropAlwaysFiring",
        "triggered",
        "an incident from the vector(1) rule",
      );
      assert.equal(always.incident.level, "page");
      assert.match(always.incident.title, /vector\(1\) is always firing/);
      assert.ok(always.alert.expiresAt, "Prometheus' endsAt (its resend window) becomes the alert's expiry");

      const isFlag = (a: Alert) => a.labels.alertname === "InteropFlag";
      const flagged = await waitForIncident(
        services.prometheus.id,
        isFlag,
        "triggered",
        "an incident from the flag rule",
      );
      assert.equal(flagged.alert.labels.job, "interop-exporter", "series labels come through");

      exporterFlag = 0;
      const resolved = await waitForIncident(
        services.prometheus.id,
        isFlag,
        "resolved",
        "the flag incident to resolve once Prometheus sends the resolved alert",
      );
      assert.equal(resolved.incident.id, flagged.incident.id);
      const stillOpen = await incidentOf(always.alert);
      assert.equal(stillOpen?.state, "triggered", "the vector(1) incident is untouched");
      assert.equal(
        (await alertsOf(services.prometheus.id)).filter(isFlag).length,
        1,
        "Prometheus' periodic re-sends did not make a second alert",
      );
      const isAlways = (a: Alert) => a.labels.alertname === "InteropAlwaysFiring";
      const refreshed = await waitFor(
        async () => (await alertsOf(services.prometheus.id)).filter(isAlways).find((a) => a.eventCount >= 3),
        { ...WAIT, what: "Prometheus to re-send the firing alert" },
      );
      assert.equal(refreshed.status, "firing");
      assert.equal(
        (await alertsOf(services.prometheus.id)).filter(isAlways).length,
        1,
        "re-sent every second, still one alert",
      );
    });

    it("neither Alertmanager nor Prometheus counted a failed notification to Firebreak", async () => {
      assert.ok(alertmanager && prometheus, "both peers ran");
      const metric = async (url: string, name: string) => {
        const text = await (await fetch(url)).text();
        return text
          .split("\n")
          .filter((line) => line.startsWith(name))
          .map((line) => ({ line, value: Number(line.slice(line.lastIndexOf(" ") + 1)) }));
      };
      const amFailed = await metric(`${alertmanagerUrl}/metrics`, "alertmanager_notifications_failed_total");
      const amSent = await metric(`${alertmanagerUrl}/metrics`, "alertmanager_notifications_total");
      assert.deepEqual(
        amFailed.filter((m) => m.value > 0).map((m) => m.line),
        [],
        "Alertmanager: no failed notifications",
      );
      for (const integration of ["webhook", "pagerduty"]) {
        assert.ok(
          amSent.some((m) => m.line.includes(`integration="${integration}"`) && m.value >= 2),
          `Alertmanager sent firing and resolved through ${integration}`,
        );
      }
      const promErrors = await metric(`${prometheusUrl}/metrics`, "prometheus_notifications_errors_total");
      const promSent = await metric(`${prometheusUrl}/metrics`, "prometheus_notifications_sent_total");
      assert.deepEqual(
        promErrors.filter((m) => m.value > 0).map((m) => m.line),
        [],
        "Prometheus: no notification errors",
      );
      assert.ok(
        promSent.some((m) => m.value > 0),
        "Prometheus sent alerts",
      );
    });
  },
);
